"""The outbox: notifications written inside the caller's transaction, listed for admins, retried by them.

A notification names departments and regions, never persons: nothing about who reported, rated or is
seconded may go into its subject, body or link (callers pass no person, and the table has no column for one).
"""

from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from registry.accounts.models import AuditEvent
from registry.choices import N_, AudienceKind, AuditKind, NotificationKind, NotificationState
from registry.db import Database, get_record
from registry.errors import Conflict, NotFound
from registry.notifications.models import Notification
from registry.notifications.schemas import AudiencePublic, NotificationPage, NotificationPublic
from registry.settings import Settings
from registry.timeutil import iso_utc, utcnow

SUBJECT_MAX, BODY_MAX, LINK_MAX = 200, 2000, 500
TEST_SUBJECT = N_("Village Duty Admission Registry: a test message")
TEST_BODY = N_("If this message arrived, the registry can send notifications to this group.")


@dataclass(frozen=True)
class Audience:
    """Who a notification is for."""

    kind: AudienceKind
    code: str = ""

    @classmethod
    def department(cls, code: str) -> "Audience":
        return cls(AudienceKind.DEPARTMENT, code)

    @classmethod
    def region(cls, code: str) -> "Audience":
        return cls(AudienceKind.REGION, code)

    @classmethod
    def office(cls) -> "Audience":
        return cls(AudienceKind.OFFICE)


def enqueue(session: Session, kind: NotificationKind, audience: Audience, subject: str, body: str = "",
            link_path: str = "/") -> Notification:
    """Add a pending notification in the caller's write transaction: it exists if and only if that commits.

    Raises ValueError for what only a programming mistake produces (unknown kind, empty subject, over-long
    text, NUL, a link that is not a site path, a department or region audience without a code).
    """
    kind, audience_kind = NotificationKind(kind), AudienceKind(audience.kind)
    subject, body = subject.strip(), body.strip()
    if not subject or len(subject) > SUBJECT_MAX or len(body) > BODY_MAX:
        raise ValueError("a notification needs a subject of 1-200 characters and a body of at most 2,000")
    if not link_path.startswith("/") or link_path.startswith("//") or len(link_path) > LINK_MAX:
        raise ValueError(f"not a site path: {link_path!r}")
    if any("\x00" in text or "\r" in text for text in (subject, body, link_path, audience.code)):
        raise ValueError("NUL and carriage returns are refused in notifications")
    if (audience_kind == AudienceKind.OFFICE) != (audience.code == "") or len(audience.code) > 32:
        raise ValueError("a department or region audience needs its code; the office has none")
    row = Notification(kind=kind, audience_kind=audience_kind, audience_code=audience.code, subject=subject,
                       body=body, link_path=link_path, state=NotificationState.PENDING)
    session.add(row)
    session.flush()
    return row


def notification_public(row: Notification, settings: Settings) -> NotificationPublic:
    """The one public shape of an outbox row (admin page and API)."""
    return NotificationPublic(
        id=row.id,  # type: ignore[arg-type]
        kind=NotificationKind(row.kind),
        audience=AudiencePublic(kind=AudienceKind(row.audience_kind), code=row.audience_code),
        subject=row.subject,
        body=row.body,
        link=settings.absolute_url(row.link_path),
        state=NotificationState(row.state),
        attempts=row.attempts,
        created_at=iso_utc(row.created_at) or "",
        next_attempt_at=iso_utc(row.next_attempt_at) if row.state == NotificationState.PENDING else None,
        sent_at=iso_utc(row.sent_at),
        last_error=row.last_error,
    )


def state_counts(session: Session) -> dict[str, int]:
    """How many notifications are in each state (every state named, zeros included)."""
    found = dict(session.exec(select(Notification.state, func.count()).group_by(Notification.state)).all())
    return {state.value: int(found.get(state.value, 0)) for state in NotificationState}


def outbox_page(session: Session, settings: Settings, state: NotificationState | None, page: int,
                per_page: int) -> NotificationPage:
    """Notifications newest first, optionally of one state; with the counts per state."""
    query = select(Notification)
    total_query = select(func.count()).select_from(Notification)
    if state is not None:
        query = query.where(Notification.state == state)
        total_query = total_query.where(Notification.state == state)
    rows = session.exec(query.order_by(col(Notification.id).desc()).offset((page - 1) * per_page).limit(per_page))
    return NotificationPage(
        items=[notification_public(row, settings) for row in rows],
        total=session.exec(total_query).one(),
        page=page,
        per_page=per_page,
        counts=state_counts(session),
        webhook_configured=bool(settings.webhook_url),
    )


def can_retry(row: NotificationPublic) -> bool:
    """Only a dead letter is retried by hand; pending ones are retried by the sender itself."""
    return row.state == NotificationState.DEAD


def retry(db: Database, settings: Settings, notification_id: int, actor: str) -> NotificationPublic:
    """Put a dead letter back in the queue with a fresh count of attempts. 404 unknown, 409 not dead."""
    with db.write() as session:
        if get_record(session, Notification, notification_id) is None:
            raise NotFound(N_("No such notification."))
        changed = session.execute(
            update(Notification)
            .where(col(Notification.id) == notification_id, col(Notification.state) == NotificationState.DEAD)
            .values(state=NotificationState.PENDING, attempts=0, next_attempt_at=utcnow(), claimed_until=None,
                    claim_token=None)
        ).rowcount
        row = session.get(Notification, notification_id)
        if changed != 1:
            raise Conflict(N_("Only a notification that failed for good can be sent again."))
        session.add(AuditEvent(kind=AuditKind.NOTIFICATION_RETRIED, account=actor[:64],
                               detail=f"notification {row.id}"))
        return notification_public(row, settings)


def enqueue_test_message(db: Database, subject: str, body: str) -> int:
    """Queue a test message for the office (to check the webhook); its id. The caller words it (TEST_SUBJECT)."""
    with db.write() as session:
        row = enqueue(session, NotificationKind.WEBHOOK_TEST, Audience.office(), subject, body, "/")
        return row.id  # type: ignore[return-value]
