"""Who sees a report (contract §6), role by role: the office and admins all; cadres of its region and of the
town above; the department named once in progress, with the town instead of the village unless the reporter
shared it; everyone else 404 — on GET one and in the list alike."""

import pytest

from registry.accounts.services import create_user
from registry.choices import Role
from tests.conftest import PASSWORD, bearer
from tests.reports.helpers import FUCHUNJIANG, LUCUN, file_report, move

SHISHE = "330122101202"  # another village of 富春江镇

# (account, sees it while received, sees it once in progress, the region code it is shown)
TABLE = [
    ("anonymous", False, False, None),
    ("fwb_office", True, True, LUCUN),
    ("admin", True, True, LUCUN),
    ("lucun_cadre", True, True, LUCUN),
    ("fcj_town_cadre", True, True, LUCUN),  # the town above
    ("shishe_cadre", False, False, None),  # another village of the same town
    ("jiangnan_cadre", False, False, None),  # another town
    ("nyj_clerk", False, True, FUCHUNJIANG),  # the department named: the town, not the village
    ("yjj_clerk", False, False, None),  # another department
    ("mzj_reviewer", False, False, None),
]


@pytest.fixture
def accounts(db):  # type: ignore[no-untyped-def]
    create_user(db, "fcj_town_cadre", Role.CADRE, PASSWORD, region_code=FUCHUNJIANG)
    create_user(db, "shishe_cadre", Role.CADRE, PASSWORD, region_code=SHISHE)
    return {name: ({} if name == "anonymous" else bearer(db, name)) for name, *_ in TABLE}


def listed(client, headers, report_id: int) -> bool:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/reports?per_page=100", headers=headers)
    if response.status_code in (401, 403):
        return False
    assert response.status_code == 200
    return report_id in {item["id"] for item in response.json()["items"]}


def test_visibility_table(client, db, accounts):
    report = file_report(client, accounts["lucun_cadre"])
    url = f"/api/v1/reports/{report['id']}"
    for name, received, _in_progress, code in TABLE:
        response = client.get(url, headers=accounts[name])
        assert response.status_code == (200 if received else 404), name
        if received:
            assert response.json()["region"]["code"] == code, name
        assert listed(client, accounts[name], report["id"]) == received, name
    move(client, accounts["fwb_office"], report, "in_progress")
    for name, _received, in_progress, code in TABLE:
        response = client.get(url, headers=accounts[name])
        assert response.status_code == (200 if in_progress else 404), name
        if in_progress:
            assert response.json()["region"]["code"] == code, name
        assert listed(client, accounts[name], report["id"]) == in_progress, name
    # Only the department named may respond; another department is told nothing exists.
    assert client.post(f"{url}/responses", json={"note": "x"}, headers=accounts["yjj_clerk"]).status_code == 404


def test_the_department_sees_the_village_when_the_reporter_shares_it(client, db, accounts):
    report = file_report(client, accounts["lucun_cadre"], share_region_with_department=True)
    move(client, accounts["fwb_office"], report, "in_progress")
    shown = client.get(f"/api/v1/reports/{report['id']}", headers=accounts["nyj_clerk"]).json()
    assert shown["region"]["code"] == LUCUN


def test_a_town_cadre_files_for_a_village_below_and_not_elsewhere(client, db, accounts):
    town = accounts["fcj_town_cadre"]
    report = file_report(client, town, region_code=LUCUN)
    assert report["source"] == "village"
    own = file_report(client, town)
    assert own["source"] == "town" and own["region"]["code"] == FUCHUNJIANG
    assert client.get(f"/api/v1/reports/{own['id']}", headers=accounts["lucun_cadre"]).status_code == 404
    refused = client.post("/api/v1/reports", json={**_body(), "region_code": "330122113201"}, headers=town)
    assert refused.status_code == 422
    village = accounts["lucun_cadre"]
    refused = client.post("/api/v1/reports", json={**_body(), "region_code": FUCHUNJIANG}, headers=village)
    assert refused.status_code == 422


def _body() -> dict:
    from tests.reports.helpers import report_body

    return report_body()


def test_list_filters_and_paging(client, db, accounts):
    office = accounts["fwb_office"]
    for i in range(3):
        file_report(client, accounts["lucun_cadre"], title=f"第{i}个未准入任务", department="YJJ" if i else "NYJ")
    page = client.get("/api/v1/reports?per_page=2&page=1", headers=office).json()
    assert page["total"] == 3 and len(page["items"]) == 2 and page["per_page"] == 2
    second = client.get("/api/v1/reports?per_page=2&page=2", headers=office).json()
    ids = [i["id"] for i in page["items"] + second["items"]]
    assert ids == sorted(ids, reverse=True)  # newest first
    assert client.get("/api/v1/reports?department=YJJ", headers=office).json()["total"] == 2
    assert client.get("/api/v1/reports?state=received&kind=unlisted_task", headers=office).json()["total"] == 3
    assert client.get("/api/v1/reports?state=resolved", headers=office).json()["total"] == 0
    assert client.get("/api/v1/reports?state=bogus", headers=office).status_code == 400
    assert client.get("/api/v1/reports?per_page=101", headers=office).status_code == 400
