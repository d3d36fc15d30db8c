"""The year's figures as a workbook: one sheet per part, labels in the reader's language."""

from datetime import date

from sqlmodel import Session

from registry.choices import N_, Category, TotalsField
from registry.i18n import gettext, label_of
from registry.ledger.models import LedgerEntry
from registry.regions.services import region_index
from registry.statistics.schemas import YearStatistics
from registry.tabular import Stamp, Table, xlsx_bytes

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

REQUEST_LABELS = {
    "filed": N_("Requests filed"), "approved": N_("Approved"), "rejected": N_("Rejected"),
    "returned": N_("Returned at least once"), "withdrawn": N_("Withdrawn"),
    "exemptions": N_("Approved with an exemption"),
    "median_working_days_to_decision": N_("Median working days to the decision"),
    "decided_late": N_("Decided after the due date"),
}
CHANGE_LABELS = {"added": N_("Added"), "amended": N_("Amended"), "retired": N_("Retired by request"),
                 "lapsed": N_("Lapsed"), "ended": N_("Ended")}


def figures_rows(stats: YearStatistics) -> list[tuple[str, object, object]]:
    """(label, start or value, end) rows of the summary sheet; also what the page prints."""
    rows: list[tuple[str, object, object]] = [
        (gettext(N_("Active items")), stats.catalog.start.active, stats.catalog.end.active),
        (gettext(N_("Edition")), stats.catalog.start.edition, stats.catalog.end.edition),
    ]
    rows += [(label_of(Category, name), stats.catalog.start.by_category.get(name, 0),
              stats.catalog.end.by_category.get(name, 0)) for name in Category.values()]
    rows += [(label_of(TotalsField, name) + gettext(N_(" (median village)")), getattr(stats.burden.start, name),
              getattr(stats.burden.end, name)) for name in TotalsField.values()]
    return rows


def county_stamp(session: Session, edition: int, day: date) -> Stamp:
    """The region the statistics cover (the root of the region tree: the county, or the province or city of a
    many-county deployment) at *edition*, with that entry's hash."""
    index = region_index(session)
    county = next(iter(index.roots()), None)
    region = gettext(N_("%(name)s (%(code)s)"), name=county.name, code=county.code) if county else ""
    entry = session.get(LedgerEntry, edition) if edition else None
    return Stamp(region=region, edition=edition, edition_hash=entry.hash if entry else None, day=day)


def filename(session: Session, year: int) -> tuple[str, str]:
    index = region_index(session)
    county = next(iter(index.roots()), None)  # the region the statistics cover
    name = gettext(N_("statistics-%(region)s-%(year)s"), region=county.name if county else "", year=year)
    return f"{name}.xlsx", f"statistics-{year}.xlsx"


def workbook(stats: YearStatistics, stamp: Stamp) -> bytes:
    """Four sheets (catalog, changes and requests, departments, months) and the stamp: the year-end edition."""
    summary = Table(gettext(N_("Catalog")), [gettext(N_("Measure")), gettext(N_("Start of year")),
                                             gettext(N_("End of year"))], figures_rows(stats))
    changes = Table(gettext(N_("Changes and requests")), [gettext(N_("Measure")), gettext(N_("Count"))],
                    [*[(gettext(msgid), getattr(stats.changes, name)) for name, msgid in CHANGE_LABELS.items()],
                     *[(gettext(msgid), getattr(stats.requests, name)) for name, msgid in REQUEST_LABELS.items()]])
    ratings = {r.code: r for r in stats.ratings}
    departments = Table(
        gettext(N_("Departments")),
        [gettext(N_("Code")), gettext(N_("Department")), gettext(N_("Requests filed")), gettext(N_("Approved")),
         gettext(N_("Rejected")), gettext(N_("Active items")), gettext(N_("Ratings")), gettext(N_("Mean rating"))],
        [[row.code, row.name, row.filed, row.approved, row.rejected, row.active_duties,
          ratings[row.code].n if row.code in ratings else 0,
          ratings[row.code].mean if row.code in ratings else None] for row in stats.by_department])
    months = Table(gettext(N_("By month")), [gettext(N_("Month")), gettext(N_("Edition")), gettext(N_("Active items")),
                                             gettext(N_("Median village's hours per month"))],
                   [[p.month, p.edition, p.active, p.median_hours_per_month] for p in stats.by_month])
    return xlsx_bytes([summary, changes, departments, months], stamp, gettext(N_("Figures of %(year)s"),
                                                                                  year=stats.year))
