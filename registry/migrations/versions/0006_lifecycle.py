"""lifecycle: ends_on on duty versions and requests (temporary items, campaigns)

Revision ID: 0006
Revises: 0004
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("duty_versions", "admission_requests"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("ends_on", sa.Date(), nullable=True))


def downgrade() -> None:
    for table in ("admission_requests", "duty_versions"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("ends_on")
