"""The year's figures (contract §7 `GET /api/v1/statistics/{year}`), as one public shape."""


import msgspec

from registry.burden.schemas import SpreadTotalsPublic
from registry.ratings.schemas import RatingSummary
from registry.reports.schemas import ReportStats


class CatalogAt(msgspec.Struct, frozen=True, kw_only=True):
    """The catalog at one edition: active items, and how many of each category."""

    edition: int
    active: int
    by_category: dict[str, int]


class CatalogYear(msgspec.Struct, frozen=True, kw_only=True):
    start: CatalogAt
    end: CatalogAt


class Changes(msgspec.Struct, frozen=True, kw_only=True):
    """duty.* entries recorded in the year: `retired` by request (offsets included), `lapsed` and `ended` by the
    daily job; start.active + added − retired − lapsed − ended = end.active."""

    added: int
    amended: int
    retired: int
    lapsed: int
    ended: int


class RequestFigures(msgspec.Struct, frozen=True, kw_only=True):
    """Requests filed (submitted) in the year, by where they stand now."""

    filed: int
    approved: int
    rejected: int
    returned: int
    withdrawn: int
    exemptions: int
    median_working_days_to_decision: float | None
    decided_late: int


class DepartmentFigures(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    name: str
    filed: int
    approved: int
    rejected: int
    active_duties: int


class BurdenYear(msgspec.Struct, frozen=True, kw_only=True):
    """TOTALS of the median village (field by field) at the start and at the end of the year."""

    start: SpreadTotalsPublic
    end: SpreadTotalsPublic


class MonthPoint(msgspec.Struct, frozen=True, kw_only=True):
    """The catalog at the end of a month of the year: active items and the median village's hours per month."""

    month: str
    edition: int
    active: int
    median_hours_per_month: float


class YearStatistics(msgspec.Struct, frozen=True, kw_only=True):
    year: int
    catalog: CatalogYear
    changes: Changes
    requests: RequestFigures
    by_department: list[DepartmentFigures]
    burden: BurdenYear
    reports: ReportStats
    ratings: list[RatingSummary]
    by_month: list[MonthPoint]
