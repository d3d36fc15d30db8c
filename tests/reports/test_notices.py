"""Cases reach people through the outbox: the office hears of a new report, the department named when the
case is passed to it, the village when it closes; no notification names the reporter."""

from sqlmodel import select

from registry.accounts.services import create_user
from registry.choices import Role
from registry.notifications.models import Notification
from tests.conftest import PASSWORD, bearer
from tests.reports.helpers import LUCUN, file_report, move


def test_notifications_follow_the_case(client, db):
    create_user(db, "reporter_lisi_q7", Role.CADRE, PASSWORD, region_code=LUCUN)
    office = bearer(db, "fwb_office")
    report = file_report(client, bearer(db, "reporter_lisi_q7"), title="要求每天\r\n上报照片")
    report = move(client, office, report, "in_progress")
    move(client, office, report, "resolved", "已撤回", outcome="withdrawn")
    with db.read() as session:
        rows = list(session.exec(select(Notification).order_by(Notification.id)))
    assert [(r.kind, r.audience_kind, r.audience_code) for r in rows] == [
        ("report.filed", "office", ""), ("report.assigned", "department", "NYJ"),
        ("report.concluded", "region", LUCUN)]
    assert all(r.link_path == f"/reports/{report['id']}" and report["number"] in r.subject for r in rows)
    assert not any("reporter_lisi_q7" in r.subject + r.body for r in rows)
