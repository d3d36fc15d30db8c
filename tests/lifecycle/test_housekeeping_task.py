"""The housekeeping task sweeps expired sessions and stale sign-in failures, and nothing else, in batches."""

from datetime import date, timedelta

from sqlmodel import select

from registry.accounts.housekeeping import BATCH
from registry.accounts.models import LoginAttempt, StoredValue
from registry.lifecycle.job import run_daily_job
from registry.lifecycle.tasks import registered_tasks
from registry.timeutil import utcnow


def test_housekeeping_sweeps_what_expired_and_keeps_the_rest(db, settings):
    now = utcnow()
    expired = BATCH * 2 + 7  # more than one batch: several small transactions
    with db.write() as session:
        for n in range(expired):
            session.add(StoredValue(key=f"sessions:old{n}", value=b"{}", expires_at=now - timedelta(minutes=1)))
        session.add(StoredValue(key="sessions:live", value=b"{}", expires_at=now + timedelta(minutes=30)))
        session.add(StoredValue(key="sessions:forever", value=b"{}", expires_at=None))
        window = timedelta(seconds=settings.login_window_seconds)
        for n in range(3):
            session.add(LoginAttempt(account=f"a{n}", client="10.0.0.1", at=now - window - timedelta(minutes=1)))
        session.add(LoginAttempt(account="recent", client="10.0.0.1", at=now - timedelta(minutes=1)))

    lines = run_daily_job(db, date(2026, 5, 1), settings, tasks=registered_tasks())
    assert f"housekeeping: expired_sessions={expired} stale_login_attempts=3" in [str(line) for line in lines]
    with db.read() as session:
        assert set(session.exec(select(StoredValue.key))) == {"sessions:live", "sessions:forever"}
        assert list(session.exec(select(LoginAttempt.account))) == ["recent"]

    next_day = run_daily_job(db, date(2026, 5, 2), settings, tasks=registered_tasks())
    assert "housekeeping: nothing to change" in [str(line) for line in next_day]
