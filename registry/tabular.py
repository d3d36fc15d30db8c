"""CSV and spreadsheet cells that are safe to open (text never turns into a formula), and workbooks fitted for
Excel: widths to content, a frozen header, a filter, the edition stamp."""

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from registry import i18n
from registry.choices import N_

# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def neutralise(value: object) -> object:
    """Prefix formula-looking text with an apostrophe; numbers and other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _is_number(value):
        return "'" + value
    return value


def csv_bytes(header: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with a BOM (so spreadsheet programs read Chinese right), CRLF lines, None as empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in (header, *rows):
        writer.writerow(["" if cell is None else neutralise(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# ---------------------------------------------------------------- workbooks people open in Excel

# Column widths are in characters of the default font; a wide (CJK) character takes two.
MIN_WIDTH = 6
MAX_WIDTH = 60


@dataclass(frozen=True)
class Stamp:
    """What a printed or downloaded table was drawn from: the region (names, then the code), the edition and its
    hash (check them against the public ledger), and the day it was drawn."""

    region: str
    edition: int
    edition_hash: str | None
    day: date


@dataclass(frozen=True)
class Table:
    """One sheet: a header row, then the rows (numbers stay numbers)."""

    title: str
    header: Sequence[object]
    rows: Sequence[Sequence[object]]


def display_width(value: object) -> int:
    """How many narrow characters *value* takes on screen: wide and full-width characters count two."""
    if value is None:
        return 0
    text = value if isinstance(value, str) else str(value)
    widest = 0
    for line in text.splitlines() or [""]:
        widest = max(widest, sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line))
    return widest


def sheet_title(text: str) -> str:
    """A legal sheet name: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("-" if ch in "[]:*?/\\" else ch for ch in text).strip("'")
    return cleaned[:31] or "Sheet"


def _header_text(text: str) -> str:
    return text.replace("&", "&&")  # `&` starts a code in Excel's print header


def stamp_rows(stamp: Stamp) -> list[tuple[str, object]]:
    """(label, value) rows of the stamp, in the reader's language."""
    return [
        (i18n.gettext(N_("Region")), stamp.region),
        (i18n.gettext(N_("Edition")), stamp.edition),
        (i18n.gettext(N_("Edition hash (SHA-256)")), stamp.edition_hash or ""),
        (i18n.gettext(N_("Date")), stamp.day.isoformat()),
    ]


def _fit_and_freeze(sheet, rows: int, columns: int, widths: list[int]) -> None:  # type: ignore[no-untyped-def]
    from openpyxl.utils import get_column_letter

    for index in range(columns):
        letter = get_column_letter(index + 1)
        sheet.column_dimensions[letter].width = min(max(widths[index] + 2, MIN_WIDTH), MAX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(columns, 1))}{max(rows, 1)}"
    sheet.print_title_rows = "1:1"


def _wrap_wide(sheet, widths: list[int]) -> None:  # type: ignore[no-untyped-def]
    """Columns wider than MAX_WIDTH wrap their text (rows grow) instead of being cut off."""
    from openpyxl.styles import Alignment

    wrap = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate(widths):
        if width + 2 > MAX_WIDTH:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
                cell.alignment = wrap


def _print_header(sheet, stamp: Stamp, title: str) -> None:  # type: ignore[no-untyped-def]
    edition = i18n.gettext(N_("Edition %(n)s · checksum %(hash)s"), n=stamp.edition,
                           hash=(stamp.edition_hash or "")[:12])
    sheet.oddHeader.left.text = _header_text(stamp.region)[:80]
    sheet.oddHeader.center.text = _header_text(title)[:80]
    sheet.oddHeader.right.text = _header_text(f"{edition} · {stamp.day.isoformat()}")[:80]
    sheet.oddFooter.center.text = "&P / &N"
    sheet.oddFooter.right.text = _header_text((stamp.edition_hash or "")[:64])


def xlsx_bytes(tables: Sequence[Table], stamp: Stamp, title: str, extra: Sequence[tuple[str, object]] = ()) -> bytes:
    """A workbook with one sheet per table — header frozen, a filter over the table, columns as wide as their
    content, the stamp in the print header — and a last sheet holding the stamp (and *extra* rows)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    book.properties.title = title
    book.properties.subject = f"edition {stamp.edition} {stamp.edition_hash or ''}".strip()
    book.properties.identifier = stamp.edition_hash or ""
    for table in tables:
        sheet = book.create_sheet(sheet_title(table.title))
        widths = [display_width(cell) for cell in table.header]
        sheet.append([neutralise(cell) for cell in table.header])
        count = 1
        for row in table.rows:
            cells = [neutralise(cell) for cell in row]
            sheet.append(cells)
            count += 1
            for index, cell in enumerate(cells[: len(widths)]):
                widths[index] = max(widths[index], display_width(cell))
        _fit_and_freeze(sheet, count, len(widths), widths)
        _wrap_wide(sheet, widths)
        _print_header(sheet, stamp, title)
    about = book.create_sheet(sheet_title(i18n.gettext(N_("Edition"))))
    about_rows = [*stamp_rows(stamp), *extra]
    for label, value in about_rows:
        about.append([label, neutralise(value)])
    about.column_dimensions["A"].width = min(max(display_width(r[0]) for r in about_rows) + 2, MAX_WIDTH)
    about.column_dimensions["B"].width = min(max(display_width(r[1]) for r in about_rows) + 2, MAX_WIDTH + 10)
    _print_header(about, stamp, title)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
