"""Programmatic Alembic: `registry db upgrade` and the tests use these, not alembic.ini."""

from pathlib import Path

from alembic import command
from alembic.config import Config

from registry.db import normalise_url

MIGRATIONS_DIR = Path(__file__).resolve().parent


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", normalise_url(database_url).replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Apply migrations up to *revision*; applying them again is a no-op."""
    command.upgrade(alembic_config(database_url), revision)
