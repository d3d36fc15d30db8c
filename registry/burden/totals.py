"""TOTALS arithmetic (pure; no database): what the items of a list add up to.

Internally a totals dict holds every TOTALS field as an int, with `hours_per_month` in exact tenths;
`public_totals` turns it into the contract's numbers (hours an int when whole, else one decimal).

Joint assessments (contract §8): *joined* maps an assessment name to the joint assessment it belongs to. A list
counts each of its other assessment names as before (once per item listing it) and each joint assessment that any
of its items names once. `item_totals` counts one item as a list of its own; `totals_of` and
registry.burden.aggregates remove the repeats across items.
"""

from collections.abc import Iterable, Mapping

from registry.burden.schemas import SpreadTotalsPublic, TotalsPublic
from registry.burden.shapes import DutyShape
from registry.choices import BURDEN_LISTS, FILINGS_PER_YEAR, PERFORMED, TOTALS_FIELDS, Category, TotalsField

PERFORMED_VALUES = frozenset(str(c) for c in PERFORMED)
CATEGORIES = tuple(str(c) for c in Category)
HOURS = "hours_per_month"
ASSESSMENTS = TotalsField.ASSESSMENTS.value


def zero() -> dict[str, int]:
    return dict.fromkeys(TOTALS_FIELDS, 0)


def _count(burdens: Mapping, name: str) -> int:
    value = (burdens or {}).get(name) or []
    return len(value) if isinstance(value, list | tuple) else 0


def joints_hit(shape: DutyShape, joined: Mapping[str, int] | None) -> set[int]:
    """The joint assessments one (performed) item names through a member."""
    if not joined or shape.category not in PERFORMED_VALUES:
        return set()
    names = (shape.burdens or {}).get(ASSESSMENTS) or []
    return {joined[name] for name in names if isinstance(name, str) and name in joined}


def item_totals(shape: DutyShape, joined: Mapping[str, int] | None = None) -> dict[str, int]:
    """What one item adds to a list's TOTALS (zeros for a category that is not performed); with *joined*, the
    members of one joint assessment that it names count once."""
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
    if joined:
        names = burdens.get(ASSESSMENTS) or []
        hits = joints_hit(shape, joined)
        totals[ASSESSMENTS] = sum(1 for name in names if name not in joined) + len(hits)
    return totals


def add_into(target: dict[str, int], other: Mapping[str, int], sign: int = 1) -> dict[str, int]:
    for name in TOTALS_FIELDS:
        target[name] += sign * other[name]
    return target


def totals_of(shapes: Iterable[DutyShape], joined: Mapping[str, int] | None = None) -> dict[str, int]:
    """TOTALS of a list; a joint assessment named by several of its items counts once."""
    totals = zero()
    seen: set[int] = set()
    for shape in shapes:
        add_into(totals, item_totals(shape, joined))
        if joined:
            hits = joints_hit(shape, joined)
            totals[ASSESSMENTS] -= len(hits & seen)
            seen |= hits
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
