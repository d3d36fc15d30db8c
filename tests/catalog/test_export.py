"""Downloads: CSV (UTF-8 with BOM) and XLSX rows equal the JSON list, in the page's language."""

import csv
import io

from openpyxl import load_workbook

from registry.choices import Category, Frequency
from registry.i18n import gettext, reset_language, set_language

VILLAGE = "330122113201"


def expected_rows(duties: list[dict]) -> list[list[str]]:
    token = set_language("zh-Hans")
    try:
        return [[d["code"], d["title"], gettext(Category(d["category"]).label), d["department"]["name"],
                 d["legal_basis"], gettext(Frequency(d["frequency"]).label), str(d["hours_per_month"]),
                 "；".join(d["burdens"]["ledgers"]), str(d["version"])] for d in duties]
    finally:
        reset_language(token)


def pick(header: list[str], row: list) -> list[str]:  # type: ignore[type-arg]
    wanted = ["编号", "名称", "类别", "责任部门", "法律依据", "频次", "每月工时", "台账", "版本"]
    return ["" if row[header.index(h)] is None else str(row[header.index(h)]) for h in wanted]


def test_csv_and_xlsx_rows_equal_the_json_list(client):
    document = client.get(f"/regions/{VILLAGE}/export.json").json()
    assert document == client.get(f"/api/v1/regions/{VILLAGE}/duties").json()
    expected = expected_rows(document["duties"])
    assert len(expected) > 50

    raw = client.get(f"/regions/{VILLAGE}/export.csv")
    assert raw.headers["content-type"].startswith("text/csv")
    assert "attachment" in raw.headers["content-disposition"] and VILLAGE in raw.headers["content-disposition"]
    assert raw.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.content[3:].decode("utf-8"))))
    header, body = rows[0], rows[1:]
    assert [pick(header, r) for r in body] == expected

    book = load_workbook(io.BytesIO(client.get(f"/regions/{VILLAGE}/export.xlsx").content))
    sheet = book.worksheets[0]
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert [pick(cells[0], r) for r in cells[1:]] == expected
    about = {r[0]: r[1] for r in book.worksheets[1].iter_rows(values_only=True)}
    assert document["edition_hash"] in about.values() and document["edition"] in about.values()


def test_english_header(client):
    raw = client.get(f"/regions/{VILLAGE}/export.csv?lang=en")
    first = raw.content[3:].decode("utf-8").splitlines()[0]
    assert first.startswith("Code,Title,")


def test_cli_export_matches_the_api(db, database_url, tmp_path):
    import os
    import subprocess
    import sys

    out = tmp_path / "list.json"
    env = {**os.environ, "REGISTRY_DATABASE_URL": database_url, "REGISTRY_VAR_DIR": str(tmp_path / "var"),
           "REGISTRY_SECRET_KEY": "x" * 48}
    done = subprocess.run([sys.executable, "-m", "registry", "export", "--region", VILLAGE, "--format", "json",
                           "-o", str(out)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    bad = subprocess.run([sys.executable, "-m", "registry", "export", "--region", "999999999999", "--format", "csv"],
                         env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0
    import json

    assert len(json.loads(out.read_text("utf-8"))["duties"]) > 50


def test_text_that_looks_like_a_formula_is_not_a_formula_in_the_exports(db):
    """A department's title such as `=HYPERLINK(...)` must not run when a village opens the spreadsheet."""
    import csv as csv_module
    import io as io_module

    from openpyxl import load_workbook

    from registry.catalog.export import export_region
    from registry.catalog.schemas import DutyContent
    from registry.catalog.services import record_change

    title = '=HYPERLINK("http://evil.example","点击")'
    with db.write() as session:
        record_change(session, "added", DutyContent(
            title=title, description="-1+1", category="assisting", applies_to="all", scope_code="330122000000",
            department="MZJ", frequency="yearly", hours_per_month=1))
    rows = list(csv_module.reader(io_module.StringIO(export_region(db, "330122000000", "csv", "zh-Hans")
                                                     .decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert "'" + title in cells and title not in cells
    workbook = load_workbook(io_module.BytesIO(export_region(db, "330122000000", "xlsx", "zh-Hans")))
    values = [cell.value for row in workbook.worksheets[0].iter_rows() for cell in row]
    assert "'" + title in values
    assert all(not (isinstance(v, str) and v.startswith("=")) for v in values)
