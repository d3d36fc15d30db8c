"""The village's entry page: each indicator once, naming the forms it serves, pre-filled from an earlier period
for stocks only; saving through the page stores what the API would."""

import re

from tests.conftest import bearer, csrf_token, sign_in

PAGE = "/regions/330122101201/data/2026-11"


def field_value(html: str, code: str) -> str | None:
    found = re.search(rf'name="v_{code}"[^>]*value="([^"]*)"', html, re.S)
    return found.group(1) if found else None


def test_each_indicator_is_asked_once_naming_its_forms(client):
    sign_in(client, "lucun_cadre")
    html = client.get(PAGE).text
    assert html.count('name="v_I002"') == 1
    block = html[html.index('data-indicator="I002"'):]
    block = block[:block.index("</div>")]
    assert "垃圾分类周报" in block and "F019" not in block  # titles, not codes
    assert client.get("/regions/330122101201/data/2099-01").status_code == 422


def test_stocks_are_carried_over_and_flows_are_not(client, db):
    cadre = bearer(db, "lucun_cadre")
    previous = client.put("/api/v1/regions/330122101201/data/2026-10", json={"values": {"I002": 1500, "I073": 320}},
                          headers=cadre)
    assert previous.status_code == 200, previous.text
    sign_in(client, "lucun_cadre")
    html = client.get(PAGE).text
    assert field_value(html, "I002") == "1500"  # 常住人口: as at the end of the period
    assert field_value(html, "I073") == ""  # 垃圾分类户数: counted within the period


def test_saving_the_page_stores_the_values(client, db):
    sign_in(client, "lucun_cadre")
    token = csrf_token(client, PAGE)
    response = client.post(PAGE, data={"_csrf_token": token, "v_I002": "1520", "v_I003": "480"},
                           follow_redirects=False)
    assert response.status_code == 303
    body = client.get("/api/v1/regions/330122101201/data/2026-11", headers=bearer(db, "lucun_cadre")).json()
    assert body["values"] == {"I002": 1520, "I003": 480}
    bad = client.post(PAGE, data={"_csrf_token": token, "v_I002": "many"}, follow_redirects=False)
    assert bad.status_code == 422 and "须为" in bad.text
    assert client.get("/data").status_code == 200
