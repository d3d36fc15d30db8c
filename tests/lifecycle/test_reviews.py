"""The review queue (contract §7): active duties with review_by on or before a day, soonest first, each with its
department and its rating summary; the page groups by department and offers the department its actions."""

from datetime import date, timedelta

import pytest

from registry.choices import ReviewState
from registry.reviews.services import review_state
from tests.admission.helpers import add_body
from tests.conftest import sign_in
from tests.lifecycle.flows import approve, file, soon, today, tokens_for


def test_the_queue_lists_what_is_due_by_the_day_soonest_first(client, db):
    tokens = tokens_for(db)
    approved = approve(client, tokens, file(client, tokens, "yjj_clerk", add_body(review_by=soon(200)))["id"])
    assert client.get("/api/v1/reviews").json() == []  # nothing due within 90 days
    items = client.get("/api/v1/reviews", params={"before": soon(200)}).json()
    assert [i["code"] for i in items] == [approved["duty_code"]]
    item = items[0]
    assert item["review_state"] == "due" and item["department"] == {"code": "YJJ", "name": item["department"]["name"]}
    assert item["lapses_on"] == (date.fromisoformat(soon(200)) + timedelta(days=91)).isoformat()
    assert item["rating"] == {"code": "YJJ", "name": item["department"]["name"], "n": 0, "mean": None}

    everything = client.get("/api/v1/reviews", params={"before": "2029-12-31"}).json()
    dates = [(i["review_by"], i["code"]) for i in everything]
    assert dates == sorted(dates) and dates[0][1] == approved["duty_code"]
    assert len(everything) == client.get("/api/v1/duties", params={"per_page": 1}).json()["total"]


def test_the_rating_summary_stands_beside_each(client, db):
    tokens = tokens_for(db)
    rated = client.post("/api/v1/ratings", json={"year": today().year, "department": "MZJ", "score": 3},
                        headers=tokens["lucun_cadre"])
    assert rated.status_code == 201
    items = client.get("/api/v1/reviews", params={"before": "2029-12-31"}).json()
    mzj = [i for i in items if i["department"]["code"] == "MZJ"]
    assert mzj and all(i["rating"]["n"] == 1 and i["rating"]["mean"] is None for i in mzj)


@pytest.mark.parametrize("bad", ["2026-02-30", "tomorrow", "2026/01/01"])
def test_a_bad_day_is_a_400(client, bad):
    assert client.get("/api/v1/reviews", params={"before": bad}).status_code == 400


@pytest.mark.parametrize(("review_by", "state"), [
    (date(2027, 1, 10), ReviewState.DUE),
    (date(2027, 1, 1), ReviewState.DUE),  # due today
    (date(2026, 12, 31), ReviewState.OVERDUE),  # lapses on 2027-04-01, 90 days away
    (date(2026, 11, 2), ReviewState.OVERDUE),  # lapses on 2027-02-01, 31 days away
    (date(2026, 11, 1), ReviewState.LAPSING),  # lapses on 2027-01-31, 30 days away
    (date(2026, 10, 3), ReviewState.LAPSING),  # lapses tomorrow
])
def test_where_a_duty_stands(review_by, state):
    assert review_state(review_by, date(2027, 1, 1)) == state


def test_the_page_groups_by_department_and_offers_the_departments_actions(client, db):
    page = client.get("/reviews", params={"before": "2029-12-31"})
    assert page.status_code == 200 and 'id="department-MZJ"' in page.text and "kind=renew" not in page.text
    sign_in(client, "yjj_clerk")
    mine = client.get("/reviews", params={"before": "2029-12-31"}).text
    assert "kind=renew&amp;duty=" in mine
    renew_form = client.get("/requests/new", params={"kind": "renew", "duty": "D00002"})
    assert renew_form.status_code == 200
