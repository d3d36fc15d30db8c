from datetime import date, datetime

from sqlalchemy import JSON, DateTime, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from registry.timeutil import utcnow


class TownStaff(SQLModel, table=True):
    """A town's establishment (编制内人数), the base of the `heavy_share` flag (seed/staff.csv)."""

    __tablename__ = "town_staff"

    region_id: int = Field(foreign_key="regions.id", primary_key=True)
    staff: int = Field(ge=0)
    source: str = Field(default="", max_length=200)


class TemporaryBody(SQLModel, table=True):
    """A temporary body or work group (临时机构、工作组) led by a department, until `ends_on`."""

    __tablename__ = "temporary_bodies"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    name: str = Field(max_length=100)
    lead_department_id: int = Field(foreign_key="departments.id", index=True)
    ends_on: date
    ended_on: date | None = Field(default=None)  # set by the daily job once ends_on has passed
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))


class Secondment(SQLModel, table=True):
    """A person lent to a host department or temporary body (干部抽调); the person only as a staff number."""

    __tablename__ = "secondments"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True, index=True)
    host_department_id: int | None = Field(default=None, foreign_key="departments.id", index=True)
    host_body_id: int | None = Field(default=None, foreign_key="temporary_bodies.id", index=True)
    home_region_id: int | None = Field(default=None, foreign_key="regions.id", index=True)
    home_department_id: int | None = Field(default=None, foreign_key="departments.id", index=True)
    person_ref: str = Field(max_length=50, index=True)
    reason: str = Field(default="", sa_type=Text)
    start_on: date
    end_on: date
    state: str = Field(max_length=16, index=True)
    outcome: str | None = Field(default=None, max_length=16)
    outcome_reason: str | None = Field(default=None, sa_type=Text)
    # Consents are asked again for an extension: each asking is a round.
    consent_round: int = Field(default=1)
    flags: list[dict] = Field(default_factory=list, sa_type=JSON)
    row_version: int = Field(default=1)
    filed_by_id: int | None = Field(default=None, foreign_key="users.id")
    ended_on: date | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))


class SecondmentConsent(SQLModel, table=True):
    """One party's written consent or refusal, with its reason; one per party and round (the database says so)."""

    __tablename__ = "secondment_consents"
    __table_args__ = (UniqueConstraint("secondment_id", "consent_round", "given_by", name="uq_secondment_consent"),)

    id: int | None = Field(default=None, primary_key=True)
    secondment_id: int = Field(foreign_key="secondments.id", index=True)
    consent_round: int
    given_by: str = Field(max_length=16)  # ConsentParty
    decision: str = Field(max_length=16)
    reason: str = Field(sa_type=Text)
    user_id: int | None = Field(default=None, foreign_key="users.id")
    at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))


class SecondmentCheck(SQLModel, table=True):
    """A clean-up check by the 组织部: the units it went through (department and temporary body codes)."""

    __tablename__ = "secondment_checks"

    id: int | None = Field(default=None, primary_key=True)
    department_id: int = Field(foreign_key="departments.id")
    checked_on: date
    units: list[str] = Field(default_factory=list, sa_type=JSON)
    note: str = Field(default="", sa_type=Text)
