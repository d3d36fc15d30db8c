"""The daily reminder task: tells a department through the outbox when a duty of its own is due for review in
90 and in 30 days, and when an overdue one lapses in 30 days.

Each reminder falls on one day; a run covers the days since the last finished run (at most a week back, so a
long outage does not flood anyone), and each reminder is sent in its own transaction that first looks for the
same reminder in the outbox, so a stopped or repeated run never sends one twice.
"""

from datetime import date, timedelta

from sqlmodel import Session, col, func, select

from registry.catalog.models import Duty, DutyVersion
from registry.choices import N_, DailyTaskState, DutyStatus, NotificationKind
from registry.i18n import gettext, reset_language, set_language
from registry.lifecycle.expiry import LAPSE_AFTER
from registry.lifecycle.models import DailyTaskRun
from registry.lifecycle.tasks import Changes, DailyTask, TaskContext, one_by_one
from registry.notifications.models import Notification
from registry.notifications.services import Audience, enqueue
from registry.regions.models import Department

TASK = "review_reminders"
LOOK_BACK = timedelta(days=7)
# Days before review_by on which the department hears of it (negative: after it), and what it hears.
REMINDERS = {
    90: N_("Duty %(code)s “%(title)s” is due for review on %(day)s: renew, amend or retire it."),
    30: N_("Duty %(code)s “%(title)s” is due for review on %(day)s, in 30 days."),
    -(LAPSE_AFTER.days - 29): N_("Duty %(code)s “%(title)s” was due for review on %(day)s and lapses in 30 days "
                                 "unless renewed."),
}
SUBJECT = N_("A duty of your department is due for review")


def window(session: Session, today: date) -> tuple[date, date]:
    """(after, up to): the days this run covers — after the last finished run, at most a week back."""
    last = session.exec(select(func.max(DailyTaskRun.day)).where(
        DailyTaskRun.task == TASK, DailyTaskRun.state == DailyTaskState.DONE, col(DailyTaskRun.day) < today)).one()
    after = max(last or today - timedelta(days=1), today - LOOK_BACK)
    return after, today


def due_reminders(session: Session, after: date, until: date) -> list[tuple[str, int]]:
    """(duty code, days before review) of every reminder falling in (after, until], by code."""
    rows = session.exec(
        select(Duty.code, DutyVersion.review_by)
        .join(DutyVersion, col(DutyVersion.duty_id) == col(Duty.id))
        .where(col(DutyVersion.to_edition).is_(None), DutyVersion.status == DutyStatus.ACTIVE,
               col(DutyVersion.review_by).is_not(None),
               col(DutyVersion.review_by) > after - timedelta(days=max(-d for d in REMINDERS)),
               col(DutyVersion.review_by) <= until + timedelta(days=max(REMINDERS)))
        .order_by(col(Duty.code))
    )
    return [(code, days) for code, review_by in rows for days in REMINDERS
            if after < review_by - timedelta(days=days) <= until]


def send_reminder(session: Session, code: str, days: int) -> bool:
    """One reminder, unless the outbox already holds it; whether it was sent."""
    duty = session.exec(select(Duty).where(Duty.code == code)).first()
    version = session.exec(select(DutyVersion).where(DutyVersion.duty_id == (duty.id if duty else None),
                                                     col(DutyVersion.to_edition).is_(None))).first()
    if version is None or version.status != DutyStatus.ACTIVE or version.review_by is None:
        return False
    owner = session.get(Department, version.department_id)
    if owner is None:
        return False
    body = gettext(REMINDERS[days], code=code, title=version.title or "", day=version.review_by.isoformat())[:2000]
    link = f"/reviews?before={version.review_by.isoformat()}#review-{code}"
    sent = session.exec(select(Notification.id).where(
        Notification.kind == NotificationKind.REVIEW_DUE, Notification.audience_code == owner.code,
        Notification.link_path == link, Notification.body == body)).first()
    if sent is not None:
        return False
    enqueue(session, NotificationKind.REVIEW_DUE, Audience.department(owner.code), gettext(SUBJECT), body, link)
    return True


def remind(ctx: TaskContext) -> Changes:
    with ctx.db.read() as session:
        after, until = window(session, ctx.today)
        due = due_reminders(session, after, until)
    token = set_language(ctx.settings.language)
    try:
        return {"reminders": one_by_one(ctx, due, lambda session, key: send_reminder(session, *key))}
    finally:
        reset_language(token)


DAILY_TASKS = [DailyTask(TASK, order=200, run=remind)]
