"""Per-edition burden aggregates, computed once and shared: every village's TOTALS and the spread over
the villages below a region.

A village's list is the items scoped at it or at an ancestor whose `applies_to` fits its kind (the reach rule,
registry.regions.reach), so its TOTALS are the sum, over that chain, of each region's own items' totals for
the fitting `applies_to` values. Siblings of one kind share everything above themselves: that part is summed once per
(parent, kind) and shared, and a village with no items of its own points at the shared dict instead of
holding a copy. The result equals summing each village's items one by one (integer sums), in
O(villages + items) instead of O(villages × items).

Joint assessments break the plain sum: each item counts a joint assessment it names once, and a village whose
list names one through several items gets the repeats taken off afterwards (a private copy of its dict). Only the
items naming a joint assessment are walked for that, village by village.

Everything returned here is shared between requests: read it, never mutate it.
"""

from collections import Counter
from collections.abc import Iterable, Mapping

from registry.burden import totals as t
from registry.burden.schemas import NamedTotals, VillagesSpread
from registry.choices import RegionLevel
from registry.regions import reach
from registry.regions.models import Region
from registry.regions.services import RegionIndex


def own_totals(by_scope: dict[int, list],
               joined: Mapping[str, int] | None = None) -> dict[int, dict[str, dict[str, int]]]:
    """{scope region id: {applies_to: TOTALS of the items scoped there with that applies_to}} (each item on its
    own: joint assessments repeated across items are not yet taken off)."""
    own: dict[int, dict[str, dict[str, int]]] = {}
    for scope_id, items in by_scope.items():
        per_kind = own.setdefault(scope_id, {})
        for item in items:
            t.add_into(per_kind.setdefault(item.shape.applies_to, t.zero()), t.item_totals(item.shape, joined))
    return own


def _sum(parts: Iterable[dict[str, int]]) -> dict[str, int]:
    total = t.zero()
    for part in parts:
        t.add_into(total, part)
    return total


def all_village_totals(by_scope: dict[int, list], index: RegionIndex, joined: Mapping[str, int] | None = None,
                       villages: Iterable[Region] | None = None) -> dict[int, dict[str, int]]:
    """Internal TOTALS of every village (of *villages* when given), by region id (shared, read-only dicts);
    *joined*: {assessment name: joint assessment id}."""
    own = own_totals(by_scope, joined)
    above: dict[tuple[int | None, frozenset[str]], dict[str, int]] = {}
    result: dict[int, dict[str, int]] = {}
    for village in index.by_id.values() if villages is None else villages:
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
    if joined:
        _count_joints_once(result, by_scope, index, joined)
    return result


def joint_counts(by_scope: dict[int, list], index: RegionIndex, joined: Mapping[str, int],
                 only: set[int] | None = None) -> dict[int, Counter]:
    """{village id: {joint assessment id: how many items on its list name it}} (only the joint ones in *only*, when
    given)."""
    named: dict[int, Counter] = {}
    for items in by_scope.values():
        for item in items:
            hits = t.joints_hit(item.shape, joined)
            if only is not None:
                hits &= only
            if not hits:
                continue
            for village in reach.villages_reached(index, item.shape.scope_region_id, item.shape.applies_to):
                named.setdefault(village.id, Counter()).update(hits)  # type: ignore[arg-type]
    return named


def _count_joints_once(result: dict[int, dict[str, int]], by_scope: dict[int, list], index: RegionIndex,
                       joined: Mapping[str, int]) -> None:
    """Take off every village's repeats of a joint assessment named by several items on its list."""
    for village_id, counts in joint_counts(by_scope, index, joined).items():
        repeats = sum(n - 1 for n in counts.values())
        if repeats and village_id in result:
            fixed = dict(result[village_id])  # the dict may be shared with siblings
            fixed[t.ASSESSMENTS] -= repeats
            result[village_id] = fixed


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
