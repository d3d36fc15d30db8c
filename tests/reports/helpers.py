"""Shared helpers of the reports tests: bodies, accounts, a report filed and moved over HTTP."""

from datetime import date

from registry.timeutil import local_date, utcnow

LUCUN = "330122101201"  # 芦茨村, a village of 富春江镇
FUCHUNJIANG = "330122101000"  # 富春江镇
JIANGNAN = "330122113000"  # 江南镇 (jiangnan_cadre's town)


def today() -> date:
    return local_date(utcnow())


def report_body(**changes) -> dict:  # type: ignore[no-untyped-def]
    body = {
        "kind": "unlisted_task",
        "department": "NYJ",
        "title": "要求每周上报秸秆焚烧巡查台账",
        "description": "镇里转来县农业农村局通知，要求村每周五前填报秸秆巡查台账并附照片。",
        "asked_on": today().isoformat(),
        "channel": "message_group",
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def file_report(client, headers, **changes) -> dict:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/reports", json=report_body(**changes), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def move(client, headers, report: dict, state: str, note: str = "说明", **extra) -> dict:  # type: ignore[no-untyped-def]
    response = client.post(f"/api/v1/reports/{report['id']}/transition",
                           json={"state": state, "note": note, **extra}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()
