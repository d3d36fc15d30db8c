"""Workbooks people open in Excel: widths fitted to the content (wide characters count two), the header row
frozen, a filter over the table, the edition stamp (region, edition, hash, date) on a sheet and in the print
header; download names carry the region's names (RFC 5987, with an ASCII fallback); the print view shows each
item's 台账 and 工时."""

import io
import re
from datetime import date
from urllib.parse import unquote

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from registry.tabular import MAX_WIDTH, display_width
from tests.conftest import bearer
from tests.lifecycle.flows import today

VILLAGE = "330122101201"  # a village of the seed; its and its town's names come from the API


def disposition_name(header: str) -> tuple[str, str]:
    """(the UTF-8 name from filename*, the ASCII fallback from filename)."""
    encoded = re.search(r"filename\*=UTF-8''([^;]+)", header)
    plain = re.search(r'filename="([^"]+)"', header)
    assert encoded and plain, header
    assert plain[1].isascii()
    return unquote(encoded[1]), plain[1]


def assert_fitted(sheet) -> None:  # type: ignore[no-untyped-def]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    columns = len(rows[0])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(columns)}{len(rows)}"
    for index in range(columns):
        longest = max(display_width(row[index]) for row in rows)
        assert sheet.column_dimensions[get_column_letter(index + 1)].width >= min(longest, MAX_WIDTH - 2), index


def stamp_of(book) -> dict:  # type: ignore[no-untyped-def]
    return {row[0]: row[1] for row in book.worksheets[-1].iter_rows(values_only=True)}


def test_the_region_workbook_and_its_names(client):
    document = client.get(f"/api/v1/regions/{VILLAGE}/duties").json()
    region = client.get(f"/api/v1/regions/{VILLAGE}").json()
    town = client.get(f"/api/v1/regions/{region['parent_code']}").json()
    response = client.get(f"/regions/{VILLAGE}/export.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert_fitted(sheet)
    assert sheet.max_row == len(document["duties"]) + 1
    assert display_width("联盟村 A1") == 9 and display_width("ＡＢ") == 4  # wide characters count two
    stamp = stamp_of(book)
    assert stamp["版次"] == document["edition"] and stamp["版次校验值（SHA-256）"] == document["edition_hash"]
    assert region["name"] in stamp["区划"] and town["name"] in stamp["区划"] and VILLAGE in stamp["区划"]
    assert abs((date.fromisoformat(stamp["日期"]) - today()).days) <= 1  # drawn today (a midnight may pass)
    assert document["edition_hash"][:12] in sheet.oddHeader.right.text
    assert region["name"] in sheet.oddHeader.left.text
    assert sheet.print_title_rows == "$1:$1"

    name, fallback = disposition_name(response.headers["content-disposition"])
    assert name == f"清单-桐庐县-{town['name']}-{region['name']}-第{document['edition']}版.xlsx"
    assert fallback == f"duties-{VILLAGE}-edition-{document['edition']}.xlsx"
    csv_name, _ = disposition_name(client.get(f"/regions/{VILLAGE}/export.csv").headers["content-disposition"])
    assert csv_name.endswith(".csv") and region["name"] in csv_name
    english, _ = disposition_name(client.get(f"/regions/{VILLAGE}/export.xlsx?lang=en")
                                  .headers["content-disposition"])
    assert english.startswith(f"duties-{VILLAGE}-桐庐县-") and english.endswith(f"-edition-{document['edition']}.xlsx")


def test_the_statistics_and_form_workbooks(client, db):
    year = today().year
    response = client.get(f"/statistics/{year}/export.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.worksheets) == 5
    for sheet in book.worksheets[:-1]:
        assert_fitted(sheet)
    head = client.get("/api/v1/ledger", params={"after": 0, "limit": 1000}).json()
    stats = client.get(f"/api/v1/statistics/{year}").json()
    edition = stats["catalog"]["end"]["edition"]
    stamp = stamp_of(book)
    assert stamp["版次"] == edition
    hashes = {e["seq"]: e["hash"] for e in head["entries"]}
    assert stamp["版次校验值（SHA-256）"] == hashes[edition]
    assert "桐庐县" in disposition_name(response.headers["content-disposition"])[0]

    form = client.get("/api/v1/forms/F014/submissions", params={"period": "2026-11", "format": "xlsx"},
                      headers=bearer(db, "nyj_clerk"))
    book = load_workbook(io.BytesIO(form.content))
    assert_fitted(book.worksheets[0])
    current = client.get("/api/v1/regions/330122000000/duties").json()
    assert stamp_of(book)["版次校验值（SHA-256）"] == current["edition_hash"]
    name, fallback = disposition_name(form.headers["content-disposition"])
    assert "F014" in name and "桐庐县" in name and fallback == "form-F014-2026-11.xlsx"


def test_the_print_view_shows_ledgers_and_hours(client):
    document = client.get(f"/api/v1/regions/{VILLAGE}/duties").json()
    duty = next(d for d in document["duties"] if d["burdens"]["ledgers"] and d["hours_per_month"])
    page = client.get(f"/regions/{VILLAGE}/print").text
    assert "<th scope=\"col\" class=\"wide\">台账</th>" in page and "每月工时" in page
    row = page[page.index(f"<td>{duty['code']}</td>"):]
    row = row[:row.index("</tr>")]
    assert "；".join(duty["burdens"]["ledgers"]) in row
    hours = duty["hours_per_month"]
    assert f">{hours:g}<" in row or f">{hours}<" in row
