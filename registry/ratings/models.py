from datetime import datetime

from sqlalchemy import DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

from registry.timeutil import utcnow


class Rating(SQLModel, table=True):
    """A village's rating of a department for one year (天津: communities rate the departments whose tasks they
    carry). One per (year, village, department): a second rating replaces the first. No person is stored."""

    __tablename__ = "ratings"
    __table_args__ = (UniqueConstraint("year", "region_id", "department_id", name="uq_ratings_year_region_department"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    region_id: int = Field(foreign_key="regions.id", index=True)
    department_id: int = Field(foreign_key="departments.id", index=True)
    score: int
    comment: str = Field(default="", max_length=1000)
    rated_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
