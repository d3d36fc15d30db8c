"""The issue's journey and the consent rules: a department files, the home town and the 组织部 consent, the
组织部 records the outcome, and the figures move by one."""

import pytest

from tests.conftest import bearer
from tests.secondments.helpers import BAIJIANG, BAIJIANG_VILLAGE, file, kinds, town_cadre


def stats(client) -> dict:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/secondments/stats")
    assert response.status_code == 200
    return response.json()


def test_the_demo_seed_states_the_campaign_figures(client):
    figures = stats(client)
    assert (figures["units"], figures["cleared"], figures["transferred"], figures["returned"]) == (38, 21, 15, 6)
    assert figures["active"] == 0 and figures["extended"] == 0


def test_journey_eight_months_from_baijiang_long_and_heavy_share_then_consents_then_returned(client, db):
    clerk = bearer(db, "yjj_clerk")
    town = town_cadre(db)
    zzb = bearer(db, "zzb_reviewer")
    # Six of its 60 staff already away over the same months: a tenth, not yet more than a tenth.
    for n in range(6):
        earlier = file(client, clerk, person_ref=f"TL-2024-010{n}", end_on="2027-03-31")
        assert "heavy_share" not in kinds(earlier)
    filed = file(client, clerk, person_ref="TL-2020-0001", start_on="2026-12-01", end_on="2027-07-31")
    assert filed["state"] == "requested" and filed["number"].startswith("CD-")
    assert kinds(filed) == {"long", "heavy_share"}
    assert filed["host"] == {"code": "YJJ", "name": filed["host"]["name"]}
    assert filed["home"]["code"] == BAIJIANG and filed["home"]["kind"] == "region"
    assert filed["person_ref"] == "TL-2020-0001"  # the filer's own answer
    assert filed["waiting_for"] == ["home", "organisation"]
    before = stats(client)

    consented = client.post(f"/api/v1/secondments/{filed['id']}/consent",
                            json={"decision": "approve", "reason": "镇党委会议研究同意"}, headers=town)
    assert consented.status_code == 200, consented.text
    assert consented.json()["state"] == "requested" and consented.json()["waiting_for"] == ["organisation"]
    again = client.post(f"/api/v1/secondments/{filed['id']}/consent",
                        json={"decision": "approve", "reason": "再次同意"}, headers=town)
    assert again.status_code == 409

    approved = client.post(f"/api/v1/secondments/{filed['id']}/consent",
                           json={"decision": "approve", "reason": "部务会审议同意"}, headers=zzb)
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert body["state"] == "approved" and body["waiting_for"] == []
    assert [(c["by"], c["decision"]) for c in body["consents"]] == [("home", "approve"), ("organisation", "approve")]
    assert stats(client)["active"] == before["active"] + 1

    during = stats(client)
    outcome = client.post(f"/api/v1/secondments/{filed['id']}/outcome",
                          json={"outcome": "returned", "reason": "清理规范借调，回原单位"}, headers=zzb)
    assert outcome.status_code == 200, outcome.text
    assert outcome.json()["state"] == "ended" and outcome.json()["outcome"] == "returned"
    after = stats(client)
    assert after["returned"] == during["returned"] + 1
    assert after["cleared"] == during["cleared"] + 1
    assert after["active"] == during["active"] - 1
    assert after["transferred"] == during["transferred"]


def test_a_refusal_by_either_party_rejects_and_ends_the_asking(client, db):
    clerk = bearer(db, "yjj_clerk")
    zzb = bearer(db, "zzb_reviewer")
    town = town_cadre(db)
    filed = file(client, clerk)
    refused = client.post(f"/api/v1/secondments/{filed['id']}/consent",
                          json={"decision": "reject", "reason": "镇里防汛任务重，不同意"}, headers=zzb)
    assert refused.status_code == 200 and refused.json()["state"] == "rejected"
    late = client.post(f"/api/v1/secondments/{filed['id']}/consent",
                       json={"decision": "approve", "reason": "同意"}, headers=town)
    assert late.status_code == 409


def test_a_village_cadre_of_the_town_consents_for_a_village_home_and_a_department_reviewer_for_a_department(
        client, db):
    clerk = bearer(db, "yjj_clerk")
    village = town_cadre(db, "baijiang_village_cadre", BAIJIANG_VILLAGE)
    town = town_cadre(db)
    other_town = bearer(db, "jiangnan_cadre")
    filed = file(client, clerk, home=BAIJIANG_VILLAGE)
    reason = {"decision": "approve", "reason": "同意"}
    assert client.post(f"/api/v1/secondments/{filed['id']}/consent", json=reason, headers=other_town).status_code == 404
    assert client.post(f"/api/v1/secondments/{filed['id']}/consent", json=reason, headers=village).status_code == 200
    # The town above may act for the village, but the village (the home party) has already answered.
    assert client.post(f"/api/v1/secondments/{filed['id']}/consent", json=reason, headers=town).status_code == 409

    from_department = file(client, clerk, home="MZJ")
    assert from_department["home"]["kind"] == "department"
    mzj = bearer(db, "mzj_reviewer")
    answered = client.post(f"/api/v1/secondments/{from_department['id']}/consent", json=reason, headers=mzj)
    assert answered.status_code == 200 and answered.json()["waiting_for"] == ["organisation"]
    # A reviewer of another department is no party: the secondment, still awaiting consent, is not theirs to see.
    sfj = bearer(db, "sfj_reviewer")
    assert client.post(f"/api/v1/secondments/{from_department['id']}/consent", json=reason,
                       headers=sfj).status_code == 404


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_consent_needs_a_reason(client, db, reason):
    filed = file(client, bearer(db, "yjj_clerk"))
    response = client.post(f"/api/v1/secondments/{filed['id']}/consent", json={"decision": "approve", "reason": reason},
                           headers=bearer(db, "zzb_reviewer"))
    assert response.status_code == 422


def test_repeat_when_the_same_person_was_seconded_within_twelve_months(client, db):
    clerk = bearer(db, "yjj_clerk")
    first = file(client, clerk, person_ref="TL-2019-7777", start_on="2026-01-05", end_on="2026-03-31")
    assert "repeat" not in kinds(first)
    second = file(client, clerk, person_ref="TL-2019-7777", start_on="2026-12-01", end_on="2027-01-31")
    assert "repeat" in kinds(second)
    later = file(client, clerk, person_ref="TL-2019-7777", start_on="2028-06-01", end_on="2028-06-30")
    assert "repeat" not in kinds(later)


def test_only_the_organisation_department_records_outcomes_and_only_of_active_secondments(client, db):
    clerk = bearer(db, "yjj_clerk")
    zzb = bearer(db, "zzb_reviewer")
    filed = file(client, clerk)
    outcome = {"outcome": "transferred", "reason": "调至现岗位"}
    assert client.post(f"/api/v1/secondments/{filed['id']}/outcome", json=outcome,
                       headers=bearer(db, "mzj_reviewer")).status_code == 403
    assert client.post(f"/api/v1/secondments/{filed['id']}/outcome", json=outcome, headers=zzb).status_code == 409
    assert client.post("/api/v1/secondments/999999/outcome", json=outcome, headers=zzb).status_code == 404


def test_an_extension_asks_both_consents_again(client, db):
    clerk = bearer(db, "yjj_clerk")
    zzb = bearer(db, "zzb_reviewer")
    town = town_cadre(db)
    filed = file(client, clerk, end_on="2027-02-28")
    for headers in (town, zzb):
        client.post(f"/api/v1/secondments/{filed['id']}/consent", json={"decision": "approve", "reason": "同意"},
                    headers=headers)
    no_date = client.post(f"/api/v1/secondments/{filed['id']}/outcome",
                          json={"outcome": "extended", "reason": "任务未完成"}, headers=zzb)
    assert no_date.status_code == 422
    extended = client.post(f"/api/v1/secondments/{filed['id']}/outcome",
                           json={"outcome": "extended", "reason": "任务未完成", "end_on": "2027-08-31"}, headers=zzb)
    assert extended.status_code == 200, extended.text
    body = extended.json()
    assert (body["state"], body["outcome"], body["end_on"]) == ("requested", "extended", "2027-08-31")
    assert body["waiting_for"] == ["home", "organisation"] and "long" in kinds(body)
    for headers in (town, zzb):
        answer = client.post(f"/api/v1/secondments/{filed['id']}/consent",
                             json={"decision": "approve", "reason": "同意延期"}, headers=headers)
        assert answer.status_code == 200
    assert answer.json()["state"] == "approved"
    assert stats(client)["extended"] == 1
