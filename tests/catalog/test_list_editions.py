"""Per-list editions (contract §10): a region's edition is the seq of the newest duty.* entry that changed an item
scoped at the region, an ancestor or a region below it. The oracle recomputes every edition from the public ledger
(each entry touches the scope of its new content and the scope of the duty's previous version) and the region
tree from the public API; a change in one town never moves another town's lists, ETags or burden."""

from tests.admission.helpers import add_body
from tests.admission.test_journeys import all_entries
from tests.lifecycle.flows import approve, file, tokens_for

COUNTY = "330122000000"
JIANGNAN = "330122113000"  # 江南镇
LUCUN = "330122101201"  # 芦茨村, below 富春江镇
CATALOG_KINDS = ("duty.added", "duty.amended", "duty.retired")


def region_tree(client) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    """{code: parent code} for the whole county, from GET /api/v1/regions/{code}."""
    parents: dict[str, str | None] = {COUNTY: None}
    stack = [COUNTY]
    while stack:
        code = stack.pop()
        for child in client.get(f"/api/v1/regions/{code}").json()["children"]:
            parents[child["code"]] = code
            stack.append(child["code"])
    return parents


def oracle_editions(client, codes: list[str]) -> dict[str, int]:  # type: ignore[no-untyped-def]
    parents = region_tree(client)

    def line(code: str | None) -> list[str]:
        found = []
        while code is not None:
            found.append(code)
            code = parents[code]
        return found

    touched: list[tuple[int, set[str]]] = []
    scope_of: dict[str, str] = {}
    for entry in all_entries(client):
        if entry["kind"] not in CATALOG_KINDS:
            continue
        duty = entry["payload"]["duty"]
        scopes = {duty["scope_code"]} | ({scope_of[duty["code"]]} if duty["code"] in scope_of else set())
        scope_of[duty["code"]] = duty["scope_code"]
        touched.append((entry["seq"], scopes))
    editions = {}
    for code in codes:
        # An entry moves the list when a scope it touched is on the region's line to the root or below the region.
        editions[code] = max((seq for seq, scopes in touched
                              if any(code in line(s) or s in line(code) for s in scopes)), default=0)
    return editions


def editions(client, codes: list[str]) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {code: client.get(f"/api/v1/regions/{code}/duties").json()["edition"] for code in codes}


def test_a_change_moves_only_the_lists_it_reaches(client, db) -> None:  # type: ignore[no-untyped-def]
    tokens = tokens_for(db)
    jiangnan_village = client.get(f"/api/v1/regions/{JIANGNAN}").json()["children"][0]["code"]
    codes = [COUNTY, JIANGNAN, jiangnan_village, LUCUN, "330122101000"]
    before = editions(client, codes)
    assert before == oracle_editions(client, codes)
    lucun_tag = client.get(f"/api/v1/regions/{LUCUN}/duties").headers["etag"]
    lucun_burden_tag = client.get(f"/api/v1/regions/{LUCUN}/burden").headers["etag"]

    added = file(client, tokens, "yjj_clerk", add_body(scope_code=JIANGNAN))
    approve(client, tokens, added["id"])
    seq = all_entries(client)[-1]["seq"]
    after = editions(client, codes)
    assert after == oracle_editions(client, codes)
    assert after[COUNTY] == after[JIANGNAN] == after[jiangnan_village] == seq
    assert after[LUCUN] == before[LUCUN], "a change in another town keeps 芦茨村's edition"
    assert client.get(f"/api/v1/regions/{LUCUN}/duties", headers={"If-None-Match": lucun_tag}).status_code == 304
    assert client.get(f"/api/v1/regions/{LUCUN}/burden",
                      headers={"If-None-Match": lucun_burden_tag}).status_code == 304
    assert client.get(f"/api/v1/regions/{jiangnan_village}/burden").json()["edition"] == seq

    # An item scoped at one village: retiring it moves that village, its town and the county only.
    item = file(client, tokens, "yjj_clerk", add_body(title="村级应急物资储备点日常检查", scope_code=LUCUN))
    approve(client, tokens, item["id"])
    code = all_entries(client)[-1]["payload"]["duty"]["code"]
    retire = file(client, tokens, "yjj_clerk", {"kind": "retire", "duty_code": code, "justification": "任务已完成",
                                               "start_date": add_body()["start_date"]})
    approve(client, tokens, retire["id"])
    final = editions(client, codes)
    assert final == oracle_editions(client, codes)
    assert final[JIANGNAN] == after[JIANGNAN] and final[jiangnan_village] == after[jiangnan_village]
    assert final[LUCUN] == final[COUNTY] == all_entries(client)[-1]["seq"]


def test_a_list_as_of_an_edition_names_its_own_edition(client) -> None:  # type: ignore[no-untyped-def]
    newest = editions(client, [COUNTY])[COUNTY]
    found = client.get(f"/api/v1/regions/{LUCUN}/duties?as_of={newest}").json()
    assert found["edition"] == editions(client, [LUCUN])[LUCUN] <= newest
    assert client.get(f"/api/v1/regions/{LUCUN}/duties?as_of={found['edition']}").json()["duties"] == found["duties"]
