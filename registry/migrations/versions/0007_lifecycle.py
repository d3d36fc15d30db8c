"""lifecycle: ends_on on duty versions and requests (temporary items, campaigns); villages' ratings of departments

Revision ID: 0007
Revises: 0006
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("duty_versions", "admission_requests"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("ends_on", sa.Date(), nullable=True))
    op.create_table(
        "ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"]),
        sa.ForeignKeyConstraint(["region_id"], ["regions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "region_id", "department_id", name="uq_ratings_year_region_department"),
    )
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.create_index("ix_ratings_year", ["year"], unique=False)
        batch_op.create_index("ix_ratings_region_id", ["region_id"], unique=False)
        batch_op.create_index("ix_ratings_department_id", ["department_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.drop_index("ix_ratings_department_id")
        batch_op.drop_index("ix_ratings_region_id")
        batch_op.drop_index("ix_ratings_year")
    op.drop_table("ratings")
    for table in ("admission_requests", "duty_versions"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("ends_on")
