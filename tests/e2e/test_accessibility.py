"""WCAG 2.1 A/AA basics in headless Chromium: axe-core on every kind of page and role, plus visible focus.

axe-core (MPL-2.0, vendored for the tests only in tests/e2e/vendor/) is injected into this test's own
browser context, which bypasses the app's strict CSP (script-src 'self') so the injected script may run;
the app and its CSP are untouched. Each page is its own test case on its own live server (starting one
costs about as much as the check itself); signed-in pages sign in through the real /login form.

What fails a case: any axe violation of impact serious/critical under the WCAG 2.0/2.1 A/AA tags, any
violation of the structural rules (headings order, landmarks, duplicate ids) whatever its impact, and SVG
chart text under 4.5:1 (axe leaves text inside an <svg> "incomplete": the ratio is computed here).
Closed <details> are opened first so the tables behind the charts are checked too.
"""

import re
from pathlib import Path

import httpx
import pytest

from tests.admission.helpers import add_body
from tests.conftest import ADMIN_PASSWORD, PASSWORD, bearer

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = {"serious", "critical"}
STRUCTURE = {
    "heading-order", "empty-heading", "page-has-heading-one", "landmark-unique", "landmark-one-main",
    "landmark-no-duplicate-banner", "landmark-no-duplicate-contentinfo", "landmark-no-duplicate-main",
    "landmark-banner-is-top-level", "landmark-contentinfo-is-top-level", "landmark-main-is-top-level",
    "landmark-complementary-is-top-level", "region", "duplicate-id", "duplicate-id-active", "duplicate-id-aria",
}
RUN_AXE = """async (tags) => {
  document.querySelectorAll('details').forEach((d) => { d.open = true; });
  return await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
}"""
# Each <text> of an inline SVG chart: its fill and the first opaque background behind the <svg>.
SVG_TEXT = """() => [...document.querySelectorAll('svg text')].map((t) => {
  let node = t.closest('svg'), bg = 'rgb(255, 255, 255)';
  while (node && node.nodeType === 1) {
    const c = getComputedStyle(node).backgroundColor;
    if (c !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(c)) { bg = c; break; }
    node = node.parentElement;
  }
  return [t.textContent.trim(), getComputedStyle(t).fill, bg];
})"""
# The focused element, its outline, and the background the outline is drawn over (inside when inset).
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const cs = getComputedStyle(el);
  const behind = (node) => {
    while (node && node.nodeType === 1) {
      const c = getComputedStyle(node).backgroundColor;
      if (c !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(c)) return c;
      node = node.parentElement;
    }
    return 'rgb(255, 255, 255)';
  };
  const inset = parseFloat(cs.outlineOffset) < 0;
  return {
    what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + ' "' + (el.textContent || '').trim().slice(0, 30) + '"',
    style: cs.outlineStyle, width: parseFloat(cs.outlineWidth), color: cs.outlineColor,
    background: inset ? behind(el) : behind(el.parentElement),
  };
}"""

COUNTY, TOWN, VILLAGE = "330122000000", "330122113000", "330122101201"
WRONG_PASSWORD = "<sign-in with a wrong password>"
FORM_ERRORS = "<new request submitted empty>"
FILED = "/requests/{filed}"  # a request yjj_clerk filed through the API before the page is checked

# role (None: anonymous) → pages checked as that role.
PAGES: dict[str | None, list[str]] = {
    None: [
        "/", "/?lang=en", f"/regions/{COUNTY}", f"/regions/{TOWN}", f"/regions/{VILLAGE}",
        f"/regions/{VILLAGE}?lang=en", f"/regions/{VILLAGE}/print", "/duties", "/duties?q=低保",
        "/duties/D00001", "/ledger", "/ledger/98", "/burden", f"/burden/regions/{TOWN}", "/login",
        WRONG_PASSWORD, "/duties/D99999",
    ],
    "yjj_clerk": ["/requests/mine", "/requests/new", FORM_ERRORS],
    "mzj_reviewer": ["/review", FILED],
    "admin": ["/burden/budget"],
}
CASES = [(role, path) for role, paths in PAGES.items() for path in paths]
STATUS = {"/duties/D99999": 404}
# Pages whose every Tab stop is checked for a visible focus indicator.
FOCUS_CASES = [(None, "/"), (None, "/?lang=en"), ("yjj_clerk", "/requests/new")]


def case_id(case: tuple[str | None, str]) -> str:
    role, path = case
    return f"{role or 'anonymous'}:{path}"


# ---------------------------------------------------------------- colour arithmetic (WCAG 2.1 definitions)

def _rgb(css: str) -> tuple[float, float, float]:
    numbers = re.findall(r"[\d.]+", css)
    assert len(numbers) >= 3, f"not an rgb() colour: {css}"
    return float(numbers[0]), float(numbers[1]), float(numbers[2])


def luminance(css: str) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(css))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_arithmetic_matches_known_ratios() -> None:
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21.0)
    assert contrast("rgb(255, 255, 255)", "rgb(255, 255, 255)") == pytest.approx(1.0)
    assert contrast("rgb(118, 118, 118)", "rgb(255, 255, 255)") == pytest.approx(4.54, abs=0.01)
    assert contrast("rgba(31, 58, 95, 1)", "rgb(255, 255, 255)") == pytest.approx(11.48, abs=0.01)


# ---------------------------------------------------------------- browser helpers

def open_page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    return context, context.new_page()


def sign_in(page, base: str, name: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/login")
    page.fill("#field-name", name)
    page.fill("#field-password", password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state()


def sign_in_as(page, base: str, role: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, base, role, ADMIN_PASSWORD if role == "admin" else PASSWORD)
    assert not page.url.endswith("/login"), f"{role} could not sign in"


def problems_on(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The blocking axe violations and low-contrast chart text on the page, one readable entry each."""
    page.add_script_tag(content=AXE)
    result = page.evaluate(RUN_AXE, TAGS)
    lines = []
    for violation in result["violations"]:
        if violation["impact"] not in BLOCKING and violation["id"] not in STRUCTURE:
            continue
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        lines.append(f"{violation['id']} ({violation['impact']}, {len(targets)} nodes): {violation['help']}\n      "
                     + "\n      ".join(targets[:20]))
    faint = [f"{text!r} {fill} on {background} is {contrast(fill, background):.2f}:1"
             for text, fill, background in page.evaluate(SVG_TEXT) if contrast(fill, background) < 4.5]
    if faint:
        lines.append(f"svg-text-contrast ({len(faint)} texts under 4.5:1):\n      " + "\n      ".join(faint[:20]))
    return lines


def file_a_request(db, base: str) -> int:  # type: ignore[no-untyped-def]
    response = httpx.post(f"{base}/api/v1/requests", json=add_body(submit=True), headers=bearer(db, "yjj_clerk"))
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


# ---------------------------------------------------------------- the checks

@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_page_has_no_serious_wcag_violations(case, browser, live_server, db) -> None:  # type: ignore[no-untyped-def]
    role, path = case
    base = live_server
    context, page = open_page(browser)
    try:
        if role:
            sign_in_as(page, base, role)
        if path == WRONG_PASSWORD:
            sign_in(page, base, "yjj_clerk", "not-the-password")
            assert page.locator("#login-error").is_visible()
        elif path == FORM_ERRORS:
            page.goto(f"{base}/requests/new")
            page.click("button[name=action][value=submit]")
            page.wait_for_load_state()
            assert page.locator("[aria-invalid=true]").count() >= 1, "no field shows an error"
        else:
            target = path.format(filed=file_a_request(db, base)) if path == FILED else path
            response = page.goto(base + target)
            assert response is not None and response.status == STATUS.get(path, 200), target
            if path == FILED:
                assert page.locator("#decide").count() == 1, "the reviewer's decision form is missing"
        problems = problems_on(page)
        assert not problems, f"{case_id(case)}:\n  " + "\n  ".join(problems)
    finally:
        context.close()


@pytest.mark.parametrize("case", FOCUS_CASES, ids=case_id)
def test_every_tab_stop_shows_a_visible_focus_ring(case, browser, live_server) -> None:  # type: ignore[no-untyped-def]
    """WCAG 2.4.7: each keyboard stop draws an outline of at least 2px at 3:1 against what it is drawn on."""
    role, path = case
    context, page = open_page(browser)
    try:
        if role:
            sign_in_as(page, live_server, role)
        page.goto(live_server + path)
        stops, faint = 0, []
        for _ in range(120):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
            if focused is None:  # wrapped round to the browser's own UI: every stop has been seen
                break
            stops += 1
            ratio = contrast(focused["color"], focused["background"]) if focused["style"] != "none" else 0.0
            if focused["width"] < 2 or ratio < 3:
                faint.append(f"{focused['what']}: outline {focused['style']} {focused['width']}px {focused['color']} "
                             f"on {focused['background']} ({ratio:.2f}:1)")
        assert stops >= 5, f"only {stops} tab stops on {path}"
        assert not faint, f"{case_id(case)}: faint or missing focus indicator:\n  " + "\n  ".join(faint)
    finally:
        context.close()
