"""The accounts' daily task: sweep expired sessions and sign-in failures older than the throttling window.

Both tables are also swept as they are used (a new session, a sign-in); this catches what traffic did not.
Rows go in batches, one small transaction each, so a stopped run leaves nothing half-done.
"""

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from registry.accounts.models import LoginAttempt, StoredValue
from registry.lifecycle.tasks import Changes, DailyTask, TaskContext

BATCH = 500


def _sweep_expired_sessions(ctx: TaskContext, before: datetime) -> int:
    expired = select(StoredValue.key).where(StoredValue.expires_at < before).limit(BATCH)  # type: ignore[operator]
    return _in_batches(ctx, lambda: delete(StoredValue).where(StoredValue.key.in_(expired)))  # type: ignore[attr-defined]


def _sweep_stale_login_attempts(ctx: TaskContext, before: datetime) -> int:
    stale = select(LoginAttempt.id).where(LoginAttempt.at < before).limit(BATCH)  # type: ignore[arg-type]
    return _in_batches(ctx, lambda: delete(LoginAttempt).where(LoginAttempt.id.in_(stale)))  # type: ignore[union-attr]


def _in_batches(ctx: TaskContext, statement) -> int:  # type: ignore[no-untyped-def]
    swept = 0
    while True:
        ctx.checkpoint()
        with ctx.db.write() as session:
            count = session.execute(statement()).rowcount
        swept += count
        if count < BATCH:
            return swept


def housekeeping(ctx: TaskContext) -> Changes:
    """Delete sessions past their expiry and sign-in failures older than the window (by the wall clock)."""
    window = timedelta(seconds=ctx.settings.login_window_seconds)
    return {
        "expired_sessions": _sweep_expired_sessions(ctx, ctx.now),
        "stale_login_attempts": _sweep_stale_login_attempts(ctx, ctx.now - window),
    }


DAILY_TASKS = [DailyTask("housekeeping", order=900, run=housekeeping)]
