"""The filing form: the region picker (a <select> grouped by town, no JavaScript needed), amounts written as
people write them, and 撤回 that asks first (a confirmation page without JavaScript)."""

import pytest
from sqlmodel import select

from registry.regions.models import Region
from tests.admission.helpers import add_body
from tests.admission.test_pages import FORM
from tests.conftest import bearer, csrf_token, sign_in

AMOUNTS = [("3000", 3000), ("3,000", 3000), ("３，０００", 3000), ("3万", 30000), ("1.5万", 15000),
           ("2,000元", 2000), ("", 0), ("0", 0)]


@pytest.mark.parametrize(("typed", "yuan"), AMOUNTS)
def test_amounts_accept_separators_and_wan(client, db, typed, yuan):
    sign_in(client, "yjj_clerk")
    token = csrf_token(client, "/requests/new")
    saved = client.post("/requests/new", data={**FORM, "funding_amount": typed, "action": "save",
                                               "_csrf_token": token}, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:400]
    request_id = saved.headers["location"].rsplit("/", 1)[1]
    shown = client.get(f"/api/v1/requests/{request_id}", headers=bearer(db, "yjj_clerk")).json()
    assert shown["funding"]["amount_yuan_per_year"] == yuan


@pytest.mark.parametrize("typed", ["abc", "1.23456万", "0.5", "-3", "3万元整"])
def test_amounts_that_are_not_yuan_are_refused_beside_the_field(client, typed):
    sign_in(client, "yjj_clerk")
    token = csrf_token(client, "/requests/new")
    refused = client.post("/requests/new", data={**FORM, "funding_amount": typed, "action": "save",
                                                 "_csrf_token": token})
    assert refused.status_code == 422 and 'id="field-funding_amount-error"' in refused.text


def test_the_region_picker_lists_every_town_and_village_grouped(client, db):
    sign_in(client, "yjj_clerk")
    page = client.get("/requests/new").text
    picker = page.split('id="field-scope_code"')[1].split("</select>")[0]
    with db.read() as session:
        regions = list(session.exec(select(Region)))
    towns = [r for r in regions if r.level == "town"]
    assert picker.count("<optgroup") == len(towns)
    for region in regions:  # every region, by name, with its code as the value
        assert f'value="{region.code}"' in picker, region.code
    assert 'data-region-filter="field-scope_code"' in page
    token = csrf_token(client, "/requests/new")
    filed = client.post("/requests/new", data={**FORM, "scope_code": "330122101201", "applies_to": "village",
                                               "action": "submit", "_csrf_token": token}, follow_redirects=False)
    assert filed.status_code == 303
    item = client.get(filed.headers["location"]).text
    assert "芦茨村" in item
    edit_id = filed.headers["location"].rsplit("/", 1)[1]
    api = client.get(f"/api/v1/requests/{edit_id}", headers=bearer(db, "yjj_clerk")).json()
    assert api["scope_code"] == "330122101201" and api["state"] == "submitted"


def test_withdraw_asks_first(client, db):
    filed = client.post("/api/v1/requests", json=add_body(submit=True), headers=bearer(db, "yjj_clerk"))
    request_id = filed.json()["id"]
    sign_in(client, "yjj_clerk")
    path = f"/requests/{request_id}"
    assert 'id="withdraw" data-confirm=' in client.get(path).text
    token = csrf_token(client, path)
    asked = client.post(path + "/withdraw", data={"_csrf_token": token}, follow_redirects=False)
    assert asked.status_code == 200 and 'name="confirmed" value="yes"' in asked.text and "撤回" in asked.text
    headers = bearer(db, "yjj_clerk")
    assert client.get(f"/api/v1/requests/{request_id}", headers=headers).json()["state"] == "submitted"
    done = client.post(path + "/withdraw", data={"confirmed": "yes", "_csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303
    assert client.get(f"/api/v1/requests/{request_id}", headers=headers).json()["state"] == "withdrawn"
    again = client.post(path + "/withdraw", data={"_csrf_token": token}, follow_redirects=False)
    assert again.status_code == 409  # nothing left to withdraw: no confirmation page either
