"""region_tree_versions: one counter that the database moves on every change to regions (triggers), so that a
process revalidates its in-memory region tree with one primary-key read instead of digesting every region
(7 s at the national scale's 640,000 regions)

Revision ID: 0014
Revises: 0013
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BUMP = "UPDATE region_tree_versions SET version = version + 1 WHERE id = 1"


def upgrade() -> None:
    op.create_table(
        "region_tree_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO region_tree_versions (id, version) VALUES (1, 0)")
    if op.get_bind().dialect.name == "sqlite":
        for action in ("INSERT", "UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER regions_tree_version_{action.lower()} AFTER {action} ON regions "
                       f"BEGIN {BUMP}; END")
        return
    op.execute("CREATE FUNCTION regions_bump_tree_version() RETURNS trigger LANGUAGE plpgsql AS $$ "
               f"BEGIN {BUMP}; RETURN NULL; END $$")
    op.execute("CREATE TRIGGER regions_tree_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON regions "
               "FOR EACH STATEMENT EXECUTE FUNCTION regions_bump_tree_version()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for action in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER regions_tree_version_{action}")
    else:
        op.execute("DROP TRIGGER regions_tree_version ON regions")
        op.execute("DROP FUNCTION regions_bump_tree_version()")
    op.drop_table("region_tree_versions")
