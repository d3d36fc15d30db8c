"""Shapes of ratings: the cadre's input (contract §7) and what the public, the office and departments read."""

from typing import Annotated

import msgspec
from pydantic import Field

from registry.catalog.schemas import DepartmentCode, RegionCode, StrictModel, bounded_text
from registry.regions.schemas import DepartmentPublic, RegionPublic

MIN_YEAR, MAX_YEAR = 2000, 2100
MIN_PUBLIC_COUNT = 5  # the summary shows a department's mean only from five ratings on (privacy)
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]


class RatingIn(StrictModel):
    """`POST /api/v1/ratings`: a village rates a department for a year. A cadre of a town names the village."""

    year: Year
    department: DepartmentCode  # type: ignore[valid-type]
    score: Annotated[int, Field(ge=1, le=5)]
    comment: bounded_text(1000) = ""  # type: ignore[valid-type]
    region_code: RegionCode | None = None


class RatingPublic(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One rating. `region` is given only to the village's own cadres, the office and admins — never to the
    department rated."""

    year: int
    department: DepartmentPublic
    score: int
    comment: str
    rated_at: str
    region: RegionPublic | None = None


class RatingSummary(msgspec.Struct, frozen=True, kw_only=True):
    """`{code, name, n, mean}`: how many villages rated the department that year, and their mean score (null while
    fewer than five rated)."""

    code: str
    name: str
    n: int
    mean: float | None


class RateableDepartment(msgspec.Struct, frozen=True, kw_only=True):
    """A department the village may rate this year, with the village's current rating of it (if any)."""

    department: DepartmentPublic
    score: int | None
    comment: str
