"""Ratings (contract §7): a village rates, once a year, the departments owning an item on its list; the second
rating replaces the first; the summary hides the mean below five; a department reads comments without villages."""

import pytest
from sqlmodel import func, select

from registry.ratings.models import Rating
from tests.admission.helpers import VILLAGE
from tests.conftest import csrf_token, sign_in
from tests.lifecycle.flows import today, tokens_for

TOWN_VILLAGES = ["330122113201", "330122113202", "330122113203", "330122113204", "330122113205"]  # below 江南镇


@pytest.fixture
def tokens(db):  # type: ignore[no-untyped-def]
    return tokens_for(db)


def rate(client, tokens, who="lucun_cadre", **body):  # type: ignore[no-untyped-def]
    sent = {"year": today().year, "department": "MZJ", "score": 4, **body}
    return client.post("/api/v1/ratings", json=sent, headers=tokens[who])


def rows(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return int(session.exec(select(func.count()).select_from(Rating)).one())


def summary(client, year=None) -> dict:  # type: ignore[no-untyped-def]
    found = client.get("/api/v1/ratings/summary", params={"year": year or today().year})
    assert found.status_code == 200
    return {item["code"]: item for item in found.json()}


def test_a_second_rating_replaces_the_first(client, db, tokens):
    first = rate(client, tokens, score=2, comment="台账太多")
    assert first.status_code == 201, first.text
    assert first.json()["score"] == 2 and first.json()["region"]["code"] == VILLAGE
    second = rate(client, tokens, score=5, comment="")
    assert second.status_code == 201 and rows(db) == 1
    assert summary(client)["MZJ"] == {"code": "MZJ", "name": "县民政局", "n": 1, "mean": None}


def test_the_mean_shows_from_five_villages_on(client, db, tokens):
    for village, score in zip(TOWN_VILLAGES[:4], [5, 4, 4, 3], strict=True):
        assert rate(client, tokens, "jiangnan_cadre", score=score, region_code=village).status_code == 201
    assert summary(client)["MZJ"]["mean"] is None and summary(client)["MZJ"]["n"] == 4
    assert rate(client, tokens, "jiangnan_cadre", score=1, region_code=TOWN_VILLAGES[4]).status_code == 201
    assert summary(client)["MZJ"] == {"code": "MZJ", "name": "县民政局", "n": 5, "mean": 3.4}  # (5+4+4+3+1)/5
    assert summary(client, today().year - 1) == {}


@pytest.mark.parametrize(("body", "status", "field"), [
    ({"department": "FWB"}, 422, "department"),  # owns nothing on the village's list
    ({"department": "NOPE"}, 422, "department"),
    ({"score": 0}, 400, "score"),
    ({"score": 6}, 400, "score"),
    ({"score": "5"}, 400, "score"),
    ({"year": 2999}, 400, "year"),
    ({"year": 1999}, 400, "year"),
    ({"comment": "x" * 1001}, 400, "comment"),
    ({"comment": "a\x00b"}, 400, "comment"),
    ({"region_code": "330122113201"}, 403, ""),  # not the cadre's village
])
def test_bad_ratings_are_refused(client, db, tokens, body, status, field):
    response = rate(client, tokens, **body)
    assert response.status_code in {status, 422 if status == 400 else status}, response.text
    assert field in response.text and rows(db) == 0


def test_a_future_year_cannot_be_rated(client, tokens):
    response = rate(client, tokens, year=today().year + 1)
    assert response.status_code == 422 and "year" in response.text


def test_a_town_cadre_names_a_village_below_the_town(client, tokens):
    assert rate(client, tokens, "jiangnan_cadre").status_code == 422
    assert rate(client, tokens, "jiangnan_cadre", region_code=VILLAGE).status_code == 403
    assert rate(client, tokens, "jiangnan_cadre", region_code="330122113000").status_code == 422
    assert rate(client, tokens, "jiangnan_cadre", region_code=TOWN_VILLAGES[0]).status_code == 201


def test_comments_reach_the_office_with_villages_and_the_department_without(client, db, tokens):
    assert rate(client, tokens, department="MZJ", score=2, comment="会议太多").status_code == 201
    office = client.get("/api/v1/ratings", headers=tokens["fwb_office"]).json()
    found = [(r["department"]["code"], r["comment"], r["region"]["code"]) for r in office]
    assert found == [("MZJ", "会议太多", VILLAGE)]
    clerk = client.get("/api/v1/ratings", headers=tokens["mzj_clerk"]).json()
    assert clerk == [{k: v for k, v in office[0].items() if k != "region"}]
    assert client.get("/api/v1/ratings", headers=tokens["yjj_clerk"]).json() == []
    public = client.get("/api/v1/ratings/summary").text
    assert "会议太多" not in public and VILLAGE not in public


def test_the_cadre_rates_on_the_page(client, db):
    sign_in(client, "lucun_cadre")
    page = client.get("/ratings")
    assert page.status_code == 200 and 'id="rate-MZJ"' in page.text
    token = csrf_token(client, "/ratings")
    form = {"_csrf_token": token, "year": str(today().year), "department": "MZJ", "score": "3",
            "comment": "<b>好</b>", "region_code": VILLAGE}
    done = client.post("/ratings", data=form, follow_redirects=False)
    assert done.status_code in (302, 303) and rows(db) == 1
    again = client.get("/ratings").text
    assert "&lt;b&gt;好&lt;/b&gt;" in again and "<b>好</b>" not in again


def test_a_town_cadre_picks_the_village_first(client):
    sign_in(client, "jiangnan_cadre")
    page = client.get("/ratings")
    assert page.status_code == 200 and f"/ratings?region={TOWN_VILLAGES[0]}" in page.text


def test_the_comments_page_names_the_village_to_the_office_only(client, db, tokens):
    assert rate(client, tokens, department="MZJ", score=2, comment="报表太多").status_code == 201
    sign_in(client, "mzj_clerk")
    clerk = client.get("/ratings/comments")
    assert clerk.status_code == 200 and "报表太多" in clerk.text and "芦茨" not in clerk.text
    assert 'href="/ratings/comments"' in clerk.text  # in the department's navigation
    client.cookies.clear()
    sign_in(client, "yjj_clerk")
    assert "报表太多" not in client.get("/ratings/comments").text
    client.cookies.clear()
    sign_in(client, "fwb_office")
    office = client.get(f"/ratings/comments?year={today().year}")
    assert office.status_code == 200 and "报表太多" in office.text and "芦茨村" in office.text
