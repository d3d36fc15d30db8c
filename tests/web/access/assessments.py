"""Who may call the joint assessment routes (no body / an empty form)."""

from tests.web.access import ALL_200, by_role

ROWS = [
    ("POST", "/api/v1/assessments/joint", by_role(401, 403, 403, 403, 400, 403)),
    ("GET", "/api/v1/assessments/joint", ALL_200),
    ("GET", "/assessments", ALL_200),
    ("POST", "/assessments", by_role(302, 403, 403, 403, 422, 403)),
]
