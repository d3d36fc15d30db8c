"""Programmatic Alembic: `registry db upgrade` and the tests use these, not alembic.ini."""

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from registry.db import normalise_url

MIGRATIONS_DIR = Path(__file__).resolve().parent
VERSION_TABLE = "alembic_version"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", normalise_url(database_url).replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Apply migrations up to *revision*; applying them again is a no-op."""
    command.upgrade(alembic_config(database_url), revision)


@cache
def head_revisions() -> frozenset[str]:
    """The revisions at the head of this code's migrations (they change only with the code)."""
    return frozenset(ScriptDirectory(str(MIGRATIONS_DIR)).get_heads())


def schema_state(engine: Engine) -> str:
    """"current" when the database is at the code's migration head, "pending" when not (an empty database is
    pending too). Raises SQLAlchemyError when the database cannot be reached."""
    with engine.connect() as connection:
        applied: frozenset[str] = frozenset()
        if inspect(connection).has_table(VERSION_TABLE):
            applied = frozenset(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    return "current" if applied == head_revisions() else "pending"
