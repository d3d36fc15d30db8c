"""The job lock: one holder at a time across connections; a holder that dies frees it (PostgreSQL at once,
SQLite when its lease runs out); a holder that lost it is told so at its next checkpoint."""

import time
from datetime import timedelta

import pytest

from registry.db import Database
from registry.lifecycle.lock import AdvisoryLock, LeaseLock, LockLost, job_lock, try_acquire

KEY, NAME = 4242, "test-job"


def test_one_holder_at_a_time_then_free_again(db):
    other = Database(db.url)  # another pool: as another process would be
    try:
        with job_lock(db, NAME, KEY) as held:
            assert held is not None
            assert try_acquire(other, NAME, KEY) is None
            held.checkpoint()
        again = try_acquire(other, NAME, KEY)
        assert again is not None
        again.release()
    finally:
        other.dispose()


def test_a_dead_holder_frees_the_lock(db):
    other = Database(db.url)
    try:
        if db.is_sqlite:
            dead = LeaseLock.try_acquire(db, NAME, lease=timedelta(milliseconds=200))
            assert dead is not None and LeaseLock.try_acquire(other, NAME) is None
            time.sleep(0.3)  # the holder stopped renewing: its lease runs out
            taker = LeaseLock.try_acquire(other, NAME)
            assert taker is not None
            dead.renewed -= timedelta(hours=1)  # its next checkpoint must renew, and finds the lease taken
            with pytest.raises(LockLost):
                dead.checkpoint()
            taker.release()
        else:
            dead = AdvisoryLock.try_acquire(db, KEY)
            assert dead is not None and AdvisoryLock.try_acquire(other, KEY) is None
            dead.connection.invalidate()  # the holder's connection dies without unlocking
            deadline = time.monotonic() + 5  # the server notices the closed session within moments
            taker = AdvisoryLock.try_acquire(other, KEY)
            while taker is None and time.monotonic() < deadline:
                time.sleep(0.05)
                taker = AdvisoryLock.try_acquire(other, KEY)
            assert taker is not None
            with pytest.raises(LockLost):
                dead.checkpoint()
            taker.release()
    finally:
        other.dispose()


def test_waiting_gives_up_after_the_time_allowed(db):
    with job_lock(db, NAME, KEY) as held:
        assert held is not None
        with job_lock(db, NAME, KEY, wait_seconds=0.5) as second:
            assert second is None
