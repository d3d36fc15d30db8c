"""The issue's two flag cases, the bad bodies, lists and a village's and a town's calendar against the cap."""

import pytest

from registry.accounts.services import create_user
from tests.conftest import PASSWORD, bearer

BAIJIANG = "330122112000"
VILLAGES = ["330122112201", "330122112202"]  # 百江村, 联盟村
LUCUN = "330122101201"  # 芦茨村: YJJ owns D00043 on its list


@pytest.fixture
def zgh(db):  # type: ignore[no-untyped-def]
    """A clerk of 县总工会, which owns no item on any list."""
    create_user(db, "zgh_clerk", "department", PASSWORD, department_code="ZGH")
    return bearer(db, "zgh_clerk")


def meeting(**changes: object) -> dict:
    values = {"title": "安全生产工作部署会", "held_on": "2026-12-02",
              "audience": [{"region_code": code, "attendee": "main_leader"} for code in VILLAGES]}
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def kinds(found: dict) -> set[str]:
    return {flag["kind"] for flag in found["flags"]}


def test_main_leaders_of_villages_where_the_department_owns_nothing_then_a_second_meeting_that_week(client, db, zgh):
    first = client.post("/api/v1/meetings", json=meeting(), headers=zgh)
    assert first.status_code == 201, first.text
    body = first.json()
    assert kinds(body) == {"unrelated_audience", "rank"}
    unrelated = next(f for f in body["flags"] if f["kind"] == "unrelated_audience")
    assert unrelated["region_codes"] == VILLAGES and unrelated["message"]
    assert body["department"]["code"] == "ZGH" and body["held_on"] == "2026-12-02"
    assert [a["region_code"] for a in body["audience"]] == VILLAGES

    second = client.post("/api/v1/meetings", headers=zgh, json=meeting(
        title="工会工作推进会", held_on="2026-12-06", reason_for_rank="涉及村级主要负责人述职",
        audience=[{"region_code": VILLAGES[1], "attendee": "deputy"}]))
    assert second.status_code == 201
    assert kinds(second.json()) == {"unrelated_audience", "mergeable"}
    merge = next(f for f in second.json()["flags"] if f["kind"] == "mergeable")
    assert merge["meeting_ids"] == [body["id"]]
    # The earlier meeting learns of it too.
    again = client.get(f"/api/v1/meetings/{body['id']}").json()
    assert "mergeable" in kinds(again)

    next_week = client.post("/api/v1/meetings", json=meeting(held_on="2026-12-07"), headers=zgh)
    assert "mergeable" not in kinds(next_week.json())


def test_a_related_business_lead_meeting_has_no_flags(client, db):
    yjj = bearer(db, "yjj_clerk")
    checked = client.post("/api/v1/meetings/check", headers=yjj, json=meeting(
        audience=[{"region_code": LUCUN, "attendee": "business_lead"}]))
    assert checked.status_code == 200 and checked.json() == []
    called = client.post("/api/v1/meetings", headers=yjj, json=meeting(
        audience=[{"region_code": LUCUN, "attendee": "business_lead"}]))
    assert called.status_code == 201 and called.json()["flags"] == []


BAD = [
    ("no title", {"title": " "}),
    ("title too long", {"title": "会" * 201}),
    ("no audience", {"audience": []}),
    ("unknown region", {"audience": [{"region_code": "330122999201", "attendee": "deputy"}]}),
    ("the county is no audience", {"audience": [{"region_code": "330122000000", "attendee": "deputy"}]}),
    ("invited twice", {"audience": [{"region_code": LUCUN, "attendee": "deputy"}] * 2}),
    ("unknown rank", {"audience": [{"region_code": LUCUN, "attendee": "secretary"}]}),
    ("not a date", {"held_on": "2026-02-30"}),
    ("NUL in reason", {"reason_for_rank": "\x00"}),
    ("unknown field", {"room": "三楼"}),
]


@pytest.mark.parametrize(("case", "changes"), BAD, ids=[c[0] for c in BAD])
def test_bad_meeting_bodies_are_422(client, db, case, changes):
    response = client.post("/api/v1/meetings", json=meeting(**changes), headers=bearer(db, "yjj_clerk"))
    assert response.status_code == 422, case


def test_calendars_count_each_villages_meetings_against_the_monthly_cap(client, db, zgh):
    for day in range(1, 10):  # nine meetings in December for 百江村; the cap is 85 a year, 7.08 a month
        response = client.post("/api/v1/meetings", headers=zgh, json=meeting(
            held_on=f"2026-12-{day:02d}", audience=[{"region_code": VILLAGES[0], "attendee": "business_lead"}]))
        assert response.status_code == 201
    client.post("/api/v1/meetings", headers=zgh, json=meeting(
        held_on="2026-12-20", audience=[{"region_code": BAIJIANG, "attendee": "business_lead"}]))
    village = client.get(f"/api/v1/regions/{VILLAGES[0]}/meetings?month=2026-12").json()
    assert (village["count"], village["cap_per_month"], village["over_cap"]) == (9, 7.08, True)
    assert [m["held_on"] for m in village["meetings"]] == sorted(m["held_on"] for m in village["meetings"])
    town = client.get(f"/api/v1/regions/{BAIJIANG}/meetings?month=2026-12").json()
    assert town["count"] == 1 and len(town["meetings"]) == 10
    counts = {v["region_code"]: (v["meetings"], v["over_cap"]) for v in town["villages"]}
    assert counts[VILLAGES[0]] == (9, True) and counts[VILLAGES[1]] == (0, False)
    assert client.get(f"/api/v1/regions/{VILLAGES[0]}/meetings?month=2027-01").json()["count"] == 0
    assert client.get(f"/api/v1/regions/{VILLAGES[0]}/meetings?month=2026-13").status_code == 422
    listed = client.get(f"/api/v1/meetings?region={VILLAGES[0]}&from=2026-12-05&to=2026-12-31").json()
    assert listed["total"] == 5
    assert client.get("/api/v1/meetings?department=ZGH&per_page=3").json()["total"] == 10
