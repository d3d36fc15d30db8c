"""In headless Chromium: from the home page to a village's list, in Chinese then English; print; CSV; 360 px."""

from pathlib import Path


def test_pick_a_village_read_switch_print_download(page, live_server, tmp_path):
    page.goto(live_server + "/")
    page.get_by_role("link", name="江南镇").first.click()
    page.wait_for_url("**/regions/330122113000")
    village = page.locator(".region-picker a").first
    village_name = village.inner_text().strip()
    village.click()
    page.wait_for_url("**/regions/3301221132**")
    assert village_name in page.locator("h1").inner_text()
    headings = page.locator(".duty-group h2").all_inner_texts()
    assert any("依法协助政府工作事项" in h for h in headings) and any("负面清单" in h for h in headings)
    assert "校验码" in page.locator(".edition-stamp").first.inner_text()
    page.screenshot(path="/tmp/catalog_village_zh.png", full_page=False)

    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert "Official duty list" in page.locator("h1").inner_text()
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_role("link", name="Print view").click()
    page.wait_for_url("**/print")
    stamp = page.locator(".print-meta code.checksum").inner_text()
    assert len(stamp) == 64

    page.go_back()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    target = Path(tmp_path) / "list.csv"
    info.value.save_as(target)
    lines = target.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Code,Title,") and len(lines) > 10


def test_nothing_overflows_at_360_px(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    phone = context.new_page()
    try:
        for path in ("/regions/330122113201", "/duties/D00021", "/duties", "/ledger", "/regions/330122113201/print"):
            phone.goto(live_server + path)
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, (path, width)
        phone.goto(live_server + "/regions/330122113201")
        phone.screenshot(path="/tmp/catalog_village_360.png", full_page=False)
        phone.goto(live_server + "/duties/D00021")
        phone.screenshot(path="/tmp/catalog_duty_360.png", full_page=True)
    finally:
        context.close()
