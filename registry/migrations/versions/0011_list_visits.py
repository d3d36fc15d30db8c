"""the cadre's page: list_visits (the edition of a region's list a cadre last marked as read); per-list editions:
an index on duty_versions (scope_region_id, from_edition)

Revision ID: 0011
Revises: 0010
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "list_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("seen_edition", sa.BigInteger(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["region_id"], ["regions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id", "region_id", name="uq_list_visits_account_region"),
    )
    op.create_index(op.f("ix_list_visits_account_id"), "list_visits", ["account_id"], unique=False)
    op.create_index("ix_duty_versions_scope_from", "duty_versions", ["scope_region_id", "from_edition"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_duty_versions_scope_from", table_name="duty_versions")
    op.drop_index(op.f("ix_list_visits_account_id"), table_name="list_visits")
    op.drop_table("list_visits")
