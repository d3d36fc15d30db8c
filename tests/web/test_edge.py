"""The edge holds for every route of the app: crafted Host headers get a clean 400 and are never echoed; hostile
path segments and query values (10k characters, huge integers, NUL, bad UTF-8 escapes) get a 4xx, never a 5xx.

The routes come from app.routes, so a route added later is covered without editing this file. Each route is
called by a role its access rule admits (anonymous for public routes), so the handler itself runs.
"""

import re

import pytest

from registry.web.edge import parse_host
from registry.web.guards import ACCESS_KEY, PUBLIC
from tests.conftest import ADMIN_PASSWORD, bearer, csrf_token, sign_in
from tests.web.test_access import ACCOUNTS, IGNORED_METHODS

# Already percent-encoded: each is put into a URL as it stands.
HOSTILE_VALUES = [
    "9" * 20,  # beyond a signed 64-bit integer
    "9" * 10_000,  # beyond Python's int-from-text limit too
    "a" * 10_000,
    "-1",
    "0",
    "%00",
    "a%00b",
    "%ff%fe",  # not UTF-8
    "%c3%28",  # a broken UTF-8 sequence
    "%ed%a0%80",  # an encoded surrogate
    "%25zz",
    "..%2f..%2fetc%2fpasswd",
    "%e4%b8%ad" * 300,
    "1e308",
    "%20",
]
QUERY_NAMES = ("page", "per_page", "q", "after", "since", "status", "category", "region", "lang", "sort", "next")

HOSTILE_HOSTS = [
    "127.0.0.1:99999", "127.0.0.1:abc", "127.0.0.1:-1", "127.0.0.1:0", "127.0.0.1:", "a@evil.example",
    "127.0.0.1@evil.example", "127.0.0.1:80@evil.example", "127.0.0.1, evil.example", "127.0.0.1 evil.example",
    "127.0.0.1:80/evil", "127.0.0.1?x=1", "127.0.0.1#x", "[::1", "[not-ipv6]", "[127.0.0.1]", "x" * 10_000,
    "", " ", "127.0.0.1\\evil.example", "127.0.0.1%2fevil", "localhost..", "-localhost",
]
NON_ASCII_HOSTS = ["主机.example".encode(), b"127.0.0.1" + b"\xff", b"\x00"]


def routes_by_method(app) -> list[tuple[str, str, object]]:  # type: ignore[no-untyped-def]
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            for method in sorted(getattr(handler, "http_methods", ())):
                if method not in IGNORED_METHODS:
                    found.append((method, route.path, handler.opt.get(ACCESS_KEY)))
    return found


def caller_for(rule) -> str:  # type: ignore[no-untyped-def]
    """A role the rule admits: anonymous for public routes, else the first admitted role."""
    if rule == PUBLIC:
        return "anonymous"
    return next(role for role in ACCOUNTS if role in {str(r) for r in rule})


def fill(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", value, path)


def call(client, db, role: str, method: str, url: str, state: dict):  # type: ignore[no-untyped-def]
    is_api = url.startswith(("/api/", "/schema"))
    headers = {}
    if role != "anonymous" and is_api:
        headers = state.setdefault(("bearer", role), bearer(db, ACCOUNTS[role]))
    elif role != "anonymous" and state.get("signed_in") != role:
        client.cookies.clear()
        sign_in(client, ACCOUNTS[role], *([ADMIN_PASSWORD] if role == "admin" else []))
        state["signed_in"] = role
    if role == "anonymous":
        client.cookies.clear()
        state["signed_in"] = None
    if method == "GET":
        return client.get(url, headers=headers, follow_redirects=False)
    if is_api:
        return client.request(method, url, headers=headers, json={})
    token = client.cookies.get("csrftoken") or csrf_token(client, "/login")
    response = client.request(method, url, data={"_csrf_token": token}, follow_redirects=False)
    if url.startswith("/logout"):
        state["signed_in"] = None
    return response


def test_hostile_path_and_query_values_never_reach_a_5xx(app, client, db):
    state: dict = {}
    failures = []
    for method, path, rule in routes_by_method(app):
        role = caller_for(rule)
        for value in HOSTILE_VALUES:
            urls = [fill(path, value)] if "{" in path else []
            if not path.startswith("/schema"):  # the documents take no parameters and are slow to render
                names = QUERY_NAMES if len(value) < 1000 else QUERY_NAMES[:4]  # httpx refuses URLs over 64 kB
                urls.append(fill(path, "1") + "?" + "&".join(f"{name}={value}" for name in names))
            for url in urls:
                response = call(client, db, role, method, url, state)
                if response.status_code >= 500:
                    failures.append(f"{role} {method} {url[:80]} -> {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("url", [
    "/api/v1/requests/99999999999999999999", "/requests/99999999999999999999", "/ledger/99999999999999999999",
    "/api/v1/requests/-99999999999999999999", "/api/v1/notifications/9223372036854775808/retry",
])
def test_integers_beyond_64_bits_in_a_path_are_not_found(client, db, url):
    headers = bearer(db, "admin") if url.startswith("/api/") else {}
    method = "POST" if url.endswith("/retry") else "GET"
    assert client.request(method, url, headers=headers).status_code == 404


def test_every_page_answers_400_to_a_crafted_host_and_never_echoes_it(app, client):
    paths = [fill(path, "1") for method, path, _ in routes_by_method(app) if method == "GET"]
    failures = []
    for path in paths:
        for host in [*HOSTILE_HOSTS, *NON_ASCII_HOSTS]:
            response = client.get(path, headers=[(b"host", host if isinstance(host, bytes) else host.encode())])
            if response.status_code != 400:
                failures.append(f"{path} host={host[:40]!r}: {response.status_code}")
            if response.status_code < 500 and "evil" in response.text:
                failures.append(f"{path} host={host[:40]!r} echoed")
    assert not failures, "\n".join(failures)


def test_probes_answer_any_parsable_host(client):
    for path in ("/healthz", "/readyz"):
        assert client.get(path, headers={"host": "10.0.0.7:8000"}).status_code == 200
        assert client.get(path, headers={"host": "127.0.0.1:99999"}).status_code == 400


def test_several_host_headers_are_a_400(client):
    response = client.get("/", headers=[(b"host", b"127.0.0.1"), (b"host", b"evil.example")])
    assert response.status_code == 400
    assert response.json()["code"] == "host_invalid"
    assert response.headers["cache-control"] == "no-store"


def test_an_allowed_name_with_an_odd_but_valid_port_is_served_without_echo(client):
    for host in ["127.0.0.1:65535", "localhost:1", "LOCALHOST.:8080"]:
        response = client.get("/duties?page=2", headers={"host": host})
        assert response.status_code == 200, host
        assert ":65535" not in response.text and "localhost:1" not in response.text


@pytest.mark.parametrize(("header", "name"), [
    ("127.0.0.1", "127.0.0.1"), ("127.0.0.1:8000", "127.0.0.1"), ("Registry.Example.gov.cn", "registry.example.gov.cn"),
    ("[::1]:8443", "[::1]"), ("[2001:db8::1]", "[2001:db8::1]"), ("web_1:80", "web_1"),
])
def test_parse_host_accepts_names_addresses_and_ports(header, name):
    assert parse_host(header) == name


@pytest.mark.parametrize("header", HOSTILE_HOSTS)
def test_parse_host_refuses_crafted_values(header):
    assert parse_host(header) is None


def test_a_wildcard_allowed_host_is_never_echoed_into_any_page(settings, db):
    # Misconfigured with "*": a well-formed but hostile Host is served, yet no page, feed or document names it.

    from litestar.testing import TestClient

    from registry.app import create_app

    app = create_app(settings.model_copy(update={"allowed_hosts": ("*",)}), db)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        echoed = []
        for method, path, rule in routes_by_method(app):
            if method == "GET" and rule == PUBLIC:
                response = client.get(fill(path, "330122101201"), headers={"host": "evil.example:8443"})
                if "evil.example" in response.text or "evil.example" in str(response.headers):
                    echoed.append(path)
    assert not echoed, echoed
