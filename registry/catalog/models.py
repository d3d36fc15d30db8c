from datetime import date

from sqlalchemy import JSON, BigInteger, Index, Text
from sqlmodel import Field, SQLModel


class DutyContentColumns(SQLModel):
    """The content of a duty; shared by catalog versions and the admission requests that propose them.

    Requests may hold incomplete drafts, so the columns are nullable; schemas enforce completeness.
    `hours_tenths` keeps hours per month as an exact integer count of tenths.
    """

    title: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, sa_type=Text)
    category: str | None = Field(default=None, max_length=32)
    applies_to: str | None = Field(default=None, max_length=16)
    scope_region_id: int | None = Field(default=None, foreign_key="regions.id")
    legal_basis: str | None = Field(default=None, sa_type=Text)
    frequency: str | None = Field(default=None, max_length=16)
    hours_tenths: int | None = Field(default=None)
    funding_provided: bool | None = Field(default=None)
    funding_amount: int | None = Field(default=None, sa_type=BigInteger)
    funding_source: str | None = Field(default=None, max_length=200)
    co_departments: list[str] = Field(default_factory=list, sa_type=JSON)
    burdens: dict = Field(default_factory=dict, sa_type=JSON)
    effective_from: date | None = Field(default=None)
    review_by: date | None = Field(default=None)
    ends_on: date | None = Field(default=None)  # temporary items (campaigns must have one) end after this day


class Duty(SQLModel, table=True):
    """The stable identity of a catalog item; its content lives in DutyVersion."""

    __tablename__ = "duties"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)


class DutyVersion(DutyContentColumns, table=True):
    """One version of a duty, valid for catalog editions [from_edition, to_edition)."""

    __tablename__ = "duty_versions"
    __table_args__ = (
        Index("ix_duty_versions_current_scope", "scope_region_id", "to_edition"),
        # A list's edition (contract §10): the newest version started at one of its scopes.
        Index("ix_duty_versions_scope_from", "scope_region_id", "from_edition"),
        Index("ix_duty_versions_duty_version", "duty_id", "version", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    duty_id: int = Field(foreign_key="duties.id", index=True)
    version: int
    status: str = Field(max_length=16)
    department_id: int = Field(foreign_key="departments.id", index=True)
    change: str = Field(max_length=16)  # added / amended / retired
    from_edition: int = Field(index=True)
    to_edition: int | None = Field(default=None, index=True)
    request_number: str | None = Field(default=None, max_length=40)
    # What search reads (registry.catalog.search_index): title and description (the contract's `q`), everything
    # the item names (`reach=all`), the title, the segmented words.
    search_text: str = Field(default="", sa_type=Text)
    search_reach: str = Field(default="", sa_type=Text)
    search_title: str = Field(default="", sa_type=Text)
    search_words: str = Field(default="", sa_type=Text)
