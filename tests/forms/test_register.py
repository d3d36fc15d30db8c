"""The register (contract §8): the seed's forms and dictionary, the public reads, the figures against an
independent recomputation, and the ledger replaying the register."""

import csv
from pathlib import Path

from sqlmodel import select

from registry.catalog.integrity import verify_ledger_and_catalog
from registry.forms.models import Form
from registry.forms.register import name_key

SEED = Path(__file__).resolve().parents[2] / "seed"
FILINGS = {"monthly": 12, "quarterly": 4, "yearly": 1, "once": 1}


def all_pages(client, path: str) -> list[dict]:  # type: ignore[no-untyped-def]
    items, page = [], 1
    while True:
        body = client.get(path, params={"page": page, "per_page": 7}).json()
        items += body["items"]
        if page * body["per_page"] >= body["total"]:
            return items
        page += 1


def test_the_seed_registers_every_form_and_indicator(client):
    forms = all_pages(client, "/api/v1/forms")
    indicators = all_pages(client, "/api/v1/indicators")
    with (SEED / "forms.csv").open(encoding="utf-8") as handle:
        seed_forms = list(csv.DictReader(handle))
    assert [f["code"] for f in forms] == [row["code"] for row in seed_forms]
    for form, row in zip(forms, seed_forms, strict=True):
        assert (form["title"], form["department"]["code"], form["duty_code"], form["period"], form["indicators"]) \
            == (row["title"], row["department"], row["duty_code"], row["period"], row["indicators"].split())
        assert form["status"] == "active"
    assert len(indicators) == 94
    assert set(indicators[0]) == {"code", "name", "unit", "type", "choices", "definition", "forms"}
    choice = next(i for i in indicators if i["type"] == "choice")
    assert len(choice["choices"]) >= 2


def test_an_indicator_names_every_form_that_asks_it(client):
    forms = all_pages(client, "/api/v1/forms")
    for indicator in all_pages(client, "/api/v1/indicators"):
        assert indicator["forms"] == [f["code"] for f in forms if indicator["code"] in f["indicators"]]


def test_a_form_shows_its_questions_in_order(client):
    body = client.get("/api/v1/forms/F004").json()
    assert body["department"] == {"code": "MZJ", "name": "县民政局"}
    assert [q["code"] for q in body["questions"]] == body["indicators"]
    assert client.get("/api/v1/forms/F999").status_code == 404


def test_indicator_search_is_a_substring_after_nfkc(client):
    names = [i["name"] for i in client.get("/api/v1/indicators", params={"q": "低保"}).json()["items"]]
    assert "低保户数" in names and "户籍人口" not in names
    assert client.get("/api/v1/indicators", params={"q": "ｉ０１４"}).json()["items"][0]["code"] == "I014"
    assert client.get("/api/v1/indicators", params={"q": ""}).json()["total"] == 94


def test_stats_equal_an_independent_recomputation(client):
    forms = all_pages(client, "/api/v1/forms")
    indicators = all_pages(client, "/api/v1/indicators")
    without = sum(len(f["indicators"]) * FILINGS[f["period"]] for f in forms)
    period_of = {f["code"]: f["period"] for f in forms}
    used = [i for i in indicators if i["forms"]]
    with_sharing = sum(max(FILINGS[period_of[code]] for code in i["forms"]) for i in used)
    expected = {
        "forms": len(forms), "indicators": len(indicators),
        "shared_indicators": sum(1 for i in indicators if len(i["forms"]) >= 2),
        "entries_without_sharing": without, "entries_with_sharing": with_sharing,
        "saved_percent": round(100 * (without - with_sharing) / without, 1),
    }
    assert client.get("/api/v1/forms/stats").json() == expected
    assert expected["shared_indicators"] >= 10 and expected["entries_with_sharing"] < without


def test_the_ledger_replays_the_register(db):
    with db.read() as session:
        assert verify_ledger_and_catalog(session).ok


def test_an_edited_register_is_caught_by_the_replay(db):
    with db.write() as session:
        form = session.exec(select(Form).where(Form.code == "F004")).one()
        form.indicators = [*form.indicators, "I094"]
        session.add(form)
    with db.read() as session:
        verdict = verify_ledger_and_catalog(session)
    assert not verdict.ok and "form F004 differs from the ledger in indicators" in verdict.line


def test_name_key_ignores_width_case_spaces_and_punctuation():
    assert name_key(" 低保 户数（ＡＢ）") == name_key("低保户数(ab)") == "低保户数ab"


def test_pages_show_the_register(client):
    assert "社会救助对象动态变化月报" in client.get("/forms").text
    page = client.get("/forms/F004").text
    assert "低保人数" in page and "F005" in page  # shared with 人社参保扩面进度表
    assert "低保户数" in client.get("/indicators", params={"q": "低保"}).text
    stats = client.get("/forms/stats").text
    assert "<svg" in stats and "户籍人口" in stats
    assert client.get("/forms/F999").status_code == 404
