"""Tables that grow with traffic are swept as they are used: expired sessions and stale sign-in failures."""

from datetime import timedelta

import anyio
from sqlmodel import func, select

from registry.accounts.models import LoginAttempt, StoredValue
from registry.accounts.services import authenticate
from registry.timeutil import utcnow
from registry.web.stores import DatabaseStore


def test_a_new_session_sweeps_expired_ones(db):
    store = DatabaseStore(db, "sessions")
    with db.write() as session:
        session.add(StoredValue(key="sessions:old", value=b"{}", expires_at=utcnow() - timedelta(minutes=1)))
        session.add(StoredValue(key="sessions:live", value=b"{}", expires_at=utcnow() + timedelta(minutes=30)))
    anyio.run(store.set, "new", b"{}", 1800)
    with db.read() as session:
        keys = set(session.exec(select(StoredValue.key)))
    assert keys == {"sessions:live", "sessions:new"}


def test_failures_older_than_the_window_are_swept_and_do_not_count(db):
    with db.write() as session:
        for _ in range(10):
            session.add(LoginAttempt(account="admin", client="10.0.0.1", at=utcnow() - timedelta(hours=2)))
    assert authenticate(db, "admin", "demo-admin-2026", "10.0.0.1", 5, 900) is not None
    with db.read() as session:
        assert session.exec(select(func.count()).select_from(LoginAttempt)).one() == 0
