"""Who may call the secondment routes (no body / an empty form). The demo seed has secondment 1 (ended,
public) and 百江镇 (330122112000) among the towns."""

from tests.web.access import ALL_200, by_role

ROWS = [
    ("GET", "/api/v1/secondments", ALL_200),
    ("POST", "/api/v1/secondments", by_role(401, 403, 400, 403, 403, 403)),
    ("GET", "/api/v1/secondments/mine", by_role(401, 200, 200, 200, 403, 200)),
    ("GET", "/api/v1/secondments/stats", ALL_200),
    ("GET", "/api/v1/secondments/towns/330122112000", ALL_200),
    ("GET", "/api/v1/secondments/1", ALL_200),
    ("POST", "/api/v1/secondments/1/consent", by_role(401, 400, 403, 400, 403, 403)),
    ("POST", "/api/v1/secondments/1/outcome", by_role(401, 403, 403, 400, 403, 403)),
    ("GET", "/api/v1/temporary-bodies", ALL_200),
    ("POST", "/api/v1/temporary-bodies", by_role(401, 403, 403, 400, 403, 400)),
]

PAGES = [
    ("GET", "/secondments", ALL_200),
    ("GET", "/secondments/stats", ALL_200),
    ("GET", "/secondments/towns/330122112000", ALL_200),
    ("GET", "/secondments/mine", by_role(302, 200, 200, 200, 403, 200)),
    ("GET", "/secondments/new", by_role(302, 403, 200, 403, 403, 403)),
    ("POST", "/secondments/new", by_role(302, 403, 422, 403, 403, 403)),
    ("GET", "/secondments/1", ALL_200),
    ("POST", "/secondments/1/consent", by_role(302, 422, 403, 422, 403, 403)),
    ("POST", "/secondments/1/outcome", by_role(302, 403, 403, 422, 403, 403)),
    ("GET", "/temporary-bodies", ALL_200),
    ("POST", "/temporary-bodies", by_role(302, 403, 403, 422, 403, 422)),
]
ROWS += PAGES
