"""One table holds every route × every role with the status that role gets; a route missing from it fails.

Rows live in tests/web/access/<area>.py as `ROWS = [(method, concrete_path, {role: status})]`.
API paths are called with the role's bearer token, pages with its signed-in session (POST forms with a
valid CSRF token and an empty form); "anonymous" with neither.
"""

import importlib
import pkgutil
import re

import pytest

import tests.web.access as access_tables
from tests.conftest import ADMIN_PASSWORD, bearer, csrf_token, sign_in
from tests.web.access import ROLES

ACCOUNTS = {"cadre": "lucun_cadre", "department": "yjj_clerk", "reviewer": "mzj_reviewer", "office": "fwb_office",
            "admin": "admin"}
IGNORED_METHODS = {"OPTIONS", "HEAD"}


def all_rows() -> list[tuple[str, str, dict[str, int]]]:
    rows = []
    for module in pkgutil.iter_modules(access_tables.__path__):
        rows.extend(importlib.import_module(f"tests.web.access.{module.name}").ROWS)
    return rows


def template_regex(path: str) -> re.Pattern:
    pattern = re.sub(r"\{[^}:]+:path\}", ".+", path)
    pattern = re.sub(r"\{[^}]+\}", "[^/]+", pattern)
    return re.compile(f"^{pattern}$")


def app_routes(app) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    found = set()
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            for method in getattr(handler, "http_methods", ()):
                if method not in IGNORED_METHODS:
                    found.add((method, route.path))
    return found


def test_every_route_is_in_the_table(app):
    rows = all_rows()
    missing = []
    for method, path in sorted(app_routes(app)):
        regex = template_regex(path)
        if not any(m == method and regex.match(p.split("?")[0]) for m, p, _ in rows):
            missing.append(f"{method} {path}")
    assert not missing, "routes without a row in tests/web/access/: " + ", ".join(missing)


def test_every_row_names_every_role():
    incomplete = [f"{m} {p}" for m, p, expected in all_rows() if set(expected) != set(ROLES)]
    assert not incomplete, f"rows must give a status for each of {ROLES}: {incomplete}"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_status_in_the_table(client, db, role):
    headers = {}
    if role != "anonymous":
        password = ADMIN_PASSWORD if role == "admin" else None
        headers = bearer(db, ACCOUNTS[role])
    mismatches = []
    signed_in = False
    for method, path, expected in all_rows():
        is_api = path.startswith("/api/")
        if role != "anonymous" and not is_api and not signed_in:
            client.cookies.clear()
            sign_in(client, ACCOUNTS[role], *([password] if password else []))
            signed_in = True
        if role == "anonymous":
            client.cookies.clear()
        request_headers = headers if is_api else {}
        if method == "GET":
            response = client.get(path, headers=request_headers, follow_redirects=False)
        elif is_api:
            response = client.request(method, path, headers=request_headers)
        else:
            token = csrf_token(client, "/login")
            response = client.request(method, path, data={"_csrf_token": token}, follow_redirects=False)
            signed_in = False  # a form may have ended the session (sign-out): start afresh
        if response.status_code != expected[role]:
            mismatches.append(f"{method} {path}: expected {expected[role]}, got {response.status_code}")
    assert not mismatches, f"as {role}:\n" + "\n".join(mismatches)
