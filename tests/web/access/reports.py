"""Who may call the reports routes (no body / an empty form; the seed has no report 1, so ids give 404)."""

from tests.web.access import by_role

ROWS = [
    ("POST", "/api/v1/reports", by_role(401, 400, 403, 403, 400, 403)),
    ("GET", "/api/v1/reports", by_role(401, 200, 200, 403, 200, 200)),
    ("GET", "/api/v1/reports/stats", by_role(200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/reports/1", by_role(404, 404, 404, 404, 404, 404)),
    ("POST", "/api/v1/reports/1/transition", by_role(401, 403, 403, 403, 400, 403)),
    ("POST", "/api/v1/reports/1/responses", by_role(401, 403, 400, 403, 403, 403)),
]

ROWS += [
    ("GET", "/reports/new", by_role(302, 200, 403, 403, 200, 403)),
    ("POST", "/reports/new", by_role(302, 422, 403, 403, 422, 403)),
    ("GET", "/reports", by_role(302, 200, 200, 403, 200, 200)),
    ("GET", "/reports/1", by_role(404, 404, 404, 404, 404, 404)),
    ("POST", "/reports/1/transition", by_role(302, 403, 403, 403, 404, 403)),
    ("POST", "/reports/1/responses", by_role(302, 403, 404, 403, 403, 403)),
    ("GET", "/reports/stats", by_role(200, 200, 200, 200, 200, 200)),
    ("GET", "/reports/stats.csv", by_role(200, 200, 200, 200, 200, 200)),
]

ROWS += [
    ("POST", "/api/v1/reports/1/files", by_role(401, 422, 403, 403, 422, 403)),
    ("GET", "/api/v1/reports/1/files/1", by_role(404, 404, 404, 404, 404, 404)),
]

ROWS += [
    ("GET", "/reports/departments/NYJ/feed.atom", by_role(200, 200, 200, 200, 200, 200)),
]

ROWS += [
    ("POST", "/reports/1/files", by_role(302, 404, 403, 403, 404, 403)),
    # The one page naming who filed: the office and admins only (no report 1 in the seed: 404).
    ("GET", "/reports/1/audit", by_role(302, 403, 403, 403, 404, 404)),
]
ROWS += [("GET", "/reports/1/files/1", by_role(404, 404, 404, 404, 404, 404))]
