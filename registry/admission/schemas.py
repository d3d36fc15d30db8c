"""Shapes of admission: the inputs (every contract limit, strict types, no extra fields) and REQUEST as answered."""

from datetime import date
from typing import Annotated

import msgspec
from pydantic import Field

from registry.burden.schemas import ImpactPublic
from registry.catalog.schemas import (
    Burdens,
    ContentPublic,
    Description,
    Funding,
    Hours,
    Justification,
    LegalBasis,
    RegionCode,
    StrictModel,
    Title,
    bounded_text,
)
from registry.choices import AppliesTo, Category, DecisionKind, FlagKind, Frequency, RequestKind, RequestState
from registry.forms.proposals import ProposedFormPublic
from registry.forms.schemas import FormsIn
from registry.regions.schemas import DepartmentPublic

MAX_ID = 2**31 - 1
MAX_OFFSETS = 50
RequestId = Annotated[int, Field(ge=1, le=MAX_ID)]
DutyCode = bounded_text(32)
Reason = bounded_text(5000)

# What an add or amend needs before it can be submitted (legal_basis may be empty: it is flagged).
REQUIRED_ON_SUBMIT = ("title", "description", "category", "applies_to", "scope_code", "frequency", "hours_per_month")


class RequestFunding(Funding):
    """Funding as a request states it: `provided` left out means "not stated yet" (a draft may), not "no"."""

    provided: bool | None = None  # type: ignore[assignment]


class RequestFields(StrictModel):
    """The editable fields of a request; a draft may leave any of them empty."""

    duty_code: DutyCode | None = None  # type: ignore[valid-type]
    title: Title | None = None  # type: ignore[valid-type]
    description: Description | None = None  # type: ignore[valid-type]
    category: Category | None = None
    applies_to: AppliesTo | None = None
    scope_code: RegionCode | None = None
    legal_basis: LegalBasis | None = None  # type: ignore[valid-type]
    frequency: Frequency | None = None
    hours_per_month: Hours | None = None
    funding: RequestFunding | None = None
    burdens: Burdens | None = None
    justification: Justification | None = None  # type: ignore[valid-type]
    start_date: date | None = None
    ends_on: date | None = None
    review_by: date | None = None
    offsets: Annotated[list[RequestId], Field(max_length=MAX_OFFSETS)] | None = None
    forms: FormsIn | None = None  # forms the duty needs (contract §8): registered on final approval

    def given(self) -> dict:
        """The fields the caller sent, with empty strings meaning "missing" (None)."""
        values = {}
        for name in self.model_fields_set:
            value = getattr(self, name)
            values[name] = None if value == "" else value
        return values


class RequestCreate(RequestFields):
    kind: RequestKind
    submit: bool = False


class RequestUpdate(RequestFields):
    row_version: Annotated[int, Field(ge=0, le=MAX_ID)] | None = None


class DecisionIn(StrictModel):
    decision: DecisionKind
    reason: Reason = ""  # type: ignore[valid-type]
    exemption_reason: Reason | None = None  # type: ignore[valid-type]
    row_version: Annotated[int, Field(ge=0, le=MAX_ID)] | None = None


# ---------------------------------------------------------------- public shapes (contract §2 REQUEST)

class FlagPublic(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """An automatic check's finding, worded in the reader's language."""

    kind: FlagKind
    message: str
    duty_code: str | None = None
    indicator_code: str | None = None  # duplicate_indicator: the dictionary's indicator it repeats


class DecisionPublic(msgspec.Struct, frozen=True, kw_only=True):
    """A decision at one stage; names the deciding department (null for an administrator), never a person."""

    stage: str | None
    decision: DecisionKind
    reason: str
    exemption_reason: str | None
    department: DepartmentPublic | None
    at: str


class RequestPublic(ContentPublic, frozen=True, kw_only=True):
    """REQUEST: an admission request with its flags, impact and decisions."""

    id: int
    number: str
    kind: RequestKind
    state: RequestState
    stage: str | None
    row_version: int
    department: DepartmentPublic
    duty_code: str | None
    justification: str
    start_date: str | None
    review_by: str | None
    offsets: list[int]
    flags: list[FlagPublic]
    decisions: list[DecisionPublic]
    impact: ImpactPublic
    created_at: str
    submitted_at: str | None
    due_at: str | None
    forms: list[ProposedFormPublic] = msgspec.field(default_factory=list)  # proposed forms (contract §8)


class RequestPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[RequestPublic]
    total: int
    page: int
    per_page: int


class ReviewStagePublic(msgspec.Struct, frozen=True, kw_only=True):
    """A review stage in order, with the codes of the departments whose reviewers act at it."""

    code: str
    name: str
    order: int
    departments: list[str]
    region_code: str  # the county whose requests the stage reviews (§10)
