"""What a request would change in the burden of every village it touches (contract §2 `impact`).

Interface shared by admission (which builds ProposedChange from a request) and burden (which computes).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session

from registry.choices import TOTALS_FIELDS


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


@dataclass
class Impact:
    villages: int = 0
    delta_per_village: dict = field(default_factory=lambda: dict.fromkeys(TOTALS_FIELDS, 0))
    delta_total: dict = field(default_factory=lambda: dict.fromkeys(TOTALS_FIELDS, 0))
    exceeded: list[CapExceeded] = field(default_factory=list)

    @property
    def over_budget(self) -> bool:
        return bool(self.exceeded)

    def public(self) -> dict:
        """The REQUEST's `impact` shape."""
        return {
            "villages": self.villages,
            "delta_per_village": dict(self.delta_per_village),
            "delta_total": dict(self.delta_total),
            "over_budget": self.over_budget,
        }


def request_impact(session: Session, change: ProposedChange, offsets: Sequence[ProposedChange] = ()) -> Impact:
    """The change to every affected village's TOTALS, offsets netted out, and the caps it would break.

    PLACEHOLDER until the burden issue lands: reports no impact.
    """
    return Impact()
