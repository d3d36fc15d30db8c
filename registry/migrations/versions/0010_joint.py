"""joint assessments (考核督查): joint_assessments and their members

Revision ID: 0010
Revises: 0009
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "joint_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("title"),
    )
    op.create_table(
        "joint_assessment_members",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("joint_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["joint_id"], ["joint_assessments.id"]),
        sa.PrimaryKeyConstraint("name"),
    )
    with op.batch_alter_table("joint_assessment_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_joint_assessment_members_joint_id"), ["joint_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("joint_assessment_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_joint_assessment_members_joint_id"))
    op.drop_table("joint_assessment_members")
    op.drop_table("joint_assessments")
