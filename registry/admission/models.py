from datetime import date, datetime

from sqlalchemy import JSON, DateTime, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from registry.catalog.models import DutyContentColumns
from registry.timeutil import utcnow


class ReviewStage(SQLModel, table=True):
    """A review stage (e.g. 实质审查, 合法性审查) of one county; stages are data, ordered by `position` within
    their region (contract §10: the requests of a county pass its own stages)."""

    __tablename__ = "review_stages"
    __table_args__ = (UniqueConstraint("region_id", "position", name="uq_review_stages_region_position"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    name: str = Field(max_length=100)
    position: int
    region_id: int | None = Field(default=None, foreign_key="regions.id", index=True)


class ReviewStageDepartment(SQLModel, table=True):
    """A department whose reviewers act at a stage."""

    __tablename__ = "review_stage_departments"

    stage_id: int = Field(foreign_key="review_stages.id", primary_key=True)
    department_id: int = Field(foreign_key="departments.id", primary_key=True)


class AdmissionRequest(DutyContentColumns, table=True):
    """A department's request to add, amend or retire a catalog duty (准入申请)."""

    __tablename__ = "admission_requests"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=40, unique=True, index=True)
    kind: str = Field(max_length=16)
    state: str = Field(max_length=16, index=True)
    stage_id: int | None = Field(default=None, foreign_key="review_stages.id", index=True)
    row_version: int = Field(default=1)
    department_id: int = Field(foreign_key="departments.id", index=True)
    # The county (or city or province) that owns the request's scope: whose stages review it and whose reviewers
    # see it (contract §10). Set whenever the scope is; None only for a pre-§10 row (the default county's).
    owner_region_id: int | None = Field(default=None, foreign_key="regions.id", index=True)
    author_id: int | None = Field(default=None, foreign_key="users.id")
    duty_id: int | None = Field(default=None, foreign_key="duties.id", index=True)
    justification: str | None = Field(default=None, sa_type=Text)
    start_date: date | None = Field(default=None)
    flags: list[dict] = Field(default_factory=list, sa_type=JSON)
    impact: dict = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    submitted_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    due_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    decided_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class RequestOffset(SQLModel, table=True):
    """A retire request that another request offsets (one in, one out)."""

    __tablename__ = "request_offsets"

    request_id: int = Field(foreign_key="admission_requests.id", primary_key=True)
    offset_request_id: int = Field(foreign_key="admission_requests.id", primary_key=True)


class Decision(SQLModel, table=True):
    """A reviewer's decision at one stage, with its reason."""

    __tablename__ = "decisions"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="admission_requests.id", index=True)
    stage_id: int = Field(foreign_key="review_stages.id")
    # The deciding department; None when an administrator decided (the filing department alone served the stage).
    department_id: int | None = Field(default=None, foreign_key="departments.id")
    reviewer_id: int | None = Field(default=None, foreign_key="users.id")
    decision: str = Field(max_length=16)
    reason: str = Field(default="", sa_type=Text)
    exemption_reason: str | None = Field(default=None, sa_type=Text)
    at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    ledger_seq: int | None = Field(default=None)
