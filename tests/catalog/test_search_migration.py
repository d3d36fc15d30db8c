"""Migration 0004 recomputes the search columns of every version already stored: a database at 0002 (search
text "title\\ndescription") comes out of the upgrade searchable exactly as if record_change had written it."""

import unicodedata

from alembic import command
from sqlalchemy import inspect, text

from registry.db import Database, make_engine
from registry.migrations.runner import alembic_config, upgrade
from registry.seeding import load_seed

COLUMNS = "SELECT v.id, d.code, v.title, v.description, v.search_text, {extra} FROM duty_versions v " \
          "JOIN duties d ON d.id = v.duty_id ORDER BY v.id"


def test_upgrade_recomputes_every_version_and_downgrade_restores_the_old_text(empty_database_url):
    url = empty_database_url
    upgrade(url)
    database = Database(url)
    load_seed(database)
    database.dispose()
    engine = make_engine(url)
    with engine.connect() as conn:
        written = conn.execute(text(COLUMNS.format(extra="v.search_reach, v.search_title, v.search_words"))).all()
    assert len(written) == 97
    assert all("\x1f" in row.search_reach and row.code.lower() in row.search_reach for row in written)

    command.downgrade(alembic_config(url), "0003")
    with engine.connect() as conn:
        names = {c["name"] for c in inspect(conn).get_columns("duty_versions")}
        old = conn.execute(text(COLUMNS.format(extra="1"))).all()
    assert not {"search_reach", "search_title", "search_words"} & names
    for row in old:
        assert row.search_text == unicodedata.normalize("NFKC", f"{row.title}\n{row.description}").casefold()

    upgrade(url)
    with engine.connect() as conn:
        again = conn.execute(text(COLUMNS.format(extra="v.search_reach, v.search_title, v.search_words"))).all()
    engine.dispose()
    assert again == written
