"""Shapes of reports (contract §6): the inputs with every limit, and REPORT and the year's figures as answered."""

from datetime import date
from typing import Annotated

import msgspec
from pydantic import Field

from registry.catalog.schemas import DepartmentCode, RegionCode, StrictModel, bounded_text
from registry.choices import (
    ReportActor,
    ReportChannel,
    ReportKind,
    ReportOutcome,
    ReportSource,
    ReportState,
)
from registry.regions.schemas import DepartmentPublic, RegionPublic

MAX_ID = 2**31 - 1
MAX_MATCHES = 5
ReportTitle = bounded_text(200, min_length=1)
ReportDescription = bounded_text(5000, min_length=1)
UnitText = bounded_text(200)
Note = bounded_text(5000)
RequestNumber = bounded_text(40)
RowVersion = Annotated[int, Field(ge=0, le=MAX_ID)]


class ReportCreate(StrictModel):
    """`POST /api/v1/reports`: what was asked, by which unit, when and how."""

    kind: ReportKind
    source: ReportSource | None = None
    region_code: RegionCode | None = None
    department: DepartmentCode | None = None  # type: ignore[valid-type]
    unit_text: UnitText = ""  # type: ignore[valid-type]
    title: ReportTitle  # type: ignore[valid-type]
    description: ReportDescription  # type: ignore[valid-type]
    asked_on: date
    channel: ReportChannel
    share_region_with_department: bool = False


class TransitionIn(StrictModel):
    """`POST /api/v1/reports/{id}/transition` (the office)."""

    state: ReportState
    note: Note = ""  # type: ignore[valid-type]
    outcome: ReportOutcome | None = None
    request_number: RequestNumber | None = None  # type: ignore[valid-type]
    row_version: RowVersion | None = None


class ResponseIn(StrictModel):
    """`POST /api/v1/reports/{id}/responses` (the department named)."""

    note: bounded_text(5000, min_length=1)  # type: ignore[valid-type]
    row_version: RowVersion | None = None


# ---------------------------------------------------------------- public shapes

class MatchItem(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    title: str
    similarity: float


class MatchPublic(msgspec.Struct, frozen=True, kw_only=True):
    """The list at the edition in force at the end of `asked_on`: similar listed and negative-list items."""

    edition: int
    on_list: list[MatchItem]
    negative_list: list[MatchItem]


class EventPublic(msgspec.Struct, frozen=True, kw_only=True):
    """A step of the case; `by` names a role (office, department, reporter), never a person."""

    at: str
    state: ReportState
    by: ReportActor
    note: str


class FilePublic(msgspec.Struct, frozen=True, kw_only=True):
    """A piece of evidence: its type read from the content, size, SHA-256, and where those who may see the
    report fetch it."""

    id: int
    media_type: str
    size: int
    sha256: str
    url: str
    created_at: str


class ReportPublic(msgspec.Struct, frozen=True, kw_only=True):
    """REPORT (contract §6). No field names or identifies the person who filed."""

    id: int
    number: str
    kind: ReportKind
    source: ReportSource
    state: ReportState
    row_version: int
    region: RegionPublic | None
    department: DepartmentPublic | None
    unit_text: str
    title: str
    description: str
    asked_on: str
    channel: ReportChannel
    match: MatchPublic
    due_at: str
    outcome: ReportOutcome | None
    request_number: str | None
    events: list[EventPublic]
    created_at: str
    files: list[FilePublic] = []
    illustrative: bool = False


class ReportPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[ReportPublic]
    total: int
    page: int
    per_page: int


class DepartmentFigures(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    name: str
    collected: int
    resolved: int
    withdrawn: int
    median_working_days: float | None


class ReportStats(msgspec.Struct, frozen=True, kw_only=True):
    """`GET /api/v1/reports/stats?year=`: the year's figures over reports filed in it."""

    year: int
    collected: int
    resolved: int
    advanced: int
    open: int
    dismissed: int
    overdue: int
    by_outcome: dict[str, int]
    by_source: dict[str, int]
    by_department: list[DepartmentFigures]
