"""Access rows for the foundation's routes: the home page, health and readiness, sign-in and sign-out, static files,
the OpenAPI document, and the public region and department reads."""

from tests.web.access import ALL_200, ROLES, by_role

ROWS = [
    ("GET", "/", ALL_200),
    ("GET", "/healthz", ALL_200),
    ("GET", "/readyz", ALL_200),
    ("GET", "/login", ALL_200),
    # An empty form (valid CSRF token): the form again with "enter your name and password".
    ("POST", "/login", dict.fromkeys(ROLES, 400)),
    # Anonymous callers of a restricted page are sent to /login; a signed-in person is signed out (303 to /).
    ("POST", "/logout", by_role(302, 303, 303, 303, 303, 303)),
    ("GET", "/static/css/app.css", ALL_200),
    ("GET", "/schema/openapi.json", ALL_200),
    ("GET", "/api/v1/regions/330122000000", ALL_200),
    ("GET", "/api/v1/departments", ALL_200),
]
