"""Shapes of meetings (contract §9 MEETING): the input with every limit, the public Structs out."""

from datetime import date
from typing import Annotated

import msgspec
from pydantic import Field

from registry.catalog.schemas import RegionCode, StrictModel, bounded_text
from registry.choices import Attendee, MeetingFlagKind
from registry.regions.schemas import DepartmentPublic, RegionPublic

MAX_AUDIENCE = 500


class AudienceIn(StrictModel):
    region_code: RegionCode
    attendee: Attendee


class MeetingCreate(StrictModel):
    title: bounded_text(200, min_length=1)  # type: ignore[valid-type]
    held_on: date
    audience: Annotated[list[AudienceIn], Field(min_length=1, max_length=MAX_AUDIENCE)]
    duty_code: bounded_text(32) | None = None  # type: ignore[valid-type]
    reason_for_rank: bounded_text(5000) | None = None  # type: ignore[valid-type]


class AudiencePublic(msgspec.Struct, frozen=True, kw_only=True):
    region_code: str
    region_name: str
    attendee: Attendee


class MeetingFlagPublic(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """A finding about a meeting; names the regions or the other meetings it concerns."""

    kind: MeetingFlagKind
    message: str
    region_codes: list[str] = []
    meeting_ids: list[int] = []


class MeetingPublic(msgspec.Struct, frozen=True, kw_only=True):
    """MEETING: `{id, title, department, held_on, audience, duty_code, reason_for_rank, flags}`."""

    id: int
    title: str
    department: DepartmentPublic
    held_on: str
    audience: list[AudiencePublic]
    duty_code: str | None
    reason_for_rank: str | None
    flags: list[MeetingFlagPublic]
    created_at: str


class MeetingPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[MeetingPublic]
    total: int
    page: int
    per_page: int


class VillageCount(msgspec.Struct, frozen=True, kw_only=True):
    """One village's meetings in the month against its monthly share of the cap."""

    region_code: str
    region_name: str
    meetings: int
    over_cap: bool


class MeetingCalendar(msgspec.Struct, frozen=True, kw_only=True):
    """A region's meetings in one month (those inviting it or a region below it), and each village's count
    against `meetings_per_year` / 12."""

    region: RegionPublic
    month: str
    meetings: list[MeetingPublic]
    count: int
    cap_per_month: float | None
    over_cap: bool
    villages: list[VillageCount]
