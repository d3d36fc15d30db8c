"""/admin/outbox and /api/v1/notifications: the admin sees dead letters and recent notifications and sends
a dead letter again (with CSRF on the form); text is escaped; errors are clear."""


import pytest
from litestar.testing import TestClient
from sqlalchemy import update
from sqlmodel import select

from registry.accounts.models import AuditEvent
from registry.app import create_app
from registry.notifications.models import Notification
from tests.conftest import ADMIN_PASSWORD, HOST, bearer, csrf_token, sign_in
from tests.notifications.helpers import PUBLIC, outbox, queue


def set_state(db, notification_id: int, state: str, attempts: int = 8, error: str = "HTTP 500") -> None:  # type: ignore[no-untyped-def]
    with db.write() as session:
        session.execute(update(Notification).where(Notification.id == notification_id)  # type: ignore[arg-type]
                        .values(state=state, attempts=attempts, last_error=error))


@pytest.fixture
def admin(settings, db):  # type: ignore[no-untyped-def]
    configured = settings.model_copy(update={"public_url": PUBLIC})
    with TestClient(create_app(configured, db), base_url=f"http://{HOST}") as client:
        sign_in(client, "admin", ADMIN_PASSWORD)
        yield client


def test_the_page_lists_dead_letters_escaped_with_a_retry_form(admin, db):
    dead, sent, pending = queue(db, 3, subject="<script>alert(1)</script>提醒")
    set_state(db, dead, "dead")
    set_state(db, sent, "sent", attempts=1, error="")
    page = admin.get("/admin/outbox")
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;提醒" in page.text
    assert page.text.count('action="/admin/outbox/') == 1 and f'action="/admin/outbox/{dead}/retry"' in page.text
    assert f"{PUBLIC}/duties/D00001" in page.text
    assert "尚未配置 Webhook" in page.text  # settings have no webhook URL
    assert "发送失败（死信）" in page.text and "已发送" in page.text and "等待发送" in page.text
    only_dead = admin.get("/admin/outbox?state=dead")
    assert f'id="notification-{dead}"' in only_dead.text and f'id="notification-{pending}"' not in only_dead.text
    assert admin.get("/admin/outbox?state=lost").status_code == 400
    assert admin.get("/admin/outbox?page=0").status_code == 400


def test_retry_puts_a_dead_letter_back_in_the_queue(admin, db):
    (dead,) = queue(db)
    set_state(db, dead, "dead")
    token = csrf_token(admin, "/admin/outbox")
    response = admin.post(f"/admin/outbox/{dead}/retry", data={"_csrf_token": token}, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/admin/outbox")
    row = outbox(db)[dead]
    assert (row.state, row.attempts) == ("pending", 0)
    assert f"通知 {dead} 将重新发送" in admin.get("/admin/outbox").text
    with db.read() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.kind == "notification.retried")).one()
    assert (event.account, event.detail) == ("admin", f"notification {dead}")

    again = admin.post(f"/admin/outbox/{dead}/retry", data={"_csrf_token": token})
    assert again.status_code == 409 and "只有最终发送失败的通知才能重新发送" in again.text
    assert admin.post("/admin/outbox/999999/retry", data={"_csrf_token": token}).status_code == 404


def test_retry_without_the_csrf_token_is_refused(admin, db):
    (dead,) = queue(db)
    set_state(db, dead, "dead")
    admin.get("/admin/outbox")
    assert admin.post(f"/admin/outbox/{dead}/retry", data={}).status_code == 403
    assert outbox(db)[dead].state == "dead"


def test_the_api_lists_and_retries(admin, db):
    ids = queue(db, 3)
    set_state(db, ids[0], "dead")
    headers = bearer(db, "admin")
    page = admin.get("/api/v1/notifications?state=dead", headers=headers).json()
    assert page["total"] == 1 and page["counts"] == {"pending": 2, "sent": 0, "dead": 1}
    assert page["webhook_configured"] is False and (page["page"], page["per_page"]) == (1, 20)
    (item,) = page["items"]
    assert item["id"] == ids[0] and item["audience"] == {"kind": "department", "code": "YJJ"}
    assert item["link"] == f"{PUBLIC}/duties/D00001" and item["next_attempt_at"] is None
    everything = admin.get("/api/v1/notifications", headers=headers).json()
    assert [i["id"] for i in everything["items"]] == sorted(ids, reverse=True)  # newest first

    retried = admin.post(f"/api/v1/notifications/{ids[0]}/retry", headers=headers)
    assert retried.status_code == 200 and (retried.json()["state"], retried.json()["attempts"]) == ("pending", 0)
    conflict = admin.post(f"/api/v1/notifications/{ids[1]}/retry", headers=headers)
    assert conflict.status_code == 409 and "只有最终发送失败的通知才能重新发送" in conflict.json()["detail"]
    for bad in ("state=lost", "per_page=101", "page=0", "per_page=abc"):
        assert admin.get(f"/api/v1/notifications?{bad}", headers=headers).status_code == 400, bad
