"""Joint assessments (contract §8): the office merges assessments; a village's TOTALS.assessments then counts the
members on its list once — checked against an oracle computed from the village's duties as the API lists them."""

import json

from registry.catalog.integrity import verify_ledger_and_catalog
from tests.admission.helpers import add_body
from tests.conftest import bearer, csrf_token, sign_in

VILLAGE, COMMUNITY, COUNTY = "330122101201", "330122002101", "330122000000"  # 芦茨村 (村), 旧县社区 (社区), 桐庐县
NOT_PERFORMED = {"prohibited", "certificate_prohibited"}
MEMBERS = ["文明村年度测评", "平安村年度测评", "平安社区年度测评"]  # both 村 items, one 社区 item (seed)


def oracle_assessments(duties: list[dict], joints: list[dict]) -> int:
    """Assessment names of the performed items, each member of a joint assessment replaced by the joint one, and
    each joint one counted once however many items name its members."""
    owner = {name: joint["id"] for joint in joints for name in joint["members"]}
    plain, hit = 0, set()
    for duty in duties:
        if duty["category"] in NOT_PERFORMED:
            continue
        for name in duty["burdens"]["assessments"]:
            if name in owner:
                hit.add(owner[name])
            else:
                plain += 1
    return plain + len(hit)


def check(client, code: str) -> int:  # type: ignore[no-untyped-def]
    """The burden API's TOTALS.assessments for *code*, asserted equal to the oracle's."""
    duties = client.get(f"/api/v1/regions/{code}/duties").json()["duties"]
    joints = client.get("/api/v1/assessments/joint").json()
    burden = client.get(f"/api/v1/regions/{code}/burden").json()
    expected = oracle_assessments(duties, joints)
    assert burden["totals"]["assessments"] == expected, (code, burden["totals"], expected)
    return expected


def join(client, headers, title: str, members: list) -> object:  # type: ignore[no-untyped-def]
    return client.post("/api/v1/assessments/joint", json={"title": title, "members": members}, headers=headers)


def test_a_merge_counts_its_members_once_on_every_list(client, db):
    office = bearer(db, "fwb_office")
    before = {code: check(client, code) for code in (VILLAGE, COMMUNITY, COUNTY)}
    assert before == {VILLAGE: 9, COMMUNITY: 7, COUNTY: 13}
    old_tag = client.get(f"/api/v1/regions/{VILLAGE}/burden").headers["etag"]
    old_page_tag = client.get(f"/regions/{VILLAGE}").headers["etag"]
    county_before = client.get(f"/api/v1/regions/{COUNTY}/burden").json()["villages"]["max"]["assessments"]

    made = join(client, office, "平安文明联合测评", [" 平安村年度测评", "文明村年度测评", "平安社区年度测评"])
    assert made.status_code == 201, made.text
    joint = made.json()
    assert joint["members"] == ["平安村年度测评", "文明村年度测评", "平安社区年度测评"]
    assert joint["department"] == {"code": "FWB", "name": joint["department"]["name"]}
    assert client.get("/api/v1/assessments/joint").json() == [joint]

    after = {code: check(client, code) for code in (VILLAGE, COMMUNITY, COUNTY)}
    assert after == {VILLAGE: 8, COMMUNITY: 7, COUNTY: 11}  # two 村 items → one; one 社区 item stays one
    county = client.get(f"/api/v1/regions/{COUNTY}/burden").json()["villages"]
    assert (county_before, county["max"]["assessments"]) == (9, 8)  # the spread over villages too
    stale = client.get(f"/api/v1/regions/{VILLAGE}/burden", headers={"if-none-match": old_tag})
    assert stale.status_code == 200 and stale.json()["totals"]["assessments"] == 8
    assert client.get(f"/regions/{VILLAGE}").headers["etag"] != old_page_tag

    entry = client.get("/api/v1/ledger?after=0&limit=1000").json()["entries"][-1]
    assert entry["kind"] == "assessments.joined"
    assert entry["payload"]["members"] == joint["members"] and entry["payload"]["department"]["code"] == "FWB"
    assert "fwb_office" not in json.dumps(entry, ensure_ascii=False)
    with db.read() as session:
        assert verify_ledger_and_catalog(session).ok  # `registry ledger verify` takes the new kind

    burdens = {"assessments": ["平安村年度测评", "新设考核甲"], "meetings_per_year": 0}
    filed = client.post("/api/v1/requests", json=add_body(burdens=burdens), headers=bearer(db, "yjj_clerk"))
    assert filed.status_code == 201, filed.text  # every village already carries the joint one: only the new counts
    assert filed.json()["impact"]["delta_per_village"]["assessments"] == 1

    again = join(client, office, "另一项联合考核", ["文明村年度测评", "民主法治示范村年度测评"])
    assert again.status_code == 409 and "平安文明联合测评" in again.json()["detail"]
    same_title = join(client, office, "平安文明联合测评", ["民主法治示范村年度测评", "网格员月度考核"])
    assert same_title.status_code == 409


BAD_BODIES = [
    ({"title": "", "members": MEMBERS[:2]}, "title"),
    ({"title": "  ", "members": MEMBERS[:2]}, "title"),
    ({"title": "联合", "members": MEMBERS[:1]}, "members"),
    ({"title": "联合", "members": []}, "members"),
    ({"title": "联合"}, "members"),
    ({"title": "联合", "members": [MEMBERS[0], MEMBERS[0]]}, "重复"),
    ({"title": "联合", "members": [MEMBERS[0], "不存在的考核"]}, "不存在的考核"),
    ({"title": "联合", "members": [MEMBERS[0], "a\x00b"]}, "members"),
    ({"title": "联合", "members": [MEMBERS[0], "x" * 101]}, "members"),
    ({"title": "x" * 201, "members": MEMBERS[:2]}, "title"),
    ({"title": "联合", "members": MEMBERS[:2], "code": "J1"}, "code"),
]


def test_bad_bodies_are_refused_with_a_reason(client, db):
    office = bearer(db, "fwb_office")
    for body, reason in BAD_BODIES:
        response = client.post("/api/v1/assessments/joint", json=body, headers=office)
        assert response.status_code in (400, 422), (body, response.status_code, response.text)
        assert reason in response.text and response.json()["detail"], (body, response.text)
    assert client.post("/api/v1/assessments/joint", json={"title": "联合", "members": MEMBERS[:2]},
                       headers=bearer(db, "mzj_clerk")).status_code == 403
    assert client.get("/api/v1/assessments/joint").json() == []


def test_the_office_merges_on_the_page(client, db):
    sign_in(client, "fwb_office")
    page = client.get("/assessments")
    assert page.status_code == 200 and 'id="join-form"' in page.text and MEMBERS[0] in page.text
    token = csrf_token(client, "/assessments")
    refused = client.post("/assessments", data={"_csrf_token": token, "title": "联合", "members": [MEMBERS[0]]})
    assert refused.status_code == 422 and 'id="form-errors"' in refused.text
    done = client.post("/assessments", data={"_csrf_token": token, "title": "<b>联合</b>", "members": MEMBERS[:2]},
                       follow_redirects=False)
    assert done.status_code in (302, 303), done.text
    shown = client.get("/assessments").text
    assert "&lt;b&gt;联合&lt;/b&gt;" in shown and "<b>联合</b>" not in shown
    assert client.post("/assessments", data={"title": "二", "members": MEMBERS[1:]}).status_code == 403  # no CSRF
