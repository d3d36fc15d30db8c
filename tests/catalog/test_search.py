"""Search: substring of title or description after NFKC, Latin case-insensitive; filters; pages."""

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.catalog.helpers import all_duties, change


def search(client, **params):  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/duties", params={"per_page": 100, **params})
    assert response.status_code == 200, response.text
    return response.json()


def oracle(duties: list[dict], q: str) -> list[str]:
    key = unicodedata.normalize("NFKC", q).casefold()
    return sorted(d["code"] for d in duties
                  if key in unicodedata.normalize("NFKC", d["title"] + "\n" + d["description"]).casefold())


def test_short_chinese_queries(client, db):
    change(db, "added", "D09001", title="城乡低保对象动态管理", description="协助开展低保对象入户核查。")
    duties = all_duties(client)
    for q in ("低保", "消防", "防", "保"):
        found = [d["code"] for d in search(client, q=q)["items"]]
        assert found == oracle(duties, q) and found, q
    assert "D09001" in [d["code"] for d in search(client, q="低保")["items"]]
    assert {"D00021", "D00040", "D00043"} <= {d["code"] for d in search(client, q="消防")["items"]}


def test_full_width_and_case(client, db):
    change(db, "added", "D09002", title="推广ＡＰＰ打卡", description="手机 App 使用说明")
    for q in ("app", "APP", "ＡＰＰ", "ａｐｐ", "App"):
        codes = [d["code"] for d in search(client, q=q)["items"]]
        assert "D09002" in codes and "D00097" in codes, q


def test_like_wildcards_are_literal(client, db):
    assert search(client, q="%")["total"] == 0
    assert search(client, q="_")["total"] == 0
    change(db, "added", "D09003", title="完成率100%_考核", description="按百分比考核")
    assert [d["code"] for d in search(client, q="100%_")["items"]] == ["D09003"]
    assert [d["code"] for d in search(client, q="%")["items"]] == ["D09003"]


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


@pytest.mark.parametrize("params", [
    {"per_page": "0"}, {"per_page": "101"}, {"per_page": "x"}, {"page": "0"}, {"page": "-1"},
    {"category": "zzz"}, {"status": "gone"},
])
def test_bad_parameters_are_400_in_chinese(client, params):
    response = client.get("/api/v1/duties", params=params)
    assert response.status_code == 400
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])


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
    codes = []
    page = 1
    while True:
        body = client.get("/api/v1/duties", params={"q": needle, "per_page": 100, "page": page}).json()
        codes += [d["code"] for d in body["items"]]
        if page * 100 >= body["total"]:
            break
        page += 1
    assert code in codes
