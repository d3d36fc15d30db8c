from datetime import date, datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel


class JobLock(SQLModel, table=True):
    """A lease on a named job, claimed in a BEGIN IMMEDIATE transaction (SQLite; PostgreSQL uses an advisory
    lock instead). A holder that dies loses the lease when `expires_at` passes."""

    __tablename__ = "job_locks"

    name: str = Field(primary_key=True, max_length=64)
    holder: str | None = Field(default=None, max_length=64)
    expires_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class DailyTaskRun(SQLModel, table=True):
    """One daily task on one day: started how many times, and whether it finished (then it never runs again
    that day)."""

    __tablename__ = "daily_task_runs"

    day: date = Field(primary_key=True)
    task: str = Field(primary_key=True, max_length=64)
    state: str = Field(max_length=16)  # DailyTaskState
    attempts: int = Field(default=0)
    started_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    finished_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    summary: str = Field(default="", max_length=500)
    last_error: str = Field(default="", max_length=500)
