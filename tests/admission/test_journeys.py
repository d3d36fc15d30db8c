"""Journeys over HTTP with bearer tokens: add, reject, return-and-resubmit, withdraw, retire with offsets."""

import pytest

from registry.catalog.integrity import verify_ledger_and_catalog
from registry.ledger.verifier import first_problem
from tests.admission.helpers import VILLAGE, add_body, counts, last_entry
from tests.conftest import bearer


@pytest.fixture
def tokens(db):  # type: ignore[no-untyped-def]
    names = (
        "yjj_clerk",
        "nyj_clerk",
        "mzj_clerk",
        "mzj_reviewer",
        "zzb_reviewer",
        "sfj_reviewer",
        "admin",
        "lucun_cadre",
    )
    return {name: bearer(db, name) for name in names}


def village_list(client) -> dict:  # type: ignore[no-untyped-def]
    response = client.get(f"/api/v1/regions/{VILLAGE}/duties")
    assert response.status_code == 200
    return response.json()


def decide(client, tokens, who, request_id, decision="approve", reason="符合规定", **extra):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/requests/{request_id}/decision",
        json={"decision": decision, "reason": reason, **extra},
        headers=tokens[who],
    )


def all_entries(client) -> list[dict]:  # type: ignore[no-untyped-def]
    entries, after = [], 0
    while True:
        page = client.get(f"/api/v1/ledger?after={after}&limit=1000").json()["entries"]
        if not page:
            return entries
        entries += page
        after = page[-1]["seq"]


def test_add_journey_changes_the_catalog_only_at_the_last_stage(client, db, tokens):
    before = village_list(client)
    filed = client.post("/api/v1/requests", json=add_body(submit=True), headers=tokens["yjj_clerk"])
    assert filed.status_code == 201, filed.text
    item = filed.json()
    assert item["state"] == "submitted" and item["stage"] == "substantive"
    assert item["number"].startswith("ZR-") and item["due_at"] > item["submitted_at"]

    first = decide(client, tokens, "mzj_reviewer", item["id"], reason="实质审查通过")
    assert first.status_code == 200, first.text
    assert first.json()["stage"] == "legality"
    entry = last_entry(db)
    assert entry["kind"] == "request.decided"
    assert entry["payload"]["department"] == {"code": "MZJ", "name": "县民政局"}
    assert entry["payload"]["reason"] == "实质审查通过" and entry["payload"]["next_stage"] == "legality"
    assert "mzj_reviewer" not in str(entry["payload"])
    middle = village_list(client)
    assert middle["edition"] == before["edition"]

    final = decide(client, tokens, "sfj_reviewer", item["id"], reason="合法性审查通过")
    assert final.status_code == 200, final.text
    approved = final.json()
    assert approved["state"] == "approved" and approved["stage"] is None and approved["duty_code"]
    entry = last_entry(db)
    assert entry["kind"] == "duty.added" and entry["payload"]["request_number"] == item["number"]
    after = village_list(client)
    assert after["edition"] == entry["seq"]
    titles = {d["code"]: d["title"] for d in after["duties"]}
    assert titles[approved["duty_code"]] == add_body()["title"]
    assert [d["decision"] for d in approved["decisions"]] == ["approve", "approve"]
    with db.read() as session:
        verdict = verify_ledger_and_catalog(session)
        assert verdict.ok, verdict.line
    assert first_problem(all_entries(client)) is None
    # 公示: anyone can read the decided request, without persons' names
    public = client.get(f"/api/v1/requests/{item['id']}")
    assert public.status_code == 200 and "reviewer" not in public.text


def test_reject_leaves_the_catalog_alone(client, db, tokens):
    item = client.post("/api/v1/requests", json=add_body(submit=True), headers=tokens["yjj_clerk"]).json()
    edition = village_list(client)["edition"]
    missing = decide(client, tokens, "zzb_reviewer", item["id"], decision="reject", reason="")
    assert missing.status_code == 422
    rejected = decide(client, tokens, "zzb_reviewer", item["id"], decision="reject", reason="与现有事项重复")
    assert rejected.status_code == 200 and rejected.json()["state"] == "rejected"
    assert last_entry(db)["payload"]["state"] == "rejected"
    assert village_list(client)["edition"] == edition
    assert decide(client, tokens, "sfj_reviewer", item["id"]).status_code == 409
    assert client.get(f"/api/v1/requests/{item['id']}").status_code == 200  # public once rejected


def test_return_edit_and_resubmit_restarts_at_stage_one(client, db, tokens):
    item = client.post("/api/v1/requests", json=add_body(submit=True), headers=tokens["yjj_clerk"]).json()
    assert decide(client, tokens, "mzj_reviewer", item["id"]).status_code == 200
    returned = decide(client, tokens, "sfj_reviewer", item["id"], decision="return", reason="请补充法律依据条款")
    assert returned.json()["state"] == "returned" and returned.json()["stage"] is None
    assert decide(client, tokens, "sfj_reviewer", item["id"]).status_code == 409
    stale = returned.json()["row_version"] - 1
    conflict = client.patch(
        f"/api/v1/requests/{item['id']}", json={"title": "新标题", "row_version": stale}, headers=tokens["yjj_clerk"]
    )
    assert conflict.status_code == 409
    edited = client.patch(
        f"/api/v1/requests/{item['id']}",
        json={"legal_basis": "《防震减灾法》第四十四条第二款", "row_version": returned.json()["row_version"]},
        headers=tokens["yjj_clerk"],
    )
    assert edited.status_code == 200 and edited.json()["legal_basis"].endswith("第二款")
    again = client.post(f"/api/v1/requests/{item['id']}/submit", headers=tokens["yjj_clerk"])
    assert again.json()["stage"] == "substantive" and again.json()["state"] == "submitted"
    assert decide(client, tokens, "sfj_reviewer", item["id"]).status_code == 409  # not legality any more
    assert decide(client, tokens, "zzb_reviewer", item["id"]).status_code == 200
    final = decide(client, tokens, "sfj_reviewer", item["id"])
    assert final.json()["state"] == "approved" and len(final.json()["decisions"]) == 4


def test_withdraw_from_each_undecided_state(client, db, tokens):
    edition = village_list(client)["edition"]
    draft = client.post("/api/v1/requests", json=add_body(), headers=tokens["yjj_clerk"]).json()
    submitted = client.post("/api/v1/requests", json=add_body(submit=True), headers=tokens["yjj_clerk"]).json()
    _, entries_before = counts(db)
    for item in (draft, submitted):
        done = client.post(f"/api/v1/requests/{item['id']}/withdraw", headers=tokens["yjj_clerk"])
        assert done.status_code == 200 and done.json()["state"] == "withdrawn"
        assert client.post(f"/api/v1/requests/{item['id']}/withdraw", headers=tokens["yjj_clerk"]).status_code == 409
    assert counts(db)[1] == entries_before  # withdrawing appends nothing
    assert decide(client, tokens, "mzj_reviewer", submitted["id"]).status_code == 409
    assert village_list(client)["edition"] == edition
    assert client.get(f"/api/v1/requests/{submitted['id']}").status_code == 404  # not public


def test_retire_with_offsets_approves_both_in_one_transaction(client, db, tokens):
    # YJJ owns D00021 and D00022 (county-wide assisting duties)
    offset = client.post(
        "/api/v1/requests",
        json={"kind": "retire", "duty_code": "D00022", "justification": "职能调整", "submit": True},
        headers=tokens["yjj_clerk"],
    )
    assert offset.status_code == 201, offset.text
    assert offset.json()["title"] == "协助防汛防台和地质灾害群测群防"  # content echoes the duty
    main = client.post(
        "/api/v1/requests",
        json={
            "kind": "retire",
            "duty_code": "D00021",
            "justification": "已由专业队伍承担",
            "offsets": [offset.json()["id"]],
            "submit": True,
        },
        headers=tokens["yjj_clerk"],
    )
    assert main.status_code == 201, main.text
    assert main.json()["offsets"] == [offset.json()["id"]]
    assert decide(client, tokens, "mzj_reviewer", main.json()["id"]).status_code == 200
    seq_before = last_entry(db)["seq"]
    final = decide(client, tokens, "sfj_reviewer", main.json()["id"])
    assert final.status_code == 200, final.text
    entries = client.get(f"/api/v1/ledger?after={seq_before}").json()["entries"]
    assert [(e["kind"], e["payload"]["duty"]["code"]) for e in entries] == [
        ("duty.retired", "D00021"),
        ("duty.retired", "D00022"),
    ]
    assert client.get(f"/api/v1/requests/{offset.json()['id']}").json()["state"] == "approved"
    codes = {d["code"] for d in village_list(client)["duties"]}
    assert "D00021" not in codes and "D00022" not in codes
    assert village_list(client)["edition"] == entries[-1]["seq"]
    assert first_problem(all_entries(client)) is None


def test_amend_changes_the_duty_and_keeps_its_code(client, db, tokens):
    filed = client.post(
        "/api/v1/requests",
        json={
            "kind": "amend",
            "duty_code": "D00021",
            "hours_per_month": 3,
            "funding": {"provided": True, "amount_yuan_per_year": 5000, "source": "县消防工作经费"},
            "justification": "巡查频次调整",
            "submit": True,
        },
        headers=tokens["yjj_clerk"],
    )
    assert filed.status_code == 201, filed.text
    item = filed.json()
    assert item["title"] == "协助消防安全宣传和隐患巡查上报" and item["hours_per_month"] == 3
    # not a duplicate of itself (D00043, the 芦茨村 B&B fire-safety item, does overlap it and may be flagged)
    assert not [f for f in item["flags"] if f["kind"] == "duplicate" and f["duty_code"] == "D00021"]
    decide(client, tokens, "mzj_reviewer", item["id"])
    assert decide(client, tokens, "sfj_reviewer", item["id"]).json()["state"] == "approved"
    duty = client.get("/api/v1/duties/D00021").json()
    assert duty["hours_per_month"] == 3 and duty["version"] == 2
    assert last_entry(db)["kind"] == "duty.amended"


def test_separation_of_duties_and_who_decides(client, db, tokens):
    # MZJ files: MZJ's own reviewer may not decide (403); ZZB serves the same stage and may
    mzj = client.post(
        "/api/v1/requests", json=add_body(submit=True, title="协助开展养老服务需求调查"), headers=tokens["mzj_clerk"]
    ).json()
    own = decide(client, tokens, "mzj_reviewer", mzj["id"])
    assert own.status_code == 403 and "部门" in own.json()["detail"]
    assert decide(client, tokens, "admin", mzj["id"]).status_code == 403  # ZZB can decide here
    assert decide(client, tokens, "sfj_reviewer", mzj["id"]).status_code == 409  # waits at another stage
    assert decide(client, tokens, "zzb_reviewer", mzj["id"]).status_code == 200
    # SFJ files: at legality SFJ alone serves, so the admin decides there
    sfj_clerk = "sfj_clerk_test"
    from registry.accounts.services import create_user

    create_user(db, sfj_clerk, "department", "demo-pass-2026", department_code="SFJ")
    tokens[sfj_clerk] = bearer(db, sfj_clerk)
    sfj = client.post(
        "/api/v1/requests", json=add_body(submit=True, title="协助开展法治宣传进村"), headers=tokens[sfj_clerk]
    ).json()
    assert decide(client, tokens, "mzj_reviewer", sfj["id"]).status_code == 200
    assert decide(client, tokens, "sfj_reviewer", sfj["id"]).status_code == 403
    done = decide(client, tokens, "admin", sfj["id"])
    assert done.status_code == 200 and done.json()["state"] == "approved"
    assert done.json()["decisions"][-1]["department"] is None
    # roles that may never decide
    assert decide(client, tokens, "yjj_clerk", mzj["id"]).status_code == 403
    assert decide(client, tokens, "lucun_cadre", mzj["id"]).status_code == 403
    assert client.post(f"/api/v1/requests/{mzj['id']}/decision", json={"decision": "approve"}).status_code == 401


def test_exemption_reason_needed_without_funding(client, db, tokens):
    body = add_body(submit=True, funding={"provided": False, "amount_yuan_per_year": 0, "source": ""})
    item = client.post("/api/v1/requests", json=body, headers=tokens["yjj_clerk"]).json()
    assert "no_funding" in {f["kind"] for f in item["flags"]}
    assert decide(client, tokens, "mzj_reviewer", item["id"]).status_code == 200  # not the last stage
    refused = decide(client, tokens, "sfj_reviewer", item["id"])
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "exemption_reason"
    approved = decide(client, tokens, "sfj_reviewer", item["id"], exemption_reason="县财政统筹保障，另行下达")
    assert approved.status_code == 200
    assert last_entry(db)["payload"]["decision"]["exemption_reason"] == "县财政统筹保障，另行下达"


def test_visibility_and_lists(client, db, tokens):
    draft = client.post("/api/v1/requests", json=add_body(), headers=tokens["yjj_clerk"]).json()
    filed = client.post("/api/v1/requests", json=add_body(submit=True), headers=tokens["yjj_clerk"]).json()
    assert client.get(f"/api/v1/requests/{draft['id']}", headers=tokens["yjj_clerk"]).status_code == 200
    for who in ("mzj_reviewer", "admin", "nyj_clerk", "lucun_cadre"):
        assert client.get(f"/api/v1/requests/{draft['id']}", headers=tokens[who]).status_code == 404
    assert client.get(f"/api/v1/requests/{draft['id']}").status_code == 404
    for who in ("mzj_reviewer", "admin", "yjj_clerk"):
        assert client.get(f"/api/v1/requests/{filed['id']}", headers=tokens[who]).status_code == 200
    for who in ("nyj_clerk", "lucun_cadre"):
        assert client.get(f"/api/v1/requests/{filed['id']}", headers=tokens[who]).status_code == 404
    assert client.get("/api/v1/requests/99999999999").status_code == 404
    mine = client.get("/api/v1/requests", headers=tokens["yjj_clerk"]).json()
    assert [i["id"] for i in mine["items"]] == [filed["id"], draft["id"]] and mine["total"] == 2
    assert client.get("/api/v1/requests", headers=tokens["nyj_clerk"]).json()["total"] == 0
    reviewer = client.get("/api/v1/requests?state=submitted", headers=tokens["mzj_reviewer"]).json()
    assert [i["id"] for i in reviewer["items"]] == [filed["id"]]
    assert client.get("/api/v1/requests?per_page=101", headers=tokens["admin"]).status_code == 400
    assert client.get("/api/v1/requests?state=nope", headers=tokens["admin"]).status_code == 400
    # 公示: everyone else lists the decided requests only (none yet)
    assert client.get("/api/v1/requests", headers=tokens["lucun_cadre"]).json()["total"] == 0
    assert client.get("/api/v1/requests").json()["total"] == 0
    # another department may not touch it
    assert (
        client.patch(f"/api/v1/requests/{draft['id']}", json={"title": "x"}, headers=tokens["nyj_clerk"]).status_code
        == 403
    )
    assert client.post(f"/api/v1/requests/{draft['id']}/submit", headers=tokens["nyj_clerk"]).status_code == 403


def test_numbers_run_per_year(client, db, tokens):
    numbers = [
        client.post("/api/v1/requests", json=add_body(), headers=tokens["yjj_clerk"]).json()["number"] for _ in range(3)
    ]
    year = numbers[0].split("-")[1]
    assert numbers == [f"ZR-{year}-{n:04d}" for n in (1, 2, 3)]
