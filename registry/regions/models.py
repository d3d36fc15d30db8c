from datetime import date

from sqlmodel import Field, SQLModel

from registry.choices import DepartmentKind


class Region(SQLModel, table=True):
    """An administrative division: county, town (街道/镇/乡) or village (村/社区)."""

    __tablename__ = "regions"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=12, unique=True, index=True)
    name: str = Field(max_length=100)
    level: str = Field(max_length=16)
    kind: str = Field(max_length=16)
    parent_id: int | None = Field(default=None, foreign_key="regions.id", index=True)


class Department(SQLModel, table=True):
    """A county department or Party body that may file requests or review them."""

    __tablename__ = "departments"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    name: str = Field(max_length=100)
    kind: str = Field(max_length=16, default=DepartmentKind.GOVERNMENT.value)
    active: bool = Field(default=True)


class Holiday(SQLModel, table=True):
    """A public holiday (day off) or a make-up working day (调休) in Asia/Shanghai."""

    __tablename__ = "holidays"

    day: date = Field(primary_key=True)
    kind: str = Field(max_length=16)  # "holiday" or "workday"
    name: str = Field(max_length=50, default="")
