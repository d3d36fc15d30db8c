"""Forms enter only through admission (contract §8): a request proposes forms, a new indicator the dictionary
already has is flagged naming it, the impact counts new forms and indicators per village, and the final approval
registers them with the duty.* entry so that the ledger replays the register."""

from registry.catalog.integrity import verify_ledger_and_catalog
from tests.admission.helpers import add_body, last_entry
from tests.conftest import bearer

PROPOSED = [{
    "title": "低保家庭季度核查表",
    "period": "quarterly",
    "indicators": [
        {"code": "I001"},
        {"name": "低保 户数", "unit": "户", "type": "integer", "definition": "截至报告期末，享受低保的家庭户数。"},
        {"name": "核查发现问题数", "unit": "个", "type": "integer", "definition": "报告期内入户核查发现的问题个数。"},
        {"name": "核查方式", "unit": "", "type": "choice", "definition": "本期采用的主要核查方式。",
         "choices": ["入户", "电话", "信息比对"]},
    ],
}]


def body(**changes):  # type: ignore[no-untyped-def]
    return add_body("开展低保家庭季度核查", description="每季度入户核查低保家庭情况，填报核查表。",
                    category="self_governance", legal_basis="《社会救助暂行办法》（国务院令第649号）第十三条",
                    frequency="quarterly",
                    burdens={"reports": ["低保家庭季度核查表"]}, **{"forms": PROPOSED, **changes})


def test_a_repeated_indicator_is_flagged_and_the_approved_form_is_registered(client, db):
    clerk = bearer(db, "mzj_clerk")
    filed = client.post("/api/v1/requests", json={**body(), "submit": True}, headers=clerk)
    assert filed.status_code == 201, filed.text
    request = filed.json()
    flags = [f for f in request["flags"] if f["kind"] == "duplicate_indicator"]
    assert len(flags) == 1 and flags[0]["indicator_code"] == "I014" and "低保户数" in flags[0]["message"]
    assert request["impact"]["forms_per_village"] == 1 and request["impact"]["indicators_per_village"] == 3
    assert request["forms"][0]["indicators"][0] == {"code": "I001"}
    before = client.get("/api/v1/forms/stats").json()

    for reviewer in ("zzb_reviewer", "sfj_reviewer"):
        decided = client.post(f"/api/v1/requests/{request['id']}/decision",
                              json={"decision": "approve", "reason": "符合规定"}, headers=bearer(db, reviewer))
        assert decided.status_code == 200, decided.text
    approved = decided.json()
    assert approved["state"] == "approved"
    forms = client.get("/api/v1/forms", params={"duty": approved["duty_code"]}).json()["items"]
    assert len(forms) == 1
    form = forms[0]
    assert (form["code"], form["title"], form["department"]["code"], form["period"]) == \
        ("F026", "低保家庭季度核查表", "MZJ", "quarterly")
    assert form["indicators"][0] == "I001" and form["indicators"][1:] == ["I095", "I096", "I097"]
    assert client.get("/api/v1/indicators", params={"q": "I097"}).json()["items"][0]["choices"] == \
        ["入户", "电话", "信息比对"]
    assert client.get("/api/v1/forms/stats").json()["forms"] == before["forms"] + 1

    entry = last_entry(db)
    assert entry["kind"] == "duty.added"
    assert [f["code"] for f in entry["payload"]["forms"]] == ["F026"]
    assert [i["code"] for i in entry["payload"]["indicators"]] == ["I095", "I096", "I097"]
    with db.read() as session:
        assert verify_ledger_and_catalog(session).ok


def test_an_amend_adds_its_forms_to_the_duty_and_a_retire_retires_them(client, db):
    clerk = bearer(db, "yjj_clerk")
    amend = {"kind": "amend", "duty_code": "D00021", "justification": "增加季度汇总表",
             "forms": [{"title": "消防隐患季度汇总", "period": "quarterly", "indicators": [{"code": "I051"}]}]}
    funding = client.get("/api/v1/duties/D00021").json()["funding"]  # an amend states it again (contract §2)
    amend["funding"] = {key: funding[key] for key in ("provided", "amount_yuan_per_year", "source") if key in funding}
    filed = client.post("/api/v1/requests", json=amend, headers=clerk)
    assert filed.status_code == 201, filed.text
    assert client.post(f"/api/v1/requests/{filed.json()['id']}/submit", headers=clerk).status_code == 200
    for reviewer in ("mzj_reviewer", "sfj_reviewer"):
        decided = client.post(f"/api/v1/requests/{filed.json()['id']}/decision",
                              json={"decision": "approve", "reason": "同意"}, headers=bearer(db, reviewer))
        assert decided.status_code == 200, decided.text
    codes = [f["code"] for f in client.get("/api/v1/forms", params={"duty": "D00021"}).json()["items"]]
    assert codes == ["F011", "F026"]
    retire = client.post("/api/v1/requests", json={"kind": "retire", "duty_code": "D00021",
                                                   "justification": "并入统一平台", "submit": True}, headers=clerk)
    assert retire.status_code == 201, retire.text
    for reviewer in ("mzj_reviewer", "sfj_reviewer"):
        assert client.post(f"/api/v1/requests/{retire.json()['id']}/decision",
                           json={"decision": "approve", "reason": "同意"},
                           headers=bearer(db, reviewer)).status_code == 200
    assert client.get("/api/v1/forms", params={"duty": "D00021"}).json()["items"] == []
    retired = client.get("/api/v1/forms", params={"duty": "D00021", "status": "retired"}).json()["items"]
    assert [f["code"] for f in retired] == ["F011", "F026"]
    with db.read() as session:
        assert verify_ledger_and_catalog(session).ok


def test_bad_proposals_are_refused(client, db):
    clerk = bearer(db, "mzj_clerk")
    unknown = [{"title": "表", "period": "monthly", "indicators": [{"code": "I999"}]}]
    assert client.post("/api/v1/requests", json=body(forms=unknown), headers=clerk).status_code == 422
    for bad in ([{"title": "表", "period": "weekly", "indicators": [{"code": "I001"}]}],
                [{"title": "表", "period": "monthly", "indicators": []}],
                [{"title": "", "period": "monthly", "indicators": [{"code": "I001"}]}],
                [{"title": "表", "period": "monthly", "indicators": [{"name": "x", "type": "number",
                                                                       "definition": "d"}]}],
                [{"title": "表", "period": "monthly", "indicators": [{"code": "I001", "name": "x"}]}]):
        response = client.post("/api/v1/requests", json=body(forms=bad), headers=clerk)
        assert response.status_code in (400, 422), (bad, response.text)
    retire = {"kind": "retire", "duty_code": "D00011", "justification": "x", "forms": PROPOSED}
    assert client.post("/api/v1/requests", json=retire, headers=clerk).status_code == 422


def test_a_clerk_builds_a_proposed_form_on_the_page(client, db):
    from tests.conftest import csrf_token, sign_in

    filed = client.post("/api/v1/requests", json=body(forms=[]), headers=bearer(db, "mzj_clerk")).json()
    sign_in(client, "mzj_clerk")
    page = f"/requests/{filed['id']}"
    assert "/forms/new" in client.get(page).text
    token = csrf_token(client, page + "/forms/new")
    response = client.post(page + "/forms/new", data={
        "_csrf_token": token, "title": "低保核查表", "period": "quarterly", "codes": "I001, I003",
        "name_0": "低保户数", "unit_0": "户", "type_0": "integer", "definition_0": "截至报告期末的低保户数。",
    }, follow_redirects=False)
    assert response.status_code == 303, response.text
    item = client.get(f"/api/v1/requests/{filed['id']}", headers=bearer(db, "mzj_clerk")).json()
    assert item["forms"][0]["indicators"] == [{"code": "I001"}, {"code": "I003"},
                                              {"name": "低保户数", "unit": "户", "type": "integer",
                                               "definition": "截至报告期末的低保户数。"}]
    assert any(f["kind"] == "duplicate_indicator" for f in item["flags"])
    assert "低保核查表" in client.get(page).text
    bad = client.post(page + "/forms/new", data={"_csrf_token": token, "title": "", "period": "quarterly",
                                                  "codes": "I999"}, follow_redirects=False)
    assert bad.status_code == 422
    removed = client.post(page + "/forms/0/delete", data={"_csrf_token": token}, follow_redirects=False)
    assert removed.status_code == 303
    assert client.get(f"/api/v1/requests/{filed['id']}", headers=bearer(db, "mzj_clerk")).json()["forms"] == []
