"""SVG charts are accessible and escaped; CSV downloads; the edition series follows catalog changes."""

import csv
import io
import re

from registry.burden.charts import bar_chart, line_chart, ticks, to_csv
from registry.burden.dashboard import sample
from registry.catalog.schemas import DutyContent
from registry.catalog.services import record_change


def test_bar_chart_is_accessible_and_escaped() -> None:
    svg = str(bar_chart("c1", "T<i>", "D&d", [("<script>x</script>", 3), ("镇", 10.5)], "hours", "town"))
    assert 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">T&lt;i&gt;</title>' in svg and "D&amp;d" in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count('class="bar"') == 2
    assert "style=" not in svg
    widths = [float(w) for w in re.findall(r'class="bar" x="[^"]+" y="[^"]+" width="([^"]+)"', svg)]
    assert widths[1] > widths[0] > 0


def test_line_chart_has_a_point_per_value() -> None:
    svg = str(line_chart("c2", "t", "d", [(1, 1), (2, 5), (3, 4)], "edition", "duties"))
    assert svg.count('class="point"') == 3 and 'class="line"' in svg and "style=" not in svg
    single = str(line_chart("c3", "t", "d", [(7, 2)], "edition", "duties"))
    assert single.count('class="point"') == 1


def test_ticks_cover_the_maximum() -> None:
    for maximum in (0, 1, 7, 10, 99.5, 130, 1234):
        marks = ticks(maximum)
        assert marks[0] == 0 and marks[-1] >= maximum and len(marks) <= 12


def test_sample_keeps_ends_and_limits_points() -> None:
    values = list(range(1, 500))
    picked = sample(values, 60)
    assert len(picked) <= 60 and picked[0] == 1 and picked[-1] == 499
    assert sample([3, 4], 60) == [3, 4]


def test_csv_has_bom_and_neutralises_formulas() -> None:
    data = to_csv(["名称", "值"], [["=cmd()", 1], ["甲", 2.5]])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["名称", "值"], ["'=cmd()", "1"], ["甲", "2.5"]]


def test_csv_routes_and_dashboard(client) -> None:  # type: ignore[no-untyped-def]
    for name in ("towns", "editions", "seven"):
        response = client.get(f"/burden/charts/{name}.csv")
        assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")
        assert response.headers["content-type"].startswith("text/csv")
        assert len(list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))) >= 2
    assert client.get("/burden/charts/nope.csv").status_code == 404
    assert client.get("/burden/charts/towns.txt").status_code == 404
    page = client.get("/burden")
    assert page.status_code == 200 and "style=" not in page.text.split("<main", 1)[1]


def test_edition_series_follows_a_change(client, db) -> None:  # type: ignore[no-untyped-def]
    before = list(csv.reader(io.StringIO(client.get("/burden/charts/editions.csv").content.decode("utf-8-sig"))))
    duty = client.get("/api/v1/duties/D00001").json()
    content = {k: duty[k] for k in ("title", "description", "category", "applies_to", "scope_code", "legal_basis",
                                    "frequency", "burdens", "funding")}
    content.update(department=duty["department"]["code"], hours_per_month=duty["hours_per_month"] + 10)
    with db.write() as session:
        _, _, entry = record_change(session, "amended", DutyContent.model_validate(content), duty_code="D00001")
    after = list(csv.reader(io.StringIO(client.get("/burden/charts/editions.csv").content.decode("utf-8-sig"))))
    assert after[-1][0] == str(entry.seq)
    assert int(after[-1][1]) == int(before[-1][1])  # same number of duties
    assert float(after[-1][2]) == float(before[-1][2]) + 10  # D00001 is county-wide
