"""A form's submissions as CSV or an Excel workbook: one row per village, the form's columns in its order."""

from datetime import date

from sqlmodel import Session

from registry import i18n
from registry.catalog.services import current_edition
from registry.choices import N_
from registry.forms.schemas import IndicatorPublic, Submissions
from registry.regions.models import Region
from registry.regions.services import department_lookup, department_region, region_index
from registry.tabular import Stamp, Table, csv_bytes, xlsx_bytes

CSV = "csv"
XLSX = "xlsx"
MEDIA_TYPES = {CSV: "text/csv", XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _cell(value: object) -> object:
    if isinstance(value, bool):
        return i18n.gettext(N_("Yes")) if value else i18n.gettext(N_("No"))
    return value


def table(found: Submissions, questions: list[IndicatorPublic]) -> tuple[list[str], list[list[object]]]:
    names = {q.code: f"{q.code} {q.name}" + (f" ({q.unit})" if q.unit else "") for q in questions}
    header = [i18n.gettext(N_("Region code")), i18n.gettext(N_("Region")),
              *[names.get(code, code) for code in found.form.indicators], i18n.gettext(N_("Complete"))]
    rows = [[row.region.code, row.region.name, *[_cell(row.values.get(code)) for code in found.form.indicators],
             _cell(row.complete)] for row in found.items]
    return header, rows


def render(found: Submissions, questions: list[IndicatorPublic], fmt: str, stamp: Stamp) -> bytes:
    header, rows = table(found, questions)
    if fmt == CSV:
        return csv_bytes(header, rows)
    title = f"{found.form.code} {found.form.title} {found.period}"
    return xlsx_bytes([Table(found.form.code, header, rows)], stamp, title,
                      extra=[(i18n.gettext(N_("Form")), f"{found.form.code} {found.form.title}"),
                             (i18n.gettext(N_("Reporting period")), found.period)])


def _county(session: Session, department_code: str | None) -> Region | None:
    """The county (or city or province) that owns the form's department (contract §10); the default county
    when no department is named."""
    index = region_index(session)
    department = department_lookup(session).by_code.get(department_code) if department_code else None
    return department_region(department, index) if department else index.default_owner()


def stamp_of(session: Session, day: date, department_code: str | None = None) -> Stamp:
    """The county of the form's department and the catalog edition the form belongs to (forms are catalog
    content)."""
    county = _county(session, department_code)
    edition = current_edition(session)
    region = i18n.gettext(N_("%(name)s (%(code)s)"), name=county.name, code=county.code) if county else ""
    return Stamp(region=region, edition=edition.number,
                 edition_hash=edition.hash, day=day)


def filename(session: Session, found: Submissions, fmt: str) -> tuple[str, str]:
    """(the reader's name with the county's and the form's names, an ASCII name)."""
    county = _county(session, found.form.department.code)
    name = i18n.gettext(N_("form-%(code)s-%(title)s-%(region)s-%(period)s"), code=found.form.code,
                        title=found.form.title, region=county.name if county else "", period=found.period)
    return f"{name}.{fmt}", f"form-{found.form.code}-{found.period}.{fmt}"
