"""Shapes of secondments and temporary bodies (contract §9): inputs with every limit, public Structs out.

SECONDMENT's `person_ref` is present only for the host, the home unit, the 组织部 and admins; for anyone
else the key is left out altogether (never a name, never shown publicly).
"""

from datetime import date
from typing import Annotated

import msgspec
from pydantic import Field, StringConstraints

from registry.catalog.schemas import StrictModel, bounded_text
from registry.choices import (
    ConsentDecision,
    ConsentParty,
    HomeKind,
    SecondmentFlagKind,
    SecondmentOutcome,
    SecondmentState,
)
from registry.regions.schemas import RegionPublic

MAX_ID = 2**31 - 1
UnitCode = bounded_text(32, min_length=1)  # a department code, a temporary body's code, or a region code
BodyCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32,
                                            pattern=r"^[A-Za-z0-9_-]+$")]
# A staff number (e.g. TL-2019-0412): Latin letters, digits and . _ / - only, so that no name can be typed in.
PersonRef = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50,
                                             pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")]
Reason = bounded_text(5000, min_length=1)
Name = bounded_text(100, min_length=1)


class SecondmentCreate(StrictModel):
    home: UnitCode  # type: ignore[valid-type]
    person_ref: PersonRef
    reason: Reason  # type: ignore[valid-type]
    start_on: date
    end_on: date
    temporary_body: UnitCode | None = None  # type: ignore[valid-type]


class ConsentIn(StrictModel):
    decision: ConsentDecision
    reason: Reason  # type: ignore[valid-type]


class OutcomeIn(StrictModel):
    outcome: SecondmentOutcome
    reason: Reason  # type: ignore[valid-type]
    end_on: date | None = None  # the new end of an extension (required for `extended`)
    row_version: Annotated[int, Field(ge=0, le=MAX_ID)] | None = None


class TemporaryBodyCreate(StrictModel):
    code: BodyCode
    name: Name  # type: ignore[valid-type]
    lead_department: UnitCode  # type: ignore[valid-type]
    ends_on: date


# ---------------------------------------------------------------- public shapes

class UnitPublic(msgspec.Struct, frozen=True, kw_only=True):
    """A host: a department or a temporary body, by code and name."""

    code: str
    name: str


class HomePublic(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    name: str
    kind: HomeKind


class ConsentPublic(msgspec.Struct, frozen=True, kw_only=True):
    """A party's consent or refusal; names the party, never the person who gave it."""

    by: ConsentParty
    decision: ConsentDecision
    reason: str
    at: str
    round: int


class SecondmentFlagPublic(msgspec.Struct, frozen=True, kw_only=True):
    kind: SecondmentFlagKind
    message: str


class SecondmentPublic(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """SECONDMENT. `person_ref` is omitted (not null) for readers who may not see it."""

    id: int
    number: str
    host: UnitPublic
    home: HomePublic
    reason: str
    start_on: str
    end_on: str
    state: SecondmentState
    consents: list[ConsentPublic]
    outcome: SecondmentOutcome | None
    outcome_reason: str | None
    flags: list[SecondmentFlagPublic]
    row_version: int
    waiting_for: list[ConsentParty]
    ended_on: str | None
    person_ref: str | None = None


class SecondmentPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[SecondmentPublic]
    total: int
    page: int
    per_page: int


class SecondmentStats(msgspec.Struct, frozen=True, kw_only=True):
    """The clean-up figures: units checked, active secondments, cleared (= returned + transferred)."""

    units: int
    active: int
    cleared: int
    returned: int
    transferred: int
    extended: int
    longer_than_6_months: int


class AwayPublic(msgspec.Struct, frozen=True, kw_only=True):
    """One secondment of a town's staff, as a town's page shows it (no person)."""

    number: str
    host: UnitPublic
    home: HomePublic
    start_on: str
    end_on: str
    months: int
    state: SecondmentState


class TownAway(msgspec.Struct, frozen=True, kw_only=True):
    """How many of a town's staff are away now and for how long."""

    town: RegionPublic
    staff: int | None
    away: int
    share_percent: float | None
    longer_than_6_months: int
    items: list[AwayPublic]


class TemporaryBodyPublic(msgspec.Struct, frozen=True, kw_only=True):
    """A temporary body `{code, name, lead_department, ends_on}` plus the lead's name and whether it has ended."""

    code: str
    name: str
    lead_department: str
    lead_department_name: str
    ends_on: str
    ended: bool
    active_secondments: int

