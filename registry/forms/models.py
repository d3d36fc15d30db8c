from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, Text
from sqlmodel import Field, SQLModel

from registry.timeutil import utcnow


class Indicator(SQLModel, table=True):
    """One entry of the county-wide indicator dictionary (contract §8). Catalog content: it enters through
    admission (or the seed) and is rebuilt by replaying the ledger."""

    __tablename__ = "indicators"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True, index=True)
    name: str = Field(max_length=100)
    unit: str = Field(default="", max_length=20)
    type: str = Field(max_length=16)  # IndicatorType
    choices: list[str] = Field(default_factory=list, sa_type=JSON)
    definition: str = Field(default="", sa_type=Text)
    name_key: str = Field(max_length=100, index=True)  # the normalised name the duplicate check compares
    registered_seq: int = Field(default=0)  # the ledger entry that brought it


class Form(SQLModel, table=True):
    """A form villages fill, tied to the duty that needs it; its questions are indicator codes in column order.
    Its status follows the duty's: a retired duty's forms are retired."""

    __tablename__ = "forms"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True, index=True)
    title: str = Field(max_length=200)
    department_id: int = Field(foreign_key="departments.id", index=True)
    duty_id: int = Field(foreign_key="duties.id", index=True)
    period: str = Field(max_length=16)  # FormPeriod
    indicators: list[str] = Field(default_factory=list, sa_type=JSON)
    registered_seq: int = Field(default=0)


class VillageValue(SQLModel, table=True):
    """The one value a village holds for an indicator in a period; every form asking it reads this row.
    Village data is not catalog content: it is not in the ledger, its history is VillageValueHistory."""

    __tablename__ = "village_values"
    __table_args__ = (Index("ix_village_values_key", "region_id", "indicator_id", "period", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="regions.id")
    indicator_id: int = Field(foreign_key="indicators.id", index=True)
    period: str = Field(max_length=8)  # 2026-11, 2026-Q4 or 2026
    value: str = Field(sa_type=Text)  # canonical JSON of the value
    set_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    set_by: int | None = Field(default=None, foreign_key="users.id")


class VillageValueHistory(SQLModel, table=True):
    """A value that a later entry replaced, with when it was set and when it was replaced."""

    __tablename__ = "village_value_history"
    __table_args__ = (Index("ix_village_value_history_key", "region_id", "indicator_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="regions.id")
    indicator_id: int = Field(foreign_key="indicators.id")
    period: str = Field(max_length=8)
    value: str = Field(sa_type=Text)
    set_at: datetime = Field(sa_type=DateTime(timezone=True))
    set_by: int | None = Field(default=None, foreign_key="users.id")
    replaced_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))


class RequestForms(SQLModel, table=True):
    """The forms an `add` or `amend` admission request proposes, as filed: each question either `{code}` of the
    dictionary or a new indicator `{name, unit, type, definition, choices}`. Registered on final approval."""

    __tablename__ = "request_forms"

    request_id: int = Field(foreign_key="admission_requests.id", primary_key=True)
    forms: list[dict] = Field(default_factory=list, sa_type=JSON)
