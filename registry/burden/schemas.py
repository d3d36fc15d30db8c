"""Burden shapes: the BUDGET body (caps per village; whole numbers, hours with one decimal) and TOTALS, BURDEN, the
request's impact, BUDGET as the API answers them."""

from decimal import Decimal
from typing import Annotated

import msgspec
from pydantic import AfterValidator, Field

from registry.catalog.schemas import StrictModel
from registry.regions.schemas import RegionPublic

MAX_CAP = 10**9


def _one_decimal(value: float) -> float:
    if Decimal(str(value)) != Decimal(str(value)).quantize(Decimal("0.1")):
        raise ValueError("hours_precision")
    return value


Count = Annotated[int, Field(ge=0, le=MAX_CAP)]
HoursCap = Annotated[float, Field(ge=0, le=MAX_CAP, allow_inf_nan=False), AfterValidator(_one_decimal)]


class Caps(StrictModel):
    """Every field optional (an absent field has no cap); null is not a number and is refused."""

    duties: Count = None  # type: ignore[assignment]
    ledgers: Count = None  # type: ignore[assignment]
    reports: Count = None  # type: ignore[assignment]
    filings_per_year: Count = None  # type: ignore[assignment]
    apps: Count = None  # type: ignore[assignment]
    signboards: Count = None  # type: ignore[assignment]
    wall_rules: Count = None  # type: ignore[assignment]
    assessments: Count = None  # type: ignore[assignment]
    campaigns: Count = None  # type: ignore[assignment]
    meetings_per_year: Count = None  # type: ignore[assignment]
    hours_per_month: HoursCap = None  # type: ignore[assignment]

    def values(self) -> dict[str, int | float]:
        return self.model_dump(exclude_unset=True)


class Budget(StrictModel):
    caps: Caps


# ---------------------------------------------------------------- public shapes (contract §2 TOTALS, BURDEN, BUDGET)

class TotalsPublic(msgspec.Struct, frozen=True, kw_only=True):
    """TOTALS: what a list puts on a region, summed over its performed items."""

    duties: int
    ledgers: int
    reports: int
    filings_per_year: int
    apps: int
    signboards: int
    wall_rules: int
    assessments: int
    campaigns: int
    meetings_per_year: int
    hours_per_month: float


class SpreadTotalsPublic(msgspec.Struct, frozen=True, kw_only=True):
    """TOTALS computed field by field over many villages (a median may be fractional)."""

    duties: float
    ledgers: float
    reports: float
    filings_per_year: float
    apps: float
    signboards: float
    wall_rules: float
    assessments: float
    campaigns: float
    meetings_per_year: float
    hours_per_month: float


class NamedTotals(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    name: str
    totals: TotalsPublic


class VillagesSpread(msgspec.Struct, frozen=True, kw_only=True):
    """The spread over the villages below a town or the county; `heaviest`: the ten with the most hours."""

    count: int
    min: SpreadTotalsPublic
    median: SpreadTotalsPublic
    max: SpreadTotalsPublic
    heaviest: list[NamedTotals]


class BurdenPublic(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """BURDEN: a region's list by the numbers; `villages` only for towns and the county."""

    region: RegionPublic
    edition: int
    totals: TotalsPublic
    by_category: dict[str, int]
    by_department: list[NamedTotals]
    villages: VillagesSpread | None = None


class ImpactPublic(msgspec.Struct, frozen=True, kw_only=True):
    """A request's `impact`: the villages whose profile it changes and by how much."""

    villages: int
    delta_per_village: TotalsPublic
    delta_total: TotalsPublic
    over_budget: bool
    forms_per_village: int = 0  # new forms the request registers for each village it reaches (§8)
    indicators_per_village: int = 0  # new indicators of the dictionary among them


class BudgetPublic(msgspec.Struct, frozen=True, kw_only=True):
    """BUDGET: the caps per village in force, by TOTALS field."""

    caps: dict[str, float]
