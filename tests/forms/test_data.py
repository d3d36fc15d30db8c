"""Village data (contract §8): one value per (village, indicator, period) serving every form; history on
replace; the department's submissions; a table of bad bodies that are each refused with nothing stored."""

import csv
import io

import pytest
from sqlmodel import func, select

from registry.accounts.services import create_user
from registry.errors import Invalid
from registry.forms.data import parse_period
from registry.forms.models import VillageValue, VillageValueHistory
from tests.conftest import bearer

LUCUN = "330122101201"  # 芦茨村 (富春江镇): lucun_cadre
SHENAO = "330122113201"  # 深澳村 (江南镇): jiangnan_cadre acts for it
MONTH = "/api/v1/regions/330122101201/data/2026-11"
# F014 垃圾分类周报 (NYJ) and F019 (GAJ) are both monthly and share I002 常住人口, I003 户数, I007.
SHARED = {"I002": 1520, "I003": 480, "I007": 1380}


@pytest.fixture
def cadre(db):  # type: ignore[no-untyped-def]
    return bearer(db, "lucun_cadre")


def stored(db) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return (session.exec(select(func.count()).select_from(VillageValue)).one(),
                session.exec(select(func.count()).select_from(VillageValueHistory)).one())


def submission_row(client, headers, form: str, period: str, village: str) -> dict:  # type: ignore[no-untyped-def]
    response = client.get(f"/api/v1/forms/{form}/submissions", params={"period": period}, headers=headers)
    assert response.status_code == 200, response.text
    return next(row for row in response.json()["items"] if row["region"]["code"] == village)


def test_two_forms_sharing_three_indicators_show_one_entry(client, db, cadre):
    create_user(db, "gaj_clerk", "department", "demo-pass-2026", "GAJ", None)
    nyj, gaj = bearer(db, "nyj_clerk"), bearer(db, "gaj_clerk")
    response = client.put(MONTH, json={"values": SHARED}, headers=cadre)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["period"] == "2026-11" and body["values"] == SHARED
    assert set(body["missing"]["F014"]) == {"I073", "I074", "I075"}  # the rest of 垃圾分类周报
    f014 = submission_row(client, nyj, "F014", "2026-11", LUCUN)
    f019 = submission_row(client, gaj, "F019", "2026-11", LUCUN)
    assert {k: f014["values"][k] for k in SHARED} == {k: f019["values"][k] for k in SHARED} == SHARED
    assert list(f014["values"]) == client.get("/api/v1/forms/F014").json()["indicators"]  # the form's order

    assert client.put(MONTH, json={"values": {"I003": 482}}, headers=cadre).status_code == 200
    assert submission_row(client, nyj, "F014", "2026-11", LUCUN)["values"]["I003"] == 482
    assert submission_row(client, gaj, "F019", "2026-11", LUCUN)["values"]["I003"] == 482
    history = client.get(MONTH + "/history", headers=cadre).json()["history"]["I003"]
    assert [h["value"] for h in history] == [482, 480]
    assert history[0]["replaced_at"] is None and history[1]["replaced_at"] is not None
    assert stored(db) == (3, 1)
    # the same value again changes nothing
    assert client.put(MONTH, json={"values": {"I003": 482}}, headers=cadre).status_code == 200
    assert stored(db) == (3, 1)


def test_a_complete_form_is_named_and_counted(client, db, cadre):
    values = {"I079": 12.5, "I080": 8, "I081": 3.25, "I082": 150}  # F001 村级财务月报
    body = client.put(MONTH, json={"values": values}, headers=cadre).json()
    assert "F001" in body["complete_forms"] and "F001" not in body["missing"]
    assert client.get(MONTH, headers=cadre).json() == body
    found = client.get("/api/v1/forms/F001/submissions", params={"period": "2026-11"},
                       headers=bearer(db, "nyj_clerk")).json()
    assert found["complete"] == 1
    assert next(r for r in found["items"] if r["region"]["code"] == LUCUN)["complete"] is True


def test_submissions_download_in_the_forms_column_order(client, db, cadre):
    client.put(MONTH, json={"values": SHARED}, headers=cadre)
    response = client.get("/api/v1/forms/F014/submissions", params={"period": "2026-11", "format": "csv"},
                          headers=bearer(db, "nyj_clerk"))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    order = client.get("/api/v1/forms/F014").json()["indicators"]
    assert [cell.split()[0] for cell in rows[0][2:-1]] == order
    lucun = next(r for r in rows if r[0] == LUCUN)
    assert lucun[2 + order.index("I003")] == "480"
    xlsx = client.get("/api/v1/forms/F014/submissions", params={"period": "2026-11", "format": "xlsx"},
                      headers=bearer(db, "nyj_clerk"))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_submissions_of_another_departments_form_are_refused(client, db):
    assert client.get("/api/v1/forms/F004/submissions", params={"period": "2026-11"},
                      headers=bearer(db, "nyj_clerk")).status_code == 403
    assert client.get("/api/v1/forms/F001/submissions", params={"period": "2026-Q4"},
                      headers=bearer(db, "nyj_clerk")).status_code == 422
    assert client.get("/api/v1/forms/F999/submissions", params={"period": "2026-11"},
                      headers=bearer(db, "nyj_clerk")).status_code == 404


def test_a_towns_cadre_enters_for_its_villages_only(client, db):
    town = bearer(db, "jiangnan_cadre")
    yearly = {"I091": 12, "I092": 3, "I093": True, "I087": "2026-03-28", "I088": "一次选举成功"}  # F023, F003
    response = client.put(f"/api/v1/regions/{SHENAO}/data/2026", json={"values": yearly}, headers=town)
    assert response.status_code == 200, response.text
    assert client.put(MONTH, json={"values": SHARED}, headers=town).status_code == 403
    assert client.put(f"/api/v1/regions/{SHENAO}/data/2026", json={"values": {"I001": 1}},
                      headers=bearer(db, "lucun_cadre")).status_code == 403


def test_periods():
    assert parse_period("2026-11").periods == parse_period("2026-Q4").periods.__class__({"monthly"})
    assert str(parse_period("2026-Q4").start) == "2026-10-01"
    for bad in ("2026-13", "2026-00", "2026-Q5", "26", "2026-1", "2026Q4", "2099", "2099-01", "1999", ""):
        with pytest.raises(Invalid):
            parse_period(bad)


def nested(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


# (path suffix, body, village) → each must be a 4xx and leave nothing stored.
MONTHLY_BAD = [
    {"values": {"I002": "1520"}},  # integer as text
    {"values": {"I002": 1520.5}},  # integer with a fraction
    {"values": {"I002": 1520.0}},  # integer written as a float
    {"values": {"I002": -1}},
    {"values": {"I002": True}},
    {"values": {"I002": None}},
    {"values": {"I002": [1520]}},
    {"values": {"I002": {"n": 1520}}},
    {"values": {"I002": 10**13}},
    {"values": {"I002": nested(3)}},
    {"values": {"I079": "12.5"}},  # decimal as text
    {"values": {"I079": -0.5}},
    {"values": {"I079": 1.23456}},  # more than four decimals
    {"values": {"I079": False}},
    {"values": {"I079": 1e13}},
    {"values": {"I079": None}},
    {"values": {"I999": 1}},  # unknown indicator
    {"values": {"X": 1}},
    {"values": {"": 1}},
    {"values": {"i002": 1}},  # codes are exact
    {"values": {"I091": "2012-12-17"}},  # a real indicator no monthly form asks 芦茨村
    {"values": {"I004": 1}},  # asked yearly, not monthly
    {"values": {"I002": 1520, "I999": 1}},  # one bad value refuses the whole body
    {"values": {"I002": 1520, "I003": "480"}},
    {"values": {"I002": 1520, "I003": -480}},
    {"values": {"I002": "1520\x00"}},
    {"values": {"I002\x00": 1}},
    {"values": 1520},
    {"values": [["I002", 1520]]},
    {"values": "I002=1520"},
    {"values": None},
    {"values": {"I002": 1520}, "period": "2026-11"},  # extra field
    {"value": {"I002": 1520}},
    {},
    [],
    "values",
    {"values": {f"I{n:03d}": 1 for n in range(1, 600)}},  # more than 500 values
    {"values": {"I" + "0" * 40: 1}},  # over-long code
]
YEARLY_BAD = [  # 深澳村 for 2026, entered by jiangnan_cadre
    {"values": {"I087": "2012-13-01"}},  # no such date
    {"values": {"I087": "2012/12/17"}},
    {"values": {"I087": "17 December 2012"}},
    {"values": {"I087": 20121217}},
    {"values": {"I087": "2012-12-17T00:00:00"}},
    {"values": {"I093": "true"}},  # boolean as text
    {"values": {"I093": 1}},
    {"values": {"I093": None}},
    {"values": {"I092": "三"}},
    {"values": {"I002": "   "}},
    {"values": {"I088": "当选"}},  # not one of the choices
    {"values": {"I088": ""}},
    {"values": {"I091": 2.5}},
]
WRONG_PERIODS = ["2026-13", "2026-00", "2026-Q0", "2026-Q5", "2026Q4", "26-11", "2026-1", "2099", "2099-01",
                 "2099-Q1", "1999", "now", "2026-11-01"]
WRONG_REGIONS = ["330122101202", "330122113000", "330122000000", "999999999999", "abc"]


def cases() -> list[tuple[str, object, str]]:
    table = [(MONTH, body, "lucun_cadre") for body in MONTHLY_BAD]
    table += [(f"/api/v1/regions/{SHENAO}/data/2026", body, "jiangnan_cadre") for body in YEARLY_BAD]
    table += [(f"/api/v1/regions/{LUCUN}/data/{p}", {"values": SHARED}, "lucun_cadre") for p in WRONG_PERIODS]
    table += [(f"/api/v1/regions/{r}/data/2026-11", {"values": SHARED}, "lucun_cadre") for r in WRONG_REGIONS]
    return table


def test_every_bad_put_is_refused_and_stores_nothing(client, db):
    table = cases()
    assert len(table) >= 50
    tokens = {account: bearer(db, account) for account in ("lucun_cadre", "jiangnan_cadre")}
    wrong = []
    for path, body, account in table:
        response = client.put(path, json=body, headers=tokens[account])
        if not 400 <= response.status_code < 500 or "detail" not in response.json():
            wrong.append(f"{path} {body!r:.80}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert stored(db) == (0, 0)
    # and the same bodies' good twins are taken (the table is not refused for some other reason)
    assert client.put(MONTH, json={"values": SHARED}, headers=tokens["lucun_cadre"]).status_code == 200
