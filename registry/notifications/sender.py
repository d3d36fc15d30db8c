"""Deliver the outbox to REGISTRY_WEBHOOK_URL: claim a row with a lease, post it, record the outcome.

Each row is claimed by a conditional UPDATE (pending, due, and not under another sender's unexpired lease)
that must touch exactly one row, so two senders — threads, workers or hosts — never post the same row at
once. A sender that dies after posting but before recording leaves the lease to expire and the row is
posted again with the same `X-Registry-Delivery` id: delivery is at least once, and that id lets the
receiver drop the rare repeat. Failures back off exponentially; after the last attempt the row is dead.
"""

import json
import logging
import secrets
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.error import HTTPError, URLError

from sqlalchemy import or_, update
from sqlmodel import col, func, select

from registry import __version__
from registry.choices import DeliveryOutcome, NotificationState
from registry.db import Database
from registry.notifications.models import Notification
from registry.settings import Settings
from registry.timeutil import utcnow

DELIVERY_HEADER = "X-Registry-Delivery"
TIMEOUT_SECONDS = 10.0
LEASE = timedelta(seconds=60)  # longer than one post can take, so a live sender never loses its row
MAX_BACKOFF = timedelta(hours=1)
BATCH = 20
log = logging.getLogger("registry.notifications")


@dataclass
class SendReport:
    """What one pass of the sender did."""

    sent: int = 0
    retry_later: int = 0
    dead_lettered: int = 0

    def __str__(self) -> str:
        return f"sent={self.sent} retry_later={self.retry_later} dead_lettered={self.dead_lettered}"


DINGTALK_MESSAGE_TYPE = "text"  # the robot's message type (its protocol, not one of ours)


def message_text(row: Notification, settings: Settings) -> str:
    """Subject, body and the absolute link, one per line (what the group chat shows)."""
    return "\n".join(part for part in (row.subject, row.body, settings.absolute_url(row.link_path)) if part)


def webhook_payload(row: Notification, settings: Settings) -> bytes:
    """The DingTalk robot's text message: {"msgtype": "text", "text": {"content": ...}}."""
    document = {"msgtype": DINGTALK_MESSAGE_TYPE, DINGTALK_MESSAGE_TYPE: {"content": message_text(row, settings)}}
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None  # a webhook that redirects is misconfigured: report it, never re-post elsewhere


_opener = urllib.request.build_opener(_NoRedirects())


def post_webhook(url: str, payload: bytes, delivery_id: int) -> str | None:
    """POST the payload; None when the receiver took it, else why not (never the URL: it holds the token).

    Taken means a 2xx answer whose JSON, if it has DingTalk's `errcode`, says 0.
    """
    request = urllib.request.Request(url, data=payload, method="POST", headers={  # noqa: S310 (http(s) only)
        "Content-Type": "application/json; charset=utf-8",
        DELIVERY_HEADER: str(delivery_id),
        "User-Agent": f"village-duty-registry/{__version__}",
    })
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            answer = response.read(64 * 1024)
    except HTTPError as exc:
        return f"HTTP {exc.code}"
    except (URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return f"{type(exc).__name__}: {reason}"[:200]
    try:
        document = json.loads(answer) if answer.strip() else {}
    except ValueError:
        return None  # a plain-text 2xx is a receiver that took it
    if isinstance(document, dict) and document.get("errcode", 0) not in (0, "0"):
        return f"errcode {document.get('errcode')}: {str(document.get('errmsg', ''))[:150]}"
    return None


def backoff(settings: Settings, attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure: the base, doubling each time, at most an hour."""
    seconds = settings.webhook_backoff_seconds * (2 ** min(attempts - 1, 30))
    return min(timedelta(seconds=seconds), MAX_BACKOFF)


def _due_ids(db: Database, limit: int) -> list[int]:
    now = utcnow()
    with db.read() as session:
        return list(session.exec(
            select(Notification.id)
            .where(Notification.state == NotificationState.PENDING, col(Notification.next_attempt_at) <= now,
                   or_(col(Notification.claimed_until).is_(None), col(Notification.claimed_until) < now))
            .order_by(col(Notification.id)).limit(limit)))  # type: ignore[arg-type]


def claim(db: Database, notification_id: int) -> tuple[Notification, str] | None:
    """Take the row for one attempt (counted now, so a sender that crashes still uses one up); None if taken."""
    token, now = secrets.token_hex(16), utcnow()
    with db.write() as session:
        claimed = session.execute(
            update(Notification)
            .where(col(Notification.id) == notification_id, col(Notification.state) == NotificationState.PENDING,
                   col(Notification.next_attempt_at) <= now,
                   or_(col(Notification.claimed_until).is_(None), col(Notification.claimed_until) < now))
            .values(claimed_until=now + LEASE, claim_token=token, attempts=col(Notification.attempts) + 1)
        ).rowcount
        if claimed != 1:
            return None
        row = session.get(Notification, notification_id)
        assert row is not None
        return row, token


def _record(db: Database, settings: Settings, row: Notification, token: str,
            error: str | None) -> DeliveryOutcome:
    now = utcnow()
    if error is None:
        values: dict = {"state": NotificationState.SENT, "sent_at": now, "last_error": ""}
        outcome = DeliveryOutcome.SENT
    elif row.attempts >= settings.webhook_max_attempts:
        values = {"state": NotificationState.DEAD, "last_error": error}
        outcome = DeliveryOutcome.DEAD
    else:
        values = {"next_attempt_at": now + backoff(settings, row.attempts), "last_error": error}
        outcome = DeliveryOutcome.RETRY
    with db.write() as session:
        recorded = session.execute(
            update(Notification).where(col(Notification.id) == row.id, col(Notification.claim_token) == token)
            .values(claimed_until=None, claim_token=None, **values)
        ).rowcount
    if recorded != 1:  # only if a post outlasted the lease and another sender took the row over
        log.warning("notification %s: lease lost before recording %s", row.id, outcome)
    elif outcome != DeliveryOutcome.SENT:
        log.warning("notification %s: attempt %s failed (%s)%s", row.id, row.attempts, error,
                    "; dead-lettered" if outcome == DeliveryOutcome.DEAD else "")
    return outcome


def send_due(db: Database, settings: Settings, *, should_stop: Callable[[], bool] = lambda: False,
             limit: int = 500) -> SendReport:
    """Post every due notification once (at most `limit`). Without a webhook URL nothing happens: rows wait."""
    report = SendReport()
    if not settings.webhook_url:
        return report
    attempted = 0
    while attempted < limit and not should_stop():
        ids = _due_ids(db, min(BATCH, limit - attempted))
        if not ids:
            break
        for notification_id in ids:
            if should_stop():
                break
            claimed = claim(db, notification_id)
            if claimed is None:
                continue  # another sender has it
            attempted += 1
            row, token = claimed
            error = post_webhook(settings.webhook_url, webhook_payload(row, settings), row.id)  # type: ignore[arg-type]
            outcome = _record(db, settings, row, token, error)
            report.sent += outcome == DeliveryOutcome.SENT
            report.retry_later += outcome == DeliveryOutcome.RETRY
            report.dead_lettered += outcome == DeliveryOutcome.DEAD
    return report


def waiting(db: Database) -> int:
    """How many notifications are pending."""
    with db.read() as session:
        return session.exec(select(func.count()).select_from(Notification)
                            .where(Notification.state == NotificationState.PENDING)).one()
