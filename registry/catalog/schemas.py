"""Input and output shapes of catalog content. Every input string is bounded, trimmed and NUL-free."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

import msgspec
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator

from registry.choices import AppliesTo, Category, ChangeKind, DutyStatus, Frequency
from registry.regions.schemas import DepartmentPublic, RegionPublic

MAX_HOURS_PER_MONTH = 744
MAX_YUAN = 10**12
MAX_MEETINGS = 100_000


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("nul_character")
    return value


NO_NUL = r"^[^\x00]*$"


def bounded_text(max_length: int, min_length: int = 0):  # type: ignore[no-untyped-def]
    """A trimmed string of at most *max_length* characters with no NUL character (the schema says so too)."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, max_length=max_length, min_length=min_length),
        AfterValidator(_no_nul),
        Field(json_schema_extra={"pattern": NO_NUL}),
    ]


Title = bounded_text(200)
Description = bounded_text(5000)
LegalBasis = bounded_text(1000)
Justification = bounded_text(5000)
BurdenName = bounded_text(100, min_length=1)
DepartmentCode = bounded_text(32, min_length=1)
RegionCode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{12}$")]
BurdenList = Annotated[list[BurdenName], Field(max_length=50)]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Funding(StrictModel):
    provided: bool = False
    amount_yuan_per_year: int = Field(default=0, ge=0, le=MAX_YUAN)
    source: bounded_text(200) = ""  # type: ignore[valid-type]


class Burdens(StrictModel):
    ledgers: BurdenList = []
    reports: BurdenList = []
    apps: BurdenList = []
    signboards: BurdenList = []
    wall_rules: BurdenList = []
    assessments: BurdenList = []
    campaigns: BurdenList = []
    meetings_per_year: int = Field(default=0, ge=0, le=MAX_MEETINGS)


def _hours(value: float | int | None) -> float | int | None:
    """0–744 with at most one decimal place."""
    if value is None:
        return None
    try:
        exact = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError("not_a_number") from exc
    if not exact.is_finite() or exact < 0 or exact > MAX_HOURS_PER_MONTH:
        raise ValueError("hours_range")
    if exact != exact.quantize(Decimal("0.1")):
        raise ValueError("hours_precision")
    return value


Hours = Annotated[float, AfterValidator(_hours), Field(json_schema_extra={
    "minimum": 0, "maximum": MAX_HOURS_PER_MONTH, "description": "Hours per month, 0 to 744, at most one decimal."})]


class DutyContent(StrictModel):
    """The complete content of a catalog duty (what a version holds)."""

    title: Title = Field(min_length=1)  # type: ignore[valid-type]
    description: Description = Field(min_length=1)  # type: ignore[valid-type]
    category: Category
    applies_to: AppliesTo
    scope_code: RegionCode
    department: DepartmentCode  # type: ignore[valid-type]
    co_departments: Annotated[list[DepartmentCode], Field(max_length=20)] = []  # type: ignore[valid-type]
    legal_basis: LegalBasis = ""  # type: ignore[valid-type]
    frequency: Frequency
    hours_per_month: Hours
    funding: Funding = Funding()
    burdens: Burdens = Burdens()
    effective_from: date | None = None
    review_by: date | None = None
    ends_on: date | None = None

    @field_validator("co_departments")
    @classmethod
    def _unique_codes(cls, codes: list[str]) -> list[str]:
        return list(dict.fromkeys(codes))


class SeedDuty(DutyContent):
    """A catalog item in seed/catalog.json."""

    code: bounded_text(32, min_length=1)  # type: ignore[valid-type]
    source: bounded_text(1000) = ""  # type: ignore[valid-type]


def hours_to_tenths(hours: float | int) -> int:
    return int((Decimal(str(hours)) * 10).to_integral_value())


def tenths_to_hours(tenths: int | None) -> float | int | None:
    """Hours as a JSON number: an integer when whole (the ledger's rule), else one decimal."""
    if tenths is None:
        return None
    return tenths // 10 if tenths % 10 == 0 else tenths / 10


# ---------------------------------------------------------------- public shapes (contract §2 DUTY)

class FundingPublic(msgspec.Struct, frozen=True, kw_only=True):
    provided: bool
    amount_yuan_per_year: int
    source: str


class BurdensPublic(msgspec.Struct, frozen=True, kw_only=True):
    """The burden lists (names) and the meetings a duty brings to each village it reaches."""

    ledgers: list[str]
    reports: list[str]
    apps: list[str]
    signboards: list[str]
    wall_rules: list[str]
    assessments: list[str]
    campaigns: list[str]
    meetings_per_year: int


class ContentPublic(msgspec.Struct, frozen=True, kw_only=True):
    """The content fields DUTY and REQUEST share; a request's draft may leave any of them empty."""

    title: str | None
    description: str | None
    category: Category | None
    applies_to: AppliesTo | None
    scope_code: str | None
    legal_basis: str
    frequency: Frequency | None
    hours_per_month: float | None
    funding: FundingPublic
    burdens: BurdensPublic
    ends_on: str | None  # the last day a temporary item is in force (a campaign has one)


# The content fields, in reading order: forms, exports, diffs and echoes iterate this one tuple.
CONTENT_FIELDS: tuple[str, ...] = ContentPublic.__struct_fields__


class DutyPublic(ContentPublic, frozen=True, kw_only=True):
    """DUTY: one version of a catalog item; `code` is stable across versions."""

    code: str
    department: DepartmentPublic
    co_departments: list[DepartmentPublic]
    version: int
    status: DutyStatus
    effective_from: str | None
    review_by: str | None


class VersionPublic(DutyPublic, frozen=True, kw_only=True):
    """One version of a duty with the ledger entry that made it (and the decision, when a request did)."""

    edition: int
    change: ChangeKind
    request_number: str | None
    decision: dict[str, Any] | None
    recorded_at: str | None
    edition_hash: str | None


class DutyHistory(DutyPublic, frozen=True, kw_only=True):
    """DUTY (its current version) plus every version, oldest first."""

    versions: list[VersionPublic]


class RegionDuties(msgspec.Struct, frozen=True, kw_only=True):
    """A region's official list at one edition: `{region, edition, edition_hash, duties}`."""

    region: RegionPublic
    edition: int
    edition_hash: str | None
    duties: list[DutyPublic]


class SearchHit(DutyPublic, frozen=True, kw_only=True, omit_defaults=True):
    """A search result: DUTY plus the region it is scoped at and, when asked about a region, whether it is on
    that region's list."""

    scope: RegionPublic | None
    on_list: bool | None = None


class SearchPage(msgspec.Struct, frozen=True, kw_only=True):
    """A page of search results: `{items, total, page, per_page}`."""

    items: list[SearchHit]
    total: int
    page: int
    per_page: int
