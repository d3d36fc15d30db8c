"""Whole-database backup and restore: SQLite's online backup API, or pg_dump/pg_restore for PostgreSQL."""

import os
import re
import shutil
import sqlite3
import subprocess  # noqa: S404  (runs the PostgreSQL client tools by absolute name)
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from registry.db import normalise_url

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


SCHEDULED_NAME = re.compile(r"registry-\d{8}T\d{6}\d{6}Z\.(db|dump)")


class BackupError(RuntimeError):
    pass


def scheduled_path(url: str, directory: Path, now: datetime | None = None) -> Path:
    """A new file in *directory* named by the UTC time, so that names sort in the order backups were taken."""
    suffix = "db" if make_url(normalise_url(url)).get_backend_name() == "sqlite" else "dump"
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    return directory / f"registry-{stamp}.{suffix}"


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the *keep* newest scheduled backups in *directory* (other files are left alone)."""
    found = sorted(p for p in directory.iterdir() if p.is_file() and SCHEDULED_NAME.fullmatch(p.name))
    doomed = found[:-keep] if keep > 0 else found
    for path in doomed:
        path.unlink()
    return doomed


def _sqlite_path(url: str) -> str:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory database cannot be backed up")
    return database


def _pg_env(url: str) -> tuple[list[str], dict[str, str]]:
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    args = ["-h", parsed.host or "127.0.0.1", "-p", str(parsed.port or 5432), "-U", parsed.username or "postgres"]
    return args + ["-d", parsed.database or "postgres"], env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def backup(url: str, target: Path) -> None:
    """Write a consistent snapshot of the whole database to *target* while the registry keeps running."""
    url = normalise_url(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    if make_url(url).get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        partial = target.with_name(target.name + ".partial")
        destination = sqlite3.connect(partial)
        try:
            source.backup(destination)
        finally:
            destination.close()
            source.close()
        partial.replace(target)
        return
    args, env = _pg_env(url)
    subprocess.run([_tool("pg_dump"), *args, "--format=custom", "--file", str(target)], check=True, env=env)  # noqa: S603


def restore(url: str, source: Path) -> None:
    """Replace the whole database with the backup in *source* (never row by row)."""
    url = normalise_url(url)
    if not source.is_file():
        raise BackupError(f"no such backup file: {source}")
    head = source.read_bytes()[:16]
    if make_url(url).get_backend_name() == "sqlite":
        if head != SQLITE_MAGIC:
            raise BackupError("not a SQLite backup file")
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        if backup_db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            backup_db.close()
            raise BackupError("the backup file is damaged")
        live = sqlite3.connect(_sqlite_path(url), timeout=30)
        try:
            backup_db.backup(live)
        finally:
            live.close()
            backup_db.close()
        return
    if not head.startswith(PGDUMP_MAGIC):
        raise BackupError("not a pg_dump custom-format backup file")
    args, env = _pg_env(url)
    psql = [_tool("psql"), *args, "-v", "ON_ERROR_STOP=1", "-q", "-c"]
    subprocess.run([*psql, "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"], check=True, env=env)  # noqa: S603
    subprocess.run([_tool("pg_restore"), *args, "--no-owner", "--exit-on-error", str(source)],  # noqa: S603
                   check=True, env=env)
