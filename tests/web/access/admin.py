"""Administration is the admin's alone (empty forms; account 999999 and stage `nope` do not exist)."""

from tests.web.access import by_role

ADMIN_ONLY_PAGE = by_role(302, 403, 403, 403, 403, 200)


def _post(admin: int) -> dict[str, int]:
    return by_role(302, 403, 403, 403, 403, admin)


ROWS = [
    ("GET", "/admin", ADMIN_ONLY_PAGE),
    ("GET", "/admin/accounts", ADMIN_ONLY_PAGE),
    ("POST", "/admin/accounts", _post(422)),
    ("GET", "/admin/accounts/999999", by_role(302, 403, 403, 403, 403, 404)),
    ("POST", "/admin/accounts/999999/password", _post(404)),
    ("POST", "/admin/accounts/999999/disable", _post(404)),
    ("POST", "/admin/accounts/999999/enable", _post(404)),
    ("POST", "/admin/accounts/999999/tokens", _post(404)),
    ("POST", "/admin/accounts/999999/tokens/1/revoke", _post(404)),
    ("GET", "/admin/departments", ADMIN_ONLY_PAGE),
    ("POST", "/admin/departments", _post(422)),
    ("POST", "/admin/departments/NOPE", _post(303)),
    ("GET", "/admin/stages", ADMIN_ONLY_PAGE),
    ("POST", "/admin/stages", _post(422)),
    ("POST", "/admin/stages/nope", _post(303)),
    ("GET", "/admin/audit", ADMIN_ONLY_PAGE),
    ("GET", "/admin/audit?kind=login.failed", ADMIN_ONLY_PAGE),
]
