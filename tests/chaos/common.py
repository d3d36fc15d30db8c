"""Shared pieces of the chaos runs: fresh databases per backend and the real server, started and killed. The
writers are in clients.py, the checks that a database is whole in states.py."""

import contextlib
import os
import signal
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from registry.db import Database, normalise_url
from registry.migrations.runner import upgrade
from registry.seeding import load_seed
from tests.perf.servers import Server, registry_server

PG_URL = os.environ.get("REGISTRY_TEST_DATABASE_URL", "").strip() or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
CLERK, FIRST, SECOND = "yjj_clerk", "mzj_reviewer", "sfj_reviewer"


def say(line: str) -> None:
    print(line, flush=True)


class Databases:
    """Creates migrated, seeded databases (SQLite files or PostgreSQL databases) and drops them at the end."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.created: list[str] = []

    def _admin(self):  # type: ignore[no-untyped-def]
        admin = normalise_url(str(make_url(PG_URL).set(database="postgres")))
        return create_engine(admin, isolation_level="AUTOCOMMIT")

    def empty(self, backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{self.tmp / f'chaos-{uuid.uuid4().hex[:8]}.db'}"
        name = f"registry_chaos_{uuid.uuid4().hex[:10]}"
        engine = self._admin()
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        self.created.append(name)
        return normalise_url(str(make_url(PG_URL).set(database=name)))

    def seeded(self, backend: str) -> str:
        url = self.empty(backend)
        upgrade(url)
        database = Database(url)
        load_seed(database, demo=True)
        database.dispose()
        return url

    def drop_all(self) -> None:
        if not self.created:
            return
        engine = self._admin()
        with engine.connect() as conn:
            for name in self.created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def tokens(url: str, names: tuple[str, ...] = (CLERK, FIRST, SECOND)) -> dict[str, str]:
    from registry.accounts.services import create_token

    database = Database(url)
    try:
        return {name: create_token(database, name) for name in names}
    finally:
        database.dispose()


def start(url: str, tmp: Path, workers: int = 1, env: dict[str, str] | None = None) -> Server:
    """The real server, once /readyz says it can serve."""
    server = registry_server(url, tmp, workers)
    server.env.update(env or {})
    server.__enter__()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"http://127.0.0.1:{server.port}/readyz", timeout=5).status_code == 200:
                return server
        time.sleep(0.1)
    raise RuntimeError("the server did not become ready")


def kill(server: Server) -> None:
    """SIGKILL the whole server (main process and workers): a power cut as far as the registry can tell."""
    assert server.process is not None
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=30)
