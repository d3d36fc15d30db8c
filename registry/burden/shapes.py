"""The plain values burden accounting works on (re-exported by registry.burden.impact)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class DutyShape:
    """What burden accounting needs of one duty's content (current or proposed)."""

    category: str
    applies_to: str
    scope_region_id: int
    frequency: str
    hours_tenths: int
    burdens: dict


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
