"""A region's official list as CSV (UTF-8 with BOM, opens in Excel), XLSX or JSON (the API's document).

CSV and XLSX hold one header row (in the chosen language), then one row per item, in code order.
"""

from datetime import date

import msgspec
from sqlmodel import Session

from registry import i18n
from registry.catalog import lists
from registry.catalog.schemas import DutyPublic, RegionDuties
from registry.choices import BURDEN_LISTS, N_, AppliesTo, Category, Frequency, TotalsField
from registry.db import Database
from registry.errors import BadRequest
from registry.regions.services import find_region, region_index
from registry.tabular import Stamp, Table, csv_bytes, xlsx_bytes
from registry.timeutil import local_date, utcnow

FORMATS = ("csv", "xlsx", "json")
MEDIA_TYPES = {
    "csv": "text/csv",  # Litestar adds the charset
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
LIST_SEPARATOR = N_("; ")  # between the names of a list: the full-width semicolon in Chinese
BURDEN_HEADERS = {name: TotalsField(name).label for name in BURDEN_LISTS}
COLUMNS = [
    ("code", N_("Code")),
    ("title", N_("Title")),
    ("description", N_("Description")),
    ("category", N_("Category")),
    ("applies_to", N_("Applies to")),
    ("scope_code", N_("Scope (region code)")),
    ("department", N_("Responsible department")),
    ("co_departments", N_("Co-operating departments")),
    ("legal_basis", N_("Legal basis")),
    ("frequency", N_("Frequency")),
    ("hours_per_month", N_("Hours per month")),
    ("funding_provided", N_("Funding provided")),
    ("funding_amount", N_("Funding (yuan per year)")),
    ("funding_source", N_("Funding source")),
    *[(name, label) for name, label in BURDEN_HEADERS.items()],
    ("meetings_per_year", N_("Meetings per year")),
    ("version", N_("Version")),
    ("effective_from", N_("Effective from")),
    ("review_by", N_("Review by")),
]


def joiner() -> str:
    return i18n.gettext(LIST_SEPARATOR)


def header() -> list[str]:
    return [i18n.gettext(label) for _, label in COLUMNS]


def row_values(duty: DutyPublic) -> list[object]:
    """One item as typed cells (numbers stay numbers for XLSX; CSV writes them as text)."""
    values: dict[str, object] = {
        "code": duty.code,
        "title": duty.title,
        "description": duty.description,
        "category": i18n.label_of(Category, duty.category),
        "applies_to": i18n.label_of(AppliesTo, duty.applies_to),
        "scope_code": duty.scope_code,
        "department": duty.department.name,
        "co_departments": joiner().join(d.name for d in duty.co_departments),
        "legal_basis": duty.legal_basis,
        "frequency": i18n.label_of(Frequency, duty.frequency),
        "hours_per_month": duty.hours_per_month,
        "funding_provided": i18n.gettext(N_("Yes") if duty.funding.provided else N_("No")),
        "funding_amount": duty.funding.amount_yuan_per_year,
        "funding_source": duty.funding.source,
        "meetings_per_year": duty.burdens.meetings_per_year,
        "version": duty.version,
        "effective_from": duty.effective_from or "",
        "review_by": duty.review_by or "",
    }
    for name in BURDEN_LISTS:
        values[name] = joiner().join(getattr(duty.burdens, name))
    return [values[key] for key, _ in COLUMNS]


def _csv(document: RegionDuties) -> bytes:
    return csv_bytes(header(), (row_values(duty) for duty in document.duties))


def _xlsx(document: RegionDuties, stamp: Stamp) -> bytes:
    title = i18n.gettext(N_("Official duty list of %(region)s"), region=document.region.name)
    rows = [row_values(duty) for duty in document.duties]
    return xlsx_bytes([Table(i18n.gettext(N_("Duties")), header(), rows)], stamp, title,
                      extra=[(i18n.gettext(N_("Items")), len(document.duties))])


def region_path(session: Session, code: str) -> list[str]:
    """The names from the county down to the region (its code stays out: names first)."""
    index = region_index(session)
    return [r.name for r in reversed(index.ancestors(find_region(index, code)))]


def stamp_of(document: RegionDuties, names: list[str], day: date) -> Stamp:
    path = " › ".join(names or [document.region.name])
    region = i18n.gettext(N_("%(name)s (%(code)s)"), name=path, code=document.region.code)
    return Stamp(region=region, edition=document.edition,
                 edition_hash=document.edition_hash, day=day)


def render(document: RegionDuties, fmt: str, stamp: Stamp) -> bytes:
    """The list in *fmt*; JSON is the API's document, indented for people."""
    if fmt == "csv":
        return _csv(document)
    if fmt == "xlsx":
        return _xlsx(document, stamp)
    return msgspec.json.format(msgspec.json.encode(document), indent=2)


def export_region(db: Database, region_code: str, fmt: str, language: str, as_of: int | None = None) -> bytes:
    """The region's official list in *fmt*; NotFound for an unknown region."""
    if fmt not in FORMATS:
        raise BadRequest(N_("Unknown export format: %(value)s."), value=str(fmt)[:20])
    token = i18n.set_language(language)
    try:
        with db.read() as session:
            found = lists.region_list(session, region_code, as_of)
            names = region_path(session, region_code)
        return render(found, fmt, stamp_of(found, names, local_date(utcnow())))
    finally:
        i18n.reset_language(token)


def filename(names: list[str], region_code: str, edition: int, fmt: str) -> tuple[str, str]:
    """(the name in the reader's language, carrying the region's names; an ASCII name for old clients)."""
    name = i18n.gettext(N_("duties-%(code)s-%(names)s-edition-%(edition)s"), code=region_code,
                        names="-".join(names), edition=edition)
    return f"{name}.{fmt}", f"duties-{region_code}-edition-{edition}.{fmt}"
