"""Shared steps of the secondment tests: accounts bound to 百江镇 and a secondment filed through the API."""

from registry.accounts.services import create_user
from tests.conftest import PASSWORD, bearer

BAIJIANG = "330122112000"  # 百江镇: 60 staff in seed/staff.csv
BAIJIANG_VILLAGE = "330122112201"


def town_cadre(db, name: str = "baijiang_cadre", region: str = BAIJIANG) -> dict[str, str]:  # type: ignore[no-untyped-def]
    create_user(db, name, "cadre", PASSWORD, region_code=region)
    return bearer(db, name)


def body(**changes: object) -> dict:
    values = {"home": BAIJIANG, "person_ref": "TL-2024-0001", "reason": "防汛值守", "start_on": "2026-12-01",
              "end_on": "2027-03-31"}
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def file(client, headers, **changes: object) -> dict:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/secondments", json=body(**changes), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def kinds(secondment: dict) -> set[str]:
    return {flag["kind"] for flag in secondment["flags"]}
