"""Who may call the admission routes (no body / an empty form; the seed has no request 1, so ids give 404)."""


def _row(anonymous: int, cadre: int, department: int, reviewer: int, admin: int) -> dict:
    return {"anonymous": anonymous, "cadre": cadre, "department": department, "reviewer": reviewer, "admin": admin}


ROWS = [
    ("GET", "/api/v1/review-stages", _row(200, 200, 200, 200, 200)),
    ("POST", "/api/v1/requests", _row(401, 403, 400, 403, 403)),
    ("GET", "/api/v1/requests", _row(401, 403, 200, 200, 200)),
    ("GET", "/api/v1/requests/1", _row(404, 404, 404, 404, 404)),
    ("PATCH", "/api/v1/requests/1", _row(401, 403, 400, 403, 403)),
    ("POST", "/api/v1/requests/1/submit", _row(401, 403, 404, 403, 403)),
    ("POST", "/api/v1/requests/1/withdraw", _row(401, 403, 404, 403, 403)),
    ("POST", "/api/v1/requests/1/decision", _row(401, 403, 403, 400, 400)),
    ("GET", "/requests/mine", _row(302, 403, 200, 403, 403)),
    ("GET", "/requests/new", _row(302, 403, 200, 403, 403)),
    ("POST", "/requests/new", _row(302, 403, 422, 403, 403)),
    ("GET", "/requests/1", _row(404, 404, 404, 404, 404)),
    ("GET", "/requests/1/edit", _row(302, 403, 404, 403, 403)),
    ("POST", "/requests/1/edit", _row(302, 403, 404, 403, 403)),
    ("POST", "/requests/1/submit", _row(302, 403, 404, 403, 403)),
    ("POST", "/requests/1/withdraw", _row(302, 403, 404, 403, 403)),
    ("POST", "/requests/1/decision", _row(302, 403, 403, 404, 404)),
    ("GET", "/review", _row(302, 403, 403, 200, 200)),
]
