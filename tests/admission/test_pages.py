"""The admission pages: forms re-render with errors beside fields, markup stays text, reviewers decide."""

from litestar.testing import TestClient

from tests.admission.helpers import add_body
from tests.conftest import HOST, bearer, csrf_token, sign_in

SCRIPT = "<script>alert(1)</script>"
FORM = {
    "kind": "add",
    "title": "协助开展地震应急避险演练",
    "description": "每年组织一次演练。",
    "category": "assisting",
    "applies_to": "all",
    "scope_code": "330122000000",
    "legal_basis": "《防震减灾法》",
    "frequency": "yearly",
    "hours_per_month": "1.5",
    "funding_provided": "1",
    "funding_amount": "2000",
    "funding_source": "县财政",
    "ledgers": "演练台账\n签到表",
    "meetings_per_year": "1",
    "justification": "落实法律要求",
    "start_date": "2027-06-01",
}


def test_form_errors_are_shown_beside_fields(client, db):
    sign_in(client, "yjj_clerk")
    token = csrf_token(client, "/requests/new")
    bad = client.post(
        "/requests/new", data={**FORM, "hours_per_month": "abc", "title": "", "action": "submit", "_csrf_token": token}
    )
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("text/html"), bad.text[:500]
    assert 'id="field-hours_per_month-error"' in bad.text and "数字" in bad.text
    assert "协助开展地震应急避险演练" not in bad.text or 'value=""' in bad.text
    missing = client.post("/requests/new", data={**FORM, "title": "", "action": "submit", "_csrf_token": token})
    assert missing.status_code == 422 and 'id="field-title-error"' in missing.text
    saved = client.post("/requests/new", data={**FORM, "action": "save", "_csrf_token": token}, follow_redirects=False)
    assert saved.status_code == 303
    page = client.get(saved.headers["location"])
    assert "演练台账" in page.text and "草稿" in page.text
    no_csrf = client.post("/requests/new", data={**FORM, "action": "save"}, follow_redirects=False)
    assert no_csrf.status_code == 403


def test_markup_is_escaped_on_every_page_and_reviewers_decide(app, client, db):
    filed = client.post(
        "/api/v1/requests",
        json=add_body(title=SCRIPT, submit=True, scope_code="330122101201", applies_to="village"),
        headers=bearer(db, "yjj_clerk"),
    ).json()
    path = f"/requests/{filed['id']}"
    assert client.get(path).status_code == 404  # not public before a decision
    sign_in(client, "yjj_clerk")
    for page in ("/requests/mine", path):
        text = client.get(page).text
        assert SCRIPT not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    with TestClient(app, base_url=f"http://{HOST}") as reviewer:
        sign_in(reviewer, "mzj_reviewer")
        queue = reviewer.get("/review")
        assert SCRIPT not in queue.text and "&lt;script&gt;" in queue.text and filed["number"] in queue.text
        detail = reviewer.get(path)
        assert 'action="' + path + '/decision"' in detail.text
        token = reviewer.cookies.get("csrftoken")
        refused = reviewer.post(path + "/decision", data={"decision": "reject", "reason": "", "_csrf_token": token})
        assert refused.status_code == 422 and 'id="field-reason-error"' in refused.text
        done = reviewer.post(
            path + "/decision",
            data={"decision": "approve", "reason": "同意", "_csrf_token": token},
            follow_redirects=False,
        )
        assert done.status_code == 303
        again = reviewer.post(path + "/decision", data={"decision": "approve", "reason": "同意", "_csrf_token": token})
        assert again.status_code == 409 and "flash-error" in again.text
    with TestClient(app, base_url=f"http://{HOST}") as sfj:
        sign_in(sfj, "sfj_reviewer")
        token = csrf_token(sfj, path)
        assert (
            sfj.post(
                path + "/decision", data={"decision": "approve", "reason": "合法", "_csrf_token": token}
            ).status_code
            == 200
        )
    client.cookies.clear()
    public = client.get(path)
    assert public.status_code == 200 and SCRIPT not in public.text and "合法" in public.text
    assert "sfj_reviewer" not in public.text and "mzj_reviewer" not in public.text
    duty_code = client.get(f"/api/v1/requests/{filed['id']}").json()["duty_code"]
    for page in ("/regions/330122101201", f"/duties/{duty_code}"):
        response = client.get(page)
        assert response.status_code == 200 and SCRIPT not in response.text and "&lt;script&gt;" in response.text


def test_own_department_reviewer_sees_why_not(client, db):
    filed = client.post("/api/v1/requests", json=add_body(submit=True), headers=bearer(db, "mzj_clerk")).json()
    sign_in(client, "mzj_reviewer")
    page = client.get(f"/requests/{filed['id']}")
    assert page.status_code == 200 and 'id="cannot-decide"' in page.text and "本部门" in page.text
    assert 'action="/requests/' not in page.text.split('id="cannot-decide"')[0].split('id="decisions"')[-1]


def test_own_department_reviewer_forcing_a_decision_gets_403_and_the_reason(client, db):
    filed = client.post("/api/v1/requests", json=add_body(submit=True), headers=bearer(db, "mzj_clerk")).json()
    sign_in(client, "mzj_reviewer")
    path = f"/requests/{filed['id']}"
    token = csrf_token(client, path)
    refused = client.post(path + "/decision", data={"decision": "approve", "reason": "同意", "_csrf_token": token})
    assert refused.status_code == 403
    assert "本部门" in refused.text and refused.headers["content-type"].startswith("text/html")
    assert client.get(f"/api/v1/requests/{filed['id']}", headers=bearer(db, "mzj_clerk")).json()["state"] == "submitted"


def test_signed_in_pages_and_pages_with_a_form_token_are_never_shared(client):
    for _ in range(2):  # the first visit sets the CSRF cookie; the second carries the token without setting it
        assert client.get("/login").headers["cache-control"] == "private, no-store"
    assert "public" in client.get("/regions/330122101201").headers["cache-control"]
    sign_in(client, "yjj_clerk")
    for page in ("/", "/requests/mine", "/requests/new", "/duties", "/ledger", "/burden"):
        assert client.get(page).headers["cache-control"] == "private, no-store", page
