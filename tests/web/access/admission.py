"""Who may call the admission routes (no body / an empty form; the seed has no request 1, so ids give 404)."""

from tests.web.access import by_role

ROWS = [
    ("GET", "/api/v1/review-stages", by_role(200, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/requests", by_role(401, 403, 400, 403, 403, 403)),
    ("GET", "/api/v1/requests", by_role(200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/requests/1", by_role(404, 404, 404, 404, 404, 404)),
    ("PATCH", "/api/v1/requests/1", by_role(401, 403, 400, 403, 403, 403)),
    ("POST", "/api/v1/requests/1/submit", by_role(401, 403, 404, 403, 403, 403)),
    ("POST", "/api/v1/requests/1/withdraw", by_role(401, 403, 404, 403, 403, 403)),
    ("POST", "/api/v1/requests/1/decision", by_role(401, 403, 403, 400, 403, 400)),
    ("GET", "/requests", by_role(200, 200, 200, 200, 200, 200)),
    ("GET", "/requests/mine", by_role(302, 403, 200, 403, 403, 403)),
    ("GET", "/requests/new", by_role(302, 403, 200, 403, 403, 403)),
    ("POST", "/requests/new", by_role(302, 403, 422, 403, 403, 403)),
    ("GET", "/requests/1", by_role(404, 404, 404, 404, 404, 404)),
    ("GET", "/requests/1/edit", by_role(302, 403, 404, 403, 403, 403)),
    ("POST", "/requests/1/edit", by_role(302, 403, 404, 403, 403, 403)),
    ("POST", "/requests/1/submit", by_role(302, 403, 404, 403, 403, 403)),
    ("POST", "/requests/1/withdraw", by_role(302, 403, 404, 403, 403, 403)),
    ("POST", "/requests/1/decision", by_role(302, 403, 403, 404, 403, 404)),
    ("GET", "/review", by_role(302, 403, 403, 200, 403, 200)),
]
