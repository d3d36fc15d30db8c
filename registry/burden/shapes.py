"""The plain values burden accounting works on (re-exported by registry.burden.impact), and `shape_of`."""

from dataclasses import dataclass

from registry.catalog.models import DutyContentColumns


@dataclass(frozen=True)
class DutyShape:
    """What burden accounting needs of one duty's content (current or proposed)."""

    category: str
    applies_to: str
    scope_region_id: int
    frequency: str
    hours_tenths: int
    burdens: dict


def shape_of(row: DutyContentColumns) -> DutyShape | None:
    """What burden accounting needs of a duty version or a request, or None while the content is incomplete."""
    if None in (row.category, row.applies_to, row.scope_region_id, row.frequency, row.hours_tenths):
        return None
    return DutyShape(
        category=row.category, applies_to=row.applies_to, scope_region_id=row.scope_region_id,  # type: ignore[arg-type]
        frequency=row.frequency, hours_tenths=row.hours_tenths, burdens=dict(row.burdens or {}),  # type: ignore[arg-type]
    )


@dataclass(frozen=True)
class ProposedChange:
    """A change to one duty: `before` is the current content (amend/retire), `after` the proposed (add/amend)."""

    before: DutyShape | None
    after: DutyShape | None


@dataclass(frozen=True)
class CapExceeded:
    field: str
    village_code: str
    value: int | float
    cap: int | float
