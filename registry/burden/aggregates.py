"""Per-edition burden aggregates, computed once and shared: every village's TOTALS and the spread over
the villages below a region.

A village's list is the items scoped at it or at an ancestor whose `applies_to` fits its kind (the reach rule,
registry.regions.reach), so its TOTALS are the sum, over that chain, of each region's own items' totals for
the fitting `applies_to` values. Siblings of one kind share everything above themselves: that part is summed once per
(parent, kind) and shared, and a village with no items of its own points at the shared dict instead of
holding a copy. The result equals summing each village's items one by one (integer sums), in
O(villages + items) instead of O(villages × items).

Everything returned here is shared between requests: read it, never mutate it.
"""

from collections.abc import Iterable

from registry.burden import totals as t
from registry.burden.schemas import NamedTotals, VillagesSpread
from registry.choices import RegionLevel
from registry.regions import reach
from registry.regions.models import Region
from registry.regions.services import RegionIndex


def own_totals(by_scope: dict[int, list]) -> dict[int, dict[str, dict[str, int]]]:
    """{scope region id: {applies_to: TOTALS of the items scoped there with that applies_to}}."""
    own: dict[int, dict[str, dict[str, int]]] = {}
    for scope_id, items in by_scope.items():
        per_kind = own.setdefault(scope_id, {})
        for item in items:
            t.add_into(per_kind.setdefault(item.shape.applies_to, t.zero()), t.item_totals(item.shape))
    return own


def _sum(parts: Iterable[dict[str, int]]) -> dict[str, int]:
    total = t.zero()
    for part in parts:
        t.add_into(total, part)
    return total


def all_village_totals(by_scope: dict[int, list], index: RegionIndex) -> dict[int, dict[str, int]]:
    """Internal TOTALS of every village, by region id (shared, read-only dicts)."""
    own = own_totals(by_scope)
    above: dict[tuple[int | None, frozenset[str]], dict[str, int]] = {}
    result: dict[int, dict[str, int]] = {}
    for village in index.by_id.values():
        if village.level != RegionLevel.VILLAGE:
            continue
        fitting = reach.fitting(village)
        key = (village.parent_id, fitting)
        shared = above.get(key)
        if shared is None:
            chain = reach.scope_ids(index, village)[1:]  # the same for every sibling (same parent)
            shared = above[key] = _sum(own[r][a] for r in chain if r in own for a in fitting if a in own[r])
        mine = [own[village.id][a] for a in fitting if a in own.get(village.id, {})]  # type: ignore[index]
        result[village.id] = _sum([shared, *mine]) if mine else shared  # type: ignore[index]
    return result


def villages_spread(village_totals: dict[int, dict[str, int]], region: Region, index: RegionIndex,
                    heaviest: int) -> VillagesSpread:
    """The `villages` part of BURDEN: count, min/median/max per field, the *heaviest* villages by hours."""
    villages = index.villages_below(region)
    rows = [(v, village_totals[v.id]) for v in villages]  # type: ignore[index]
    spread = t.spread_totals([totals for _, totals in rows])
    top = sorted(rows, key=lambda row: (-row[1][t.HOURS], row[0].code))[:heaviest]
    return VillagesSpread(count=len(villages), **spread,
                          heaviest=[NamedTotals(code=v.code, name=v.name, totals=t.public_totals(tot))
                                    for v, tot in top])
