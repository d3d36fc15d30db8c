from datetime import date, datetime

from sqlalchemy import JSON, DateTime, Text
from sqlmodel import Field, SQLModel

from registry.timeutil import utcnow


class Report(SQLModel, table=True):
    """A cadre's report of a task pushed without admission, or a problem the county's office collected (§6).
    `reporter_id` is kept for the office's audit only: no public shape carries it."""

    __tablename__ = "reports"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True, index=True)
    kind: str = Field(max_length=16)
    source: str = Field(max_length=16)
    state: str = Field(max_length=16, index=True)
    row_version: int = Field(default=1)
    region_id: int | None = Field(default=None, foreign_key="regions.id", index=True)
    department_id: int | None = Field(default=None, foreign_key="departments.id", index=True)
    unit_text: str = Field(default="", max_length=200)
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_type=Text)
    asked_on: date
    channel: str = Field(max_length=16)
    share_region: bool = Field(default=False)
    match: dict = Field(default_factory=dict, sa_type=JSON)
    due_at: datetime = Field(sa_type=DateTime(timezone=True))
    outcome: str | None = Field(default=None, max_length=16)
    request_number: str | None = Field(default=None, max_length=40)
    reporter_id: int | None = Field(default=None, foreign_key="users.id")
    illustrative: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True), index=True)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    closed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class ReportEvent(SQLModel, table=True):
    """One step of a case: the state after it, who wrote it (office, department, reporter: never a person), a note."""

    __tablename__ = "report_events"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="reports.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    state: str = Field(max_length=16)
    by: str = Field(max_length=16)
    note: str = Field(default="", sa_type=Text)


class ReportFile(SQLModel, table=True):
    """Evidence attached to a report (a photo or a PDF). The bytes live outside the database, under the evidence
    directory, named by `stored_name`; `sha256` lets anyone check them."""

    __tablename__ = "report_files"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="reports.id", index=True)
    media_type: str = Field(max_length=40)
    size: int
    sha256: str = Field(max_length=64)
    stored_name: str = Field(max_length=80, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
