"""Shared pieces of the chaos runs: fresh databases per backend, the real server, writers that keep a record
of every write the server acknowledged, and the checks that a database is whole."""

import contextlib
import os
import random
import signal
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from registry.db import Database, normalise_url
from registry.migrations.runner import upgrade
from registry.seeding import load_seed
from tests.perf.servers import Server, registry_server

PG_URL = os.environ.get("REGISTRY_TEST_DATABASE_URL", "").strip() or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
VILLAGE = "330122101201"
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


@dataclass
class Acknowledged:
    """Writes the server answered with success: request id → the state the answer reported."""

    states: dict[int, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    attempts: int = 0

    def record(self, number: int, state: str) -> None:
        with self.lock:
            self.states[number] = state

    def snapshot(self) -> dict[int, str]:
        with self.lock:
            return dict(self.states)


def request_body(n: int) -> dict:
    return {"kind": "add", "title": f"混沌测试事项第{n}号", "category": "assisting", "applies_to": "all",
            "description": f"第{n}个用于故障注入测试的事项。", "scope_code": VILLAGE,
            "legal_basis": "《测试条例》第一条", "frequency": "yearly", "hours_per_month": 0.5,
            "funding": {"provided": True, "amount_yuan_per_year": 1000, "source": "县财政"},
            "burdens": {"ledgers": ["测试台账"]}, "justification": "故障注入测试。",
            "start_date": "2030-06-01", "submit": True}


DECISION = {"decision": "approve", "reason": "符合规定", "exemption_reason": "混沌测试：上限按试点口径豁免"}


def writer(base: str, keys: dict[str, str], seen: Acknowledged, stop: threading.Event, seed: int) -> None:
    """File and decide (two stages, sometimes a rejection) until *stop*; record each acknowledged answer."""
    rng = random.Random(seed)
    with httpx.Client(base_url=f"{base}/api/v1", timeout=30) as client:
        while not stop.is_set():
            n = rng.randrange(10**9)
            try:
                with seen.lock:
                    seen.attempts += 1
                filed = client.post("/requests", json=request_body(n),
                                    headers={"Authorization": f"Bearer {keys[CLERK]}"})
                if filed.status_code != 201:
                    time.sleep(0.05)
                    continue
                number = filed.json()["id"]
                seen.record(number, filed.json()["state"])
                for name in (FIRST, SECOND):
                    body = DECISION if rng.random() < 0.8 else {"decision": "reject", "reason": "不符合规定"}
                    decided = client.post(f"/requests/{number}/decision", json=body,
                                          headers={"Authorization": f"Bearer {keys[name]}"})
                    if decided.status_code != 200:
                        break
                    seen.record(number, decided.json()["state"])
                    if decided.json()["state"] != "submitted":
                        break
            except httpx.HTTPError:
                time.sleep(0.05)  # the server is down (killed) or busy: try again


def run_writers(base: str, keys: dict[str, str], seen: Acknowledged, count: int, seed: int):  # type: ignore[no-untyped-def]
    stop = threading.Event()
    threads = [threading.Thread(target=writer, args=(base, keys, seen, stop, seed * 100 + i), daemon=True)
               for i in range(count)]
    for thread in threads:
        thread.start()

    def finish() -> None:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)

    return finish


# Acknowledged state → states the row may be in afterwards (later decisions may have landed unacknowledged).
REACHABLE = {
    "submitted": {"submitted", "approved", "rejected"},
    "approved": {"approved"},
    "rejected": {"rejected"},
}


def check_database(url: str, acknowledged: dict[int, str]) -> list[str]:
    """Everything acknowledged is there in a state it may have reached; storage and ledger verify."""
    from sqlmodel import select

    from registry.admission.models import AdmissionRequest
    from registry.catalog.integrity import verify_ledger_and_catalog
    from registry.choices import RequestState

    problems = []
    problems += storage_problems(url)
    database = Database(url)
    try:
        with database.read() as session:
            rows = dict(session.exec(select(AdmissionRequest.id, AdmissionRequest.state)).all())
            verdict = verify_ledger_and_catalog(session)
    finally:
        database.dispose()
    if not verdict.ok:
        problems.append(f"ledger verify: {verdict.line}")
    for number, state in acknowledged.items():
        found = rows.get(number)
        if found is None:
            problems.append(f"acknowledged request {number} ({state}) is missing")
        elif found not in REACHABLE.get(state, {state}):
            problems.append(f"request {number}: acknowledged {state}, found {found}")
    known = set(RequestState.values())
    problems += [f"request {n} in unknown state {s}" for n, s in rows.items() if s not in known]
    return problems


def storage_problems(url: str) -> list[str]:
    """SQLite: PRAGMA integrity_check; PostgreSQL: amcheck over every B-tree index (when the extension exists)."""
    if url.startswith("sqlite"):
        path = make_url(url).database
        conn = sqlite3.connect(path)
        try:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        finally:
            conn.close()
        return [] if result == ["ok"] else [f"integrity_check: {result[:3]}"]
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
            conn.execute(text(
                "SELECT bt_index_check(c.oid, true) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE a.amname = 'btree' AND n.nspname = 'public'"))
    except Exception as exc:  # noqa: BLE001 (a corrupt index raises; report it)
        return [f"amcheck: {type(exc).__name__}: {str(exc)[:200]}"]
    finally:
        engine.dispose()
    return []
