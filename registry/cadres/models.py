"""What a cadre has read: the edition of a region's list the cadre last marked as read."""

from datetime import datetime

from sqlalchemy import BigInteger, Column, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

from registry.timeutil import utcnow


class ListVisit(SQLModel, table=True):
    """One row per (account, region): "changed since I last looked" counts from `seen_edition`."""

    __tablename__ = "list_visits"
    __table_args__ = (UniqueConstraint("account_id", "region_id", name="uq_list_visits_account_region"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="users.id", index=True)
    region_id: int = Field(foreign_key="regions.id")
    seen_edition: int = Field(sa_column=Column(BigInteger, nullable=False))
    seen_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
