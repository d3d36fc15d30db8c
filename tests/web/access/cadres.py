"""Who may open the cadre's own page (我的村（社区）) and mark its list read (an empty form)."""

from tests.web.access import by_role

ROWS = [
    ("GET", "/my", by_role(302, 200, 403, 403, 403, 403)),
    ("POST", "/my/read", by_role(302, 303, 403, 403, 403, 403)),
]
