"""duty search reach: search_reach (code, title, description, burden names, department codes), search_title and
search_words, computed for every version; search_text (title and description) recomputed by the same rule

Revision ID: 0004
Revises: 0003
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The columns this migration reads and writes, as they are at this revision (not the models of later code).
versions = sa.table(
    "duty_versions",
    sa.column("id", sa.Integer),
    sa.column("duty_id", sa.Integer),
    sa.column("department_id", sa.Integer),
    sa.column("title", sa.String),
    sa.column("description", sa.Text),
    sa.column("co_departments", sa.JSON),
    sa.column("burdens", sa.JSON),
    sa.column("search_text", sa.Text),
    sa.column("search_reach", sa.Text),
    sa.column("search_title", sa.Text),
    sa.column("search_words", sa.Text),
)
duties = sa.table("duties", sa.column("id", sa.Integer), sa.column("code", sa.String))
departments = sa.table("departments", sa.column("id", sa.Integer), sa.column("code", sa.String))


def upgrade() -> None:
    with op.batch_alter_table("duty_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_reach", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("search_title", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("search_words", sa.Text(), nullable=False, server_default=""))
    _recompute(full=True)


def downgrade() -> None:
    _recompute(full=False)
    with op.batch_alter_table("duty_versions", schema=None) as batch_op:
        batch_op.drop_column("search_words")
        batch_op.drop_column("search_title")
        batch_op.drop_column("search_reach")


def _recompute(full: bool) -> None:
    """Every version's search columns from its own content (full) or back to "title\\ndescription"."""
    from registry.catalog.search_index import search_columns, search_key

    bind = op.get_bind()
    codes = dict(bind.execute(sa.select(duties.c.id, duties.c.code)).all())
    owners = dict(bind.execute(sa.select(departments.c.id, departments.c.code)).all())
    rows = bind.execute(sa.select(versions.c.id, versions.c.duty_id, versions.c.department_id, versions.c.title,
                                  versions.c.description, versions.c.co_departments, versions.c.burdens)).all()
    for row in rows:
        if full:
            text, reach, title, words = search_columns(codes[row.duty_id], row.title, row.description, row.burdens,
                                                       [owners[row.department_id], *(row.co_departments or [])])
            values = {"search_text": text, "search_reach": reach, "search_title": title, "search_words": words}
        else:
            values = {"search_text": search_key(row.title) + "\n" + search_key(row.description)}
        bind.execute(sa.update(versions).where(versions.c.id == row.id).values(**values))
