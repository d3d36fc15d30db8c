"""The real server (granian) in a real browser: Chinese by default, English on a click, sign in and out,
a 360 px phone without sideways scrolling, and a skip link for keyboard users."""

import re

from tests.conftest import PASSWORD

SCREENSHOT = "/tmp/registry_foundation_home_360.png"


def test_language_switch_sign_in_and_out(page, live_server):
    page.goto(live_server + "/")
    assert page.get_attribute("html", "lang") == "zh-Hans"
    assert "村（社区）工作事项准入登记系统" in page.title()
    assert "桐庐县" in page.content()

    page.click(".lang-switch a[hreflang='en']")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en"
    assert "Village Duty Admission Registry" in page.title()
    page.goto(live_server + "/login")  # the choice is remembered
    assert page.get_attribute("html", "lang") == "en"
    page.click(".lang-switch a[hreflang='zh-Hans']")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "zh-Hans"

    page.fill("input[name=name]", "mzj_reviewer")
    page.fill("input[name=password]", "wrong-password")
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state()
    assert "账号或密码错误" in page.inner_text("#login-error")

    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(live_server + "/")
    assert page.inner_text(".site-header .user-name") == "mzj_reviewer"

    page.click(".logout-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".site-header .user-name").count() == 0
    assert page.locator(".nav-login a[href='/login']").count() == 1


def test_phone_width_and_keyboard(page, live_server):
    page.set_viewport_size({"width": 360, "height": 780})
    for path in ("/?lang=en", "/login", "/?lang=zh-Hans"):
        page.goto(live_server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} scrolls sideways at 360 px: {width}"
    page.goto(live_server + "/")
    page.screenshot(path=SCREENSHOT, full_page=True)

    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert "skip-link" in focused[0] and focused[1] == "#main"
    assert page.evaluate("document.activeElement.getBoundingClientRect().height") > 0  # visible when focused
    page.keyboard.press("Enter")
    assert re.search(r"#main$", page.url)
    assert page.evaluate("document.activeElement.id") == "main"
