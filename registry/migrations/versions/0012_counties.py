"""many counties (contract §10): departments and review stages belong to a region; review stage positions are
unique within their region; a request records the county that owns it; budget caps are per county. Existing rows go to the deployment's county.

Revision ID: 0012
Revises: 0011
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The county that owned everything while a deployment held one: the root county (else the first county).
COUNTY = ("(SELECT id FROM regions WHERE level = 'county' "
          "ORDER BY CASE WHEN parent_id IS NULL THEN 0 ELSE 1 END, code LIMIT 1)")
# SQLite names no unique constraint of 0001; the batch copy names it by this convention so it can be dropped.
SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("region_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_departments_region_id", "regions", ["region_id"], ["id"])
    op.execute(f"UPDATE departments SET region_id = {COUNTY} WHERE region_id IS NULL")
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_departments_region_id"), ["region_id"], unique=False)

    with op.batch_alter_table("review_stages", schema=None,
                              naming_convention=SQLITE_NAMES if sqlite else None) as batch_op:
        batch_op.add_column(sa.Column("region_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_review_stages_region_id", "regions", ["region_id"], ["id"])
        batch_op.drop_constraint("uq_review_stages_position" if sqlite else "review_stages_position_key",
                                 type_="unique")
    op.execute(f"UPDATE review_stages SET region_id = {COUNTY} WHERE region_id IS NULL")
    with op.batch_alter_table("review_stages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_stages_region_id"), ["region_id"], unique=False)
        batch_op.create_unique_constraint("uq_review_stages_region_position", ["region_id", "position"])

    with op.batch_alter_table("admission_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_region_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_admission_requests_owner_region_id", "regions", ["owner_region_id"], ["id"])
    op.execute(f"UPDATE admission_requests SET owner_region_id = {COUNTY} WHERE owner_region_id IS NULL")
    with op.batch_alter_table("admission_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_admission_requests_owner_region_id"), ["owner_region_id"], unique=False)

    op.create_table(
        "budget_caps_by_county",
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("maximum", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["region_id"], ["regions.id"]),
        sa.PrimaryKeyConstraint("region_id", "field"),
    )
    op.execute(f"INSERT INTO budget_caps_by_county (region_id, field, maximum) "
               f"SELECT {COUNTY}, field, maximum FROM budget_caps WHERE {COUNTY} IS NOT NULL")
    op.drop_table("budget_caps")
    op.rename_table("budget_caps_by_county", "budget_caps")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "budget_caps_global",
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("maximum", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("field"),
    )
    op.execute(f"INSERT INTO budget_caps_global (field, maximum) SELECT field, maximum FROM budget_caps "
               f"WHERE region_id = {COUNTY}")
    op.drop_table("budget_caps")
    op.rename_table("budget_caps_global", "budget_caps")
    with op.batch_alter_table("admission_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_admission_requests_owner_region_id"))
        batch_op.drop_constraint("fk_admission_requests_owner_region_id", type_="foreignkey")
        batch_op.drop_column("owner_region_id")
    op.execute(f"DELETE FROM review_stage_departments WHERE stage_id IN "
               f"(SELECT id FROM review_stages WHERE region_id <> {COUNTY})")
    with op.batch_alter_table("review_stages", schema=None) as batch_op:
        batch_op.drop_constraint("uq_review_stages_region_position", type_="unique")
        batch_op.drop_index(batch_op.f("ix_review_stages_region_id"))
        batch_op.drop_constraint("fk_review_stages_region_id", type_="foreignkey")
        batch_op.drop_column("region_id")
        batch_op.create_unique_constraint("uq_review_stages_position" if sqlite else "review_stages_position_key",
                                         ["position"])
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_departments_region_id"))
        batch_op.drop_constraint("fk_departments_region_id", type_="foreignkey")
        batch_op.drop_column("region_id")
