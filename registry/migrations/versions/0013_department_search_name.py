"""departments.search_name: the department's name as duty search compares it (registry.catalog.search_index), so
that a search finds the departments a word names with one LIKE over a column instead of reading them all

Revision ID: 0013
Revises: 0012
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

departments = sa.table("departments", sa.column("id", sa.Integer()), sa.column("name", sa.String()),
                       sa.column("search_name", sa.Text()))


def upgrade() -> None:
    from registry.catalog.search_index import search_key

    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_name", sa.Text(), nullable=False, server_default=""))
    bind = op.get_bind()
    rows = bind.execute(sa.select(departments.c.id, departments.c.name)).all()
    for start in range(0, len(rows), 5_000):
        chunk = rows[start:start + 5_000]
        bind.execute(departments.update().where(departments.c.id == sa.bindparam("key")).values(
            search_name=sa.bindparam("value")), [{"key": r.id, "value": search_key(r.name)} for r in chunk])


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+): a batch copy of departments would trip the foreign keys that point at it.
    op.drop_column("departments", "search_name")
