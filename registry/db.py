"""Engine and sessions: SQLite pragmas, serialised write transactions, PostgreSQL from the URL."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import event, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

T = TypeVar("T")

WRITE_OPTION = "registry_write"
# Any constant works: it names the one PostgreSQL advisory lock that serialises catalog-level writers.
EXCLUSIVE_LOCK_KEY = 0x7265676C  # "regl"


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgresql:// URLs (psycopg2 is not a dependency)."""
    parsed = make_url(url)
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, FULL sync, foreign keys, a busy timeout and BEGIN IMMEDIATE writes."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    # As many connections as the server's worker threads (anyio's default limit is 40): a writer waiting for
    # SQLite's lock holds its connection, and the others must not then time out waiting for the pool.
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False},
                           pool_size=40, max_overflow=0, pool_timeout=60)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # Take transaction control away from pysqlite so that BEGIN is ours (SQLAlchemy recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # type: ignore[no-untyped-def]
        # A write takes the database's write lock up front, so two writers queue instead of deadlocking.
        immediate = connection.get_execution_options().get(WRITE_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


MAX_RECORD_ID = 2**31 - 1  # ids are INTEGER columns on both backends


def get_record(session: Session, model: type[T], record_id: int) -> T | None:
    """The row with this id, or None, also for an id no column can hold (a path's 10**30 is "not found", not a 500)."""
    return session.get(model, record_id) if 1 <= record_id <= MAX_RECORD_ID else None


def lock_exclusive(session: Session) -> None:
    """Take the catalog-wide writer lock for the rest of the transaction (a no-op on SQLite, already exclusive)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": EXCLUSIVE_LOCK_KEY})


class Database:
    """The one handle on the database: short read sessions and serialised write transactions."""

    def __init__(self, url: str):
        self.url = normalise_url(url)
        self.engine = make_engine(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self, exclusive: bool = False) -> Iterator[Session]:
        """A write transaction: committed when the block ends, rolled back entirely on any error.

        SQLite writers are always serialised (BEGIN IMMEDIATE). On PostgreSQL, `exclusive` also serialises
        the transaction against every other exclusive writer and ledger appender, for work that reads the
        catalog or the ledger and then writes on the strength of what it read.
        """
        with Session(self.engine, expire_on_commit=False) as session:
            session.connection(execution_options={WRITE_OPTION: True})
            if exclusive:
                lock_exclusive(session)
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()
