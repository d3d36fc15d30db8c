"""Input shapes of admission requests and decisions: every contract limit, strict types, no extra fields."""

from datetime import date
from typing import Annotated

from pydantic import Field

from registry.catalog.schemas import (
    Burdens,
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
from registry.choices import AppliesTo, Category, DecisionKind, Frequency, RequestKind

MAX_ID = 2**31 - 1
MAX_OFFSETS = 50
RequestId = Annotated[int, Field(ge=1, le=MAX_ID)]
DutyCode = bounded_text(32)
Reason = bounded_text(5000)

# The content fields a request carries (contract §2 REQUEST), in form order.
CONTENT_FIELDS = (
    "title", "description", "category", "applies_to", "scope_code", "legal_basis", "frequency",
    "hours_per_month", "funding", "burdens",
)
# What an add or amend needs before it can be submitted (legal_basis may be empty: it is flagged).
REQUIRED_ON_SUBMIT = ("title", "description", "category", "applies_to", "scope_code", "frequency", "hours_per_month")


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
    funding: Funding | None = None
    burdens: Burdens | None = None
    justification: Justification | None = None  # type: ignore[valid-type]
    start_date: date | None = None
    offsets: Annotated[list[RequestId], Field(max_length=MAX_OFFSETS)] | None = None

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
