"""The §6 journey over HTTP: a cadre reports an unlisted task, the office and the department act on it, the
public figures move by one and the ledger verifies."""

from datetime import date

from registry.catalog.integrity import verify_ledger_and_catalog
from tests.conftest import bearer
from tests.reports.helpers import LUCUN, file_report, move, today


def stats(client) -> dict:  # type: ignore[no-untyped-def]
    response = client.get(f"/api/v1/reports/stats?year={today().year}")
    assert response.status_code == 200
    return response.json()


def test_the_journey(client, db):
    cadre, office, nyj = bearer(db, "lucun_cadre"), bearer(db, "fwb_office"), bearer(db, "nyj_clerk")
    before = stats(client)
    report = file_report(client, cadre)
    assert report["number"].startswith(f"WT-{today().year}-")
    assert report["state"] == "received" and report["source"] == "village" and report["region"]["code"] == LUCUN
    assert report["match"]["on_list"] == [] and report["match"]["edition"] >= 1
    assert [e["by"] for e in report["events"]] == ["reporter"]
    assert report["due_at"] > report["created_at"]
    assert set(report) >= {"id", "number", "kind", "source", "state", "row_version", "region", "department",
                           "unit_text", "title", "description", "asked_on", "channel", "match", "due_at", "outcome",
                           "request_number", "events", "created_at"}
    # Not yet in progress: the department named does not see it.
    assert client.get(f"/api/v1/reports/{report['id']}", headers=nyj).status_code == 404
    report = move(client, office, report, "in_progress", "已转县农业农村局")
    seen = client.get(f"/api/v1/reports/{report['id']}", headers=nyj).json()
    assert seen["region"]["code"] == "330122101000"  # the town, not the village
    answered = client.post(f"/api/v1/reports/{report['id']}/responses", json={"note": "同意停止该要求"}, headers=nyj)
    assert answered.status_code == 200, answered.text
    assert answered.json()["events"][-1]["by"] == "department"
    report = move(client, office, answered.json(), "resolved", "已撤回", outcome="withdrawn")
    assert report["state"] == "resolved" and report["outcome"] == "withdrawn"
    after = stats(client)
    assert after["collected"] == before["collected"] + 1
    assert after["resolved"] == before["resolved"] + 1
    assert after["by_outcome"]["withdrawn"] == before["by_outcome"]["withdrawn"] + 1
    nyj_row = next(d for d in after["by_department"] if d["code"] == "NYJ")
    assert nyj_row["withdrawn"] >= 1 and nyj_row["median_working_days"] is not None
    ledger = client.get("/api/v1/ledger?after=0&limit=1000").json()
    last = ledger["entries"][-1]
    assert last["kind"] == "report.closed"
    assert last["payload"] == {"number": report["number"], "kind": "unlisted_task", "source": "village",
                               "department": "NYJ", "outcome": "withdrawn", "state": "resolved", "note": "已撤回"}
    with db.read() as session:
        verdict = verify_ledger_and_catalog(session)
    assert verdict.ok, verdict.line


def test_a_listed_task_and_a_negative_list_task_are_matched(client, db):
    cadre = bearer(db, "lucun_cadre")
    listed = file_report(client, cadre, title="召集村民会议、村民代表会议，组织民主决策",
                         description="镇里要求召开村民代表会议")
    assert listed["match"]["on_list"][0]["code"] == "D00001"
    assert listed["match"]["on_list"][0]["similarity"] > 0
    negative = file_report(client, cadre, title="要求村里在政务App上每天打卡", description="县里要求每天打卡上传")
    assert [m["code"] for m in negative["match"]["negative_list"]][:1] == ["D00097"]


def test_moves_only_forward_and_stale_versions_conflict(client, db):
    cadre, office = bearer(db, "lucun_cadre"), bearer(db, "fwb_office")
    report = file_report(client, cadre)
    url = f"/api/v1/reports/{report['id']}/transition"
    assert client.post(url, json={"state": "resolved", "note": "x", "outcome": "coordinated"},
                       headers=office).status_code == 409
    assert client.post(url, json={"state": "advanced", "note": "x"}, headers=office).status_code == 409
    assert client.post(url, json={"state": "in_progress", "row_version": 99}, headers=office).status_code == 409
    report = move(client, office, report, "in_progress")
    assert client.post(url, json={"state": "in_progress", "note": "x"}, headers=office).status_code == 409
    backwards = client.post(url, json={"state": "received", "note": "x"}, headers=office)
    assert backwards.status_code == 409
    assert "received" not in backwards.json()["detail"] and "in_progress" not in backwards.json()["detail"]
    english = client.post(url + "?lang=en", json={"state": "received", "note": "x"}, headers=office).json()["detail"]
    assert "“In progress”" in english and "“Received”" in english  # the states by their labels, in each language
    assert client.post(url, json={"state": "advanced", "note": ""}, headers=office).status_code == 422
    assert client.post(url, json={"state": "resolved", "note": "x"}, headers=office).status_code == 422
    assert client.post(url, json={"state": "resolved", "note": "x", "outcome": "admitted"},
                       headers=office).status_code == 422
    assert client.post(url, json={"state": "resolved", "note": "x", "outcome": "admitted",
                                  "request_number": "ZR-1999-0001"}, headers=office).status_code == 422
    report = move(client, office, report, "advanced", "已推进")
    report = move(client, office, report, "dismissed", "不予受理")
    assert client.post(url, json={"state": "resolved", "note": "x", "outcome": "coordinated"},
                       headers=office).status_code == 409
    # A closed case takes no more responses.
    assert client.post(f"/api/v1/reports/{report['id']}/responses", json={"note": "x"},
                       headers=bearer(db, "nyj_clerk")).status_code == 409
    assert client.get("/api/v1/ledger?after=0&limit=1000").json()["entries"][-1]["payload"]["state"] == "dismissed"


def test_the_office_logs_a_problem_from_an_enterprise(client, db):
    office = bearer(db, "fwb_office")
    body = {"kind": "problem", "source": "enterprise", "department": "RSJ", "title": "企业用工备案手续繁琐",
            "description": "企业反映用工备案需重复提交材料", "asked_on": today().isoformat(), "channel": "meeting"}
    response = client.post("/api/v1/reports", json=body, headers=office)
    assert response.status_code == 201, response.text
    assert response.json()["region"] is None and response.json()["events"][0]["by"] == "office"
    del body["source"]
    assert client.post("/api/v1/reports", json=body, headers=office).status_code == 422


def test_a_task_asked_before_the_registry_began_is_matched_against_the_seed_list(client, db):
    """The catalog was recorded when the registry was seeded (today in the tests); a task asked of the village a
    month earlier is compared with that first list, not with an empty or one-item one."""
    cadre = bearer(db, "lucun_cadre")
    earlier = date.fromordinal(today().toordinal() - 30).isoformat()
    report = file_report(client, cadre, title="建立安全生产工作群并每日打卡", description="要求每天在群里打卡拍照",
                         asked_on=earlier)
    seeded = file_report(client, cadre, title="建立安全生产工作群并每日打卡", description="要求每天在群里打卡拍照")
    assert report["match"]["edition"] == seeded["match"]["edition"]
    assert [m["code"] for m in report["match"]["negative_list"]][:1] == ["D00097"]
