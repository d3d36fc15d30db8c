"""我的村（社区）: a cadre lands on the own list after sign-in, sees what changed since last looking (an oracle:
the items of the list at the baseline edition against the list now, both read from the public API), marks it
read, sees the items due for review, and a town cadre opens the villages below the town and nothing else."""

import re
from datetime import date, timedelta

from tests.admission.helpers import VILLAGE, add_body
from tests.conftest import csrf_token, sign_in
from tests.lifecycle.flows import approve, file, today, tokens_for

TOWN = "330122113000"  # 江南镇, jiangnan_cadre's town


def codes_on(client, region: str, as_of: int | None = None) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The public list, as {duty code: version}, now or as of an edition."""
    query = f"?as_of={as_of}" if as_of else ""
    found = client.get(f"/api/v1/regions/{region}/duties{query}").json()
    return {d["code"]: d["version"] for d in found["duties"]}


def edition_of(client, region: str) -> int:  # type: ignore[no-untyped-def]
    return client.get(f"/api/v1/regions/{region}/duties").json()["edition"]


def shown_codes(html: str, section: str) -> set[str]:
    block = html.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]
    return set(re.findall(r'href="/duties/(D\d+)', block))


def test_cadre_sees_changes_since_last_look_and_marks_them_read(client, db) -> None:  # type: ignore[no-untyped-def]
    tokens = tokens_for(db)
    baseline = edition_of(client, VILLAGE)
    sign_in(client, "lucun_cadre")
    assert client.get("/my").status_code == 200
    page = client.get("/my").text
    assert "我的村（社区）" in page and "芦茨村" in page
    assert shown_codes(page, "changes") == set(), "nothing changed since the account was created"
    assert "/reports/new" in page, "the page offers to report a task that is not on the list"

    added = file(client, tokens, "yjj_clerk", add_body())
    approve(client, tokens, added["id"])
    expected = {code for code, version in codes_on(client, VILLAGE).items()
                if codes_on(client, VILLAGE, baseline).get(code) != version}
    page = client.get("/my").text
    assert expected and shown_codes(page, "changes") == expected
    badge = re.search(r'href="/my"[^>]*>.*?<span class="badge nav-badge"[^>]*>(\d+)', page, re.S)
    assert badge and int(badge.group(1)) == len(expected)

    response = client.post("/my/read", data={"_csrf_token": csrf_token(client, "/my"), "region_code": VILLAGE,
                                             "edition": str(edition_of(client, VILLAGE))})
    assert response.status_code in (200, 303)
    page = client.get("/my").text
    assert shown_codes(page, "changes") == set()
    assert not re.search(r'href="/my"[^>]*>.*?<span class="badge nav-badge', page.split("</nav>")[0], re.S)


def test_items_due_for_review_are_those_within_ninety_days(client, db) -> None:  # type: ignore[no-untyped-def]
    limit = (today() + timedelta(days=90)).isoformat()
    duties = client.get(f"/api/v1/regions/{VILLAGE}/duties").json()["duties"]
    expected = {d["code"] for d in duties if d["review_by"] and d["review_by"] <= limit}
    sign_in(client, "lucun_cadre")
    assert shown_codes(client.get("/my").text, "due") == expected
    assert all(date.fromisoformat(d["review_by"]) for d in duties if d["code"] in expected)


def test_town_cadre_opens_the_villages_below_and_nothing_else(client, db) -> None:  # type: ignore[no-untyped-def]
    villages = [c["code"] for c in client.get(f"/api/v1/regions/{TOWN}").json()["children"]]
    sign_in(client, "jiangnan_cadre")
    page = client.get("/my").text
    for code in villages:
        assert f"/my?region={code}" in page
    assert client.get(f"/my?region={villages[0]}").status_code == 200
    assert client.get(f"/my?region={VILLAGE}").status_code == 404, "a village of another town"
    assert client.get("/my?region=nonsense").status_code == 404


def test_cadre_lands_on_own_page_after_sign_in(client) -> None:  # type: ignore[no-untyped-def]
    token = csrf_token(client)
    response = client.post("/login", data={"_csrf_token": token, "name": "lucun_cadre",
                                           "password": "demo-pass-2026"}, follow_redirects=False)
    assert response.headers["location"] == "/my"
