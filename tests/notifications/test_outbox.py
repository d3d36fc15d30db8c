"""The outbox is written in the caller's transaction: a rolled-back change leaves no notification; what
enqueue refuses is a programming mistake; without a webhook the rows wait and nothing fails."""

import inspect

import pytest
from sqlmodel import SQLModel

from registry.choices import NotificationKind, NotificationState
from registry.errors import Conflict
from registry.notifications.models import Notification
from registry.notifications.sender import send_due
from registry.notifications.services import Audience, enqueue
from tests.notifications.helpers import outbox, queue
from tests.test_cli import cli, ok


def test_a_committed_change_leaves_one_pending_notification(db):
    body = "县应急管理局的事项 D00001 需要复核"
    (notification_id,) = queue(db, subject="  审查期限将至  ", body=body, link_path="/duties/D00001")
    row = outbox(db)[notification_id]
    assert (row.kind, row.audience_kind, row.audience_code) == ("webhook.test", "department", "YJJ")
    assert (row.subject, row.body, row.link_path) == ("审查期限将至", body, "/duties/D00001")
    assert (row.state, row.attempts, row.sent_at, row.last_error) == (NotificationState.PENDING, 0, None, "")


def test_a_rolled_back_change_enqueues_nothing(db):
    before = outbox(db)
    with pytest.raises(Conflict), db.write() as session:
        enqueue(session, NotificationKind.WEBHOOK_TEST, Audience.office(), "会回滚的通知", "", "/")
        raise Conflict()  # the change that caused it fails after the notification was written
    assert outbox(db) == before


BAD = [
    ({"kind": "no.such.kind"}, "kind"),
    ({"subject": ""}, "subject"),
    ({"subject": "   "}, "subject"),
    ({"subject": "x" * 201}, "subject"),
    ({"body": "x" * 2001}, "body"),
    ({"subject": "a\x00b"}, "NUL"),
    ({"body": "a\rb"}, "NUL"),
    ({"link_path": "duties/D00001"}, "site path"),
    ({"link_path": "//evil.example/x"}, "site path"),
    ({"link_path": "https://evil.example/"}, "site path"),
    ({"link_path": "/" + "x" * 500}, "site path"),
    ({"audience": Audience.department("")}, "audience"),
    ({"audience": Audience(Audience.office().kind, "FWB")}, "audience"),
    ({"audience": Audience.region("3" * 33)}, "audience"),
]


@pytest.mark.parametrize(("change", "why"), BAD)
def test_enqueue_refuses_what_only_a_mistake_produces(db, change, why):
    values = {"kind": NotificationKind.WEBHOOK_TEST, "audience": Audience.department("YJJ"), "subject": "主题",
              "body": "", "link_path": "/", **change}
    with pytest.raises(ValueError), db.write() as session:
        enqueue(session, values["kind"], values["audience"], values["subject"], values["body"], values["link_path"])
    assert outbox(db) == {}


def test_a_notification_has_no_place_for_a_person():
    columns = set(SQLModel.metadata.tables["notifications"].columns.keys())
    assert columns == {"id", "kind", "audience_kind", "audience_code", "subject", "body", "link_path", "created_at",
                       "state", "attempts", "next_attempt_at", "claimed_until", "claim_token", "last_error", "sent_at"}
    assert list(inspect.signature(enqueue).parameters) == ["session", "kind", "audience", "subject", "body",
                                                           "link_path"]
    assert Notification.__tablename__ == "notifications"


def test_without_a_webhook_rows_wait_and_nothing_fails(database_url, db, settings, tmp_path):
    ids = queue(db, 3)
    assert str(send_due(db, settings)) == "sent=0 retry_later=0 dead_lettered=0"
    result = ok(cli(database_url, tmp_path, "notifications", "send"))
    assert result.stdout.strip() == "REGISTRY_WEBHOOK_URL is not set: nothing sent; waiting=3"
    assert [(row.state, row.attempts) for row in outbox(db).values()] == [("pending", 0)] * len(ids)


def test_cli_queues_a_test_message_for_the_office(database_url, db, tmp_path):
    result = ok(cli(database_url, tmp_path, "notifications", "test"))
    (row,) = outbox(db).values()
    assert result.stdout.strip() == f"queued notification {row.id}"
    assert (row.audience_kind, row.audience_code, row.state) == ("office", "", "pending")
    assert row.subject == "村（社区）工作事项准入登记系统：测试消息"  # in the county's language (the default)
