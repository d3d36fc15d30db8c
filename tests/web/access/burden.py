from tests.web.access import ALL_200, by_role

ADMIN_ONLY_PAGE = by_role(302, 403, 403, 403, 403, 200)

ROWS = [
    ("GET", "/api/v1/regions/330122000000/burden", ALL_200),
    ("GET", "/api/v1/regions/330122101201/burden", ALL_200),
    ("GET", "/api/v1/budget", ALL_200),
    # no body: admin passes the guard and gets 400 (an empty body is not a JSON object)
    ("PUT", "/api/v1/budget", by_role(401, 403, 403, 403, 403, 400)),
    ("GET", "/burden", ALL_200),
    ("GET", "/burden/regions/330122113000", ALL_200),
    ("GET", "/burden/charts/towns.csv", ALL_200),
    ("GET", "/burden/charts/editions.csv", ALL_200),
    ("GET", "/burden/charts/seven.csv", ALL_200),
    ("GET", "/burden/budget", ADMIN_ONLY_PAGE),
    # an empty form: every field empty means "no caps", which is valid → 303 after saving
    ("POST", "/burden/budget", by_role(302, 403, 403, 403, 403, 303)),
]
