"""The outbox is the admin's: its page, its retry form, and the same in the API (the seed has no
notification 1, so the admin's retry gives 404)."""

from tests.web.access import by_role

ROWS = [
    ("GET", "/admin/outbox", by_role(302, 403, 403, 403, 403, 200)),
    ("GET", "/admin/outbox?state=dead", by_role(302, 403, 403, 403, 403, 200)),
    ("POST", "/admin/outbox/1/retry", by_role(302, 403, 403, 403, 403, 404)),
    ("GET", "/api/v1/notifications", by_role(401, 403, 403, 403, 403, 200)),
    ("POST", "/api/v1/notifications/1/retry", by_role(401, 403, 403, 403, 403, 404)),
]
