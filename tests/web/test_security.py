"""Security of the web frame: CSRF on cookie-authenticated forms, bearer-only API, body limit, allowed
hosts, security headers on every response, error pages without traces, 500s with an id, escaping."""

import json
import logging
import re

import pytest
from litestar.testing import TestClient
from sqlalchemy import text

from tests.accounts.probe import PROBE_PATH, probe_client
from tests.conftest import PASSWORD, bearer, csrf_token, sign_in

BIG = 1024 * 1024 + 1


@pytest.fixture
def web(settings, db):  # type: ignore[no-untyped-def]
    with probe_client(settings, db) as client:
        yield client


def signed_in_name(client) -> str | None:  # type: ignore[no-untyped-def]
    found = re.search(r'<strong class="user-name">([^<]*)</strong>', client.get("/").text)
    return found[1] if found else None


# ---------------------------------------------------------------- CSRF

def test_login_form_without_csrf_token_is_refused(web):
    web.get("/login")
    response = web.post("/login", data={"name": "mzj_reviewer", "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 403
    assert signed_in_name(web) is None


def test_login_form_with_a_forged_token_is_refused(web):
    web.get("/login")
    response = web.post("/login", data={"name": "mzj_reviewer", "password": PASSWORD, "_csrf_token": "forged" * 8},
                        follow_redirects=False)
    assert response.status_code == 403


def test_logout_without_token_is_refused_and_with_token_works(web):
    sign_in(web, "mzj_reviewer")
    refused = web.post("/logout", data={}, follow_redirects=False)
    assert refused.status_code == 403
    assert signed_in_name(web) == "mzj_reviewer"  # still signed in
    done = web.post("/logout", data={"_csrf_token": csrf_token(web, "/")}, follow_redirects=False)
    assert done.status_code == 303
    assert signed_in_name(web) is None


def test_every_page_form_carries_the_csrf_field(web):
    sign_in(web, "mzj_reviewer")
    for path in ("/", "/login"):
        page = web.get(path).text
        forms = re.findall(r'<form[^>]*method="post".*?</form>', page, re.S | re.I)
        assert forms, path
        for form in forms:
            assert 'name="_csrf_token"' in form, (path, form[:200])


# ---------------------------------------------------------------- bearer-only API

def test_bearer_api_write_needs_no_csrf_token(web, db):
    response = web.post(PROBE_PATH, headers=bearer(db, "yjj_clerk"), content=b"{}")
    assert response.status_code == 201
    assert response.json()["name"] == "yjj_clerk"


def test_real_api_write_route_needs_no_csrf_token(web, db):
    response = web.post("/api/v1/requests", headers=bearer(db, "yjj_clerk"), content=b"{}")
    assert response.status_code not in (401, 403)
    assert response.status_code < 500


def test_session_cookie_is_never_accepted_on_the_api(web):
    sign_in(web, "yjj_clerk")
    token = csrf_token(web, "/")
    for path in (PROBE_PATH, "/api/v1/requests"):
        response = web.post(path, content=b"{}", headers={"x-csrftoken": token, "content-type": "application/json"})
        assert response.status_code == 401, path
        assert response.headers["content-type"].startswith("application/json")
        assert response.json()["detail"]


def test_bearer_token_is_not_a_page_session(web, db):
    assert web.get("/", headers=bearer(db, "yjj_clerk")).status_code == 200
    assert signed_in_name(web) is None
    response = web.post("/logout", headers=bearer(db, "yjj_clerk"), data={"_csrf_token": csrf_token(web)},
                        follow_redirects=False)
    assert response.status_code in (302, 303) and response.headers["location"].startswith("/login")


@pytest.mark.parametrize("header", ["Bearer ", "Bearer rgt_wrong", "Basic eWpqOnBhc3M=", "bearer"])
def test_bad_authorization_is_401(web, header):
    response = web.post(PROBE_PATH, headers={"Authorization": header}, content=b"{}")
    assert response.status_code == 401
    assert "bearer" in response.headers.get("www-authenticate", "").lower()


# ---------------------------------------------------------------- body limit, in the contract's order

def test_oversized_body_order_anonymous_401_wrong_role_403_then_413(web, db):
    body = b"x" * BIG
    assert web.post(PROBE_PATH, content=body).status_code == 401
    assert web.post(PROBE_PATH, content=body, headers=bearer(db, "lucun_cadre")).status_code == 403
    too_big = web.post(PROBE_PATH, content=body, headers=bearer(db, "yjj_clerk"))
    assert too_big.status_code == 413
    assert too_big.json()["detail"]
    fits = web.post(PROBE_PATH, content=b"x" * (BIG - 1), headers=bearer(db, "yjj_clerk"))
    assert fits.status_code == 201 and fits.json()["bytes"] == BIG - 1


def test_oversized_body_on_a_contract_route(web, db):
    body = b"{" + b" " * BIG + b"}"
    assert web.post("/api/v1/requests", content=body).status_code == 401
    assert web.post("/api/v1/requests", content=body, headers=bearer(db, "lucun_cadre")).status_code == 403
    assert web.post("/api/v1/requests", content=body, headers=bearer(db, "yjj_clerk")).status_code == 413
    assert web.put("/api/v1/budget", content=body, headers=bearer(db, "admin")).status_code == 413


def test_oversized_body_without_content_length_is_413(web, db):
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(5):
            yield b"y" * (256 * 1024)

    response = web.post(PROBE_PATH, content=chunks(), headers=bearer(db, "yjj_clerk"))
    assert response.status_code == 413


def test_oversized_form_is_413(web):
    token = csrf_token(web)
    response = web.post("/login", data={"name": "x" * BIG, "password": "p", "_csrf_token": token},
                        follow_redirects=False)
    assert response.status_code == 413


# ---------------------------------------------------------------- hosts

@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", "localhost.evil.example:80", "evil"])
def test_unknown_host_is_400(web, host):
    response = web.get("/", headers={"host": host})
    assert response.status_code == 400
    assert response.json()["detail"]
    assert "evil" not in response.text  # the refused name is not echoed


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8000", "localhost", "localhost:8443", "LOCALHOST"])
def test_allowed_hosts_with_or_without_port(web, host):
    assert web.get("/", headers={"host": host}).status_code == 200


# ---------------------------------------------------------------- headers on every response

def responses(web, db):  # type: ignore[no-untyped-def]
    admin = bearer(db, "admin")
    department = bearer(db, "yjj_clerk")
    yield "200 page", 200, web.get("/")
    yield "200 login page", 200, web.get("/login?lang=en")
    yield "200 JSON", 200, web.get("/api/v1/departments")
    yield "404 page", 404, web.get("/no-such-page")
    yield "404 API", 404, web.get("/api/v1/regions/999999999999")
    yield "400 bad host", 400, web.get("/", headers={"host": "evil.example"})
    yield "401 API", 401, web.post(PROBE_PATH, content=b"{}")
    yield "403 API", 403, web.post(PROBE_PATH, content=b"{}", headers=bearer(db, "lucun_cadre"))
    yield "403 CSRF", 403, web.post("/login", data={"name": "a", "password": "b"})
    yield "405 page", 405, web.get("/logout")
    yield "405 API", 405, web.delete("/api/v1/departments", headers=admin)
    yield "413 API", 413, web.post(PROBE_PATH, content=b"x" * BIG, headers=department)
    yield "static", 200, web.get("/static/css/app.css")
    yield "openapi", 200, web.get("/schema/openapi.json")
    yield "healthz", 200, web.get("/healthz")
    yield "303 redirect", 303, web.post("/login", data={"name": "mzj_reviewer", "password": PASSWORD,
                                                         "_csrf_token": csrf_token(web)}, follow_redirects=False)


def test_every_response_carries_the_security_headers(web, db):
    seen = []
    for label, status, response in responses(web, db):
        assert response.status_code == status, label
        headers = response.headers
        csp = headers.get("content-security-policy", "")
        directives = {d.strip().split(" ", 1)[0]: d.strip() for d in csp.split(";") if d.strip()}
        script_src = directives.get("script-src") or directives.get("default-src", "")
        assert script_src, (label, csp)
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, label
        assert directives.get("frame-ancestors") == "frame-ancestors 'none'", label
        assert headers.get("x-content-type-options") == "nosniff", label
        assert headers.get("referrer-policy"), label
        seen.append(label)
    assert len(seen) == 16


def test_error_pages_never_show_a_trace(web, db):
    for label, status, response in responses(web, db):
        if status < 400:
            continue
        body = response.text
        assert "Traceback" not in body, label
        assert 'File "' not in body and "/work/" not in body and ".py" not in body, label


def test_html_errors_are_pages_and_api_errors_are_json(web):
    page = web.get("/no-such-page")
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-Hans">' in page.text and "错误 404" in page.text and "页面不存在" in page.text
    assert "500" not in page.text
    english = web.get("/no-such-page?lang=en")
    assert '<html lang="en">' in english.text and "Page not found" in english.text
    api = web.get("/api/v1/regions/999999999999")
    assert api.headers["content-type"].startswith("application/json")
    assert api.json()["detail"]


# ---------------------------------------------------------------- 500

def boom(*_args, **_kwargs):  # type: ignore[no-untyped-def]
    raise RuntimeError("simulated failure in /work/secret/path.py")


def test_a_500_page_shows_an_error_id_that_is_in_the_log(web, monkeypatch, caplog):
    monkeypatch.setattr("registry.regions.web.region_index", boom)
    with caplog.at_level(logging.ERROR):
        response = web.get("/")
    assert response.status_code == 500
    assert "simulated failure" not in response.text and "Traceback" not in response.text
    assert "/work/secret" not in response.text
    found = re.search(r"错误编号：\s*([0-9A-Za-z_-]{6,})", response.text)
    assert found, response.text[-800:]
    error_id = found[1]
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged, caplog.text
    assert logged[0].exc_info is not None  # the trace goes to the log, not the page
    again = web.get("/")
    assert error_id not in again.text  # each failure has its own id


def test_a_500_in_the_api_is_json_with_the_id(web, monkeypatch, caplog):
    monkeypatch.setattr("registry.regions.api.region_index", boom)
    with caplog.at_level(logging.ERROR):
        response = web.get("/api/v1/regions/330122000000")
    assert response.status_code == 500
    body = response.json()
    assert body["error_id"] in caplog.text
    assert "simulated" not in json.dumps(body)
    assert response.headers.get("x-content-type-options") == "nosniff"


# ---------------------------------------------------------------- escaping user text

def test_department_name_is_escaped_in_the_page_header(web, db):
    with db.write() as session:
        session.execute(text("UPDATE departments SET name = :n WHERE code = 'YJJ'"),
                        {"n": '<script>alert("x")</script>应急'})
    sign_in(web, "yjj_clerk")
    page = web.get("/").text
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(" in page


def test_login_form_echoes_the_name_escaped(web):
    name = '"><script>alert(1)</script>'
    response = web.post("/login", data={"name": name, "password": "wrong-password", "_csrf_token": csrf_token(web)})
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_pages_have_no_inline_scripts_or_style_attributes(web):
    sign_in(web, "mzj_reviewer")
    for path in ("/", "/login", "/no-such-page"):
        page = web.get(path).text
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.S | re.I)
        assert scripts, path
        for attributes, body in scripts:
            assert "src=" in attributes and not body.strip(), (path, attributes)
        assert not re.search(r"\sstyle=", page, re.I), path
        assert not re.search(r"\son[a-z]+=", page, re.I), path


def test_another_client_cannot_use_the_session_without_the_cookie(app, web):
    sign_in(web, "mzj_reviewer")
    with TestClient(app, base_url="http://127.0.0.1") as stranger:
        assert signed_in_name(stranger) is None


def test_head_answers_like_get_without_a_body(client):
    for path in ("/", "/regions/330122101201", "/api/v1/regions/330122101201/duties"):
        got = client.get(path)
        head = client.head(path)
        assert head.status_code == 200
        assert head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]
        assert "content-security-policy" in head.headers
