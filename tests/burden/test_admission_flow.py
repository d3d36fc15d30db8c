"""Through the admission API: an add request at the apps cap is flagged over_budget; a retire offset clears it."""

import json

from tests.conftest import bearer

ADD = {"kind": "add", "title": "新增政务APP填报", "description": "每月在新的政务APP上填报数据", "category": "assisting",
       "applies_to": "all", "scope_code": "330122000000", "legal_basis": "《示例条例》第三条", "frequency": "monthly",
       "hours_per_month": 0, "funding": {"provided": True, "amount_yuan_per_year": 100, "source": "县财政"},
       "burdens": {"apps": ["新的政务APP"]}, "justification": "工作需要", "start_date": "2027-06-01", "submit": True}


def test_over_budget_flag_and_offset(client, db) -> None:  # type: ignore[no-untyped-def]
    caps = client.get("/api/v1/budget").json()["caps"]
    most = max(client.get(f"/api/v1/regions/{code}/burden").json()["villages"]["max"]["apps"]
               for code in ("330122000000",))
    response = client.put("/api/v1/budget", content=json.dumps({"caps": {**caps, "apps": most}}),
                          headers=bearer(db, "admin"))
    assert response.status_code == 200
    clerk = bearer(db, "mzj_clerk")
    flagged = client.post("/api/v1/requests", content=json.dumps(ADD), headers=clerk)
    assert flagged.status_code == 201, flagged.text
    body = flagged.json()
    assert body["impact"]["over_budget"] is True and body["impact"]["villages"] == 60
    assert body["impact"]["delta_per_village"]["apps"] == 1 and body["impact"]["delta_total"]["apps"] == 60
    assert "over_budget" in [flag["kind"] for flag in body["flags"]]
    # The flag names the cap, how many villages go over it and the largest excess (one APP over the cap).
    [message] = [flag["message"] for flag in body["flags"] if flag["kind"] == "over_budget"]
    assert f"每村上限 {most}" in message and "最多超出 1（" in message and "个村（社区）" in message
    retire = client.post("/api/v1/requests", headers=clerk, content=json.dumps(
        {"kind": "retire", "duty_code": "D00011", "justification": "一进一出", "submit": True}))
    assert retire.status_code == 201, retire.text
    offset = client.post("/api/v1/requests", content=json.dumps({**ADD, "offsets": [retire.json()["id"]]}),
                         headers=clerk)
    assert offset.status_code == 201, offset.text
    netted = offset.json()
    assert netted["impact"]["over_budget"] is False
    assert netted["impact"]["delta_total"]["apps"] == 0
    assert "over_budget" not in [flag["kind"] for flag in netted["flags"]]
