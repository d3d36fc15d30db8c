"""Review reminders through the outbox: 90 and 30 days before the review date and 30 days before a lapse, each
once (a repeated or stopped run sends none twice), to the department that owns the duty."""

from datetime import date, timedelta

from sqlmodel import select

from registry.lifecycle.job import run_daily_job
from registry.lifecycle.reminders import remind
from registry.lifecycle.tasks import DailyTask, TaskContext
from registry.notifications.models import Notification
from registry.timeutil import utcnow

SEED_REVIEW = date(2028, 12, 31)  # most seed items; the others 2029-01-01
TASKS = [DailyTask("review_reminders", 200, remind)]


def reminders(db) -> list[Notification]:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return list(session.exec(select(Notification).where(Notification.kind == "lifecycle.review_due")
                                 .order_by(Notification.id)))  # type: ignore[arg-type]


def test_reminders_fall_on_their_days_and_are_sent_once(db, settings):
    day = SEED_REVIEW - timedelta(days=90)
    run_daily_job(db, day - timedelta(days=1), settings, tasks=TASKS)
    assert reminders(db) == []
    run_daily_job(db, day, settings, tasks=TASKS)
    first = reminders(db)
    assert first and all(n.audience_kind == "department" and "2028-12-31" in n.body for n in first)
    assert all(n.link_path.startswith("/reviews?before=2028-12-31#review-D") for n in first)
    # The task itself again on the same day (as after a crash): nothing new.
    remind(TaskContext(db=db, today=day, now=utcnow(), settings=settings))
    assert len(reminders(db)) == len(first)
    # The next day: the 2029-01-01 items; then nothing until the 30-day reminders.
    run_daily_job(db, day + timedelta(days=1), settings, tasks=TASKS)
    second = len(reminders(db))
    assert second > len(first)
    run_daily_job(db, day + timedelta(days=2), settings, tasks=TASKS)
    assert len(reminders(db)) == second


def test_a_missed_day_is_caught_up_within_a_week(db, settings):
    run_daily_job(db, SEED_REVIEW - timedelta(days=35), settings, tasks=TASKS)
    assert reminders(db) == []
    run_daily_job(db, SEED_REVIEW - timedelta(days=28), settings, tasks=TASKS)  # 29 and 30 days before were missed
    found = reminders(db)
    assert found and all("30" in n.body or "30 天" in n.body or "30 日" in n.body for n in found)


def test_a_lapse_is_announced_thirty_days_ahead(db, settings):
    day = SEED_REVIEW + timedelta(days=61)  # lapses on review_by + 91
    run_daily_job(db, day - timedelta(days=1), settings, tasks=TASKS)
    before = len(reminders(db))
    run_daily_job(db, day, settings, tasks=TASKS)
    assert len(reminders(db)) > before
