"""Signing in and out through the HTML form: errors in Chinese, rate limiting, session fixation,
logout, expiry, disabled accounts, and a login check whose cost does not reveal whether an account exists."""

import re

import pytest
from sqlalchemy import text

from registry.accounts import services
from registry.accounts.services import disable_user
from tests.accounts.probe import probe_client
from tests.conftest import ADMIN_PASSWORD, PASSWORD, csrf_token, sign_in

SESSION = "registry_session"
WRONG = "账号或密码错误"
TOO_MANY = "失败次数过多"


def post_login(client, name: str, password: str, headers: dict | None = None):  # type: ignore[no-untyped-def]
    return client.post("/login", data={"name": name, "password": password, "_csrf_token": csrf_token(client)},
                       headers=headers or {}, follow_redirects=False)


def signed_in_as(client, name: str) -> bool:  # type: ignore[no-untyped-def]
    """The header of the home page names the signed-in account and offers sign-out."""
    page = client.get("/").text
    return f'<strong class="user-name">{name}</strong>' in page and 'action="/logout"' in page


@pytest.fixture
def app_client(settings, db):  # type: ignore[no-untyped-def]
    with probe_client(settings, db) as client:
        yield client


def test_right_password_signs_in_and_shows_the_name(client):
    response = post_login(client, "mzj_reviewer", PASSWORD)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    assert signed_in_as(client, "mzj_reviewer")
    assert sign_in(client, "admin", ADMIN_PASSWORD) is None


def test_next_is_followed_only_within_the_site(client):
    token = csrf_token(client)
    good = client.post("/login", data={"name": "yjj_clerk", "password": PASSWORD, "next": "/ledger",
                                       "_csrf_token": token}, follow_redirects=False)
    assert good.headers["location"] == "/ledger"
    client.cookies.clear()
    for evil in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        token = csrf_token(client)
        response = client.post("/login", data={"name": "yjj_clerk", "password": PASSWORD, "next": evil,
                                               "_csrf_token": token}, follow_redirects=False)
        assert response.headers["location"] == "/", evil
        client.cookies.clear()


@pytest.mark.parametrize("name", ["mzj_reviewer", "no_such_account"])
def test_wrong_password_and_unknown_account_look_the_same(client, name):
    response = post_login(client, name, "not-the-password")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")  # a page, not JSON
    assert WRONG in response.text
    assert 'action="/login"' in response.text  # the form again
    assert f'value="{name}"' in response.text  # the name is kept, the password is not
    assert "not-the-password" not in response.text
    assert SESSION not in response.cookies
    assert not signed_in_as(client, name)


def test_login_error_in_english_when_asked(client):
    client.get("/?lang=en")
    response = post_login(client, "mzj_reviewer", "nope-nope")
    assert response.status_code == 400
    assert "wrong" in response.text and WRONG not in response.text


def test_empty_fields_are_an_error_not_a_crash(client):
    response = client.post("/login", data={"_csrf_token": csrf_token(client)}, follow_redirects=False)
    assert response.status_code == 400
    assert 'action="/login"' in response.text


def test_one_argon2_verification_whether_or_not_the_account_exists(client, monkeypatch):
    calls: list[str] = []
    real = services._hasher

    class CountingHasher:
        def verify(self, hash_: str, password: str) -> bool:
            calls.append(hash_)
            return real.verify(hash_, password)

        def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
            return getattr(real, name)

    monkeypatch.setattr(services, "_hasher", CountingHasher())
    for name, password in [("no_such_account", "whatever-1"), ("mzj_reviewer", "whatever-1"),
                           ("mzj_reviewer", PASSWORD)]:
        calls.clear()
        post_login(client, name, password)
        assert len(calls) == 1, name
        assert calls[0].startswith("$argon2")


def test_five_failures_then_429_even_with_the_right_password(client):
    for attempt in range(5):
        response = post_login(client, "nyj_clerk", "wrong-password", headers={"X-Forwarded-For": f"10.0.0.{attempt}"})
        assert response.status_code == 400, attempt
    for forwarded in ("10.9.9.9", "203.0.113.7, 10.0.0.1", None):
        headers = {"X-Forwarded-For": forwarded, "X-Real-IP": forwarded} if forwarded else {}
        blocked = post_login(client, "nyj_clerk", PASSWORD, headers=headers)
        assert blocked.status_code == 429
        assert blocked.headers["content-type"].startswith("text/html")
        assert TOO_MANY in blocked.text
        assert not signed_in_as(client, "nyj_clerk")
    # Other accounts are not locked out by one account's failures.
    assert post_login(client, "mzj_clerk", PASSWORD).status_code == 303


def test_failures_are_also_limited_per_client_address(settings, db):
    strict = settings.model_copy(update=dict(login_max_failures=2))  # per account 2, per client address 8
    with probe_client(strict, db) as client:
        for n in range(8):
            headers = {"X-Forwarded-For": f"198.51.100.{n}"}
            assert post_login(client, f"guess_{n}", "wrong-password", headers=headers).status_code == 400
        blocked = post_login(client, "admin", ADMIN_PASSWORD, headers={"X-Forwarded-For": "192.0.2.1"})
        assert blocked.status_code == 429


def test_the_limit_is_shared_by_every_worker(settings, db):
    """Failures are counted in the database, so a second app (another worker) sees them."""
    with probe_client(settings, db) as first:
        for _ in range(5):
            post_login(first, "nyj_clerk", "wrong-password")
    with probe_client(settings, db) as second:
        assert post_login(second, "nyj_clerk", PASSWORD).status_code == 429


def test_anonymous_visitors_get_no_session_cookie(client):
    response = client.get("/login")
    assert SESSION not in response.cookies
    post_login(client, "mzj_reviewer", "wrong-password")
    assert SESSION not in client.cookies


def test_a_planted_session_id_is_replaced_at_sign_in(client, app):
    client.cookies.set(SESSION, "attacker-chosen-session-id")
    response = post_login(client, "mzj_reviewer", PASSWORD)
    assert response.status_code == 303
    issued = response.cookies.get(SESSION)
    assert issued and issued != "attacker-chosen-session-id"
    assert signed_in_as(client, "mzj_reviewer")
    from litestar.testing import TestClient

    with TestClient(app, base_url="http://127.0.0.1") as attacker:
        attacker.cookies.set(SESSION, "attacker-chosen-session-id")
        assert not signed_in_as(attacker, "mzj_reviewer")


def test_signing_in_again_issues_a_new_session_id_and_ends_the_old_one(client, app):
    sign_in(client, "yjj_clerk")
    first = client.cookies.get(SESSION)
    sign_in(client, "mzj_reviewer")
    second = client.cookies.get(SESSION)
    assert first and second and first != second
    from litestar.testing import TestClient

    with TestClient(app, base_url="http://127.0.0.1") as replay:
        replay.cookies.set(SESSION, first)
        assert not signed_in_as(replay, "yjj_clerk")


def test_session_cookie_flags(settings, db):
    with probe_client(settings.model_copy(update=dict(cookie_secure=True)), db, https=True) as client:
        response = post_login(client, "mzj_reviewer", PASSWORD)
        header = next(h for h in response.headers.get_list("set-cookie") if h.startswith(SESSION + "="))
        assert re.search(r";\s*HttpOnly", header, re.I)
        assert re.search(r";\s*Secure", header, re.I)
        assert re.search(r";\s*SameSite=lax", header, re.I)
    with probe_client(settings, db) as client:  # local plain HTTP: configurable off
        response = post_login(client, "mzj_reviewer", PASSWORD)
        header = next(h for h in response.headers.get_list("set-cookie") if h.startswith(SESSION + "="))
        assert not re.search(r";\s*Secure", header, re.I)


def test_logout_ends_the_session(client, app):
    sign_in(client, "mzj_reviewer")
    old = client.cookies.get(SESSION)
    response = client.post("/logout", data={"_csrf_token": csrf_token(client, "/")}, follow_redirects=False)
    assert response.status_code == 303
    assert not signed_in_as(client, "mzj_reviewer")
    from litestar.testing import TestClient

    with TestClient(app, base_url="http://127.0.0.1") as replay:
        replay.cookies.set(SESSION, old)
        assert not signed_in_as(replay, "mzj_reviewer")
        again = replay.post("/logout", data={"_csrf_token": csrf_token(replay)}, follow_redirects=False)
        assert again.status_code in (302, 303)
        assert again.headers["location"].startswith("/login")


def test_a_disabled_accounts_session_stops_at_once(client, db):
    sign_in(client, "nyj_clerk")
    assert signed_in_as(client, "nyj_clerk")
    disable_user(db, "nyj_clerk")
    assert not signed_in_as(client, "nyj_clerk")
    assert post_login(client, "nyj_clerk", PASSWORD).status_code == 400


def test_idle_expiry_through_the_store(client, db):
    sign_in(client, "mzj_reviewer")
    assert signed_in_as(client, "mzj_reviewer")
    with db.write() as session:  # as if the idle time had passed
        session.execute(text("UPDATE stored_values SET expires_at = :past"), {"past": "2000-01-01 00:00:00+00:00"})
    assert not signed_in_as(client, "mzj_reviewer")


def test_absolute_expiry(settings, db):
    with probe_client(settings.model_copy(update=dict(session_absolute_seconds=-1)), db) as client:
        assert post_login(client, "mzj_reviewer", PASSWORD).status_code == 303
        assert not signed_in_as(client, "mzj_reviewer")


def test_idle_lifetime_is_the_setting(settings, db):
    with probe_client(settings.model_copy(update=dict(session_idle_seconds=600)), db) as client:
        response = post_login(client, "mzj_reviewer", PASSWORD)
        header = next(h for h in response.headers.get_list("set-cookie") if h.startswith(SESSION + "="))
        assert re.search(r"Max-Age=600\b", header, re.I), header
