"""The pages of each role, and a crawl of every public secondment route as anonymous and as cadres: no staff
number (person_ref) anywhere, not even for the home town's own cadre."""

import re

from registry.accounts.services import create_user
from tests.conftest import PASSWORD, bearer, csrf_token, sign_in
from tests.secondments.helpers import BAIJIANG, file

STAFF_NUMBER = re.compile(r"TL-\d{4}-\d{4}")
LINK = re.compile(r'href="(/(?:secondments|temporary-bodies)[^"#]*)"')
PARTIES_ONLY = ("/secondments/mine", "/secondments/new", "/api/v1/secondments/mine")


def post_form(client, path: str, data: dict):  # type: ignore[no-untyped-def]
    return client.post(path, data={**data, "_csrf_token": csrf_token(client, "/secondments")}, follow_redirects=False)


def test_the_figures_page_states_them_as_the_seed_does(client):
    page = client.get("/secondments/stats")
    assert page.status_code == 200
    assert "共排查 38 家单位" in page.text and "清理借调干部 21 人" in page.text
    assert "15 人调至现岗位" in page.text and "6 人回原单位" in page.text
    english = client.get("/secondments/stats?lang=en").text
    assert "38 units checked; 21 seconded cadres cleared" in english


def test_file_consent_and_record_the_outcome_through_the_pages(client, db):
    create_user(db, "baijiang_cadre", "cadre", PASSWORD, region_code=BAIJIANG)
    sign_in(client, "yjj_clerk")
    assert client.get("/secondments/new").status_code == 200
    refused = post_form(client, "/secondments/new", {"home": BAIJIANG, "person_ref": "张三", "reason": "值守",
                                                     "start_on": "2026-12-01", "end_on": "2026-11-01"})
    assert refused.status_code == 422 and "field-error" in refused.text
    filed = post_form(client, "/secondments/new", {"home": BAIJIANG, "person_ref": "TL-2020-0001", "reason": "值守",
                                                   "start_on": "2026-12-01", "end_on": "2027-07-31"})
    assert filed.status_code == 303
    detail_path = filed.headers["location"]
    detail = client.get(detail_path)
    assert "TL-2020-0001" not in detail.text and "超过 6 个月" in detail.text
    assert "TL-2020-0001" in client.get("/secondments/mine").text

    client.cookies.clear()
    sign_in(client, "baijiang_cadre")
    mine = client.get("/secondments/mine")
    assert "TL-2020-0001" in mine.text and "secondment-" in mine.text
    assert 'id="consent-form"' in client.get(detail_path).text
    answered = post_form(client, f"{detail_path}/consent", {"decision": "approve", "reason": "镇党委同意"})
    assert answered.status_code == 303
    assert 'id="consent-form"' not in client.get(detail_path).text

    client.cookies.clear()
    sign_in(client, "zzb_reviewer")
    assert post_form(client, f"{detail_path}/consent", {"decision": "approve", "reason": "同意"}).status_code == 303
    page = client.get(detail_path)
    assert "已同意（借调中）" in page.text and 'id="outcome-form"' in page.text
    assert post_form(client, f"{detail_path}/outcome", {"outcome": "returned", "reason": "回原单位"}).status_code == 303
    assert "调回原单位" in client.get(detail_path).text
    assert "共排查 38 家单位，清理借调干部 22 人" in client.get("/secondments/stats").text


def test_the_town_page_and_temporary_bodies_page(client, db):
    town = client.get(f"/secondments/towns/{BAIJIANG}")
    assert town.status_code == 200 and "百江镇" in town.text and "60" in town.text
    sign_in(client, "zzb_reviewer")
    bodies = client.get("/temporary-bodies")
    assert 'id="register-body"' in bodies.text and "TB01" in bodies.text
    created = post_form(client, "/temporary-bodies", {"code": "TB80", "name": "县某工作专班",
                                                      "lead_department": "YJJ", "ends_on": "2027-06-30"})
    assert created.status_code == 303 and "TB80" in client.get("/temporary-bodies").text


def crawl(client, headers: dict[str, str] | None = None) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Every page and JSON answer reachable from the public secondment routes (parties' own routes left out)."""
    api = ["/api/v1/secondments?per_page=100", "/api/v1/secondments/stats", "/api/v1/temporary-bodies"]
    ids = [item["id"] for item in client.get(api[0], headers=headers or {}).json()["items"]]
    towns = [f"/secondments/towns/{code}" for code in ("330122112000", "330122113000", "330122101000")]
    queue = ["/secondments", "/secondments/stats", "/temporary-bodies", *towns,
             *(f"/api/v1/secondments/{i}" for i in ids), *(f"/api/v1/secondments/towns/{t[-12:]}" for t in towns),
             *api]
    seen: dict[str, str] = {}
    while queue:
        path = queue.pop()
        if path in seen or path.startswith(PARTIES_ONLY):
            continue
        response = client.get(path, headers=headers or {} if path.startswith("/api/") else {})
        assert response.status_code in (200, 404), path
        seen[path] = response.text
        queue.extend(LINK.findall(response.text.replace("&amp;", "&")))
    return seen


def test_a_crawl_as_anonymous_and_as_cadres_finds_no_person_ref(client, db):
    # One awaiting consent from 江南镇 (jiangnan_cadre is its home party) and one consented from 百江镇.
    clerk = bearer(db, "yjj_clerk")
    waiting = file(client, clerk, home="330122113000", person_ref="TL-2026-9999")
    consented = file(client, clerk, person_ref="TL-2026-8888")
    create_user(db, "baijiang_cadre", "cadre", PASSWORD, region_code=BAIJIANG)
    for party in (bearer(db, "baijiang_cadre"), bearer(db, "zzb_reviewer")):
        client.post(f"/api/v1/secondments/{consented['id']}/consent", json={"decision": "approve", "reason": "同意"},
                    headers=party)
    for account in (None, "lucun_cadre", "jiangnan_cadre", "baijiang_cadre"):
        client.cookies.clear()
        headers = None
        if account:
            sign_in(client, account)
            headers = bearer(db, account)
        pages = crawl(client, headers)
        assert len(pages) > 25
        assert any(f"/secondments/{consented['id']}" in path for path in pages)
        if account == "jiangnan_cadre":
            assert f"/api/v1/secondments/{waiting['id']}" in pages  # the home party sees it, without the person
        found = {path: STAFF_NUMBER.findall(text) for path, text in pages.items()}
        assert not any(found.values()), (account, {p: f for p, f in found.items() if f})
        assert not any("person_ref" in text for text in pages.values()), account
