"""In headless Chromium on a phone-sized screen (360×740): a village cadre files a report of an unlisted task and
sees that it is not on the list; then over HTTP the office takes it up, the department responds and the office
resolves it `withdrawn`; the public figures move by one and `registry ledger verify` passes."""

import os
import subprocess
import sys

import httpx

from tests.conftest import ROOT, bearer
from tests.e2e.test_admin_journey import sign_in
from tests.reports.helpers import today

TITLE = "要求每周上报秸秆焚烧巡查台账"


def test_a_cadre_reports_on_the_phone_and_the_case_is_resolved(browser, live_server, database_url, db, tmp_path):
    office, nyj = bearer(db, "fwb_office"), bearer(db, "nyj_clerk")
    with httpx.Client(base_url=live_server, timeout=30) as api:
        def figures() -> dict:
            response = api.get(f"/api/v1/reports/stats?year={today().year}")
            assert response.status_code == 200
            return response.json()

        before = figures()
        context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
        try:
            page = context.new_page()
            sign_in(page, live_server, "lucun_cadre", "demo-pass-2026")
            page.goto(f"{live_server}/reports/new")
            page.select_option("#field-kind", "unlisted_task")
            page.select_option("#field-department", "NYJ")
            page.select_option("#field-channel", "message_group")
            page.fill("#field-title", TITLE)
            page.fill("#field-description", "镇里转来县农业农村局通知，要求村每周五前填报秸秆巡查台账并附照片。")
            page.click("#report-form button[type=submit]")
            page.wait_for_load_state()
            assert page.locator("#not-on-list").is_visible(), page.content()[:2000]
            assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
            report_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
        finally:
            context.close()

        def act(path: str, body: dict, headers: dict) -> dict:
            response = api.post(f"/api/v1/reports/{report_id}/{path}", json=body, headers=headers)
            assert response.status_code == 200, response.text
            return response.json()

        act("transition", {"state": "in_progress", "note": "已转县农业农村局"}, office)
        act("responses", {"note": "同意停止该要求"}, nyj)
        done = act("transition", {"state": "resolved", "note": "已撤回", "outcome": "withdrawn"}, office)
        assert (done["state"], done["outcome"], done["title"]) == ("resolved", "withdrawn", TITLE)
        after = figures()
    assert after["collected"] == before["collected"] + 1
    assert after["resolved"] == before["resolved"] + 1
    assert after["by_outcome"]["withdrawn"] == before["by_outcome"]["withdrawn"] + 1
    verified = subprocess.run([sys.executable, "-m", "registry", "ledger", "verify"], capture_output=True, text=True,
                              env={**os.environ, "REGISTRY_DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)},
                              cwd=tmp_path, timeout=120)
    assert verified.returncode == 0 and verified.stdout.startswith("ok seq="), verified.stdout + verified.stderr
