"""Burden profiles: the current catalog loaded once, every region's list and TOTALS, the BURDEN shape.

The active current versions are read in one query and grouped by scope region; a region's list is
the union of the groups along its ancestor chain (no query per village). Snapshots are cached per
database and catalog edition (number and hash: a rolled-back edition never matches a committed one).
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from registry.burden import totals as t
from registry.burden.schemas import BurdenPublic, NamedTotals, TotalsPublic, VillagesSpread
from registry.burden.shapes import DutyShape, shape_of
from registry.catalog.models import DutyVersion
from registry.catalog.services import Edition, current_edition
from registry.choices import DutyStatus, RegionLevel
from registry.regions import reach
from registry.regions.models import Region
from registry.regions.services import RegionIndex, department_lookup, find_region, region_index, region_public

HEAVIEST = 10
CACHE_SIZE = 16


@dataclass(frozen=True)
class Item:
    """One active duty on the current catalog, as burden accounting sees it."""

    duty_id: int
    department_id: int
    shape: DutyShape


@dataclass
class Snapshot:
    edition: Edition
    by_scope: dict[int, list[Item]]
    _village_totals: dict[int, dict[int, dict[str, int]]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def items_for(self, region: Region, index: RegionIndex) -> list[Item]:
        """The region's list (the reach rule, registry.regions.reach), from the items grouped by scope."""
        fitting = reach.fitting(region)
        found: list[Item] = []
        for scope_id in reach.scope_ids(index, region):
            found.extend(i for i in self.by_scope.get(scope_id, ()) if i.shape.applies_to in fitting)
        return found

    def totals_for(self, region: Region, index: RegionIndex) -> dict[str, int]:
        return t.totals_of(i.shape for i in self.items_for(region, index))

    def village_totals(self, index: RegionIndex) -> dict[int, dict[str, int]]:
        """Internal TOTALS of every village, by region id (computed once per snapshot and index)."""
        key = id(index)
        with self._lock:
            cached = self._village_totals.get(key)
            if cached is None:
                villages = [r for r in index.by_id.values() if r.level == RegionLevel.VILLAGE]
                cached = {v.id: self.totals_for(v, index) for v in villages}  # type: ignore[misc]
                self._village_totals.clear()
                self._village_totals[key] = cached
        return cached


_cache: "OrderedDict[tuple, Snapshot]" = OrderedDict()
_cache_lock = threading.Lock()


def snapshot(session: Session) -> Snapshot:
    """The current catalog's active items grouped by scope region (one query when not cached)."""
    edition = current_edition(session)
    key = (str(session.get_bind().url), edition.number, edition.hash)
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    statement = select(DutyVersion).where(
        col(DutyVersion.to_edition).is_(None), DutyVersion.status == DutyStatus.ACTIVE
    ).order_by(col(DutyVersion.duty_id))
    by_scope: dict[int, list[Item]] = {}
    for version in session.exec(statement):
        shape = shape_of(version)
        if shape is None:  # never for a committed version: record_change takes validated content only
            continue
        item = Item(version.duty_id, version.department_id, shape)
        by_scope.setdefault(shape.scope_region_id, []).append(item)
    made = Snapshot(edition, by_scope)
    with _cache_lock:
        _cache[key] = made
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return made


def village_totals(session: Session, region_code: str) -> TotalsPublic:
    """The public TOTALS of a region's own list (a village, a town or the county)."""
    index = region_index(session)
    region = find_region(index, region_code)
    return t.public_totals(snapshot(session).totals_for(region, index))


def villages_spread(snap: Snapshot, region: Region, index: RegionIndex) -> VillagesSpread:
    """The `villages` part of BURDEN: count, min/median/max per field, the heaviest ten."""
    villages = index.villages_below(region)
    all_totals = snap.village_totals(index)
    rows = [(v, all_totals[v.id]) for v in villages]  # type: ignore[index]
    spread = t.spread_totals([totals for _, totals in rows])
    heaviest = sorted(rows, key=lambda row: (-row[1][t.HOURS], row[0].code))[:HEAVIEST]
    return VillagesSpread(
        count=len(villages), **spread,
        heaviest=[NamedTotals(code=v.code, name=v.name, totals=t.public_totals(tot)) for v, tot in heaviest],
    )


def region_burden(session: Session, region_code: str) -> BurdenPublic:
    """The BURDEN shape of contract §2 for one region (NotFound for an unknown code)."""
    index = region_index(session)
    region = find_region(index, region_code)
    snap = snapshot(session)
    items = snap.items_for(region, index)
    by_category = dict.fromkeys(t.CATEGORIES, 0)
    per_department: dict[int, dict[str, int]] = {}
    for item in items:
        by_category[item.shape.category] = by_category.get(item.shape.category, 0) + 1
        t.add_into(per_department.setdefault(item.department_id, t.zero()), t.item_totals(item.shape))
    departments = department_lookup(session).by_id if per_department else {}
    by_department = sorted(
        (NamedTotals(code=departments[d].code, name=departments[d].name, totals=t.public_totals(tot))
         for d, tot in per_department.items() if d in departments),
        key=lambda row: row.code,
    )
    return BurdenPublic(
        region=region_public(region, index),
        edition=snap.edition.number,
        totals=t.public_totals(t.totals_of(i.shape for i in items)),
        by_category=by_category,
        by_department=by_department,
        villages=villages_spread(snap, region, index) if region.level != RegionLevel.VILLAGE else None,
    )
