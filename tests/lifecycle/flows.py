"""Helpers for lifecycle tests: file and approve requests over HTTP with bearer tokens."""

from datetime import date, timedelta

from registry.timeutil import local_date, utcnow
from tests.conftest import bearer

NAMES = ("yjj_clerk", "nyj_clerk", "mzj_clerk", "mzj_reviewer", "zzb_reviewer", "sfj_reviewer", "admin",
         "lucun_cadre", "jiangnan_cadre", "fwb_office")


def tokens_for(db) -> dict[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    return {name: bearer(db, name) for name in NAMES}


def today() -> date:
    return local_date(utcnow())


def years_ahead(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def approve(client, tokens, request_id: int) -> dict:  # type: ignore[no-untyped-def]
    """Approve at both seed stages (实质审查 by MZJ or ZZB, then 合法性审查 by SFJ); the REQUEST at the end."""
    for who in ("zzb_reviewer", "sfj_reviewer"):
        body = {"decision": "approve", "reason": "同意", "exemption_reason": "县里统筹"}
        response = client.post(f"/api/v1/requests/{request_id}/decision", json=body, headers=tokens[who])
        assert response.status_code == 200, response.text
    return response.json()


def file(client, tokens, who: str, body: dict) -> dict:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/requests", json={**body, "submit": True}, headers=tokens[who])
    assert response.status_code == 201, response.text
    return response.json()


def own_duty(client, department: str) -> dict:  # type: ignore[no-untyped-def]
    """The first active duty of the department, as DUTY."""
    items = client.get(f"/api/v1/duties?department={department}&per_page=100").json()["items"]
    assert items, department
    return items[0]


def soon(days: int) -> str:
    return (today() + timedelta(days=days)).isoformat()
