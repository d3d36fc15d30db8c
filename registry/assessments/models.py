from datetime import datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

from registry.timeutil import utcnow


class JointAssessment(SQLModel, table=True):
    """Several assessments (考核督查) merged by the office into one: a village's list counts them once."""

    __tablename__ = "joint_assessments"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200, unique=True)
    department_id: int = Field(foreign_key="departments.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))


class JointAssessmentMember(SQLModel, table=True):
    """One assessment name (as duties' `burdens.assessments` hold it) in a joint assessment; a name joins one at
    most (the primary key)."""

    __tablename__ = "joint_assessment_members"

    name: str = Field(primary_key=True, max_length=100)
    joint_id: int = Field(foreign_key="joint_assessments.id", index=True)
    position: int
