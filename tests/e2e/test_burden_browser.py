"""The /burden dashboard in headless Chromium: charts drawn, numbers match the API, fits a phone."""

import httpx

COUNTY = "330122000000"
SEVEN = [("signboards",), ("duties",), ("ledgers", "reports"), ("apps",), ("wall_rules",), ("assessments",),
         ("campaigns",)]


def test_dashboard_charts_match_the_api(page, live_server) -> None:  # type: ignore[no-untyped-def]
    totals = httpx.get(f"{live_server}/api/v1/regions/{COUNTY}/burden").json()["totals"]
    response = page.goto(f"{live_server}/burden")
    assert response is not None and response.status == 200
    for chart_id in ("chart-towns", "chart-editions-duties", "chart-editions-hours", "chart-seven"):
        svg = page.locator(f"svg#{chart_id}")
        assert svg.get_attribute("role") == "img"
        assert svg.locator("title").first.text_content()
        assert svg.locator("rect.bar, circle.point").count() >= 1
    seven = page.locator('table[data-chart-table="seven"] tbody tr')
    assert seven.count() == 7
    for row, fields in enumerate(SEVEN):
        shown = seven.nth(row).locator("td").first.text_content()
        assert shown is not None and float(shown) == sum(totals[f] for f in fields)
    bars = page.locator("svg#chart-seven rect.bar")
    assert bars.count() == 7
    towns = page.locator('table[data-chart-table="towns"] tbody tr')
    assert towns.count() == 14
    page.screenshot(path="/tmp/burden-1280.png", full_page=True)
    # the editions table ends at the current edition with the current number of performed duties
    last = page.locator('table[data-chart-table="editions"] tbody tr').last
    edition = httpx.get(f"{live_server}/api/v1/regions/{COUNTY}/burden").json()["edition"]
    assert last.locator("th").text_content() == str(edition)


def test_dashboard_fits_a_phone(page, live_server) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server}/burden")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    page.screenshot(path="/tmp/burden-360.png", full_page=True)
    page.goto(f"{live_server}/burden/regions/330122113000")
    assert page.locator("table.burden-spread").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
