"""Burden profiles: the current catalog loaded once, every region's list and TOTALS, the BURDEN shape.

The active current versions are read in one query and grouped by scope region; a region's list is
the union of the groups along its ancestor chain (no query per village). Snapshots are cached per
database, catalog edition (number and hash: a rolled-back edition never matches a committed one) and the joint
assessments (registry.assessments: a merge changes TOTALS without moving the edition).
"""

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlmodel import Session, col, select

from registry.assessments.services import joined_names
from registry.burden import aggregates
from registry.burden import totals as t
from registry.burden.schemas import BurdenPublic, NamedTotals, TotalsPublic, VillagesSpread
from registry.burden.shapes import DutyShape, shape_of
from registry.catalog.lists import list_edition
from registry.catalog.models import DutyVersion
from registry.catalog.services import Edition, current_edition
from registry.choices import DutyStatus, RegionLevel
from registry.regions import reach
from registry.regions.models import Region
from registry.regions.services import RegionIndex, department_lookup, find_region, region_index, region_public

HEAVIEST = 10
T = TypeVar("T")
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
    joined: dict[str, int] = field(default_factory=dict)  # {assessment name: joint assessment id}
    _village_totals: dict[int, dict[int, dict[str, int]]] = field(default_factory=dict)
    _spreads: dict[tuple[int, int], VillagesSpread] = field(default_factory=dict)
    _memo: dict[tuple, object] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def items_for(self, region: Region, index: RegionIndex) -> list[Item]:
        """The region's list (the reach rule, registry.regions.reach), from the items grouped by scope."""
        fitting = reach.fitting(region)
        found: list[Item] = []
        for scope_id in reach.scope_ids(index, region):
            found.extend(i for i in self.by_scope.get(scope_id, ()) if i.shape.applies_to in fitting)
        return found

    def totals_for(self, region: Region, index: RegionIndex) -> dict[str, int]:
        return t.totals_of((i.shape for i in self.items_for(region, index)), self.joined)

    def village_totals(self, index: RegionIndex) -> dict[int, dict[str, int]]:
        """Internal TOTALS of every village, by region id (computed once per snapshot and index; read-only)."""
        key = id(index)
        with self._lock:
            cached = self._village_totals.get(key)
            if cached is None:
                cached = aggregates.all_village_totals(self.by_scope, index, self.joined)
                self._village_totals.clear()
                self._spreads.clear()
                self._village_totals[key] = cached
        return cached

    def spread_below(self, region: Region, index: RegionIndex) -> VillagesSpread:
        """The `villages` part of BURDEN for *region*, computed once per snapshot and index (immutable)."""
        all_totals = self.village_totals(index)
        key = (id(index), region.id or 0)
        with self._lock:
            found = self._spreads.get(key)
        if found is None:
            found = aggregates.villages_spread(all_totals, region, index, HEAVIEST)
            with self._lock:
                if self._village_totals.get(id(index)) is all_totals:  # not replaced meanwhile
                    self._spreads[key] = found
        return found

    def memo(self, key: tuple, compute: Callable[[], T]) -> T:
        """A value derived from this edition only (and *key*), computed once; callers get a private copy."""
        with self._lock:
            found = self._memo.get(key, _MISSING)
        if found is _MISSING:
            found = compute()
            with self._lock:
                self._memo[key] = found
        return copy.deepcopy(found)  # type: ignore[return-value]


_MISSING = object()
_cache: "OrderedDict[tuple, Snapshot]" = OrderedDict()
_cache_lock = threading.Lock()


def snapshot(session: Session) -> Snapshot:
    """The current catalog's active items grouped by scope region (one query when not cached)."""
    edition = current_edition(session)
    joined = joined_names(session)
    key = (str(session.get_bind().url), edition.number, edition.hash, tuple(sorted(joined.items())))
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    # Plain rows of the columns a shape needs: building thousands of ORM objects was most of the cost.
    statement = select(DutyVersion.duty_id, DutyVersion.department_id, DutyVersion.category, DutyVersion.applies_to,
                       DutyVersion.scope_region_id, DutyVersion.frequency, DutyVersion.hours_tenths,
                       DutyVersion.burdens).where(
        col(DutyVersion.to_edition).is_(None), DutyVersion.status == DutyStatus.ACTIVE
    ).order_by(col(DutyVersion.duty_id))
    by_scope: dict[int, list[Item]] = {}
    for version in session.connection().execute(statement):
        shape = shape_of(version)  # type: ignore[arg-type]
        if shape is None:  # never for a committed version: record_change takes validated content only
            continue
        item = Item(version.duty_id, version.department_id, shape)
        by_scope.setdefault(shape.scope_region_id, []).append(item)
    made = Snapshot(edition, by_scope, joined)
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
    """The `villages` part of BURDEN: count, min/median/max per field, the heaviest ten (once per edition)."""
    return snap.spread_below(region, index)


def region_burden(session: Session, region_code: str) -> BurdenPublic:
    """The BURDEN shape of contract §2 for one region (NotFound for an unknown code)."""
    index = region_index(session)
    region = find_region(index, region_code)
    snap = snapshot(session)
    items = snap.items_for(region, index)
    by_category = dict.fromkeys(t.CATEGORIES, 0)
    per_department: dict[int, list[DutyShape]] = {}
    for item in items:
        by_category[item.shape.category] = by_category.get(item.shape.category, 0) + 1
        per_department.setdefault(item.department_id, []).append(item.shape)
    departments = department_lookup(session).by_id if per_department else {}
    by_department = sorted(
        (NamedTotals(code=departments[d].code, name=departments[d].name,
                     totals=t.public_totals(t.totals_of(shapes, snap.joined)))
         for d, shapes in per_department.items() if d in departments),
        key=lambda row: row.code,
    )
    return BurdenPublic(
        region=region_public(region, index),
        edition=list_edition(session, index, region).number,
        totals=t.public_totals(t.totals_of((i.shape for i in items), snap.joined)),
        by_category=by_category,
        by_department=by_department,
        villages=villages_spread(snap, region, index) if region.level != RegionLevel.VILLAGE else None,
    )
