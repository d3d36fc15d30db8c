"""Phone first, in headless Chromium at 360 px and 1280 px, measured against the layout rules: no sideways page
scroll; a table wider than its frame scrolls inside it with a visible cue; tap targets at least 44 px high; a time
on one line; a long list folded by category; and a refused decision opening at its focused error summary, which
names each field and links to it. Screenshots go to /tmp/phone-*.png for people to look at."""

import httpx

from tests.admission.helpers import add_body
from tests.conftest import ADMIN_PASSWORD, PASSWORD, bearer
from tests.e2e.test_admin_journey import sign_in

VILLAGE = "330122113201"
PAGES = ("/", f"/regions/{VILLAGE}", "/duties/D00021", "/duties?q=台账", "/ledger", "/burden", "/requests",
         "/reports/stats", "/statistics/2026", "/forms/stats", "/reviews")
WIDTHS = (360, 1280)

# Every rule in one pass over the page; answers the breaches, [] when the page keeps every rule.
LAYOUT_RULES = """() => {
  const breaches = [];
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth) breaches.push(`page scrolls sideways: ${root.scrollWidth}px`);
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 &&
                            getComputedStyle(el).visibility !== 'hidden'; };
  for (const table of document.querySelectorAll('table')) {
    if (!visible(table)) continue;
    const wrap = table.closest('.table-wrap');
    const frame = wrap || table.parentElement;
    if (table.getBoundingClientRect().width <= frame.clientWidth + 1) continue;
    if (!wrap || !['auto', 'scroll'].includes(getComputedStyle(wrap).overflowX)) {
      breaches.push(`table clipped: ${table.className || table.id}`);
    } else if (!(wrap.previousElementSibling && wrap.previousElementSibling.classList.contains('scroll-hint')
                 && visible(wrap.previousElementSibling))) {
      breaches.push(`wide table without a scroll cue: ${table.className || table.id}`);
    }
  }
  const targets = 'a.btn, button, select, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), ' +
                  'summary, .site-nav a, .breadcrumbs a, .pagination a';
  for (const el of document.querySelectorAll(targets)) {
    if (!visible(el) || el.closest('.visually-hidden, .skip-link')) continue;
    const r = el.getBoundingClientRect();
    const what = `${el.tagName} ${el.textContent.trim().slice(0, 30)}`;
    if (r.height < 43.5) breaches.push(`tap target ${Math.round(r.height)}px high: ${what}`);
  }
  for (const time of document.querySelectorAll('time')) {
    if (visible(time) && time.getClientRects().length > 1) breaches.push(`time breaks: ${time.textContent}`);
  }
  const items = [...document.querySelectorAll('.site-nav > ul > li')];
  const rows = new Set(items.map((li) => Math.round(li.getBoundingClientRect().top)));
  if (rows.size > 2) breaches.push(`the navigation takes ${rows.size} rows`);
  return breaches;
}"""


def test_pages_keep_the_layout_rules_on_a_phone_and_a_desktop(browser, live_server) -> None:  # type: ignore[no-untyped-def]
    for width in WIDTHS:
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 800})
        page = context.new_page()
        breaches = {}
        for path in PAGES:
            page.goto(live_server + path)
            found = page.evaluate(LAYOUT_RULES)
            if found:
                breaches[path] = found
            name = path.strip("/").replace("/", "-").replace("?", "-") or "home"
            page.screenshot(path=f"/tmp/phone-{width}-{name}.png", full_page=False)
        assert not breaches, f"at {width} px: {breaches}"

        page.goto(f"{live_server}/regions/{VILLAGE}")
        groups = page.locator("details.duty-group")
        assert groups.count() >= 3, "a village's long list folds by category"
        assert page.locator("details.duty-group[open]").count() == 0
        assert page.evaluate("document.documentElement.scrollHeight") < 12 * 800, "the folded list is short"
        groups.first.locator("summary").click()
        assert groups.first.locator(".duty-card").first.is_visible(), "a tap opens the category"
        context.close()


def test_every_roles_navigation_fits_two_rows_at_360_px(browser, live_server) -> None:  # type: ignore[no-untyped-def]
    for name in ("lucun_cadre", "yjj_clerk", "zzb_reviewer", "fwb_office", "admin"):
        context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 800})
        page = context.new_page()
        sign_in(page, live_server, name, ADMIN_PASSWORD if name == "admin" else PASSWORD)
        page.goto(live_server + "/")
        assert page.evaluate(LAYOUT_RULES) == [], name
        page.screenshot(path=f"/tmp/phone-360-nav-{name}.png", full_page=False)
        context.close()


def test_refused_decision_opens_at_the_focused_error_summary(browser, live_server, db) -> None:  # type: ignore[no-untyped-def]
    filed = httpx.post(f"{live_server}/api/v1/requests", json={**add_body(), "submit": True},
                       headers=bearer(db, "yjj_clerk")).json()
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, live_server, "zzb_reviewer", PASSWORD)
    page.goto(f"{live_server}/requests/{filed['id']}")
    page.check("input[name=decision][value=approve]")
    page.click("#decide button[type=submit]")  # no review opinion: refused
    page.wait_for_load_state()
    page.screenshot(path="/tmp/phone-360-refused-decision.png", full_page=False)
    assert page.evaluate("document.activeElement && document.activeElement.id") == "error-summary"
    box = page.locator("#error-summary").bounding_box()
    assert box is not None and 0 <= box["y"] < 740, "the page opens at the summary"
    link = page.locator("#error-summary a").first
    assert "审查意见" in link.inner_text(), "the summary names the field"
    target = link.get_attribute("href")
    assert target == "#field-reason" and page.locator(target).count() == 1
    link.click()
    assert page.evaluate("document.activeElement && document.activeElement.id") == "field-reason"
    context.close()
