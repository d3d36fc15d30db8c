"""A form's submissions as CSV or an Excel workbook: one row per village, the form's columns in its order."""

import io

from openpyxl import Workbook

from registry import i18n
from registry.choices import N_
from registry.forms.schemas import IndicatorPublic, Submissions
from registry.tabular import csv_bytes, neutralise

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


def render(found: Submissions, questions: list[IndicatorPublic], fmt: str) -> bytes:
    header, rows = table(found, questions)
    if fmt == CSV:
        return csv_bytes(header, rows)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = found.form.code
    sheet.append(header)
    for row in rows:
        sheet.append([neutralise(cell) for cell in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def filename(found: Submissions, fmt: str) -> str:
    return f"form-{found.form.code}-{found.period}.{fmt}"
