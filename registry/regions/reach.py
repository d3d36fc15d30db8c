"""Reach: which regions' lists a catalog item is on. The one rule that lists, burden profiles, request
impacts and the reviewer's "affected villages" all ask (contract §2 `GET /regions/{code}/duties`).

An item scoped at region S with `applies_to` A is on region R's list when S is R or one of R's
ancestors, and A fits R: a 村 takes `all` and `village`, a 社区 takes `all` and `community`, a town or a
county takes every value (their lists are the items scoped at them or above).
"""

from registry.choices import APPLIES_TO_FITTING, AppliesTo, RegionKind
from registry.regions.models import Region
from registry.regions.services import RegionIndex

EVERY_VALUE = frozenset(AppliesTo)


def fitting(region: Region) -> frozenset[str]:
    """The `applies_to` values that fit *region*."""
    return APPLIES_TO_FITTING.get(RegionKind(region.kind), EVERY_VALUE)


def scope_ids(index: RegionIndex, region: Region) -> list[int]:
    """The ids of the scopes whose items can be on *region*'s list: the region and its ancestors."""
    return [r.id for r in index.ancestors(region)]  # type: ignore[misc]


def related_scope_ids(index: RegionIndex, region: Region) -> list[int]:
    """The scopes whose items concern *region* beyond its own list: the region, its ancestors and every region
    below it (what moves its edition, contract §10; what a request owned by it is compared with)."""
    ids = scope_ids(index, region)
    stack = list(index.children_of(region))
    while stack:
        below = stack.pop()
        ids.append(below.id)  # type: ignore[arg-type]
        stack.extend(index.children_of(below))
    return ids


def reaches(index: RegionIndex, scope_region_id: int | None, applies_to: str | None, region: Region) -> bool:
    """True when an item with this scope and `applies_to` is on *region*'s list."""
    return applies_to in fitting(region) and scope_region_id in scope_ids(index, region)


def villages_reached(index: RegionIndex, scope_region_id: int | None, applies_to: str | None) -> list[Region]:
    """Every village (村 or 社区) whose list an item with this scope and `applies_to` is on, in code order."""
    scope = index.by_id.get(scope_region_id) if scope_region_id is not None else None
    if scope is None or applies_to is None:
        return []
    return [village for village in index.villages_below(scope) if applies_to in fitting(village)]
