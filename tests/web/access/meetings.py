"""Who may call the meeting routes (no body; the seed has no meeting 1, so its id gives 404)."""

from tests.web.access import ALL_200, by_role

ROWS = [
    ("POST", "/api/v1/meetings", by_role(401, 403, 400, 403, 403, 403)),
    ("POST", "/api/v1/meetings/check", by_role(401, 403, 400, 403, 403, 403)),
    ("GET", "/api/v1/meetings", ALL_200),
    ("GET", "/api/v1/meetings/1", by_role(404, 404, 404, 404, 404, 404)),
    ("GET", "/api/v1/regions/330122112201/meetings", ALL_200),
    ("GET", "/meetings", ALL_200),
    ("GET", "/meetings/new", by_role(302, 403, 200, 403, 403, 403)),
    ("POST", "/meetings/new", by_role(302, 403, 422, 403, 403, 403)),
    ("GET", "/meetings/1", by_role(404, 404, 404, 404, 404, 404)),
    ("GET", "/meetings/calendar/330122112201", ALL_200),
    ("GET", "/meetings/calendar/330122112000?month=2026-12", ALL_200),
]
