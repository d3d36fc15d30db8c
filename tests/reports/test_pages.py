"""The report pages over HTTP: a cadre files from the form and sees the match, the office moves the case from
its queue, the department responds on its cases page, the figures page states the sentence and gives CSV."""

from tests.conftest import bearer, csrf_token, sign_in
from tests.reports.helpers import file_report, move, today


def post_form(client, path: str, data: dict):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/reports/stats")
    return client.post(path, data={**data, "_csrf_token": token}, follow_redirects=False)


def test_file_move_respond_through_the_pages(client, db):
    sign_in(client, "lucun_cadre")
    form = client.get("/reports/new")
    assert form.status_code == 200 and "报告问题" in form.text
    refused = post_form(client, "/reports/new", {"kind": "unlisted_task", "title": "x", "asked_on": "2999-01-01",
                                                 "channel": "phone", "department": "NYJ", "description": "x"})
    assert refused.status_code == 422 and "日期不能晚于今天" in refused.text
    filed = post_form(client, "/reports/new", {
        "kind": "unlisted_task", "department": "NYJ", "title": "要求每天上报防汛巡查截图", "description": "工作群通知",
        "asked_on": today().isoformat(), "channel": "message_group"})
    assert filed.status_code in (302, 303), filed.text
    case_path = filed.headers["location"]
    page = client.get(case_path)
    assert page.status_code == 200 and 'id="not-on-list"' in page.text and "似未经准入" in page.text
    client.cookies.clear()

    sign_in(client, "fwb_office")
    queue = client.get("/reports?state=received")
    assert case_path in queue.text and "要求每天上报防汛巡查截图" in queue.text
    assert client.get("/reports?overdue=true").status_code == 200
    assert client.get("/reports?department=NYJ&source=village").status_code == 200
    case = client.get(case_path)
    assert 'id="transition"' in case.text
    row_version = case.text.split('name="row_version" value="')[1].split('"')[0]
    moved = post_form(client, f"{case_path}/transition", {"state": "in_progress", "note": "已转农业农村局",
                                                          "row_version": row_version})
    assert moved.status_code in (302, 303), moved.text
    bad = post_form(client, f"{case_path}/transition", {"state": "advanced", "note": ""})
    assert bad.status_code == 422
    client.cookies.clear()

    sign_in(client, "nyj_clerk")
    cases = client.get("/reports")
    assert case_path in cases.text
    case = client.get(case_path)
    assert 'id="respond"' in case.text and "芦茨村" not in case.text and "富春江镇" in case.text
    answered = post_form(client, f"{case_path}/responses", {"note": "已停止该要求"})
    assert answered.status_code in (302, 303), answered.text
    assert "已停止该要求" in client.get(case_path).text


def test_figures_page_and_csv(client, db):
    cadre, office = bearer(db, "lucun_cadre"), bearer(db, "fwb_office")
    report = move(client, office, file_report(client, cadre), "in_progress")
    move(client, office, report, "resolved", "已撤回", outcome="withdrawn")
    page = client.get(f"/reports/stats?year={today().year}")
    assert page.status_code == 200
    assert "共收集问题 1 个，已协调解决 1 个，实质性推进 0 个" in page.text
    csv = client.get(f"/reports/stats.csv?year={today().year}")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "县农业农村局" in csv.content.decode("utf-8-sig")
    english = client.get(f"/reports/stats?year={today().year}&lang=en")
    assert "1 problems collected" in english.text


def test_nav_counts_for_office_and_department(client, db):
    cadre, office = bearer(db, "lucun_cadre"), bearer(db, "fwb_office")
    first = file_report(client, cadre)
    file_report(client, cadre)
    move(client, office, first, "in_progress")
    sign_in(client, "fwb_office")
    assert 'nav-badge" aria-hidden="true">1<' in client.get("/reports").text
    client.cookies.clear()
    sign_in(client, "nyj_clerk")
    assert 'nav-badge" aria-hidden="true">1<' in client.get("/reports").text
