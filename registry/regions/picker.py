"""The region picker's choices (county → town → village), one list for every form that asks for a region."""

from dataclasses import dataclass

from registry.choices import RegionLevel
from registry.regions.models import Region
from registry.regions.services import RegionIndex


@dataclass(frozen=True)
class TownGroup:
    """A town and the villages and communities below it, in code order."""

    town: Region
    villages: list[Region]


@dataclass(frozen=True)
class PickerChoices:
    counties: list[Region]
    towns: list[TownGroup]


def picker_choices(index: RegionIndex, within: Region | None = None) -> PickerChoices:
    """Every county (the roots), each town below them with its villages: what a <select> grouped by town shows.
    *within* narrows the choices to one region and what lies below it (a department's own county, §10)."""
    counties = [within] if within is not None else [r for r in index.roots() if r.level != RegionLevel.VILLAGE]
    towns: list[TownGroup] = []
    stack = list(reversed(counties))
    counties = list(counties)
    while stack:
        region = stack.pop()
        for child in index.children_of(region):
            if child.level == RegionLevel.TOWN:
                towns.append(TownGroup(child, index.villages_below(child)))
            elif child.level != RegionLevel.VILLAGE:
                stack.append(child)
                counties.append(child)  # a city or county below a province root is a choice too (§10)
    return PickerChoices(counties=counties, towns=towns)


FULL_LIST_VILLAGES = 1000  # up to this many villages a picker lists them all; beyond, it drills down a level at a time


def lists_every_village(index: RegionIndex) -> bool:
    """Whether a picker may offer every village at once (a county); a province or the country may not."""
    return index.village_count <= FULL_LIST_VILLAGES


@dataclass(frozen=True)
class DrillDown:
    """A picker for a deployment too large to list every village: the chosen region's ancestors (root first),
    and the regions one level below it (beside it, when a village is chosen)."""

    path: list[Region]
    below: list[Region]


def drill_down(index: RegionIndex, chosen: Region | None) -> DrillDown:
    if chosen is None:
        return DrillDown([], sorted(index.roots(), key=lambda r: r.code))
    path = list(reversed(index.ancestors(chosen)))
    if chosen.level == RegionLevel.VILLAGE:
        parent = index.parent(chosen)
        return DrillDown(path[:-1], index.children_of(parent) if parent else [chosen])
    return DrillDown(path, index.children_of(chosen))
