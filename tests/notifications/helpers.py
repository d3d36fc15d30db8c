"""Queue notifications and read the outbox back, for the notification tests."""


from sqlmodel import col, select

from registry.choices import NotificationKind
from registry.notifications.models import Notification
from registry.notifications.services import Audience, enqueue

PUBLIC = "https://registry.tonglu.example.gov.cn"


def queue(db, count: int = 1, **overrides) -> list[int]:  # type: ignore[no-untyped-def]
    """`count` notifications for department YJJ in one committed transaction; their ids."""
    with db.write() as session:
        rows = [enqueue(session, NotificationKind.WEBHOOK_TEST, overrides.get("audience", Audience.department("YJJ")),
                        overrides.get("subject", f"事项提醒 {n}"), overrides.get("body", f"第 {n} 条"),
                        overrides.get("link_path", f"/duties/D{n:05d}")) for n in range(1, count + 1)]
        return [row.id for row in rows]  # type: ignore[misc]


def outbox(db) -> dict[int, Notification]:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return {row.id: row for row in session.exec(select(Notification).order_by(col(Notification.id)))}


def with_webhook(settings, url: str, **changes):  # type: ignore[no-untyped-def]
    changes = {"webhook_url": url, "public_url": PUBLIC, "webhook_backoff_seconds": 0.01, **changes}
    return settings.model_copy(update=changes)
