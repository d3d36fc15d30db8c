"""Migrations take an empty database to head on the backend under test; the models and the head agree
(autogenerate finds no drift); the ledger guards exist and refuse UPDATE, DELETE and TRUNCATE."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.exc import DatabaseError
from sqlmodel import SQLModel

import registry.models  # noqa: F401  (registers every table)
from registry.db import make_engine
from registry.migrations.runner import alembic_config, upgrade


def head_revision(url: str) -> str:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()  # type: ignore[return-value]


@pytest.fixture
def migrated(empty_database_url):  # type: ignore[no-untyped-def]
    engine = make_engine(empty_database_url)
    with engine.connect() as conn:
        assert inspect(conn).get_table_names() == []  # really empty before
    upgrade(empty_database_url)
    yield empty_database_url, engine
    engine.dispose()


def test_upgrade_from_empty_reaches_head_with_every_table(migrated):
    url, engine = migrated
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert set(SQLModel.metadata.tables) <= tables
    assert version == head_revision(url)


def test_models_and_migration_head_agree(migrated):
    _, engine = migrated
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == [], f"models and migrations differ (run /work/regen.sh): {diff}"


def test_upgrade_is_idempotent(migrated):
    url, engine = migrated
    with engine.connect() as conn:
        before = sorted(inspect(conn).get_table_names())
    upgrade(url)
    upgrade(url)
    with engine.connect() as conn:
        assert sorted(inspect(conn).get_table_names()) == before
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head_revision(url)


def trigger_names(conn) -> set[str]:  # type: ignore[no-untyped-def]
    if conn.dialect.name == "sqlite":
        rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='ledger_entries'"))
    else:
        rows = conn.execute(text(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = 'ledger_entries'::regclass"))
    return {row[0] for row in rows}


def test_ledger_guards_exist_at_head(migrated):
    _, engine = migrated
    with engine.connect() as conn:
        names = trigger_names(conn)
        if conn.dialect.name == "sqlite":
            assert {"ledger_entries_no_update", "ledger_entries_no_delete"} <= names
        else:
            assert {"ledger_entries_no_update_delete", "ledger_entries_no_truncate"} <= names
            kinds = conn.execute(text(
                "SELECT bool_or((tgtype & 32) <> 0) FROM pg_trigger "
                "WHERE NOT tgisinternal AND tgrelid = 'ledger_entries'::regclass")).scalar_one()
            assert kinds, "no TRUNCATE trigger on ledger_entries"


def test_ledger_entries_refuse_update_delete_and_truncate(migrated):
    _, engine = migrated
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO ledger_entries (seq, recorded_at, kind, payload, prev_hash, hash) "
                 "VALUES (1, :at, 'duty.added', '{}', :zero, :h)"),
            {"at": "2026-01-05T08:00:00.000000Z", "zero": "0" * 64, "h": "a" * 64},
        )
    statements = ["UPDATE ledger_entries SET kind = 'x'", "DELETE FROM ledger_entries"]
    if engine.dialect.name == "postgresql":
        statements.append("TRUNCATE ledger_entries")
    for statement in statements:
        with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT kind, hash FROM ledger_entries")).all() == [("duty.added", "a" * 64)]
