"""The `registry` command as an operator runs it (`python -m registry ...` in a subprocess, contract §1)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel, col, select

import registry.models  # noqa: F401  (registers every table)
from registry.accounts.services import create_token, user_for_token
from registry.catalog.models import Duty, DutyVersion
from registry.catalog.services import record_change
from registry.db import Database
from registry.ledger.chain import head
from tests.accounts.probe import PROBE_PATH, probe_client
from tests.conftest import PASSWORD, ROOT, csrf_token, free_port, sign_in

OK_LINE = re.compile(r"ok seq=(\d+) hash=([0-9a-f]{64})")


def cli(url: str, cwd: Path, *args: str, stdin: str | None = None, env: dict | None = None,
        timeout: float = 180) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("REGISTRY_")}
    clean.update({"REGISTRY_DATABASE_URL": url, "PYTHONPATH": str(ROOT), **(env or {})})
    return subprocess.run([sys.executable, "-m", "registry", *args], cwd=cwd, env=clean, input=stdin,
                          capture_output=True, text=True, timeout=timeout)


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, f"exit {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    return result


def row_counts(url: str) -> dict[str, int]:
    database = Database(url)
    try:
        with database.read() as session:
            return {t.name: session.execute(text(f'SELECT count(*) FROM "{t.name}"')).scalar_one()
                    for t in SQLModel.metadata.sorted_tables}
    finally:
        database.dispose()


def ledger_head(url: str) -> tuple[int, str]:
    database = Database(url)
    try:
        with database.read() as session:
            found = head(session)
            return found.seq, found.hash
    finally:
        database.dispose()


@pytest.fixture
def probe(settings, db):  # type: ignore[no-untyped-def]
    with probe_client(settings, db) as client:
        yield client


def test_upgrade_and_seed_from_empty_are_idempotent(empty_database_url, tmp_path):
    # A .env naming another database must lose against the real environment variable.
    (tmp_path / ".env").write_text("REGISTRY_DATABASE_URL=sqlite:///from-dotenv.db\n", encoding="utf-8")
    ok(cli(empty_database_url, tmp_path, "db", "upgrade"))
    ok(cli(empty_database_url, tmp_path, "db", "upgrade"))
    assert not (tmp_path / "from-dotenv.db").exists()

    ok(cli(empty_database_url, tmp_path, "seed"))
    without_demo = row_counts(empty_database_url)
    assert without_demo["users"] == 0  # demo accounts only with --demo
    assert without_demo["regions"] >= 14 * 4 + 15
    assert without_demo["ledger_entries"] == 98

    first = ok(cli(empty_database_url, tmp_path, "seed", "--demo"))
    assert "users+10" in first.stdout
    counts = row_counts(empty_database_url)
    assert counts["users"] == 10
    # --demo also loads the illustrative report cases (one report.closed entry per closed case) and the
    # 组织部's clean-up of secondments.
    assert (counts["reports"], counts["ledger_entries"]) == (30, 98 + 21)
    assert (counts["secondments"], counts["temporary_bodies"], without_demo["secondments"]) == (21, 7, 0)
    demo_tables = ("users", "audit_events", "reports", "report_events", "ledger_entries", "secondments",
                   "temporary_bodies", "secondment_checks")
    assert {k: v for k, v in counts.items() if k not in demo_tables} == \
        {k: v for k, v in without_demo.items() if k not in demo_tables}

    again = ok(cli(empty_database_url, tmp_path, "seed", "--demo"))
    assert "nothing to change" in again.stdout
    assert row_counts(empty_database_url) == counts  # every table of the schema

    verify = ok(cli(empty_database_url, tmp_path, "ledger", "verify"))
    match = OK_LINE.fullmatch(verify.stdout.strip())
    assert match, verify.stdout
    assert (int(match[1]), match[2]) == ledger_head(empty_database_url) == (98 + 21, match[2])


def test_seed_never_touches_a_catalog_that_has_entries(database_url, db, tmp_path):
    with db.write() as session:
        record_change(session, "retired", duty_code="D00001")
    seq, digest = ledger_head(database_url)
    assert seq == 99
    before = row_counts(database_url)

    result = ok(cli(database_url, tmp_path, "seed", "--demo"))
    assert "nothing to change" in result.stdout
    assert row_counts(database_url) == before
    assert ledger_head(database_url) == (seq, digest)
    with db.read() as session:
        duty = session.exec(select(Duty).where(Duty.code == "D00001")).one()
        current = session.exec(select(DutyVersion).where(DutyVersion.duty_id == duty.id,
                                                         col(DutyVersion.to_edition).is_(None))).one()
    assert current.status == "retired"
    verify = ok(cli(database_url, tmp_path, "ledger", "verify"))
    assert verify.stdout.strip() == f"ok seq=99 hash={digest}"


def test_users_create_then_sign_in(database_url, probe, tmp_path):
    created = ok(cli(database_url, tmp_path, "users", "create", "wang_clerk", "--role", "department",
                     "--department", "YJJ", "--password-stdin", stdin="Str0ng-passw0rd\n"))
    assert "wang_clerk" in created.stdout
    sign_in(probe, "wang_clerk", "Str0ng-passw0rd")
    page = probe.get("/")
    assert "wang_clerk" in page.text
    assert "县应急管理局" in page.text  # the department shown beside the name

    cadre = ok(cli(database_url, tmp_path, "users", "create", "li_cadre", "--role", "cadre",
                   "--region", "330122113201", "--password-stdin", stdin="Str0ng-passw0rd\n"))
    assert cadre.returncode == 0
    duplicate = cli(database_url, tmp_path, "users", "create", "wang_clerk", "--role", "admin", "--password-stdin",
                    stdin="Str0ng-passw0rd\n")
    assert duplicate.returncode != 0 and "wang_clerk" in duplicate.stderr


def test_users_create_office_then_sign_in(database_url, probe, tmp_path):
    created = ok(cli(database_url, tmp_path, "users", "create", "zhao_office", "--role", "office",
                     "--department", "FWB", "--password-stdin", stdin="Str0ng-passw0rd\n"))
    assert created.stdout.strip() == "created office zhao_office"
    sign_in(probe, "zhao_office", "Str0ng-passw0rd")
    page = probe.get("/").text
    assert "zhao_office" in page
    assert page.count("县服务基层办公室") == 2  # the role's name, then its department beside it


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--role", "department"], "department"),
        (["--role", "reviewer"], "department"),
        (["--role", "office"], "department"),
        (["--role", "office", "--department", "NOPE"], "department"),
        (["--role", "department", "--department", "NOPE"], "department"),
        (["--role", "cadre"], "region"),
        (["--role", "cadre", "--region", "330122999999"], "region"),
        (["--role", "cadre", "--region", "330122000000"], "region"),  # the county: not a village or town
    ],
)
def test_users_create_refuses_missing_or_wrong_binding(database_url, tmp_path, args, field):
    before = row_counts(database_url)["users"]
    result = cli(database_url, tmp_path, "users", "create", "someone", *args, "--password-stdin",
                 stdin="Str0ng-passw0rd\n")
    assert result.returncode != 0
    assert field in result.stderr
    assert ("部门" if field == "department" else "区划") in result.stderr  # said in the default language
    assert "Traceback" not in result.stderr
    assert row_counts(database_url)["users"] == before


def test_users_disable_ends_session_and_tokens_at_once(database_url, db, probe, tmp_path):
    sign_in(probe, "yjj_clerk")
    assert "yjj_clerk" in probe.get("/").text
    token = create_token(db, "yjj_clerk")
    assert probe.post(PROBE_PATH, headers={"Authorization": f"Bearer {token}"}).status_code == 201

    ok(cli(database_url, tmp_path, "users", "disable", "yjj_clerk"))

    assert "yjj_clerk" not in probe.get("/").text  # the next page is anonymous
    logout = probe.post("/logout", data={"_csrf_token": csrf_token(probe)}, follow_redirects=False)
    assert logout.status_code in (302, 303) and logout.headers["location"].startswith("/login")
    assert probe.post(PROBE_PATH, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    probe.cookies.clear()
    again = probe.post("/login", data={"name": "yjj_clerk", "password": PASSWORD, "_csrf_token": csrf_token(probe)},
                       follow_redirects=False)
    assert again.status_code == 400
    unknown = cli(database_url, tmp_path, "users", "disable", "nobody_here")
    assert unknown.returncode != 0 and "nobody_here" in unknown.stderr


def test_tokens_create_and_revoke(database_url, db, probe, tmp_path):
    created = ok(cli(database_url, tmp_path, "tokens", "create", "mzj_reviewer"))
    lines = created.stdout.splitlines()
    assert len(lines) == 1 and lines[0].strip() == lines[0] and len(lines[0]) >= 32
    token = lines[0]
    answer = probe.post(PROBE_PATH, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 201 and answer.json()["name"] == "mzj_reviewer"
    with db.read() as session:
        assert user_for_token(session, token).name == "mzj_reviewer"  # type: ignore[union-attr]
        stored = session.execute(text("SELECT digest FROM api_tokens")).scalars().all()
    assert token not in stored  # only a digest is kept

    ok(cli(database_url, tmp_path, "tokens", "revoke", token))
    assert probe.post(PROBE_PATH, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    with db.read() as session:
        assert user_for_token(session, token) is None

    assert cli(database_url, tmp_path, "tokens", "create", "nobody_here").returncode != 0
    assert cli(database_url, tmp_path, "tokens", "revoke", "rgt_not-a-token").returncode != 0


def test_ledger_verify_reports_the_first_bad_entry(database_url, db, tmp_path):
    with db.write() as session:
        if db.is_sqlite:
            session.execute(text("DROP TRIGGER ledger_entries_no_update"))
        else:
            session.execute(text("ALTER TABLE ledger_entries DISABLE TRIGGER USER"))
        payload = session.execute(text("SELECT payload FROM ledger_entries WHERE seq = 5")).scalar_one()
        session.execute(text("UPDATE ledger_entries SET payload = :p WHERE seq = 5"),
                        {"p": payload.replace('"title":"', '"title":"X', 1)})
    result = cli(database_url, tmp_path, "ledger", "verify")
    assert result.returncode == 1
    assert result.stdout.strip().startswith("bad seq=5:"), result.stdout


def test_backup_and_restore_round_trip(database_url, db, tmp_path):
    backup_file = tmp_path / "backups" / "registry.backup"
    ok(cli(database_url, tmp_path, "backup", str(backup_file)))
    assert backup_file.is_file() and backup_file.stat().st_size > 0
    before = row_counts(database_url)

    with db.write() as session:
        record_change(session, "retired", duty_code="D00002")
    assert ledger_head(database_url)[0] == 99
    db.dispose()  # the restore replaces the whole database: hold no connections

    ok(cli(database_url, tmp_path, "restore", str(backup_file)))
    assert ledger_head(database_url)[0] == 98
    assert row_counts(database_url) == before
    verify = ok(cli(database_url, tmp_path, "ledger", "verify"))
    assert verify.stdout.startswith("ok seq=98 ")

    not_a_backup = tmp_path / "junk.bin"
    not_a_backup.write_bytes(b"this is not a backup at all")
    refused = cli(database_url, tmp_path, "restore", str(not_a_backup))
    assert refused.returncode != 0
    assert ledger_head(database_url)[0] == 98  # a refused restore leaves the database alone


@pytest.mark.parametrize(
    "env",
    [
        {"REGISTRY_ENV": "production", "REGISTRY_SECRET_KEY": "changeme"},
        {"REGISTRY_ENV": "production", "REGISTRY_SECRET_KEY": "s" * 20},
        {"REGISTRY_ENV": "production", "REGISTRY_SECRET_KEY": "Zq" * 24, "REGISTRY_DEBUG": "1"},
    ],
)
def test_run_refuses_unsafe_production_settings(tmp_path, env):
    url = f"sqlite:///{tmp_path / 'unused.db'}"
    result = cli(url, tmp_path, "run", "--port", str(free_port()), env=env, timeout=60)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "secret" in result.stderr.lower() or "debug" in result.stderr.lower()
