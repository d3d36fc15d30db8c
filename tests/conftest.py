"""Shared fixtures: a real database per test (SQLite file or PostgreSQL), the app, clients, a live server.

Backends: every test that uses `database_url` runs on SQLite, and on PostgreSQL when
REGISTRY_TEST_DATABASE_URL names a server. REGISTRY_TEST_BACKENDS=sqlite|postgresql limits a run to
one backend (CI runs each in turn). Under REGISTRY_TEST_REQUIRE_ALL=1 any skip fails the run.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from registry.app import create_app
from registry.db import Database, normalise_url
from registry.migrations.runner import upgrade
from registry.seeding import load_seed
from registry.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("REGISTRY_TEST_DATABASE_URL", "").strip()
REQUIRE_ALL = os.environ.get("REGISTRY_TEST_REQUIRE_ALL") == "1"
SELECTED = [b.strip() for b in os.environ.get("REGISTRY_TEST_BACKENDS", "sqlite,postgresql").split(",") if b.strip()]
CHROMIUM = os.environ.get("REGISTRY_TEST_CHROMIUM") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else ""
)
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
HOST = "127.0.0.1"
PASSWORD = "demo-pass-2026"
ADMIN_PASSWORD = "demo-admin-2026"


def pytest_configure(config: pytest.Config) -> None:
    if REQUIRE_ALL and "postgresql" in SELECTED and not PG_URL:
        raise pytest.UsageError("REGISTRY_TEST_REQUIRE_ALL=1 needs REGISTRY_TEST_DATABASE_URL for the PostgreSQL run")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", SELECTED)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if REQUIRE_ALL and skipped:
        if reporter:
            reporter.write_line(f"REGISTRY_TEST_REQUIRE_ALL=1: {len(skipped)} skipped tests count as failures",
                                red=True)
        session.exitstatus = 1


# ---------------------------------------------------------------- databases

def _pg_admin_url() -> str:
    return normalise_url(str(make_url(PG_URL).set(database="postgres")))


def _pg_exec(statement: str) -> None:
    engine = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(statement))
    engine.dispose()


def _pg_url_for(name: str) -> str:
    return normalise_url(str(make_url(PG_URL).set(database=name)))


@pytest.fixture(scope="session")
def seeded_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """One migrated and seeded (with demo accounts) database per backend, copied for each test."""
    templates: dict[str, str] = {}
    created_pg: list[str] = []
    if "sqlite" in SELECTED:
        path = tmp_path_factory.mktemp("template") / "seeded.db"
        url = f"sqlite:///{path}"
        upgrade(url)
        database = Database(url)
        load_seed(database, demo=True)
        database.dispose()
        templates["sqlite"] = str(path)
    if "postgresql" in SELECTED and PG_URL:
        name = f"registry_tpl_{uuid.uuid4().hex[:8]}"
        _pg_exec(f'CREATE DATABASE "{name}"')
        created_pg.append(name)
        url = _pg_url_for(name)
        upgrade(url)
        database = Database(url)
        load_seed(database, demo=True)
        database.dispose()
        templates["postgresql"] = name
    yield templates
    for name in created_pg:
        _pg_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def database_url(backend: str, seeded_templates: dict[str, str], tmp_path: Path) -> Iterator[str]:
    """A fresh copy of the seeded database for this test."""
    if backend == "sqlite":
        target = tmp_path / "registry.db"
        shutil.copyfile(seeded_templates["sqlite"], target)
        yield f"sqlite:///{target}"
        return
    if not PG_URL:
        pytest.skip("PostgreSQL: set REGISTRY_TEST_DATABASE_URL to run")
    name = f"registry_t_{uuid.uuid4().hex[:10]}"
    _pg_exec(f'CREATE DATABASE "{name}" TEMPLATE "{seeded_templates["postgresql"]}"')
    try:
        yield _pg_url_for(name)
    finally:
        _pg_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def empty_database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """An empty database (no tables) on the backend under test."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    if not PG_URL:
        pytest.skip("PostgreSQL: set REGISTRY_TEST_DATABASE_URL to run")
    name = f"registry_e_{uuid.uuid4().hex[:10]}"
    _pg_exec(f'CREATE DATABASE "{name}"')
    try:
        yield _pg_url_for(name)
    finally:
        _pg_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key="test-secret-" + "x" * 40,
        var_dir=tmp_path / "var",
        allowed_hosts=("127.0.0.1", "localhost"),
    )


@pytest.fixture
def app(settings: Settings, db: Database):  # type: ignore[no-untyped-def]
    return create_app(settings, db)


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, base_url=f"http://{HOST}") as test_client:
        yield test_client


# ---------------------------------------------------------------- helpers

def csrf_token(client: TestClient, path: str = "/login") -> str:
    """Visit a page with a form so that the CSRF cookie is set; return its value."""
    client.get(path)
    token = client.cookies.get("csrftoken")
    assert token, "the CSRF cookie was not set"
    return token


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> None:
    """Sign in through the HTML form, as a person would."""
    token = csrf_token(client)
    response = client.post("/login", data={"name": name, "password": password, "_csrf_token": token},
                           follow_redirects=False)
    assert response.status_code == 303, response.text


def bearer(db: Database, name: str) -> dict[str, str]:
    """Authorization header with a fresh API token for the account."""
    from registry.accounts.services import create_token

    return {"Authorization": f"Bearer {create_token(db, name)}"}


# ---------------------------------------------------------------- live server and browser

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def registry_server(database_url: str, tmp_path: Path, env: dict[str, str] | None = None,
                    workers: int = 1) -> Iterator[str]:
    """The real production server (`registry run`, granian) on a free port until the block ends (SIGTERM)."""
    port = free_port()
    full_env = {
        **os.environ,
        "REGISTRY_DATABASE_URL": database_url,
        "REGISTRY_VAR_DIR": str(tmp_path / "var"),
        "REGISTRY_SECRET_KEY": "live-secret-" + "y" * 40,
        "PYTHONPATH": str(ROOT),
        **(env or {}),
    }
    # Output goes to a file: a pipe nobody reads would block a chatty server once its buffer is full.
    log_path = tmp_path / f"server-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "registry", "run", "--host", HOST, "--port", str(port), "--workers", str(workers)],
            cwd=tmp_path, env=full_env, stdout=log, stderr=subprocess.STDOUT,
        )
    base = f"http://{HOST}:{port}"
    deadline = time.monotonic() + 90  # a loaded machine (CI beside other work) starts it slowly
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(log_path.read_text(errors="replace"))
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError("server did not start")
    try:
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def live_server(database_url: str, tmp_path: Path) -> Iterator[str]:
    """The real production server (`registry run`, granian) on a free port, against this test's database."""
    with registry_server(database_url, tmp_path) as base:
        yield base


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    if not CHROMIUM:
        pytest.skip("Chromium not found: install Debian's chromium or set REGISTRY_TEST_CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, tmp_path: Path):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()
