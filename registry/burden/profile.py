"""Burden profiles: the current catalog loaded once per county, every region's list and TOTALS, the BURDEN shape.

A snapshot serves one owner (contract §10: a county; a city or province for itself), or the whole deployment: the
active current versions scoped at the owner, its ancestors or any region below it, read at once and grouped by
scope region; a region's list is the union of the groups along its ancestor chain (no query per village).
Snapshots are cached per database, owner, the owner's list edition (number and hash: a rolled-back edition never
matches a committed one; a change in another county never moves it) and the joint assessments
(registry.assessments: a merge changes TOTALS without moving the edition), within SNAPSHOT_CACHE_BYTES.
"""

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
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
SNAPSHOT_CACHE_BYTES = 24 * 1024 * 1024  # ~50 counties of the national set; a county reloads in a few ms
# Per item held and per village's totals, fitted with tracemalloc on 20 counties of the national set (465 KB each).
ITEM_BYTES, VILLAGE_BYTES = 1_600, 500
SCOPES_PER_STATEMENT = 5_000  # an owner's scopes go to the database in IN lists of at most this many


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
    home_id: int | None = None  # the owner served (None: the whole deployment)
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
                home = index.by_id.get(self.home_id) if self.home_id is not None else None
                villages = index.villages_below(home) if home is not None else None
                cached = aggregates.all_village_totals(self.by_scope, index, self.joined, villages)
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
_cache: "OrderedDict[tuple, tuple[Snapshot, int]]" = OrderedDict()
_cache_bytes = 0
_cache_lock = threading.Lock()


def snapshot(session: Session, region: Region | None = None) -> Snapshot:
    """The active items that concern *region*'s owner (its county; a city or a province itself), grouped by scope:
    enough for the list, TOTALS and village spread of any region at or below the owner. None: the whole
    deployment. One statement for the edition, then the items when not cached."""
    index = region_index(session)
    home = index.owner_of(region) if region is not None else None
    edition = list_edition(session, index, home) if home is not None else current_edition(session)
    joined = joined_names(session)
    key = (str(session.get_bind().url), home.id if home else None, edition.number, edition.hash,
           tuple(sorted(joined.items())))
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found[0]
    by_scope: dict[int, list[Item]] = {}
    scopes = reach.related_scope_ids(index, home) if home is not None and index.parent(home) is not None else None
    for version in _active_versions(session, scopes):
        shape = shape_of(version)  # type: ignore[arg-type]
        if shape is None:  # never for a committed version: record_change takes validated content only
            continue
        by_scope.setdefault(shape.scope_region_id, []).append(Item(version.duty_id, version.department_id, shape))
    made = Snapshot(edition, by_scope, joined, home.id if home else None)
    villages = len(index.villages_below(home)) if home is not None else len(index.by_id)
    _keep(key, made, ITEM_BYTES * sum(map(len, by_scope.values())) + VILLAGE_BYTES * villages)
    return made


def _active_versions(session: Session, scopes: list[int] | None) -> Iterator:
    """Plain rows of the columns a shape needs (building thousands of ORM objects was most of the cost), of the
    active current versions scoped in *scopes* (every scope when None), in duty order."""
    statement = select(DutyVersion.duty_id, DutyVersion.department_id, DutyVersion.category, DutyVersion.applies_to,
                       DutyVersion.scope_region_id, DutyVersion.frequency, DutyVersion.hours_tenths,
                       DutyVersion.burdens).where(
        col(DutyVersion.to_edition).is_(None), DutyVersion.status == DutyStatus.ACTIVE
    ).order_by(col(DutyVersion.duty_id))
    if scopes is None:
        yield from session.connection().execute(statement)
        return
    chunks = [scopes[start:start + SCOPES_PER_STATEMENT] for start in range(0, len(scopes), SCOPES_PER_STATEMENT)]
    rows = [row for chunk in chunks
            for row in session.connection().execute(statement.where(col(DutyVersion.scope_region_id).in_(chunk)))]
    yield from (sorted(rows, key=lambda row: row.duty_id) if len(chunks) > 1 else rows)


def _keep(key: tuple, made: Snapshot, size: int) -> None:
    """Cache *made*; the least recently used go while the estimates pass the budget (the newest always stays)."""
    global _cache_bytes
    with _cache_lock:
        old = _cache.pop(key, None)
        _cache_bytes -= old[1] if old else 0
        _cache[key] = (made, size)
        _cache_bytes += size
        while _cache_bytes > SNAPSHOT_CACHE_BYTES and len(_cache) > 1:
            _cache_bytes -= _cache.popitem(last=False)[1][1]


def village_totals(session: Session, region_code: str) -> TotalsPublic:
    """The public TOTALS of a region's own list (a village, a town or the county)."""
    index = region_index(session)
    region = find_region(index, region_code)
    return t.public_totals(snapshot(session, region).totals_for(region, index))


def villages_spread(snap: Snapshot, region: Region, index: RegionIndex) -> VillagesSpread:
    """The `villages` part of BURDEN: count, min/median/max per field, the heaviest ten (once per edition)."""
    return snap.spread_below(region, index)


def region_burden(session: Session, region_code: str) -> BurdenPublic:
    """The BURDEN shape of contract §2 for one region (NotFound for an unknown code)."""
    index = region_index(session)
    region = find_region(index, region_code)
    snap = snapshot(session, region)
    items = snap.items_for(region, index)
    by_category = dict.fromkeys(t.CATEGORIES, 0)
    per_department: dict[int, list[DutyShape]] = {}
    for item in items:
        by_category[item.shape.category] = by_category.get(item.shape.category, 0) + 1
        per_department.setdefault(item.department_id, []).append(item.shape)
    departments = department_lookup(session, ids=set(per_department)).by_id if per_department else {}
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
