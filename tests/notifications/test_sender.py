"""The sender posts each notification to a real HTTP receiver: exactly once across failures, backing off,
dead-lettered after the last attempt, never twice at once from two senders."""

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy import update

from registry.notifications.models import Notification
from registry.notifications.sender import LEASE, backoff, send_due, waiting
from registry.notifications.services import retry
from registry.settings import Settings
from registry.timeutil import as_utc, utcnow
from tests.conftest import ROOT, free_port
from tests.notifications.helpers import PUBLIC, outbox, queue, with_webhook
from tests.notifications.receiver import Receiver, always, fail_first


def drain(db, settings, rounds: int = 50) -> None:  # type: ignore[no-untyped-def]
    """Run the sender until nothing is pending (or give up after `rounds` passes)."""
    for _ in range(rounds):
        send_due(db, settings)
        if waiting(db) == 0:
            return
        time.sleep(0.02)


def test_each_notification_is_delivered_once_across_two_failures(db, settings):
    with Receiver(fail_first(2)) as receiver:
        configured = with_webhook(settings, receiver.url, webhook_max_attempts=5)
        ids = queue(db, 5)
        drain(db, configured)
    assert receiver.accepted == {str(i): 1 for i in ids}
    assert receiver.tries == {str(i): 3 for i in ids}
    rows = outbox(db)
    assert [(rows[i].state, rows[i].attempts, rows[i].last_error) for i in ids] == [("sent", 3, "")] * 5
    for request in receiver.requests:
        n = ids.index(int(request["delivery"])) + 1
        assert request["json"] == {"msgtype": "text", "text": {
            "content": f"事项提醒 {n}\n第 {n} 条\n{PUBLIC}/duties/D{n:05d}"}}
        assert request["headers"]["Content-Type"] == "application/json; charset=utf-8"
        assert request["path"] == "/robot/send?access_token=test-token"


def test_a_failure_waits_its_backoff_before_the_next_try(db, settings):
    with Receiver(always(503)) as receiver:
        configured = with_webhook(settings, receiver.url, webhook_backoff_seconds=60)
        (notification_id,) = queue(db)
        before = utcnow()
        assert str(send_due(db, configured)) == "sent=0 retry_later=1 dead_lettered=0"
        assert str(send_due(db, configured)) == "sent=0 retry_later=0 dead_lettered=0"  # not due yet
    row = outbox(db)[notification_id]
    assert receiver.tries == {str(notification_id): 1}
    assert (row.state, row.attempts, row.last_error) == ("pending", 1, "HTTP 503")
    assert before + timedelta(seconds=60) <= as_utc(row.next_attempt_at) <= utcnow() + timedelta(seconds=60)


@pytest.mark.parametrize("attempts", range(1, 12))
def test_backoff_doubles_from_the_base_up_to_an_hour(attempts):
    expected = min(30 * 2 ** (attempts - 1), 3600)
    assert backoff(Settings(webhook_backoff_seconds=30), attempts) == timedelta(seconds=expected)


def test_dead_letter_after_the_last_attempt_then_retry_by_hand(db, settings):
    with Receiver(always(500, b"down")) as receiver:
        configured = with_webhook(settings, receiver.url, webhook_max_attempts=3)
        (notification_id,) = queue(db)
        drain(db, configured)
        assert receiver.tries == {str(notification_id): 3}
        row = outbox(db)[notification_id]
        assert (row.state, row.attempts, row.last_error) == ("dead", 3, "HTTP 500")
        send_due(db, configured)
        assert receiver.tries == {str(notification_id): 3}  # a dead letter is never sent by itself

        again = retry(db, configured, notification_id, "admin")
        assert (again.state, again.attempts) == ("pending", 0)
        receiver.policy = fail_first(0)
        drain(db, configured)
    assert receiver.accepted == {str(notification_id): 1}
    assert outbox(db)[notification_id].state == "sent"


@pytest.mark.parametrize(("answer", "taken", "error"), [
    ((200, b'{"errcode":0,"errmsg":"ok"}'), True, ""),
    ((200, b""), True, ""),
    ((204, b""), True, ""),
    ((200, b"ok"), True, ""),
    ((200, b'{"errcode":310000,"errmsg":"keywords not in content"}'), False,
     "errcode 310000: keywords not in content"),
    ((200, b'{"errcode":130101,"errmsg":"send too fast"}'), False, "errcode 130101: send too fast"),
    ((302, b""), False, "HTTP 302"),
    ((400, b'{"errcode":300001}'), False, "HTTP 400"),
    ((404, b""), False, "HTTP 404"),
    ((500, b""), False, "HTTP 500"),
])
def test_what_counts_as_taken(db, settings, answer, taken, error):
    with Receiver(always(*answer)) as receiver:
        configured = with_webhook(settings, receiver.url, webhook_backoff_seconds=60)
        (notification_id,) = queue(db)
        send_due(db, configured)
    row = outbox(db)[notification_id]
    assert (row.state == "sent", row.last_error) == (taken, error)
    assert [r["path"] for r in receiver.requests] == ["/robot/send?access_token=test-token"]  # no redirect followed


def test_an_unreachable_webhook_is_a_failure_that_names_no_url(db, settings):
    url = f"http://127.0.0.1:{free_port()}/robot/send?access_token=secret-token"
    (notification_id,) = queue(db)
    send_due(db, with_webhook(settings, url, webhook_backoff_seconds=60))
    row = outbox(db)[notification_id]
    assert (row.state, row.attempts) == ("pending", 1)
    assert row.last_error.startswith("URLError") and "secret-token" not in row.last_error


def test_a_row_under_another_senders_lease_is_left_alone_until_it_expires(db, settings):
    with Receiver() as receiver:
        configured = with_webhook(settings, receiver.url)
        (notification_id,) = queue(db)
        with db.write() as session:  # a sender claimed it and died before recording anything
            session.execute(update(Notification).values(claimed_until=utcnow() + LEASE, claim_token="gone",
                                                        attempts=1))
        send_due(db, configured)
        assert receiver.tries == {}
        with db.write() as session:
            session.execute(update(Notification).values(claimed_until=utcnow() - timedelta(seconds=1)))
        send_due(db, configured)
    assert receiver.accepted == {str(notification_id): 1}
    assert (outbox(db)[notification_id].state, outbox(db)[notification_id].attempts) == ("sent", 2)


def test_two_senders_at_once_never_send_a_row_twice(database_url, db, tmp_path):
    with Receiver(delay=0.01) as receiver:
        ids = queue(db, 40)
        env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTRY_")}
        env.update({"REGISTRY_DATABASE_URL": database_url, "REGISTRY_WEBHOOK_URL": receiver.url,
                    "PYTHONPATH": str(ROOT)})
        senders = [subprocess.Popen([sys.executable, "-m", "registry", "notifications", "send"], cwd=tmp_path,
                                    env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                   for _ in range(2)]
        outputs = [sender.communicate(timeout=120) for sender in senders]
    assert all(sender.returncode == 0 for sender in senders), outputs
    assert receiver.tries == {str(i): 1 for i in ids}
    sent = [int(out.split()[0].removeprefix("sent=")) for out, _ in outputs]
    assert sum(sent) == 40, outputs
    assert {row.state for row in outbox(db).values()} == {"sent"}
