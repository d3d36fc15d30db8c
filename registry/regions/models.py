from datetime import date

from sqlalchemy import BigInteger, Text
from sqlmodel import Field, SQLModel

from registry.choices import DepartmentKind


class Region(SQLModel, table=True):
    """An administrative division: province, city, county (县/区/县级市), town (街道/镇/乡) or village (村/社区)."""

    __tablename__ = "regions"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=12, unique=True, index=True)
    name: str = Field(max_length=100)
    level: str = Field(max_length=16)
    kind: str = Field(max_length=16)
    parent_id: int | None = Field(default=None, foreign_key="regions.id", index=True)


class RegionTreeVersion(SQLModel, table=True):
    """One row whose `version` the database's triggers move on every change to regions (migration 0014): what a
    process compares to know whether its in-memory region tree is still the tree."""

    __tablename__ = "region_tree_versions"

    id: int = Field(primary_key=True)
    version: int = Field(sa_type=BigInteger)


class Department(SQLModel, table=True):
    """A department or Party body of one county (or of a city or province) that may file requests or review them.

    `region_id` is the region that owns it (contract §10); None only for a row made before many counties,
    which then belongs to the deployment's default county (RegionIndex.default_owner)."""

    __tablename__ = "departments"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    name: str = Field(max_length=100)
    kind: str = Field(max_length=16, default=DepartmentKind.GOVERNMENT.value)
    active: bool = Field(default=True)
    region_id: int | None = Field(default=None, foreign_key="regions.id", index=True)
    # The name as duty search compares words with it (search_key), set on every insert and update by
    # registry.catalog.search_index; a bulk insert sets it itself.
    search_name: str = Field(default="", sa_type=Text)


class Holiday(SQLModel, table=True):
    """A public holiday (day off) or a make-up working day (调休) in Asia/Shanghai."""

    __tablename__ = "holidays"

    day: date = Field(primary_key=True)
    kind: str = Field(max_length=16)  # "holiday" or "workday"
    name: str = Field(max_length=50, default="")
