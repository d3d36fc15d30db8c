"""Review and end dates (contract §7): every admitted duty gets a review date (the request's, never more than
three years after it takes effect); campaigns must end; a renewal moves the review date through the same
stages and appends duty.amended."""

import pytest

from registry.catalog.integrity import verify_ledger_and_catalog
from tests.admission.helpers import add_body, last_entry
from tests.lifecycle.flows import approve, file, own_duty, soon, today, tokens_for, years_ahead


@pytest.fixture
def tokens(db):  # type: ignore[no-untyped-def]
    return tokens_for(db)


def test_an_admitted_duty_without_a_review_date_gets_three_years_from_its_start(client, db, tokens):
    item = file(client, tokens, "yjj_clerk", add_body())
    assert item["review_by"] is None and item["ends_on"] is None
    approved = approve(client, tokens, item["id"])
    duty = client.get(f"/api/v1/duties/{approved['duty_code']}").json()
    assert duty["effective_from"] == "2027-06-01"
    assert duty["review_by"] == "2030-06-01" and duty["ends_on"] is None
    with db.read() as session:
        assert verify_ledger_and_catalog(session).ok


def test_the_requests_review_and_end_dates_are_kept(client, db, tokens):
    body = add_body(review_by="2028-01-31", ends_on="2029-12-31")
    item = file(client, tokens, "yjj_clerk", body)
    assert (item["review_by"], item["ends_on"]) == ("2028-01-31", "2029-12-31")
    approved = approve(client, tokens, item["id"])
    duty = client.get(f"/api/v1/duties/{approved['duty_code']}").json()
    assert (duty["review_by"], duty["ends_on"]) == ("2028-01-31", "2029-12-31")
    entry = last_entry(db)
    assert entry["payload"]["duty"]["ends_on"] == "2029-12-31"


@pytest.mark.parametrize(("changes", "field"), [
    ({"review_by": "2030-06-02"}, "review_by"),  # more than three years after the start (2027-06-01)
    ({"review_by": "2001-01-01"}, "review_by"),  # in the past
    ({"ends_on": "2027-05-31"}, "ends_on"),  # before the start
    ({"category": "campaign"}, "ends_on"),  # a campaign must end
    ({"review_by": "2030-02-30"}, "review_by"),  # not a date
])
def test_bad_dates_are_refused(client, tokens, changes, field):
    response = client.post("/api/v1/requests", json={**add_body(**changes), "submit": True},
                           headers=tokens["yjj_clerk"])
    assert response.status_code in (400, 422), response.text
    assert field in response.text


def test_a_campaign_with_an_end_date_is_admitted(client, tokens):
    item = file(client, tokens, "yjj_clerk", add_body(category="campaign", ends_on="2027-12-31",
                                                      title="开展“平安家庭”创建评比活动"))
    approved = approve(client, tokens, item["id"])
    assert client.get(f"/api/v1/duties/{approved['duty_code']}").json()["ends_on"] == "2027-12-31"


def test_a_renewal_moves_only_the_review_date(client, db, tokens):
    duty = own_duty(client, "YJJ")
    new_date = years_ahead(today(), 3).isoformat()
    body = {"kind": "renew", "duty_code": duty["code"], "justification": "仍有必要，继续保留。", "review_by": new_date}
    item = file(client, tokens, "yjj_clerk", body)
    assert item["kind"] == "renew" and item["state"] == "submitted" and item["title"] == duty["title"]
    assert item["flags"] == [] or all(f["kind"] not in ("duplicate", "negative_list") for f in item["flags"])
    approved = approve(client, tokens, item["id"])
    assert approved["state"] == "approved"
    entry = last_entry(db)
    assert entry["kind"] == "duty.amended" and entry["payload"]["request_number"] == item["number"]
    after = entry["payload"]["duty"]
    assert after["review_by"] == new_date and after["version"] == duty["version"] + 1
    unchanged = {k: v for k, v in duty.items() if k in after and k not in ("review_by", "version")}
    assert len(unchanged) == len(after) - 2
    assert {k: after[k] for k in unchanged} == unchanged
    with db.read() as session:
        assert verify_ledger_and_catalog(session).ok


@pytest.mark.parametrize(("changes", "status", "field"), [
    ({"review_by": None}, 422, "review_by"),
    ({"justification": ""}, 422, "justification"),
    ({"review_by": "later"}, 400, "review_by"),
])
def test_a_renewal_needs_its_reasons_and_a_near_date(client, tokens, changes, status, field):
    duty = own_duty(client, "YJJ")
    body = {"kind": "renew", "duty_code": duty["code"], "justification": "仍有必要", "review_by": soon(30),
            "submit": True, **changes}
    response = client.post("/api/v1/requests", json=body, headers=tokens["yjj_clerk"])
    assert response.status_code in (status, 422 if status == 400 else status), response.text
    assert field in response.text


def test_a_renewal_at_most_three_years_ahead(client, tokens):
    duty = own_duty(client, "YJJ")
    too_far = years_ahead(today(), 3).toordinal() + 1
    from datetime import date

    body = {"kind": "renew", "duty_code": duty["code"], "justification": "仍有必要", "submit": True,
            "review_by": date.fromordinal(too_far).isoformat()}
    response = client.post("/api/v1/requests", json=body, headers=tokens["yjj_clerk"])
    assert response.status_code == 422 and "review_by" in response.text


def test_another_departments_duty_cannot_be_renewed(client, tokens):
    duty = own_duty(client, "MZJ")
    body = {"kind": "renew", "duty_code": duty["code"], "justification": "仍有必要", "review_by": soon(30)}
    assert client.post("/api/v1/requests", json=body, headers=tokens["yjj_clerk"]).status_code == 403
