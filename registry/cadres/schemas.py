"""The shapes of the cadre's page."""

from dataclasses import dataclass

from registry.catalog.lists import ListChange
from registry.catalog.schemas import DutyPublic
from registry.choices import Category
from registry.regions.models import Region
from registry.regions.schemas import RegionPublic


@dataclass(frozen=True)
class Desk:
    """One region's page for a cadre. `seen_edition` is None before the first "mark as read" when the
    catalog had no edition yet at the account's creation; then `changes` is empty."""

    region: RegionPublic
    edition: int
    seen_edition: int | None
    changes: list[ListChange]
    due: list[DutyPublic]
    counts: list[tuple[Category, int]]
    total: int
    home: Region
    places: list[Region]
