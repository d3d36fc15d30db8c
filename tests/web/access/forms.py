"""The form register is public; a village's data is its cadres' (the office and admins read it); a form's
submissions are its department's, the office's and admins'. The cadre is lucun_cadre (芦茨村), the department
yjj_clerk (YJJ: F011 is its form, F004 is MZJ's)."""

from tests.web.access import ALL_200, by_role

VILLAGE = "/api/v1/regions/330122101201/data/2026-11"
PAGE = "/regions/330122101201/data/2026-11"

ROWS = [
    ("GET", "/api/v1/forms", ALL_200),
    ("GET", "/api/v1/forms/stats", ALL_200),
    ("GET", "/api/v1/forms/F004", ALL_200),
    ("GET", "/api/v1/indicators?q=低保", ALL_200),
    # no body: the cadre passes the guard and gets 400 (an empty body is not a JSON object)
    ("PUT", VILLAGE, by_role(401, 400, 403, 403, 403, 403)),
    ("GET", VILLAGE, by_role(401, 200, 403, 403, 200, 200)),
    ("GET", VILLAGE + "/history", by_role(401, 200, 403, 403, 200, 200)),
    ("GET", "/api/v1/forms/F004/submissions?period=2026-11", by_role(401, 403, 403, 403, 200, 200)),
    ("GET", "/api/v1/forms/F011/submissions?period=2026-11&format=csv", by_role(401, 403, 200, 403, 200, 200)),
    ("GET", "/forms", ALL_200),
    ("GET", "/forms/stats", ALL_200),
    ("GET", "/forms/F004", ALL_200),
    ("GET", "/indicators", ALL_200),
    ("GET", "/data", by_role(302, 200, 403, 403, 403, 403)),
    ("GET", PAGE, by_role(302, 200, 403, 403, 403, 403)),
    # an empty form enters nothing: saved (nothing changed) → 303
    ("POST", PAGE, by_role(302, 303, 403, 403, 403, 403)),
    # the seed has no request 1: the department clerk passes the guard and gets 404
    ("GET", "/requests/1/forms/new", by_role(302, 403, 404, 403, 403, 403)),
    ("POST", "/requests/1/forms/new", by_role(302, 403, 404, 403, 403, 403)),
    ("POST", "/requests/1/forms/0/delete", by_role(302, 403, 404, 403, 403, 403)),
]
