"""Rows of the access table, one module per area (see tests/web/test_access.py)."""

ROLES = ("anonymous", "cadre", "department", "reviewer", "office", "admin")
ALL_200 = dict.fromkeys(ROLES, 200)


def by_role(anonymous: int, cadre: int, department: int, reviewer: int, office: int, admin: int) -> dict[str, int]:
    """One row's statuses, in the order of ROLES."""
    return dict(zip(ROLES, (anonymous, cadre, department, reviewer, office, admin), strict=True))
