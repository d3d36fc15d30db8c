"""In headless Chromium: a department files a request, two stages approve it, the village's list shows it."""

from tests.conftest import ADMIN_PASSWORD, PASSWORD  # noqa: F401

TITLE = "协助开展村级地震应急避险演练"


def sign_in(page, base: str, name: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/login")
    page.fill("#field-name", name)
    page.fill("#field-password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state()


def approve(browser, base: str, name: str, path: str, reason: str, shot: str | None = None) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, base, name)
    page.goto(f"{base}/review")
    assert TITLE in page.content()
    if shot:
        page.screenshot(path=f"/tmp/{shot}-queue.png", full_page=True)
    page.goto(f"{base}{path}")
    if shot:
        page.screenshot(path=f"/tmp/{shot}-request.png", full_page=True)
    page.check("input[name=decision][value=approve]")
    page.fill("#field-reason", reason)
    page.click("#decide button[type=submit]")
    page.wait_for_load_state()
    assert "您的审查决定已记录" in page.content()
    assert reason in page.content()
    context.close()


def test_department_files_and_two_stages_approve(page, browser, live_server):
    base = live_server
    sign_in(page, base, "yjj_clerk")
    page.goto(f"{base}/requests/new")
    page.select_option("#field-kind", "add")
    page.fill("#field-title", TITLE)
    page.fill("#field-description", "每年组织村民开展一次地震应急避险演练，记录参加人数。")
    page.select_option("#field-category", "assisting")
    page.select_option("#field-applies_to", "all")
    page.fill("#field-scope_code-filter", "桐庐")
    page.select_option("#field-scope_code", "330122000000")
    page.select_option("#field-frequency", "yearly")
    page.fill("#field-hours_per_month", "1.5")
    page.fill("#field-legal_basis", "《中华人民共和国防震减灾法》")
    page.check("#field-funding")
    page.fill("#field-funding_amount", "2000")
    page.fill("#field-funding_source", "县财政")
    page.fill("#field-ledgers", "演练台账\n签到表")
    page.fill("#field-justification", "落实防震减灾法要求。")
    page.fill("#field-start_date", "2027-06-01")
    page.screenshot(path="/tmp/admission-form.png", full_page=True)
    page.click("button[name=action][value=submit]")
    page.wait_for_load_state()
    assert "申请已提交" in page.content() and TITLE in page.content()
    path = page.url.removeprefix(base)
    assert path.startswith("/requests/")
    approve(browser, base, "mzj_reviewer", path, "实质审查：同意准入", shot="admission-review")
    approve(browser, base, "sfj_reviewer", path, "合法性审查：依据充分")
    page.goto(f"{base}/regions/330122101201")
    assert TITLE in page.content()
    page.goto(f"{base}{path}")
    assert "实质审查：同意准入" in page.content() and "合法性审查：依据充分" in page.content()
