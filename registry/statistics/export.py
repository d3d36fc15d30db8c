"""The year's figures as a workbook: one sheet per part, labels in the reader's language."""

import io

from registry.choices import N_, Category, TotalsField
from registry.i18n import gettext, label_of
from registry.statistics.schemas import YearStatistics
from registry.tabular import neutralise

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


def workbook(stats: YearStatistics) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    book.properties.title = gettext(N_("Figures of %(year)s"), year=stats.year)
    summary = book.create_sheet(gettext(N_("Catalog"))[:31])
    summary.append([gettext(N_("Measure")), gettext(N_("Start of year")), gettext(N_("End of year"))])
    for label, start, end in figures_rows(stats):
        summary.append([neutralise(label), start, end])
    changes = book.create_sheet(gettext(N_("Changes and requests"))[:31])
    for name, msgid in CHANGE_LABELS.items():
        changes.append([gettext(msgid), getattr(stats.changes, name)])
    for name, msgid in REQUEST_LABELS.items():
        changes.append([gettext(msgid), getattr(stats.requests, name)])
    departments = book.create_sheet(gettext(N_("Departments"))[:31])
    departments.append([gettext(N_("Code")), gettext(N_("Department")), gettext(N_("Requests filed")),
                        gettext(N_("Approved")), gettext(N_("Rejected")), gettext(N_("Active items")),
                        gettext(N_("Ratings")), gettext(N_("Mean rating"))])
    ratings = {r.code: r for r in stats.ratings}
    for row in stats.by_department:
        rating = ratings.get(row.code)
        departments.append([row.code, neutralise(row.name), row.filed, row.approved, row.rejected, row.active_duties,
                            rating.n if rating else 0, rating.mean if rating else None])
    months = book.create_sheet(gettext(N_("By month"))[:31])
    months.append([gettext(N_("Month")), gettext(N_("Edition")), gettext(N_("Active items")),
                   gettext(N_("Median village's hours per month"))])
    for point in stats.by_month:
        months.append([point.month, point.edition, point.active, point.median_hours_per_month])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
