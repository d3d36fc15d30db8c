"""Review stages and departments in the browser: every change of the stages or of the departments serving them
appends one `stages.changed` entry with the whole new arrangement (what GET /api/v1/review-stages then says);
the chain and the catalog still verify; requests pass the new stages."""

import json

from sqlmodel import select

from registry.catalog.integrity import verify_ledger_and_catalog
from registry.ledger.models import LedgerEntry
from registry.ledger.verifier import first_problem
from tests.admin.helpers import as_admin, audit, post
from tests.admission.helpers import add_body, last_entry
from tests.conftest import bearer


def entries(client) -> list[dict]:  # type: ignore[no-untyped-def]
    return client.get("/api/v1/ledger?limit=1000").json()["entries"]


def stages_changed(db) -> list[dict]:  # type: ignore[no-untyped-def]
    with db.read() as session:
        rows = session.exec(select(LedgerEntry).where(LedgerEntry.kind == "stages.changed").order_by(LedgerEntry.seq))
        return [json.loads(r.payload) for r in rows]


def check_arrangement(client, db) -> None:  # type: ignore[no-untyped-def]
    """The newest stages.changed entry holds exactly what the API now says; the chain and catalog verify."""
    entry = last_entry(db)
    assert entry["kind"] == "stages.changed"
    assert entry["payload"]["stages"] == client.get("/api/v1/review-stages").json()
    assert first_problem(entries(client)) is None
    with db.read() as session:
        verdict = verify_ledger_and_catalog(session)
    assert verdict.ok, verdict.line



def listed_departments(client) -> list[dict]:  # type: ignore[no-untyped-def]
    """GET /api/v1/departments as {code, name} (the owning region is the same county for all, §10)."""
    return [{"code": d["code"], "name": d["name"]} for d in client.get("/api/v1/departments").json()]


def test_add_a_final_stage_and_requests_pass_it(client, db):
    token = as_admin(client)
    edition = client.get("/api/v1/regions/330122101201/duties").json()["edition"]
    added = post(client, token, "/admin/stages", {"code": "leadership", "name": "县领导审定", "departments": "ZZB"})
    assert added.status_code == 303, added.text[:300]
    check_arrangement(client, db)
    assert [s["code"] for s in client.get("/api/v1/review-stages").json()] == ["substantive", "legality",
                                                                                "leadership"]
    assert client.get("/api/v1/regions/330122101201/duties").json()["edition"] == edition  # the catalog is as it was
    assert audit(db, "review_stages.changed")[-1].actor == "admin"
    assert "县领导审定" in client.get("/ledger").text
    filed = client.post("/api/v1/requests", json=add_body(submit=True), headers=bearer(db, "yjj_clerk")).json()
    for who in ("mzj_reviewer", "sfj_reviewer"):
        step = client.post(f"/api/v1/requests/{filed['id']}/decision", json={"decision": "approve", "reason": "同意"},
                           headers=bearer(db, who))
        assert step.status_code == 200 and step.json()["state"] == "submitted"
    assert step.json()["stage"] == "leadership"
    final = client.post(f"/api/v1/requests/{filed['id']}/decision", json={"decision": "approve", "reason": "审定同意"},
                        headers=bearer(db, "zzb_reviewer"))
    assert final.status_code == 200 and final.json()["state"] == "approved"


def test_change_serving_departments_move_and_remove(client, db):
    token = as_admin(client)
    before = len(stages_changed(db))
    unchanged = post(client, token, "/admin/stages/legality", {"name": "合法性审查", "departments": "SFJ"})
    assert unchanged.status_code == 303 and len(stages_changed(db)) == before  # nothing changed, nothing entered
    changed = post(client, token, "/admin/stages/legality", {"name": "合法性审查", "departments": ["SFJ", "ZZB"]})
    assert changed.status_code == 303
    check_arrangement(client, db)
    legality = next(s for s in client.get("/api/v1/review-stages").json() if s["code"] == "legality")
    assert legality["departments"] == ["SFJ", "ZZB"]
    post(client, token, "/admin/stages", {"code": "formal", "name": "形式审查", "departments": "MZJ",
                                          "before": "substantive"})
    check_arrangement(client, db)
    assert [s["code"] for s in client.get("/api/v1/review-stages").json()] == ["formal", "substantive", "legality"]
    post(client, token, "/admin/stages/formal", {"action": "down"})
    check_arrangement(client, db)
    assert [(s["code"], s["order"]) for s in client.get("/api/v1/review-stages").json()] == [
        ("substantive", 1), ("formal", 2), ("legality", 3)]
    asked = post(client, token, "/admin/stages/formal", {"action": "remove"})
    assert asked.status_code == 200 and 'name="confirmed" value="yes"' in asked.text
    assert len(client.get("/api/v1/review-stages").json()) == 3
    post(client, token, "/admin/stages/formal", {"action": "remove", "confirmed": "yes"})
    check_arrangement(client, db)
    assert [s["code"] for s in client.get("/api/v1/review-stages").json()] == ["substantive", "legality"]
    assert len(stages_changed(db)) == before + 4


def test_refusals_change_nothing(client, db):
    token = as_admin(client)
    filed = client.post("/api/v1/requests", json=add_body(submit=True), headers=bearer(db, "yjj_clerk")).json()
    client.post(f"/api/v1/requests/{filed['id']}/decision", json={"decision": "approve", "reason": "同意"},
                headers=bearer(db, "mzj_reviewer"))
    head = last_entry(db)["seq"]
    cases = [
        ("/admin/stages", {"code": "", "name": "x", "departments": "ZZB"}, 422),
        ("/admin/stages", {"code": "Bad Code", "name": "x", "departments": "ZZB"}, 422),
        ("/admin/stages", {"code": "extra", "name": "", "departments": "ZZB"}, 422),
        ("/admin/stages", {"code": "extra", "name": "x"}, 422),
        ("/admin/stages", {"code": "extra", "name": "x", "departments": "NOPE"}, 422),
        ("/admin/stages", {"code": "legality", "name": "x", "departments": "ZZB"}, 409),
        ("/admin/stages/legality", {"name": "x"}, 303),  # no department left: refused with a message
        ("/admin/stages/substantive", {"action": "remove", "confirmed": "yes"}, 303),  # decided there
        ("/admin/stages/legality", {"action": "remove", "confirmed": "yes"}, 303),  # the request waits there
        ("/admin/stages/nope", {"name": "x", "departments": "ZZB"}, 404),
    ]
    for path, form, status in cases:
        assert post(client, token, path, form).status_code == status, (path, form)
    assert last_entry(db)["seq"] == head
    assert [s["code"] for s in client.get("/api/v1/review-stages").json()] == ["substantive", "legality"]


def test_departments_are_created_and_renamed_while_no_duty_names_them(client, db):
    token = as_admin(client)
    assert post(client, token, "/admin/departments", {"code": "gsl", "name": "县工商联", "kind": "government"}
                ).status_code == 303
    assert {"code": "GSL", "name": "县工商联"} in listed_departments(client)
    assert post(client, token, "/admin/departments", {"code": "GSL", "name": "重复", "kind": "government"}
                ).status_code == 409
    assert post(client, token, "/admin/departments", {"code": "9X", "name": "x", "kind": "government"}
                ).status_code == 422
    assert post(client, token, "/admin/departments", {"code": "ABC", "name": "", "kind": "nope"}).status_code == 422
    assert post(client, token, "/admin/departments/GSL", {"name": "县工商业联合会"}).status_code == 303
    assert {"code": "GSL", "name": "县工商业联合会"} in listed_departments(client)
    assert audit(db, "department.renamed")[-1].detail == "GSL: 县工商联 → 县工商业联合会"
    post(client, token, "/admin/departments/YJJ", {"name": "县应急局"})  # YJJ owns duties in force: refused
    assert {"code": "YJJ", "name": "县应急管理局"} in listed_departments(client)
    with db.read() as session:
        assert verify_ledger_and_catalog(session).ok
    assert post(client, token, "/admin/stages", {"code": "health", "name": "卫生审查", "departments": "GSL"}
                ).status_code == 303
    check_arrangement(client, db)


def test_budget_changes_are_audited(client, db):
    token = as_admin(client)
    caps = client.get("/api/v1/budget").json()["caps"]
    form = {k: str(v) for k, v in caps.items()}
    form["apps"] = "9"
    assert post(client, token, "/burden/budget", form).status_code == 303
    [event] = audit(db, "budget.caps_changed")
    assert event.actor == "admin" and "apps=9" in event.detail
    assert 'href="/burden/budget"' in client.get("/admin").text
