"""The frame serves: the home page in Chinese with Tonglu's towns, English on request, health, static
assets, the OpenAPI document, and an accessible sign-in form."""

import re

from tests.test_seeding import TOWNS


def test_home_is_chinese_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-Hans">' in response.text
    assert "<title>首页 · 村（社区）工作事项准入登记系统</title>" in response.text
    assert "桐庐县" in response.text


def test_home_lists_the_fourteen_towns(client):
    text = client.get("/").text
    links = dict(re.findall(r'href="/regions/(\d{12})">([^<]+)</a>', text))
    assert {code: links.get(code) for code in TOWNS} == TOWNS


def test_home_in_english_with_lang(client):
    response = client.get("/?lang=en")
    assert '<html lang="en">' in response.text
    assert "Village Duty Admission Registry" in response.text
    assert "首页" not in response.text


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_static_assets_are_vendored(client):
    page = client.get("/").text
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert any(a.endswith(".css") or ".css?" in a for a in assets)
    assert any(".js" in a for a in assets)
    assert not re.search(r'(?:href|src)="(?:https?:)?//', page), "assets must not come from another site"
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        expected = "text/css" if ".css" in asset else "javascript"
        assert expected in response.headers["content-type"], asset


def test_css_has_a_print_stylesheet_and_small_screen_rules(client):
    page = client.get("/").text
    assert re.search(r'<link[^>]+media="print"', page)
    css = client.get("/static/css/app.css").text
    assert "@media" in css


def test_openapi_document(client):
    response = client.get("/schema/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/regions/{code}" in document["paths"]
    assert "/api/v1/departments" in document["paths"]
    for path, operations in document["paths"].items():
        if path.startswith("/api/"):
            for method, operation in operations.items():
                assert operation.get("operationId") and operation.get("tags"), (method, path)


def test_login_form_fields_have_labels(client):
    page = client.get("/login").text
    for field in ("name", "password"):
        id_ = re.search(rf'<input[^>]*name="{field}"[^>]*id="([^"]+)"|<input[^>]*id="([^"]+)"[^>]*name="{field}"', page)
        assert id_, field
        found = id_[1] or id_[2]
        assert re.search(rf'<label[^>]*for="{found}"', page), field
    assert 'autocomplete="current-password"' in page
    assert 'type="password"' in page


def test_skip_link_comes_first_and_targets_main(client):
    page = client.get("/").text
    body = page[page.index("<body"):]
    first_link = re.search(r"<a\b[^>]*>", body)
    assert first_link and 'href="#main"' in first_link[0]
    assert 'id="main"' in page
