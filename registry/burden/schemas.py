"""The BUDGET body: caps per village on TOTALS fields (whole numbers; hours with one decimal)."""

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field

from registry.catalog.schemas import StrictModel

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
