"""TOTALS arithmetic (pure; no database): what the items of a list add up to.

Internally a totals dict holds every TOTALS field as an int, with `hours_per_month` in exact tenths;
`public_totals` turns it into the contract's numbers (hours an int when whole, else one decimal).
"""

from collections.abc import Iterable, Mapping

from registry.burden.schemas import SpreadTotalsPublic, TotalsPublic
from registry.burden.shapes import DutyShape
from registry.choices import BURDEN_LISTS, FILINGS_PER_YEAR, PERFORMED, TOTALS_FIELDS, Category

PERFORMED_VALUES = frozenset(str(c) for c in PERFORMED)
CATEGORIES = tuple(str(c) for c in Category)
HOURS = "hours_per_month"


def zero() -> dict[str, int]:
    return dict.fromkeys(TOTALS_FIELDS, 0)


def _count(burdens: Mapping, name: str) -> int:
    value = (burdens or {}).get(name) or []
    return len(value) if isinstance(value, list | tuple) else 0


def item_totals(shape: DutyShape) -> dict[str, int]:
    """What one item adds to a list's TOTALS (zeros for a category that is not performed)."""
    totals = zero()
    if shape.category not in PERFORMED_VALUES:
        return totals
    burdens = shape.burdens or {}
    totals["duties"] = 1
    for name in BURDEN_LISTS:
        totals[name] = _count(burdens, name)
    totals["filings_per_year"] = totals["reports"] * FILINGS_PER_YEAR.get(shape.frequency, 0)  # type: ignore[call-overload]
    totals["meetings_per_year"] = int(burdens.get("meetings_per_year") or 0)
    totals[HOURS] = int(shape.hours_tenths or 0)
    return totals


def add_into(target: dict[str, int], other: Mapping[str, int], sign: int = 1) -> dict[str, int]:
    for name in TOTALS_FIELDS:
        target[name] += sign * other[name]
    return target


def totals_of(shapes: Iterable[DutyShape]) -> dict[str, int]:
    totals = zero()
    for shape in shapes:
        add_into(totals, item_totals(shape))
    return totals


def hours_number(tenths: int) -> int | float:
    return tenths // 10 if tenths % 10 == 0 else tenths / 10


def public_totals(totals: Mapping[str, int]) -> TotalsPublic:
    """TOTALS as the contract shows them (hours in hours, not tenths)."""
    shaped: dict[str, int | float] = {name: int(totals[name]) for name in TOTALS_FIELDS}
    shaped[HOURS] = hours_number(int(totals[HOURS]))
    return TotalsPublic(**shaped)


def spread(values: list[int | float]) -> tuple[int | float, int | float, int | float]:
    """(min, median, max); the median of an even count is the mean of the two middle values."""
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return 0, 0, 0
    middle = ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
    return ordered[0], _tidy(middle), ordered[-1]


def _tidy(value: int | float) -> int | float:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return round(value, 2) if isinstance(value, float) else value


def spread_totals(village_totals: list[dict[str, int]]) -> dict[str, SpreadTotalsPublic]:
    """{min, median, max}: each a TOTALS computed field by field over the villages (public numbers)."""
    result: dict[str, dict[str, int | float]] = {"min": {}, "median": {}, "max": {}}
    for name in TOTALS_FIELDS:
        low, middle, high = spread([t[name] for t in village_totals])
        if name == HOURS:
            low, high = hours_number(int(low)), hours_number(int(high))
            middle = _tidy(middle / 10)
        result["min"][name], result["median"][name], result["max"][name] = low, middle, high
    return {key: SpreadTotalsPublic(**values) for key, values in result.items()}
