"""Migration 0012 on a seeded database (contract §10): down to 0011 and up again, every department, review
stage, request and budget cap belongs to the county, and stage positions are unique per region only."""

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from registry.db import make_engine
from registry.migrations.runner import alembic_config, upgrade

COUNTY_ID = "(SELECT id FROM regions WHERE code = '330122000000')"


def test_existing_rows_go_to_the_county_and_positions_are_unique_per_region(database_url):
    command.downgrade(alembic_config(database_url), "0011")
    engine = make_engine(database_url)
    with engine.begin() as conn:
        caps_before = conn.execute(text("SELECT field, maximum FROM budget_caps ORDER BY field")).all()
        assert "region_id" not in list(conn.execute(text("SELECT * FROM departments")).keys())
    upgrade(database_url)
    with engine.begin() as conn:
        for table in ("departments", "review_stages"):
            orphans = conn.execute(text(f"SELECT count(*) FROM {table} WHERE region_id IS NULL "  # noqa: S608
                                        f"OR region_id <> {COUNTY_ID}")).scalar_one()
            total = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608
            assert total and orphans == 0, table
        caps = conn.execute(text(f"SELECT field, maximum FROM budget_caps WHERE region_id = {COUNTY_ID} "
                                 "ORDER BY field")).all()
        assert caps == caps_before and len(caps) == 11
        # Another region may reuse position 1; the same region may not.
        conn.execute(text("INSERT INTO review_stages (code, name, position, region_id) "
                          "SELECT 'other_first', 'x', 1, id FROM regions WHERE code = '330122101000'"))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text(f"INSERT INTO review_stages (code, name, position, region_id) "
                          f"SELECT 'same_first', 'x', 1, {COUNTY_ID}"))
    engine.dispose()
