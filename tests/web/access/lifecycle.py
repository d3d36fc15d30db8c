"""Who may call the lifecycle routes: reviews, ratings (no body / an empty form)."""

from tests.web.access import ALL_200, by_role

ROWS = [
    ("GET", "/api/v1/reviews", ALL_200),
    ("GET", "/reviews", ALL_200),
    ("GET", "/api/v1/ratings/summary", ALL_200),
    ("POST", "/api/v1/ratings", by_role(401, 400, 403, 403, 403, 403)),
    ("GET", "/api/v1/ratings", by_role(401, 200, 200, 200, 200, 200)),
    ("GET", "/ratings", by_role(302, 200, 403, 403, 403, 403)),
    ("POST", "/ratings", by_role(302, 422, 403, 403, 403, 403)),
    ("GET", "/ratings/comments", by_role(302, 403, 200, 200, 200, 200)),
    ("GET", "/ratings/comments?year=2025", by_role(302, 403, 200, 200, 200, 200)),
]
ROWS += [
    ("GET", "/api/v1/statistics/2026", ALL_200),
    ("GET", "/statistics/2026", ALL_200),
    ("GET", "/statistics", dict.fromkeys(ALL_200, 302)),
    ("GET", "/statistics/2026/export.xlsx", ALL_200),
]
