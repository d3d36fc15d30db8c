"""Search answers "is this task on my list?": every query word must be a substring (NFKC, case-folded) of the
code, title, description, a burden name, or the responsible or a co-operating department's name or code.
Expected answers come from an oracle written in plain Python over seed/catalog.json and departments.csv (or
over the API's own DUTY documents after a change), never from the search code."""

import csv
import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from registry.regions.models import Department
from tests.catalog.helpers import all_duties, change, expected_codes, region_tree

ROOT = Path(__file__).resolve().parents[2]
BURDEN_LISTS = ("ledgers", "reports", "apps", "signboards", "wall_rules", "assessments", "campaigns")
LUCI = "330122101201"  # 芦茨村, a 村 of 富春江镇


def key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def seed_duties() -> list[dict]:
    """The seed's items in the DUTY form (department names from departments.csv)."""
    with (ROOT / "seed" / "departments.csv").open(encoding="utf-8-sig") as handle:
        names = {row["code"]: row["name"] for row in csv.DictReader(handle)}
    items = json.loads((ROOT / "seed" / "catalog.json").read_text("utf-8"))
    return [{**d, "department": {"code": d["department"], "name": names[d["department"]]},
             "co_departments": [{"code": c, "name": names[c]} for c in d["co_departments"]]} for d in items]


def fields(duty: dict) -> list[str]:
    departments = [duty["department"], *duty["co_departments"]]
    texts = [duty["code"], duty["title"], duty["description"],
             *[name for kind in BURDEN_LISTS for name in duty["burdens"].get(kind, [])],
             *[d["code"] for d in departments], *[d["name"] for d in departments]]
    return [key(t) for t in texts]


def oracle(duties: list[dict], q: str) -> set[str]:
    words = key(q).split()
    return {d["code"] for d in duties if all(any(w in f for f in fields(d)) for w in words)}


def search(client, **params):  # type: ignore[no-untyped-def]
    """The cadre's search: everything an item names, best first (`reach=all&sort=relevance`)."""
    response = client.get("/api/v1/duties", params={"per_page": 100, "reach": "all", "sort": "relevance", **params})
    assert response.status_code == 200, response.text
    return response.json()


def search_all(client, **params) -> list[dict]:  # type: ignore[no-untyped-def]
    items, page = [], 1
    while True:
        body = search(client, page=page, **params)
        items += body["items"]
        if page * body["per_page"] >= body["total"]:
            assert len(items) == body["total"]
            return items
        page += 1


@pytest.mark.parametrize("q", ["台账", "低保", "协助", "村规民约", "APP", "app", "D00011", "消防 巡查"])
def test_the_contract_default_is_a_substring_of_title_or_description_by_code(client, q):
    """Without `reach`, `q` is one substring of the title or the description, and results go by code (§2)."""
    items, page = [], 1
    while True:
        body = client.get("/api/v1/duties", params={"q": q, "per_page": 100, "page": page}).json()
        items += body["items"]
        if page * body["per_page"] >= body["total"]:
            break
        page += 1
    expected = sorted(d["code"] for d in seed_duties() if key(q) in key(d["title"]) or key(q) in key(d["description"]))
    assert [d["code"] for d in items] == expected


CADRE_QUERIES = ["台账", "低保", "应急", "民政局", "D00011", "d00011", "消防 巡查", "台账\u3000月报", "MZJ 台账"]


@pytest.mark.parametrize("q", CADRE_QUERIES)
def test_the_cadres_questions_get_what_the_oracle_finds(client, q):
    found = [d["code"] for d in search_all(client, q=q)]
    expected = oracle(seed_duties(), q)
    assert expected and set(found) == expected and len(found) == len(expected), q


def test_what_the_old_search_missed_is_found(client):
    assert [d["code"] for d in search(client, q="低保")["items"]] == ["D00011"]  # a ledger's name
    assert "D00021" in {d["code"] for d in search(client, q="应急")["items"]}  # 县应急管理局 co-operates
    assert [d["code"] for d in search(client, q="D00011")["items"]] == ["D00011"]
    mzj = {d["code"] for d in search_all(client, q="民政局")}
    assert "D00001" in mzj and "D00011" in mzj  # responsible department and co-operating department
    assert {d["code"] for d in search_all(client, q="消防 巡查")} < {d["code"] for d in search_all(client, q="消防")}


@pytest.mark.parametrize("q", ["台账", "应急", "消防", "宣传", "证明", "协助"])
def test_title_hits_come_first(client, q):
    items = search_all(client, q=q)
    in_title = [key(q) in key(d["title"]) for d in items]
    assert in_title == sorted(in_title, reverse=True), q


def test_whole_words_rank_above_partial_hits_and_ties_go_by_code(client, db):
    change(db, "added", "D09001", title="消防汛期检查", description="检查。")  # 防汛 only across 消防|汛期
    change(db, "added", "D09002", title="协助防汛工作", description="防汛。")
    change(db, "added", "D09003", title="协助防汛值守", description="防汛。")
    codes = [d["code"] for d in search_all(client, q="防汛")]
    assert codes.index("D09002") < codes.index("D09003") < codes.index("D09001")


def test_ranked_pages_are_stable_and_complete(client):
    whole = [d["code"] for d in search(client, q="台账")["items"]]
    paged = []
    for page in range(1, 6):
        paged += [d["code"] for d in search(client, q="台账", per_page=7, page=page)["items"]]
    assert paged == whole and len(set(whole)) == len(whole) == 32


def test_a_renamed_department_is_found_by_its_new_name(client, db):
    with db.write() as session:
        department = session.exec(select(Department).where(Department.code == "TJJ")).one()
        department.name = "县统计和普查中心"
        session.add(department)
    codes = {d["code"] for d in search_all(client, q="普查中心")}
    assert codes and codes == {d["code"] for d in search_all(client, department="TJJ")} | {
        d["code"] for d in all_duties(client) if any(c["code"] == "TJJ" for c in d["co_departments"])}


def test_a_repeated_search_follows_every_change(client, db):
    """Searches are answered from what was found for the same question at the same edition: a change to the
    catalog, a retirement or a department's new name is seen by the very next search."""
    assert search(client, q="普查中心")["total"] == 0
    with db.write() as session:
        department = session.exec(select(Department).where(Department.code == "TJJ")).one()
        department.name = "县统计和普查中心"
        session.add(department)
    assert search(client, q="普查中心")["total"] > 0, "the new name is searched at once (no catalog change)"
    before = search_all(client, q="低保")
    assert "D00011" in {d["code"] for d in before}
    change(db, "retired", "D00011")
    after = search_all(client, q="低保")
    assert {d["code"] for d in after} == {d["code"] for d in before} - {"D00011"}
    change(db, "added", "D09004", title="低保对象年度复核", description="协助开展低保复核。")
    assert search(client, q="低保")["items"][0]["code"] == "D09004", "a title hit first, at once"
    plain = client.get("/api/v1/duties", params={"q": "低保复核"}).json()
    assert [d["code"] for d in plain["items"]] == ["D09004"] and plain["items"][0]["department"]["name"]


def test_short_chinese_queries(client, db):
    change(db, "added", "D09001", title="城乡低保对象动态管理", description="协助开展低保对象入户核查。")
    duties = all_duties(client)
    for q in ("低保", "消防", "防", "保"):
        found = [d["code"] for d in search_all(client, q=q)]
        assert set(found) == oracle(duties, q) and len(found) == len(set(found)) and found, q
    assert [d["code"] for d in search(client, q="低保")["items"]] == ["D09001", "D00011"]  # title hit first
    assert {"D00021", "D00040", "D00043"} <= {d["code"] for d in search(client, q="消防")["items"]}


def test_full_width_and_case(client, db):
    change(db, "added", "D09002", title="推广ＡＰＰ打卡", description="手机 App 使用说明")
    for q in ("app", "APP", "ＡＰＰ", "ａｐｐ", "App"):
        codes = [d["code"] for d in search_all(client, q=q)]
        assert "D09002" in codes and "D00097" in codes, q
    assert [d["code"] for d in search(client, q="mzj d00001")["items"]] == ["D00001"]


def test_like_wildcards_are_literal(client, db):
    assert search(client, q="%")["total"] == 0
    assert search(client, q="_")["total"] == 0
    change(db, "added", "D09003", title="完成率100%_考核", description="按百分比考核")
    assert [d["code"] for d in search(client, q="100%_")["items"]] == ["D09003"]
    assert [d["code"] for d in search(client, q="%")["items"]] == ["D09003"]


def test_control_characters_cannot_reach_the_department_marks(client):
    assert search(client, q="\x1fmzj\x1f")["total"] == len(oracle(seed_duties(), "mzj"))
    assert search(client, q="\n")["total"] == 97  # no word: no filter


def test_empty_q_lists_every_active_item_in_code_order(client, db):
    change(db, "retired", "D00005")
    body = search(client, q="")
    assert body["total"] == 96 and body["page"] == 1 and body["per_page"] == 100
    codes = [d["code"] for d in body["items"]]
    assert codes == sorted(codes) and "D00005" not in codes
    retired = search(client, status="retired")
    assert [d["code"] for d in retired["items"]] == ["D00005"] and retired["items"][0]["status"] == "retired"
    assert search(client)["total"] == 96


def test_pages_are_stable_and_complete(client):
    seen = []
    for page in (1, 2, 3, 4, 5):
        body = client.get("/api/v1/duties", params={"per_page": 20, "page": page}).json()
        seen += [d["code"] for d in body["items"]]
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 97
    assert client.get("/api/v1/duties").json()["per_page"] == 20


def test_filters(client):
    duties = all_duties(client)
    body = search(client, category="prohibited", department="MZJ")
    expected = sorted(d["code"] for d in duties if d["category"] == "prohibited" and d["department"]["code"] == "MZJ")
    assert [d["code"] for d in body["items"]] == expected
    assert search(client, department="NOPE")["total"] == 0
    narrowed = {d["code"] for d in search_all(client, q="台账", category="assisting")}
    assisting = {d["code"] for d in seed_duties() if d["category"] == "assisting"}
    assert narrowed == assisting & oracle(seed_duties(), "台账")


@pytest.mark.parametrize("params", [
    {"per_page": "0"}, {"per_page": "101"}, {"per_page": "x"}, {"page": "0"}, {"page": "-1"},
    {"category": "zzz"}, {"status": "gone"},
])
def test_bad_parameters_are_400_in_chinese(client, params):
    response = client.get("/api/v1/duties", params=params)
    assert response.status_code == 400
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])


@pytest.mark.parametrize("region", ["999999999999", "nope", "3301221012019999999999"])
def test_an_unknown_region_is_404_in_chinese(client, region):
    response = client.get("/api/v1/duties", params={"q": "台账", "region": region})
    assert response.status_code == 404
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])
    page = client.get("/duties", params={"q": "台账", "region": region})
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]


def test_duty_detail_and_unknown_code(client, db):
    change(db, "amended", "D00021", title="新的消防事项")
    body = client.get("/api/v1/duties/D00021").json()
    assert body["title"] == "新的消防事项" and body["version"] == 2
    assert [v["version"] for v in body["versions"]] == [1, 2]
    assert [v["change"] for v in body["versions"]] == ["added", "amended"]
    assert body["versions"][0]["edition"] == 21 and body["versions"][1]["edition"] > 98
    missing = client.get("/api/v1/duties/D99999")
    assert missing.status_code == 404 and "D99999" in missing.json()["detail"]
    page = client.get("/duties/D00021?from=1&to=2")
    assert 'class="diff-del"' in page.text and 'class="diff-ins"' in page.text


def test_each_result_says_where_it_applies_and_keeps_the_duty_shape(client):
    regions = region_tree(client)
    items = search_all(client, q="协助")
    assert items
    for item in items:
        scope = regions[item["scope_code"]]
        assert item["scope"] == {k: scope[k] for k in ("code", "name", "level", "kind", "parent_code")}
        detail = client.get(f"/api/v1/duties/{item['code']}").json()
        assert {k: v for k, v in item.items() if k != "scope"} == {k: v for k, v in detail.items() if k != "versions"}
        assert "on_list" not in item


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_on_list_agrees_with_the_regions_list(client, data):
    regions = region_tree(client)
    villages = sorted(c for c, r in regions.items() if r["level"] == "village")
    towns = sorted(c for c, r in regions.items() if r["level"] == "town")
    code = data.draw(st.sampled_from(villages + towns[:2]))
    q = data.draw(st.sampled_from(["", "台账", "协助", "证明", "社区"]))
    listed = {d["code"] for d in client.get(f"/api/v1/regions/{code}/duties").json()["duties"]}
    duties = all_duties(client)
    assert listed == set(expected_codes(regions[code], regions, duties))
    items = search_all(client, q=q, region=code)
    assert items and {d["code"] for d in items} == oracle(duties, q)
    assert all(item["on_list"] == (item["code"] in listed) for item in items)


def _words_of(duty: dict) -> list[str]:
    return [f for f in fields(duty) if f.strip()]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_result_holds_every_word_and_nothing_is_missed(client, data):
    duties = seed_duties()
    words = []
    for _ in range(data.draw(st.integers(1, 3))):
        text = data.draw(st.sampled_from(_words_of(data.draw(st.sampled_from(duties)))))
        start = data.draw(st.integers(0, len(text) - 1))
        end = data.draw(st.integers(start + 1, min(len(text), start + 4)))
        word = "".join(text[start:end].split())
        if word:
            words.append(word)
    if not words:
        return
    q = data.draw(st.sampled_from([" ", "\u3000", "  "])).join(words)
    found = search_all(client, q=q)
    expected = oracle(duties, q)
    assert {d["code"] for d in found} == expected and len(found) == len(expected), q
    for item in found:
        searchable = fields(item)
        assert all(any(key(w) in f for f in searchable) for w in words), (q, item["code"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_substring_of_a_title_finds_its_duty(client, data):
    code = data.draw(st.sampled_from([f"D{n:05d}" for n in range(1, 98)]))
    title = client.get(f"/api/v1/duties/{code}").json()["title"]
    start = data.draw(st.integers(0, len(title) - 1))
    end = data.draw(st.integers(start + 1, len(title)))
    needle = title[start:end].strip()
    if not needle:
        return
    assert code in [d["code"] for d in search_all(client, q=needle)]


def test_the_page_says_where_each_result_applies_and_whether_it_is_on_the_list(client):
    page = client.get("/duties", params={"q": "台账", "region": LUCI})
    assert page.status_code == 200
    text = page.text
    assert "<optgroup" in text and f'<option value="{LUCI}" selected>芦茨村</option>' in text
    assert "已对照芦茨村的现行清单" in text
    listed = {d["code"] for d in client.get(f"/api/v1/regions/{LUCI}/duties").json()["duties"]}
    shown = search(client, q="台账", region=LUCI, per_page=20)["items"]
    on = sum(d["code"] in listed for d in shown)
    assert 0 < on < len(shown)
    assert text.count("在芦茨村的清单上") - text.count("不在芦茨村的清单上") == on
    assert text.count("不在芦茨村的清单上") == len(shown) - on
    assert text.count("适用范围") >= len(shown) and "桐庐县" in text
    english = client.get("/duties", params={"q": "台账", "region": LUCI, "lang": "en"}).text
    assert "On the list of 芦茨村" in english and "Not on the list of 芦茨村" in english
    assert "Where it applies" in english
