"""Accounts in the browser: create, disable (after confirmation), enable, reset a password, issue and revoke
tokens; every change in the audit log with the administrator's name."""

import pytest
from litestar.testing import TestClient

from tests.admin.helpers import as_admin, audit, post, user_id
from tests.conftest import HOST, csrf_token, sign_in

NEW = {"name": "wjj_clerk", "role": "department", "department": "YJJ", "password": "clerk-pass-2026"}

BAD_ACCOUNTS = [
    ("no name", {**NEW, "name": ""}, 422, "name"),
    ("name too long", {**NEW, "name": "x" * 65}, 422, "name"),
    ("unknown role", {**NEW, "role": "king"}, 422, "role"),
    ("short password", {**NEW, "password": "short"}, 422, "password"),
    ("clerk without department", {**NEW, "department": ""}, 422, "department"),
    ("unknown department", {**NEW, "department": "NOPE"}, 422, "department"),
    ("cadre without region", {**NEW, "role": "cadre", "department": ""}, 422, "region"),
    ("cadre at the county", {**NEW, "role": "cadre", "region": "330122000000"}, 422, "region"),
    ("existing name", {**NEW, "name": "yjj_clerk"}, 409, "name"),
]


@pytest.mark.parametrize(("label", "form", "status", "field"), BAD_ACCOUNTS, ids=[b[0] for b in BAD_ACCOUNTS])
def test_bad_accounts_are_refused_beside_the_field(client, db, label, form, status, field):
    token = as_admin(client)
    answer = post(client, token, "/admin/accounts", form)
    assert answer.status_code == status, answer.text[:300]
    assert f'href="#field-{field}"' in answer.text
    assert not audit(db, "account.created")


def test_create_a_clerk_who_signs_in_and_files(app, client, db):
    token = as_admin(client)
    created = post(client, token, "/admin/accounts", NEW)
    assert created.status_code == 303
    assert created.headers["location"] == f"/admin/accounts/{user_id(db, 'wjj_clerk')}"
    [event] = audit(db, "account.created")
    assert (event.actor, event.account, event.detail) == ("admin", "wjj_clerk", "department YJJ")
    cadre = post(client, token, "/admin/accounts", {"name": "xc_cadre", "role": "cadre", "region": "330122101201",
                                                    "password": "cadre-pass-2026"})
    assert cadre.status_code == 303
    with TestClient(app, base_url=f"http://{HOST}") as clerk:
        sign_in(clerk, "wjj_clerk", "clerk-pass-2026")
        assert clerk.get("/requests/new").status_code == 200
    listing = client.get("/admin/accounts")
    assert "wjj_clerk" in listing.text and "芦茨村" in listing.text


def test_disable_asks_first_then_ends_sessions_and_tokens(app, client, db):
    token = as_admin(client)
    target = user_id(db, "yjj_clerk")
    with TestClient(app, base_url=f"http://{HOST}") as clerk:
        sign_in(clerk, "yjj_clerk")
        issued = post(client, token, f"/admin/accounts/{target}/tokens")
        assert issued.status_code == 200 and 'id="new-token"' in issued.text
        api_token = issued.text.split('<code class="token">')[1].split("</code>")[0]
        headers = {"Authorization": f"Bearer {api_token}"}
        assert clerk.get("/api/v1/requests", headers=headers).status_code == 200
        assert audit(db, "token.created")[-1].actor == "admin"
        asked = post(client, token, f"/admin/accounts/{target}/disable")
        assert asked.status_code == 200 and 'name="confirmed" value="yes"' in asked.text  # the confirmation page
        assert clerk.get("/requests/mine").status_code == 200  # nothing happened yet
        done = post(client, token, f"/admin/accounts/{target}/disable", {"confirmed": "yes"})
        assert done.status_code == 303
        assert clerk.get("/requests/mine", follow_redirects=False).status_code == 302  # the session ended
        assert clerk.post("/api/v1/requests", json={"kind": "add"}, headers=headers).status_code == 401
        [event] = audit(db, "account.disabled")
        assert (event.actor, event.account) == ("admin", "yjj_clerk")
        assert post(client, token, f"/admin/accounts/{target}/enable").status_code == 303
        assert audit(db, "account.enabled")[-1].account == "yjj_clerk"
        sign_in(clerk, "yjj_clerk")
        assert clerk.post("/api/v1/requests", json={"kind": "add"}, headers=headers).status_code == 401  # stays revoked


def test_an_admin_cannot_disable_themselves(client, db):
    token = as_admin(client)
    me = user_id(db, "admin")
    post(client, token, f"/admin/accounts/{me}/disable", {"confirmed": "yes"})
    assert client.get("/admin/accounts").status_code == 200  # still signed in
    assert not audit(db, "account.disabled")


def test_reset_password_and_revoke_a_token(app, client, db):
    token = as_admin(client)
    target = user_id(db, "nyj_clerk")
    short = post(client, token, f"/admin/accounts/{target}/password", {"password": "abc"})
    assert short.status_code == 422 and 'id="field-password-error"' in short.text
    assert post(client, token, f"/admin/accounts/{target}/password", {"password": "new-secret-2026"}).status_code == 303
    assert audit(db, "account.password_reset")[-1].actor == "admin"
    with TestClient(app, base_url=f"http://{HOST}") as clerk:
        sign_in(clerk, "nyj_clerk", "new-secret-2026")
    issued = post(client, token, f"/admin/accounts/{target}/tokens")
    api_token = issued.text.split('<code class="token">')[1].split("</code>")[0]
    headers = {"Authorization": f"Bearer {api_token}"}
    assert client.get("/api/v1/requests", headers=headers).json()["total"] == 0
    page = client.get(f"/admin/accounts/{target}")
    token_id = int(page.text.split("/tokens/")[1].split("/revoke")[0])
    asked = post(client, token, f"/admin/accounts/{target}/tokens/{token_id}/revoke")
    assert asked.status_code == 200 and "confirmed" in asked.text
    assert client.post("/api/v1/requests", json={}, headers=headers).status_code != 401
    assert post(client, token, f"/admin/accounts/{target}/tokens/{token_id}/revoke",
                {"confirmed": "yes"}).status_code == 303
    assert client.post("/api/v1/requests", json={}, headers=headers).status_code == 401
    assert audit(db, "token.revoked")[-1].detail == f"token {token_id}"
    other = user_id(db, "yjj_clerk")
    assert post(client, token, f"/admin/accounts/{other}/tokens/{token_id}/revoke",
                {"confirmed": "yes"}).status_code == 404  # not that account's token


def test_forms_need_the_csrf_token_and_the_audit_log_lists_changes(client, db):
    as_admin(client)
    refused = client.post("/admin/accounts", data=NEW, follow_redirects=False)
    assert refused.status_code == 403
    token = csrf_token(client, "/admin/accounts")
    post(client, token, "/admin/accounts", NEW)
    log = client.get("/admin/audit")
    assert log.status_code == 200 and "wjj_clerk" in log.text and "创建账号" in log.text
    assert "wjj_clerk" in client.get("/admin/audit?kind=account.created").text
    assert "wjj_clerk" not in client.get("/admin/audit?kind=token.revoked").text
