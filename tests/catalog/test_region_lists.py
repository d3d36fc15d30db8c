"""A region's official list: the ancestor-and-kind rule for every seeded region, as_of, ETag and 304, cost."""

import pytest
from sqlalchemy import event

from registry.catalog import lists
from tests.catalog.helpers import all_duties, change, expected_codes, region_tree
from tests.conftest import bearer, sign_in


def codes(client, code: str, **params) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get(f"/api/v1/regions/{code}/duties", params=params)
    assert response.status_code == 200, response.text
    return [d["code"] for d in response.json()["duties"]]


def test_every_region_list_follows_the_ancestor_and_kind_rule(client):
    duties = all_duties(client)
    regions = region_tree(client)
    assert sum(r["level"] == "village" for r in regions.values()) > 50
    for region in regions.values():
        assert codes(client, region["code"]) == expected_codes(region, regions, duties), region["name"]


def test_village_and_community_lists_differ_by_kind(client):
    duties = all_duties(client)
    regions = region_tree(client)
    village = next(r for r in regions.values() if r["kind"] == "village")
    community = next(r for r in regions.values() if r["kind"] == "community")
    assert any(d["applies_to"] == "community" for d in duties) and any(d["applies_to"] == "village" for d in duties)
    assert not {d["code"] for d in duties if d["applies_to"] == "community"} & set(codes(client, village["code"]))
    assert not {d["code"] for d in duties if d["applies_to"] == "village"} & set(codes(client, community["code"]))


def test_category_filter_and_document_shape(client):
    duties = all_duties(client)
    regions = region_tree(client)
    village = regions["330122113201"]
    body = client.get("/api/v1/regions/330122113201/duties", params={"category": "prohibited"}).json()
    assert set(body) == {"region", "edition", "edition_hash", "duties"}
    assert body["region"] == {k: village[k] for k in ("code", "name", "level", "kind", "parent_code")}
    assert [d["code"] for d in body["duties"]] == expected_codes(village, regions, duties, "prohibited")
    assert body["duties"], "the seed has negative-list items for every village"
    head = client.get("/api/v1/ledger", params={"after": body["edition"] - 1, "limit": 1}).json()["entries"][0]
    assert head["hash"] == body["edition_hash"] and head["kind"].startswith("duty.")


@pytest.mark.parametrize("params, status", [
    ({"category": "nonsense"}, 400), ({"as_of": "abc"}, 400), ({"as_of": "0"}, 400), ({"as_of": "-3"}, 400),
    ({"as_of": "98"}, 404), ({"as_of": "99999"}, 404),
])
def test_bad_list_parameters_are_refused_in_chinese(client, params, status):
    response = client.get("/api/v1/regions/330122113201/duties", params=params)
    assert response.status_code == status
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])


def test_unknown_region_is_404(client):
    response = client.get("/api/v1/regions/999999999999/duties")
    assert response.status_code == 404 and "999999999999" in response.json()["detail"]
    assert client.get("/regions/999999999999").status_code == 404


def test_as_of_gives_exactly_the_older_list(client, db):
    village = "330122113201"
    before = client.get(f"/api/v1/regions/{village}/duties").json()
    old_edition = before["edition"]
    first_county_item = next(d for d in before["duties"] if d["scope_code"] == "330122000000")
    amended = change(db, "amended", first_county_item["code"], title="改过的标题")
    retired_code = before["duties"][1]["code"]
    change(db, "retired", retired_code)
    added = change(db, "added", "D09999", scope_code="330122113000", title="镇级新增事项")
    now = client.get(f"/api/v1/regions/{village}/duties").json()
    assert now["edition"] == added > amended > old_edition
    before_codes = {d["code"] for d in before["duties"]}
    assert {d["code"] for d in now["duties"]} == before_codes - {retired_code} | {"D09999"}
    assert next(d for d in now["duties"] if d["code"] == first_county_item["code"])["title"] == "改过的标题"
    then = client.get(f"/api/v1/regions/{village}/duties", params={"as_of": old_edition}).json()
    assert then == before
    middle = client.get(f"/api/v1/regions/{village}/duties", params={"as_of": amended}).json()
    middle_codes = [d["code"] for d in middle["duties"]]
    assert retired_code in middle_codes and "D09999" not in middle_codes
    assert middle["edition"] == amended
    page = client.get(f"/regions/{village}", params={"since": old_edition})
    assert page.status_code == 200
    for code in (first_county_item["code"], retired_code, "D09999"):
        assert f"/duties/{code}" in page.text.split('id="changes-title"')[1].split("</section>")[0]


def test_etag_and_304(client, db):
    url = "/api/v1/regions/330122113201/duties"
    first, second = client.get(url), client.get(url)
    tag = first.headers["etag"]
    assert tag == second.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=60"
    assert "Accept-Language" in first.headers["vary"] and "Cookie" in first.headers["vary"]
    cached = client.get(url, headers={"If-None-Match": tag})
    assert cached.status_code == 304 and cached.content == b""
    assert client.get(url, params={"category": "assisting"}).headers["etag"] != tag
    assert client.get(url, headers={"Accept-Language": "en"}).headers["etag"] != tag
    change(db, "added", None, title="新事项")
    fresh = client.get(url, headers={"If-None-Match": tag})
    assert fresh.status_code == 200 and fresh.headers["etag"] != tag


def test_page_etag_and_private_when_signed_in(client, db):
    page = client.get("/regions/330122113201")
    assert page.headers["cache-control"] == "public, max-age=60" and page.headers["etag"]
    assert client.get("/regions/330122113201", headers={"If-None-Match": page.headers["etag"]}).status_code == 304
    assert "set-cookie" not in page.headers
    api = client.get("/api/v1/regions/330122113201/duties", headers=bearer(db, "lucun_cadre"))
    assert api.headers["cache-control"] == "private, no-store"
    sign_in(client, "lucun_cadre")
    mine = client.get("/regions/330122113201")
    assert mine.headers["cache-control"] == "private, no-store"
    assert mine.headers["etag"] != page.headers["etag"]


def test_a_village_list_costs_a_bounded_number_of_statements(client, db):
    client.get("/api/v1/regions/330122113201/duties")  # warm the region index
    for n in range(30):
        change(db, "added", None, title=f"额外事项{n}", scope_code="330122101201" if n % 2 else "330122000000")
    lists.forget_lists()
    statements: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get("/api/v1/regions/330122113201/duties").status_code == 200
        cold = len(statements)
        statements.clear()
        assert client.get("/api/v1/regions/330122113201/duties").status_code == 200
        warm = len(statements)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    # Cold: BEGIN, the catalog head, the list's edition from its scopes (the head moved), its versions, their
    # departments. Warm: BEGIN and the head (the edition is remembered with the head it was read at).
    assert cold <= 5, statements
    assert warm <= 2, statements
