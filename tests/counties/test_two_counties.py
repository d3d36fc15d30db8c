"""Two counties in one deployment (contract §10, issue 14): each county's requests pass its own stages and are
seen only by its reviewers; a change in one county moves neither the edition, the ETag nor the cached pages of
the other's lists; a department files only within its region; a province item reaches both counties."""

import pytest

from registry.catalog.integrity import verify_ledger_and_catalog
from tests.admission.helpers import add_body
from tests.conftest import bearer, csrf_token, sign_in
from tests.counties import deployment as d

A_PEOPLE = ("yjj_clerk", "mzj_reviewer", "zzb_reviewer", "sfj_reviewer", "admin")
B_PEOPLE = tuple(name for name, _role, _department in (*d.B_ACCOUNTS, *d.PROVINCE_ACCOUNTS))


@pytest.fixture
def tokens(db):  # type: ignore[no-untyped-def]
    d.build(db, b_caps={"apps": 0, "hours_per_month": 500})
    return {name: bearer(db, name) for name in (*A_PEOPLE, *B_PEOPLE)}


def file(client, tokens, who, body):  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/requests", json={**body, "submit": True}, headers=tokens[who])
    assert response.status_code == 201, response.text
    return response.json()


def decide(client, tokens, who, request_id):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/requests/{request_id}/decision", json={"decision": "approve", "reason": "符合规定"},
                       headers=tokens[who])


def approve(client, tokens, request_id, reviewers):  # type: ignore[no-untyped-def]
    for who in reviewers:
        response = decide(client, tokens, who, request_id)
        assert response.status_code == 200, response.text
    assert response.json()["state"] == "approved"
    return response.json()


def listing(client, code):  # type: ignore[no-untyped-def]
    response = client.get(f"/api/v1/regions/{code}/duties")
    assert response.status_code == 200
    return response


def codes_on(client, code) -> set[str]:  # type: ignore[no-untyped-def]
    return {item["code"] for item in listing(client, code).json()["duties"]}


def test_departments_and_stages_name_the_region_that_owns_each(client, tokens):
    owners = {row["code"]: row["region_code"] for row in client.get("/api/v1/departments").json()}
    assert owners["MZJ"] == owners["SFJ"] == d.A_COUNTY
    assert owners["SYNMZJ"] == owners["SYNYJJ"] == d.B_COUNTY
    assert owners["PROVMZT"] == d.PROVINCE
    stages = {row["code"]: row for row in client.get("/api/v1/review-stages").json()}
    assert stages["substantive"]["region_code"] == stages["legality"]["region_code"] == d.A_COUNTY
    assert stages["syn_substantive"]["region_code"] == d.B_COUNTY
    assert (stages["syn_substantive"]["order"], stages["syn_legality"]["order"]) == (1, 2)
    assert stages["substantive"]["order"] == 1, "positions run per county"
    assert stages["prov_legality"]["region_code"] == d.PROVINCE
    region = client.get(f"/api/v1/regions/{d.B_COUNTY}").json()
    assert region["parent_code"] == d.PROVINCE and region["level"] == "county"
    assert client.get(f"/api/v1/regions/{d.PROVINCE}").json()["level"] == "province"


def test_an_approval_in_one_county_moves_nothing_in_the_other(client, tokens):
    b_item = file(client, tokens, "syn_yjj_clerk", add_body(title="合成县村级消防设施巡查", scope_code=d.B_COUNTY))
    assert b_item["stage"] == "syn_substantive", "a county's request starts at its own first stage"
    approve(client, tokens, b_item["id"], ("syn_mzj_reviewer", "syn_sfj_reviewer"))
    b_before = listing(client, d.B_VILLAGE)
    b_page = client.get(f"/regions/{d.B_VILLAGE}")
    assert b_page.status_code == 200 and "合成县村级消防设施巡查" in b_page.text
    a_before = listing(client, d.A_VILLAGE).json()["edition"]

    a_item = file(client, tokens, "yjj_clerk", add_body(title="桐庐县村级防汛物资检查", scope_code=d.A_COUNTY))
    assert a_item["stage"] == "substantive"
    approved = approve(client, tokens, a_item["id"], ("mzj_reviewer", "sfj_reviewer"))

    assert listing(client, d.A_VILLAGE).json()["edition"] > a_before
    assert approved["duty_code"] in codes_on(client, d.A_VILLAGE)
    b_after = listing(client, d.B_VILLAGE)
    assert b_after.json()["edition"] == b_before.json()["edition"]
    assert b_after.headers["etag"] == b_before.headers["etag"]
    assert approved["duty_code"] not in codes_on(client, d.B_VILLAGE)
    assert client.get(f"/api/v1/regions/{d.B_VILLAGE}/duties",
                      headers={"If-None-Match": b_before.headers["etag"]}).status_code == 304
    again = client.get(f"/regions/{d.B_VILLAGE}", headers={"If-None-Match": b_page.headers["etag"]})
    assert again.status_code == 304, "the cached page of county B's village stands"
    assert client.get(f"/regions/{d.B_VILLAGE}").text == b_page.text


def test_a_reviewer_sees_and_decides_only_their_countys_requests(client, db, tokens):
    a_item = file(client, tokens, "yjj_clerk", add_body(scope_code=d.A_VILLAGE))
    b_item = file(client, tokens, "syn_yjj_clerk", add_body(scope_code=d.B_VILLAGE))
    # API: another county's undecided request does not exist for them
    assert client.get(f"/api/v1/requests/{a_item['id']}", headers=tokens["syn_mzj_reviewer"]).status_code == 404
    assert decide(client, tokens, "syn_mzj_reviewer", a_item["id"]).status_code == 404
    assert client.get(f"/api/v1/requests/{b_item['id']}", headers=tokens["mzj_reviewer"]).status_code == 404
    assert decide(client, tokens, "mzj_reviewer", b_item["id"]).status_code == 404
    listed = client.get("/api/v1/requests?per_page=100", headers=tokens["syn_mzj_reviewer"]).json()
    assert [r["id"] for r in listed["items"]] == [b_item["id"]]
    mine = client.get("/api/v1/requests?per_page=100", headers=tokens["mzj_reviewer"]).json()
    assert b_item["id"] not in [r["id"] for r in mine["items"]] and a_item["id"] in [r["id"] for r in mine["items"]]
    assert client.get(f"/api/v1/requests/{a_item['id']}", headers=tokens["admin"]).status_code == 200
    # Pages: the request page, the queue, the decision form
    sign_in(client, "syn_mzj_reviewer")
    assert client.get(f"/requests/{a_item['id']}").status_code == 404
    assert client.get(f"/requests/{b_item['id']}").status_code == 200
    queue = client.get("/review")
    assert queue.status_code == 200
    assert a_item["number"] not in queue.text and b_item["number"] in queue.text
    refused = client.post(f"/requests/{a_item['id']}/decision", follow_redirects=False,
                          data={"decision": "approve", "reason": "符合规定", "_csrf_token": csrf_token(client, "/")})
    assert refused.status_code == 404
    assert client.get(f"/api/v1/requests/{a_item['id']}", headers=tokens["yjj_clerk"]).json()["state"] == "submitted"
    # Once decided, a request is public (公示) to everyone, other counties' reviewers included.
    approve(client, tokens, a_item["id"], ("mzj_reviewer", "sfj_reviewer"))
    assert client.get(f"/api/v1/requests/{a_item['id']}", headers=tokens["syn_mzj_reviewer"]).status_code == 200


@pytest.mark.parametrize(("language", "word"), [("zh-CN", "不在"), ("en", "outside")])
def test_a_clerk_files_only_within_their_county(client, tokens, language, word):
    for scope in (d.B_VILLAGE, d.B_COUNTY, d.PROVINCE):
        response = client.post("/api/v1/requests", json=add_body(scope_code=scope),
                               headers={**tokens["yjj_clerk"], "Accept-Language": language})
        assert response.status_code == 422, response.text
        fields = [p for p in response.json()["errors"] if p["field"] == "scope_code"]
        assert fields and word in fields[0]["message"] and "桐庐县" in fields[0]["message"], fields
    response = client.post("/api/v1/requests", json=add_body(scope_code=d.A_VILLAGE), headers=tokens["syn_yjj_clerk"])
    assert response.status_code == 422
    assert client.post("/api/v1/requests", json=add_body(scope_code=d.B_COMMUNITY),
                       headers=tokens["syn_yjj_clerk"]).status_code == 201


def test_a_province_item_reaches_the_villages_of_both_counties(client, db, tokens):
    before = {code: listing(client, code).json()["edition"] for code in (d.A_VILLAGE, d.B_VILLAGE, d.B_COMMUNITY)}
    item = file(client, tokens, "prov_clerk", add_body(title="全省村级档案规范化整理", scope_code=d.PROVINCE))
    assert item["stage"] == "prov_legality", "a province-scoped request passes the province's stages"
    assert client.get(f"/api/v1/requests/{item['id']}", headers=tokens["mzj_reviewer"]).status_code == 404
    approved = approve(client, tokens, item["id"], ("prov_reviewer",))
    for code in (d.A_VILLAGE, d.B_VILLAGE, d.B_COMMUNITY, d.A_COUNTY, d.B_COUNTY):
        assert approved["duty_code"] in codes_on(client, code), code
        if code in before:
            assert listing(client, code).json()["edition"] > before[code]
    with db.read() as session:  # one ledger and one chain for every county, and the catalog replays from it
        verdict = verify_ledger_and_catalog(session)
        assert verdict.ok, verdict.line


def test_budget_caps_are_checked_per_county(client, tokens):
    body = add_body(burdens={"apps": ["合成App"]})
    in_b = file(client, tokens, "syn_yjj_clerk", {**body, "scope_code": d.B_VILLAGE})
    in_a = file(client, tokens, "yjj_clerk", {**body, "scope_code": d.A_VILLAGE})
    assert "over_budget" in {f["kind"] for f in in_b["flags"]}, "county B allows no app"
    assert "over_budget" not in {f["kind"] for f in in_a["flags"]}, "Tonglu's caps hold in Tonglu"
    tonglu = client.get("/api/v1/budget").json()["caps"]
    assert client.get(f"/api/v1/budget?region={d.B_VILLAGE}").json()["caps"] == {"apps": 0, "hours_per_month": 500}
    put = client.put(f"/api/v1/budget?region={d.B_COUNTY}", json={"caps": {"apps": 3}}, headers=tokens["admin"])
    assert put.status_code == 200 and put.json()["caps"] == {"apps": 3}
    assert client.get(f"/api/v1/budget?region={d.B_TOWN}").json()["caps"] == {"apps": 3}
    assert client.get(f"/api/v1/budget?region={d.A_VILLAGE}").json()["caps"] == tonglu, "Tonglu's caps stand"
    assert client.get("/api/v1/budget?region=339999999999").status_code == 404


def test_a_request_is_compared_with_its_own_countys_catalog(client, tokens):
    seeded = [item for item in listing(client, d.A_VILLAGE).json()["duties"] if item["category"] == "assisting"][0]
    body = add_body(title=seeded["title"], description=seeded["description"])
    in_a = file(client, tokens, "yjj_clerk", {**body, "scope_code": d.A_VILLAGE})
    in_b = file(client, tokens, "syn_yjj_clerk", {**body, "scope_code": d.B_VILLAGE})
    assert seeded["code"] in {f.get("duty_code") for f in in_a["flags"] if f["kind"] == "duplicate"}
    assert not [f for f in in_b["flags"] if f["kind"] == "duplicate"], "Tonglu's items are not county B's"


def test_the_filing_form_offers_only_the_clerks_own_county(client, tokens):
    sign_in(client, "syn_yjj_clerk")
    page = client.get("/requests/new")
    assert page.status_code == 200
    assert f'value="{d.B_VILLAGE}"' in page.text and f'value="{d.A_VILLAGE}"' not in page.text
    client.get("/logout")
    client.cookies.clear()
    sign_in(client, "yjj_clerk")
    page = client.get("/requests/new")
    assert f'value="{d.A_VILLAGE}"' in page.text and f'value="{d.B_VILLAGE}"' not in page.text


def test_an_approval_in_one_county_rebuilds_only_that_countys_burden(client, db, tokens):
    from registry.burden import profile
    from registry.regions.services import find_region, region_index

    def county_snapshot(code):  # type: ignore[no-untyped-def]
        with db.read() as session:
            return profile.snapshot(session, find_region(region_index(session), code))

    def burden(code):  # type: ignore[no-untyped-def]
        response = client.get(f"/api/v1/regions/{code}/burden")
        assert response.status_code == 200
        return response.json()

    b_before, a_before = burden(d.B_COUNTY), burden(d.A_COUNTY)
    b_snapshot = county_snapshot(d.B_COUNTY)
    item = file(client, tokens, "yjj_clerk", add_body(title="桐庐县村级应急App填报", scope_code=d.A_COUNTY,
                                                      burdens={"apps": ["桐庐应急App"]}))
    approve(client, tokens, item["id"], ("mzj_reviewer", "sfj_reviewer"))

    a_after = burden(d.A_COUNTY)
    assert a_after["totals"]["duties"] == a_before["totals"]["duties"] + 1
    assert a_after["totals"]["apps"] == a_before["totals"]["apps"] + 1
    for point in ("min", "median", "max"):  # a county-wide item for `all` is on every village's list
        assert a_after["villages"][point]["apps"] == a_before["villages"][point]["apps"] + 1, point
    assert burden(d.B_COUNTY) == b_before, "county B's burden stands"
    assert county_snapshot(d.B_COUNTY) is b_snapshot, "county B's burden was not recomputed"
    assert county_snapshot(d.A_COUNTY) is not county_snapshot(d.B_COUNTY)


def test_beyond_a_few_hundred_departments_the_search_filter_offers_one_chain_of_owners(client, tokens, monkeypatch):
    """A province has ~800 departments and the country ~25,000: the search page's department filter then offers
    those of the chosen region's county and the regions above it (the top region's alone with no region chosen),
    and always the department filtered by."""
    import re

    from registry.regions import services

    def offered(**params):  # type: ignore[no-untyped-def]
        page = client.get("/duties", params=params)
        assert page.status_code == 200
        select = page.text.split('id="field-department"', 1)[1].split("</select>", 1)[0]
        return set(re.findall(r'<option value="([^"]+)"', select))

    everyone = offered()
    assert {"PROVMZT", "SYNMZJ", "MZJ"} <= everyone, "a small deployment offers every department"
    monkeypatch.setattr(services, "FILTER_DEPARTMENTS", 5)
    assert offered() == {"PROVMZT", "PROVSFT"}, "no region chosen: the top region's departments"
    assert offered(region=d.B_VILLAGE) == {"PROVMZT", "PROVSFT", *d.B_DEPARTMENTS}
    in_a = offered(region=d.A_VILLAGE)
    assert "MZJ" in in_a and "PROVMZT" in in_a and not in_a & set(d.B_DEPARTMENTS)
    assert "SYNYJJ" in offered(department="SYNYJJ"), "the department filtered by stays offered"
