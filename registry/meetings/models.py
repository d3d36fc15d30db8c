from datetime import date, datetime

from sqlalchemy import JSON, DateTime, Text
from sqlmodel import Field, SQLModel

from registry.timeutil import utcnow


class Meeting(SQLModel, table=True):
    """A meeting a department calls for towns or villages, with the rank it asks of each."""

    __tablename__ = "meetings"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    department_id: int = Field(foreign_key="departments.id", index=True)
    held_on: date = Field(index=True)
    duty_code: str | None = Field(default=None, max_length=32)
    reason_for_rank: str | None = Field(default=None, sa_type=Text)
    flags: list[dict] = Field(default_factory=list, sa_type=JSON)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))


class MeetingAudience(SQLModel, table=True):
    """One region a meeting invites, and whom it asks the region to send."""

    __tablename__ = "meeting_audience"

    meeting_id: int = Field(foreign_key="meetings.id", primary_key=True)
    region_id: int = Field(foreign_key="regions.id", primary_key=True, index=True)
    attendee: str = Field(max_length=16)
