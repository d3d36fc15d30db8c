"""One lock across every process that may run a job: a PostgreSQL session advisory lock, or on SQLite a
lease row in `job_locks` claimed inside a BEGIN IMMEDIATE transaction.

The advisory lock dies with its connection, so a killed holder frees it at once. The SQLite lease is
renewed by `checkpoint()` while the job works; a holder killed mid-run frees it when the lease runs out.
"""

import logging
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from registry.db import Database
from registry.lifecycle.models import JobLock
from registry.timeutil import as_utc, utcnow

# The advisory-lock key of the daily job (any constant distinct from the others in the code base).
DAILY_JOB_LOCK_KEY = 0x6461696C79  # "daily"
LEASE = timedelta(minutes=5)
RENEW_EVERY = timedelta(minutes=1)
POLL_SECONDS = 0.25
# A bigint advisory key is stored as classid (high 32 bits) and objid (low 32 bits), with objsubid 1.
HOLDS_ADVISORY_LOCK = text(
    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted "
    "AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = :key)"
)
log = logging.getLogger("registry.lifecycle")


class LockLost(RuntimeError):
    """The job no longer holds its lock (lease expired and taken, or the lock's connection died): stop now."""


class HeldLock:
    """A held job lock; `checkpoint()` proves it is still held (and renews a lease)."""

    def checkpoint(self) -> None:
        raise NotImplementedError

    def release(self) -> None:
        raise NotImplementedError


class AdvisoryLock(HeldLock):
    """A PostgreSQL session-level advisory lock on its own connection, held until release or disconnect."""

    def __init__(self, connection: Connection, key: int):
        self.connection, self.key = connection, key

    @classmethod
    def try_acquire(cls, db: Database, key: int) -> "AdvisoryLock | None":
        connection = db.engine.connect()
        try:
            got = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar_one()
            connection.commit()  # a session lock outlives the transaction; never sit idle in one
        except BaseException:
            connection.invalidate()
            connection.close()
            raise
        if not got:
            connection.close()
            return None
        return cls(connection, key)

    def checkpoint(self) -> None:
        # Ask whether this very session holds the lock: after a dropped connection SQLAlchemy reconnects quietly,
        # and the new session holds nothing.
        try:
            held = self.connection.execute(HOLDS_ADVISORY_LOCK, {"key": self.key}).scalar_one()
            self.connection.commit()
        except SQLAlchemyError as exc:
            raise LockLost("the advisory lock's connection died") from exc
        if not held:
            raise LockLost("the advisory lock's session ended")

    def release(self) -> None:
        try:
            self.connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
            self.connection.commit()
        except SQLAlchemyError:
            self.connection.invalidate()  # closing the session is what frees the lock then
        finally:
            self.connection.close()


class LeaseLock(HeldLock):
    """A lease in the `job_locks` row named after the job; claims and renewals are serialised writes."""

    def __init__(self, db: Database, name: str, token: str, lease: timedelta):
        self.db, self.name, self.token, self.lease = db, name, token, lease
        self.renewed = utcnow()

    @classmethod
    def try_acquire(cls, db: Database, name: str, lease: timedelta = LEASE) -> "LeaseLock | None":
        token = secrets.token_hex(16)
        now = utcnow()
        with db.write() as session:  # BEGIN IMMEDIATE: no other process reads the row until we commit
            row = session.get(JobLock, name) or JobLock(name=name)
            if row.holder and row.expires_at and as_utc(row.expires_at) > now:
                return None
            if row.holder:
                log.warning("job %s: the lease of a holder that stopped renewing it has run out; taking over", name)
            row.holder, row.expires_at = token, now + lease
            session.add(row)
        return cls(db, name, token, lease)

    def checkpoint(self) -> None:
        now = utcnow()
        if now - self.renewed < RENEW_EVERY:
            return
        with self.db.write() as session:
            row = session.get(JobLock, self.name)
            if row is None or row.holder != self.token:
                raise LockLost(f"the lease on {self.name} was taken over")
            row.expires_at = now + self.lease
            session.add(row)
        self.renewed = now

    def release(self) -> None:
        with self.db.write() as session:
            row = session.get(JobLock, self.name)
            if row is not None and row.holder == self.token:
                row.holder, row.expires_at = None, None
                session.add(row)


def try_acquire(db: Database, name: str, key: int, lease: timedelta = LEASE) -> HeldLock | None:
    """Take the job's lock if nobody holds it; None when another process does."""
    if db.engine.dialect.name == "postgresql":
        return AdvisoryLock.try_acquire(db, key)
    return LeaseLock.try_acquire(db, name, lease)


@contextmanager
def job_lock(db: Database, name: str, key: int, wait_seconds: float = 0.0,
             lease: timedelta = LEASE) -> Iterator[HeldLock | None]:
    """Hold the job's lock for the block, waiting up to `wait_seconds` for it; yields None if it stayed taken."""
    deadline = time.monotonic() + wait_seconds
    held = try_acquire(db, name, key, lease)
    while held is None and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        held = try_acquire(db, name, key, lease)
    try:
        yield held
    finally:
        if held is not None:
            held.release()
