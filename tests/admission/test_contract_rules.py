"""Contract §2 as amended: every decision carries a reason (审查意见), approvals included; submitting an add or
amend request needs `funding` stated explicitly (provided true or false). Tables over the API and the HTML forms."""

import pytest
from litestar.testing import TestClient

from tests.admission.helpers import add_body, counts
from tests.admission.test_pages import FORM
from tests.conftest import HOST, bearer, csrf_token, sign_in

NO_REASON = [
    ("approve, no reason", {"decision": "approve"}),
    ("approve, empty reason", {"decision": "approve", "reason": ""}),
    ("approve, blank reason", {"decision": "approve", "reason": " \t\n "}),
    ("approve, full-width blank", {"decision": "approve", "reason": "\u3000"}),
    ("approve with exemption only", {"decision": "approve", "exemption_reason": "县财政统筹"}),
    ("reject, no reason", {"decision": "reject"}),
    ("return, blank reason", {"decision": "return", "reason": "   "}),
]


def fields(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {e["field"] for e in response.json().get("errors", [])}


@pytest.mark.parametrize(("label", "body"), NO_REASON, ids=[label for label, _ in NO_REASON])
def test_every_decision_needs_a_reason_over_the_api(client, db, label, body):
    filed = client.post("/api/v1/requests", json=add_body(submit=True), headers=bearer(db, "yjj_clerk"))
    assert filed.status_code == 201, filed.text
    before = counts(db)
    answer = client.post(f"/api/v1/requests/{filed.json()['id']}/decision", json=body,
                         headers=bearer(db, "mzj_reviewer"))
    assert answer.status_code == 422, (label, answer.text)
    if "\u3000" not in body.get("reason", "x"):
        assert "reason" in fields(answer), answer.text
    assert counts(db) == before  # nothing recorded, nothing appended
    after = client.get(f"/api/v1/requests/{filed.json()['id']}", headers=bearer(db, "mzj_reviewer")).json()
    assert after["stage"] == filed.json()["stage"] and after["decisions"] == []
    ok = client.post(f"/api/v1/requests/{filed.json()['id']}/decision",
                     json={**body, "reason": "符合规定，同意"}, headers=bearer(db, "mzj_reviewer"))
    assert ok.status_code == 200, ok.text
    assert ok.json()["decisions"][-1]["reason"] == "符合规定，同意"


@pytest.mark.parametrize("reason", ["", "   "])
def test_the_decision_form_refuses_an_approval_without_a_review_opinion(app, client, db, reason):
    filed = client.post("/api/v1/requests", json=add_body(submit=True), headers=bearer(db, "yjj_clerk")).json()
    path = f"/requests/{filed['id']}"
    with TestClient(app, base_url=f"http://{HOST}") as reviewer:
        sign_in(reviewer, "mzj_reviewer")
        page = reviewer.get(path)
        assert "审查意见" in page.text
        token = csrf_token(reviewer, path)
        refused = reviewer.post(path + "/decision", data={"decision": "approve", "reason": reason,
                                                          "_csrf_token": token})
        assert refused.status_code == 422 and 'id="field-reason-error"' in refused.text
        assert "审查意见" in refused.text
        assert client.get(f"/api/v1/requests/{filed['id']}",
                          headers=bearer(db, "mzj_reviewer")).json()["decisions"] == []


UNSTATED = [
    ("funding absent", None),
    ("funding null", {"funding": None}),
    ("funding empty object", {"funding": {}}),
    ("funding without provided", {"funding": {"amount_yuan_per_year": 3000, "source": "县财政"}}),
    ("provided null", {"funding": {"provided": None}}),
]


def _without_funding(change: dict | None) -> dict:
    body = add_body()
    body.pop("funding")
    return {**body, **(change or {})}


@pytest.mark.parametrize(("label", "change"), UNSTATED, ids=[label for label, _ in UNSTATED])
def test_an_add_needs_funding_stated_to_be_submitted(client, db, label, change):
    clerk = bearer(db, "yjj_clerk")
    before = counts(db)
    refused = client.post("/api/v1/requests", json={**_without_funding(change), "submit": True}, headers=clerk)
    assert refused.status_code == 422 and "funding" in fields(refused), (label, refused.text)
    assert counts(db) == before
    draft = client.post("/api/v1/requests", json=_without_funding(change), headers=clerk)
    assert draft.status_code == 201 and draft.json()["state"] == "draft", draft.text  # a draft may leave it empty
    request_id = draft.json()["id"]
    not_yet = client.post(f"/api/v1/requests/{request_id}/submit", headers=clerk)
    assert not_yet.status_code == 422 and "funding" in fields(not_yet)
    patched = client.patch(f"/api/v1/requests/{request_id}", json={"funding": {"provided": False}}, headers=clerk)
    assert patched.status_code == 200, patched.text
    filed = client.post(f"/api/v1/requests/{request_id}/submit", headers=clerk)
    assert filed.status_code == 200 and filed.json()["state"] == "submitted"
    assert filed.json()["funding"]["provided"] is False
    assert "no_funding" in {f["kind"] for f in filed.json()["flags"]}


@pytest.mark.parametrize("provided", [True, False])
def test_funding_stated_either_way_may_be_submitted(client, db, provided):
    body = {**add_body(), "funding": {"provided": provided}, "submit": True}
    filed = client.post("/api/v1/requests", json=body, headers=bearer(db, "yjj_clerk"))
    assert filed.status_code == 201 and filed.json()["funding"]["provided"] is provided, filed.text


def test_an_amend_states_its_funding_anew(client, db):
    clerk = bearer(db, "yjj_clerk")
    body = {"kind": "amend", "duty_code": "D00021", "hours_per_month": 3, "justification": "巡查频次调整"}
    refused = client.post("/api/v1/requests", json={**body, "submit": True}, headers=clerk)
    assert refused.status_code == 422 and fields(refused) == {"funding"}, refused.text
    stated = client.post("/api/v1/requests", json={**body, "funding": {"provided": True, "amount_yuan_per_year": 5000},
                                                   "submit": True}, headers=clerk)
    assert stated.status_code == 201, stated.text
    retire = client.post("/api/v1/requests", json={"kind": "retire", "duty_code": "D00022", "justification": "职能调整",
                                                   "submit": True}, headers=clerk)
    assert retire.status_code == 201, retire.text  # a retire needs only its duty and justification


@pytest.mark.parametrize(("choice", "status"), [(None, 422), ("", 422), ("yes", 422), ("1", 303), ("0", 303)])
def test_the_filing_form_asks_for_funding_yes_or_no(client, db, choice, status):
    sign_in(client, "yjj_clerk")
    token = csrf_token(client, "/requests/new")
    form = {k: v for k, v in FORM.items() if k != "funding_provided"}
    if choice is not None:
        form["funding_provided"] = choice
    answer = client.post("/requests/new", data={**form, "action": "submit", "_csrf_token": token},
                         follow_redirects=False)
    assert answer.status_code == status, answer.text[:300]
    if status == 422:
        assert 'id="field-funding-error"' in answer.text and 'href="#field-funding"' in answer.text
        saved = client.post("/requests/new", data={**form, "action": "save", "_csrf_token": token},
                            follow_redirects=False)
        assert saved.status_code == 303  # a draft may leave it unstated
        edit = client.get(saved.headers["location"] + "/edit")
        assert 'name="funding_provided" value="1">' in edit.text and 'value="0">' in edit.text  # neither checked
