"""Bad bodies, temporary bodies and the daily job, and who sees what: no public route ever shows a person."""

from datetime import date

import pytest

from registry.lifecycle.job import run_daily_job
from tests.conftest import bearer
from tests.secondments.helpers import BAIJIANG, body, file, town_cadre

BAD_BODIES = [
    ("missing home", {"home": None}, 422),
    ("unknown town", {"home": "330122999000"}, 422),
    ("the county is no home", {"home": "330122000000"}, 422),
    ("unknown department", {"home": "NOPE"}, 422),
    ("own department", {"home": "YJJ"}, 422),
    ("empty person_ref", {"person_ref": "  "}, 422),
    ("person_ref of 51 characters", {"person_ref": "T" * 51}, 422),
    ("a name is no staff number", {"person_ref": "张三"}, 422),
    ("NUL in person_ref", {"person_ref": "TL\x00-1"}, 422),
    ("missing reason", {"reason": None}, 422),
    ("reason too long", {"reason": "借" * 5001}, 422),
    ("NUL in reason", {"reason": "借调\x00"}, 422),
    ("end before start", {"start_on": "2027-01-01", "end_on": "2026-12-31"}, 422),
    ("not a date", {"start_on": "2026-13-01"}, 422),
    ("a number for a date", {"end_on": 20270101}, 422),
    ("unknown field", {"name": "张三"}, 422),
    ("unknown temporary body", {"temporary_body": "TB99"}, 422),
    ("a body another department leads", {"temporary_body": "TB01"}, 403),
]


@pytest.mark.parametrize(("case", "changes", "status"), BAD_BODIES, ids=[c[0] for c in BAD_BODIES])
def test_bad_bodies_are_refused_with_the_right_status(client, db, case, changes, status):
    response = client.post("/api/v1/secondments", json=body(**changes), headers=bearer(db, "yjj_clerk"))
    assert response.status_code == status, (case, response.text)
    assert "detail" in response.json()


@pytest.mark.parametrize("raw", [b"", b"[]", b"{", b"\xff"])
def test_unreadable_bodies_are_400(client, db, raw):
    headers = {**bearer(db, "yjj_clerk"), "Content-Type": "application/json"}
    assert client.post("/api/v1/secondments", content=raw, headers=headers).status_code == 400


def test_a_single_day_and_six_months_are_not_long(client, db):
    clerk = bearer(db, "yjj_clerk")
    assert file(client, clerk, start_on="2026-12-01", end_on="2026-12-01")["flags"] == []
    assert file(client, clerk, person_ref="TL-1", start_on="2026-12-01", end_on="2027-05-31")["flags"] == []
    assert [f["kind"] for f in file(client, clerk, person_ref="TL-2", start_on="2026-12-01",
                                    end_on="2027-06-01")["flags"]] == ["long"]


def test_temporary_bodies_register_list_file_and_end_with_their_secondments(client, db, settings):
    admin, zzb = bearer(db, "admin"), bearer(db, "zzb_reviewer")
    new = {"code": "TB90", "name": "县防汛抗台临时指挥部", "lead_department": "YJJ", "ends_on": "2026-12-31"}
    assert client.post("/api/v1/temporary-bodies", json=new, headers=bearer(db, "mzj_reviewer")).status_code == 403
    created = client.post("/api/v1/temporary-bodies", json=new, headers=zzb)
    assert created.status_code == 201, created.text
    assert created.json()["lead_department"] == "YJJ" and created.json()["ended"] is False
    assert client.post("/api/v1/temporary-bodies", json=new, headers=admin).status_code == 409
    assert client.post("/api/v1/temporary-bodies", json={**new, "code": "MZJ"}, headers=admin).status_code == 422
    assert client.post("/api/v1/temporary-bodies", json={**new, "code": "TB91", "lead_department": "NOPE"},
                       headers=admin).status_code == 422
    codes = [b["code"] for b in client.get("/api/v1/temporary-bodies").json()]
    assert codes == sorted(codes) and "TB90" in codes and "TB01" in codes

    clerk, town = bearer(db, "yjj_clerk"), town_cadre(db)
    filed = file(client, clerk, temporary_body="TB90", start_on="2026-12-01", end_on="2027-06-30")
    assert filed["host"]["code"] == "TB90"
    waiting = file(client, clerk, temporary_body="TB90", person_ref="TL-9", end_on="2027-01-31")
    for headers in (town, zzb):
        client.post(f"/api/v1/secondments/{filed['id']}/consent", json={"decision": "approve", "reason": "同意"},
                    headers=headers)
    assert client.get("/api/v1/temporary-bodies").json()[-1]["active_secondments"] >= 0

    run_daily_job(db, date(2026, 12, 30), settings)  # the demo's TB06 and TB07 ended in the autumn
    lines = run_daily_job(db, date(2026, 12, 31), settings)
    assert "secondments: nothing to change" in [str(line) for line in lines]
    lines = run_daily_job(db, date(2027, 1, 1), settings)  # TB90 with the demo's TB01 and TB04
    assert "secondments: temporary_bodies_ended=3 secondments_ended=2" in [str(line) for line in lines]
    ended = client.get(f"/api/v1/secondments/{filed['id']}").json()
    assert (ended["state"], ended["ended_on"]) == ("ended", "2026-12-31")
    assert client.get(f"/api/v1/secondments/{waiting['id']}", headers=clerk).json()["state"] == "ended"
    assert next(b for b in client.get("/api/v1/temporary-bodies").json() if b["code"] == "TB90")["ended"] is True
    late = client.post("/api/v1/secondments", json=body(temporary_body="TB90", person_ref="TL-10"), headers=clerk)
    assert late.status_code == 409
    again = run_daily_job(db, date(2027, 1, 1), settings)
    assert "secondments: already done for 2027-01-01" in [str(line) for line in again]


def test_a_consented_secondment_ends_the_day_after_end_on(client, db, settings):
    clerk, town, zzb = bearer(db, "yjj_clerk"), town_cadre(db), bearer(db, "zzb_reviewer")
    filed = file(client, clerk, start_on="2026-12-01", end_on="2027-01-31")
    for headers in (town, zzb):
        client.post(f"/api/v1/secondments/{filed['id']}/consent", json={"decision": "approve", "reason": "同意"},
                    headers=headers)
    run_daily_job(db, date(2027, 1, 31), settings)
    assert client.get(f"/api/v1/secondments/{filed['id']}").json()["state"] == "approved"
    run_daily_job(db, date(2027, 2, 1), settings)
    ended = client.get(f"/api/v1/secondments/{filed['id']}").json()
    assert (ended["state"], ended["ended_on"], ended["outcome"]) == ("ended", "2027-01-31", None)


def test_awaiting_consent_only_the_parties_see_it_and_persons_only_on_their_own_routes(client, db):
    clerk = bearer(db, "yjj_clerk")
    filed = file(client, clerk, person_ref="TL-2020-4242")
    path = f"/api/v1/secondments/{filed['id']}"
    assert client.get(path).status_code == 404
    assert client.get(path, headers=bearer(db, "jiangnan_cadre")).status_code == 404
    for party in (clerk, town_cadre(db), bearer(db, "zzb_reviewer"), bearer(db, "admin")):
        seen = client.get(path, headers=party)
        assert seen.status_code == 200 and "person_ref" not in seen.json()
        mine = client.get("/api/v1/secondments/mine", headers=party).json()["items"]
        assert any(item["person_ref"] == "TL-2020-4242" for item in mine)
    assert all(item.get("person_ref") != "TL-2020-4242" for item in
               client.get("/api/v1/secondments/mine", headers=bearer(db, "mzj_reviewer")).json()["items"])


def test_a_towns_staff_away(client, db):
    clerk, town, zzb = bearer(db, "yjj_clerk"), town_cadre(db), bearer(db, "zzb_reviewer")
    filed = file(client, clerk, start_on="2026-11-01", end_on="2027-07-31")
    for headers in (town, zzb):
        client.post(f"/api/v1/secondments/{filed['id']}/consent", json={"decision": "approve", "reason": "同意"},
                    headers=headers)
    away = client.get(f"/api/v1/secondments/towns/{BAIJIANG}").json()
    assert (away["staff"], away["away"], away["longer_than_6_months"]) == (60, 1, 1)
    assert away["items"][0]["months"] == 9 and "person_ref" not in away["items"][0]
    assert client.get("/api/v1/secondments/towns/330122112201").status_code == 404
    assert client.get("/api/v1/secondments/towns/999").status_code == 404
