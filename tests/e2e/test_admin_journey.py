"""In headless Chromium: an admin creates a clerk account and a review stage in the browser; the clerk files
with the region picker; reviewers decide with reasons at every stage; the decided request is on /requests."""

from tests.conftest import ADMIN_PASSWORD, PASSWORD

TITLE = "协助开展村级防汛物资清点登记"
CLERK_PASSWORD = "clerk-pass-2026"


def sign_in(page, base: str, name: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/login")
    page.fill("#field-name", name)
    page.fill("#field-password", password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state()


def in_new_context(browser, base: str, name: str, password: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, base, name, password)
    return context, page


def decide(browser, base: str, name: str, path: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    context, page = in_new_context(browser, base, name, PASSWORD)
    page.goto(f"{base}{path}")
    page.check("input[name=decision][value=approve]")
    page.click("#decide button[type=submit]")  # no reason yet: refused, the page says why
    page.wait_for_load_state()
    assert page.locator("#field-reason-error").count() == 1
    page.check("input[name=decision][value=approve]")
    page.fill("#field-reason", reason)
    page.click("#decide button[type=submit]")
    page.wait_for_load_state()
    assert "您的审查决定已记录" in page.content() and reason in page.content()
    context.close()


def test_admin_sets_up_a_clerk_and_a_stage_and_the_decision_is_published(page, browser, live_server):
    base = live_server
    sign_in(page, base, "admin", ADMIN_PASSWORD)
    page.click("nav.site-nav a[href='/admin']")
    page.click("a[href='/admin/accounts']")
    page.fill("#field-name", "yjj_clerk2")
    page.select_option("#field-role", "department")
    page.select_option("#field-department", "YJJ")
    page.fill("#field-password", CLERK_PASSWORD)
    page.click("#create-account button[type=submit]")
    page.wait_for_load_state()
    assert "账号 yjj_clerk2 已创建" in page.content()
    page.goto(f"{base}/admin/stages")
    page.fill("#create-stage #field-code", "leadership")
    page.fill("#create-stage #field-name", "县领导审定")
    page.check("#new-stage-ZZB")
    page.click("#create-stage button[type=submit]")
    page.wait_for_load_state()
    assert "审查环节已新增" in page.content() and page.locator("#stage-leadership").count() == 1
    page.screenshot(path="/tmp/admin-stages.png", full_page=True)

    context, clerk = in_new_context(browser, base, "yjj_clerk2", CLERK_PASSWORD)
    clerk.goto(f"{base}/requests/new")
    clerk.fill("#field-title", TITLE)
    clerk.fill("#field-description", "汛期前清点村级防汛物资并登记。")
    clerk.select_option("#field-category", "assisting")
    clerk.select_option("#field-applies_to", "village")
    clerk.fill("#field-scope_code-filter", "芦茨")  # the picker narrows to 芦茨村 and chooses it
    assert clerk.input_value("#field-scope_code") == "330122101201"
    clerk.select_option("#field-frequency", "yearly")
    clerk.fill("#field-hours_per_month", "0.5")
    clerk.fill("#field-legal_basis", "《中华人民共和国防洪法》")
    clerk.check("#field-funding")
    clerk.fill("#field-funding_amount", "1.5万")
    clerk.fill("#field-justification", "汛期安全需要。")
    clerk.fill("#field-start_date", "2027-06-01")
    clerk.screenshot(path="/tmp/admin-journey-form.png", full_page=True)
    clerk.click("button[name=action][value=submit]")
    clerk.wait_for_load_state()
    assert "申请已提交" in clerk.content() and "芦茨村" in clerk.content()
    path = clerk.url.removeprefix(base)
    context.close()

    decide(browser, base, "mzj_reviewer", path, "实质审查：同意")
    decide(browser, base, "sfj_reviewer", path, "合法性审查：依据充分")
    decide(browser, base, "zzb_reviewer", path, "县领导审定：同意准入")

    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{base}/requests")
    text = public.content()
    assert TITLE in text and "县领导审定：同意准入" in text and "实质审查：同意" in text
    public.goto(f"{base}/regions/330122101201")
    assert TITLE in public.content()
