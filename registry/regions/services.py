"""Regions and departments: lookups, ancestor chains (cached in memory), public shapes."""

import ctypes
import ctypes.util
import sys
import threading
import time
from dataclasses import dataclass, field
from functools import cached_property

import msgspec
from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from registry.choices import N_, OWNING_LEVELS, RegionKind, RegionLevel
from registry.errors import NotFound
from registry.regions.models import Department, Region, RegionTreeVersion
from registry.regions.schemas import DepartmentListing, DepartmentPublic, RegionPublic, RegionWithChildren

INDEX_TTL_SECONDS = 10.0  # the check is one primary-key read; statement-count tests assume it stays rare


@dataclass(frozen=True, slots=True)
class IndexedRegion:
    """A region as the in-memory index holds it: a Region's columns, read-only, without ORM state (a national
    index holds 640,000 of them; ORM objects cost several times the memory and build time)."""

    id: int
    code: str
    name: str
    level: str
    kind: str
    parent_id: int | None


@dataclass(frozen=True)
class RegionIndex:
    """An immutable snapshot of every region, for cheap ancestor chains and child lists."""

    by_id: dict[int, Region]
    by_code: dict[str, Region]
    children: dict[int | None, list[Region]] = field(default_factory=dict)

    @classmethod
    def build(cls, regions: list[Region]) -> "RegionIndex":
        children: dict[int | None, list[Region]] = {}
        for region in sorted(regions, key=lambda r: r.code):
            children.setdefault(region.parent_id, []).append(region)
        return cls({r.id: r for r in regions}, {r.code: r for r in regions}, children)  # type: ignore[misc]

    def get(self, code: str) -> Region | None:
        return self.by_code.get(code)

    def parent(self, region: Region) -> Region | None:
        return self.by_id.get(region.parent_id) if region.parent_id is not None else None

    def ancestors(self, region: Region) -> list[Region]:
        """The region itself, then its parent, up to the root."""
        chain = [region]
        while (parent := self.parent(chain[-1])) is not None and len(chain) < 10:
            chain.append(parent)
        return chain

    def children_of(self, region: Region) -> list[Region]:
        return self.children.get(region.id, [])

    def villages_below(self, region: Region) -> list[Region]:
        """Every village-level region at or below *region*, in code order."""
        if region.level == RegionLevel.VILLAGE:
            return [region]
        found: list[Region] = []
        stack = [region]
        while stack:
            current = stack.pop()
            for child in self.children_of(current):
                if child.level == RegionLevel.VILLAGE:
                    found.append(child)
                else:
                    stack.append(child)
        return sorted(found, key=lambda r: r.code)

    def roots(self) -> list[Region]:
        return self.children.get(None, [])

    def default_owner(self) -> Region | None:
        """The deployment's default county: the root when it is a county (the Tonglu seed), else the first
        county in code order. Rows made before many counties (a department or stage with no region) belong to it."""
        return self._default_owner

    @cached_property
    def _default_owner(self) -> Region | None:  # once per snapshot: a national tree has 640,000 regions
        roots = self.roots()
        if roots and roots[0].level == RegionLevel.COUNTY:
            return roots[0]
        counties = self.counties()
        return counties[0] if counties else (roots[0] if roots else None)

    def owner_code(self) -> str:
        """The default county's code (see default_owner); for a given region ask owner_of instead."""
        owner = self.default_owner()
        return owner.code if owner else ""

    def owner_of(self, region: Region | None) -> Region | None:
        """The region that owns *region*'s departments, stages and budget (contract §10): the county at or above
        it; for a city or province (nothing at county level above it), the region itself."""
        if region is None:
            return None
        for ancestor in self.ancestors(region):
            if ancestor.level == RegionLevel.COUNTY:
                return ancestor
        return next((r for r in self.ancestors(region) if r.level in OWNING_LEVELS), None)

    def owner_id_of(self, region_id: int | None) -> int | None:
        """owner_of by id; a region id of None (a pre-§10 row) stands for the default county."""
        owner = self.default_owner() if region_id is None else self.owner_of(self.by_id.get(region_id))
        return owner.id if owner else None

    def within(self, region: Region, ancestor_id: int | None) -> bool:
        """True when *region* is the region *ancestor_id* or below it."""
        return any(r.id == ancestor_id for r in self.ancestors(region))

    def counties(self) -> list[Region]:
        """Every county-level region, in code order."""
        return self._counties

    @cached_property
    def _counties(self) -> list[Region]:
        return sorted((r for r in self.by_id.values() if r.level == RegionLevel.COUNTY), key=lambda r: r.code)

    @cached_property
    def village_count(self) -> int:
        """How many village-level regions the tree holds (counted once per snapshot: 600,000 nationally)."""
        return sum(1 for r in self.by_id.values() if r.level == RegionLevel.VILLAGE)


_cache_lock = threading.Lock()
_cache: dict[str, tuple[float, RegionIndex, int]] = {}
_revalidating: set[str] = set()


def _tree_version(session: Session) -> int:
    """The counter the database moves on every change to regions (migration 0014): one primary-key read."""
    return int(session.exec(select(RegionTreeVersion.version).where(RegionTreeVersion.id == 1)).one())


def region_index(session: Session) -> RegionIndex:
    """The region snapshot for this database, at most INDEX_TTL_SECONDS older than the tree.

    After the TTL one caller reads the tree's version (one primary-key read; the database moves it on every change
    to regions) while the others keep the snapshot they have; while the version is unchanged the same snapshot
    object is kept (caches keyed on it stay valid), and only a change re-reads the regions' rows (plain tuples).
    """
    key = str(session.get_bind().url)
    now = time.monotonic()
    cached = _cache.get(key)
    if cached and now - cached[0] < INDEX_TTL_SECONDS:
        return cached[1]
    if cached is not None:
        with _cache_lock:
            if key in _revalidating:
                return cached[1]
            _revalidating.add(key)
    try:
        # Read in a session of its own and detached, so that the caller's transaction (which may roll back)
        # never expires the cached objects.
        with Session(session.get_bind(), expire_on_commit=False) as own:
            version = _tree_version(own)  # before the rows: a change committed in between is seen next time
            if cached is not None and cached[2] == version:
                index = cached[1]
            else:
                table = Region.__table__  # type: ignore[attr-defined]
                # Streamed (a server-side cursor on PostgreSQL), not 640,000 rows buffered at once.
                rows = own.connection().execution_options(stream_results=True, yield_per=20_000).execute(
                    select(table.c.id, table.c.code, table.c.name, table.c.level, table.c.kind, table.c.parent_id))
                # level and kind interned: 640,000 regions share a handful of strings instead of holding copies
                index = RegionIndex.build([IndexedRegion(i, code, name, sys.intern(level), sys.intern(kind), parent)
                                           for i, code, name, level, kind, parent in rows])  # type: ignore[misc]
                _return_freed_memory()
        with _cache_lock:
            _cache[key] = (now, index, version)
    finally:
        if cached is not None:
            with _cache_lock:
                _revalidating.discard(key)
    return index


def _return_freed_memory() -> None:
    """Hand the memory a large build freed back to the operating system: glibc keeps it otherwise (a worker held
    734 MB after building the national tree of 640,000 regions, 297 MB after this)."""
    libc = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(libc), "malloc_trim", None) if libc else None
    if trim is not None:  # glibc only
        trim(0)


def find_region(index: RegionIndex, code: str) -> Region:
    """The region with *code*, or NotFound."""
    region = index.get(code)
    if region is None:
        raise NotFound(N_("No region has the code %(code)s."), code=code[:20])
    return region


def forget_regions() -> None:
    """Drop cached snapshots (after seeding changes regions)."""
    with _cache_lock:
        _cache.clear()


def region_public(region: Region, index: RegionIndex) -> RegionPublic:
    """The REGION shape: {code, name, level, kind, parent_code}."""
    parent = index.parent(region)
    return RegionPublic(code=region.code, name=region.name, level=RegionLevel(region.level),
                        kind=RegionKind(region.kind), parent_code=parent.code if parent else None)


def region_with_children(index: RegionIndex, code: str) -> RegionWithChildren:
    """REGION plus its children (NotFound for an unknown code)."""
    region = find_region(index, code)
    children = [region_public(child, index) for child in index.children_of(region)]
    return RegionWithChildren(**msgspec.structs.asdict(region_public(region, index)), children=children)


@dataclass(frozen=True)
class DepartmentLookup:
    """Every department, by id and by code (read once per request that shapes many records)."""

    by_id: dict[int, Department]
    by_code: dict[str, Department]

    def public(self, department_id: int | None) -> DepartmentPublic | None:
        department = self.by_id.get(department_id) if department_id else None
        return department_public(department) if department else None


def department_lookup(session: Session, ids: set[int] | None = None, codes: set[str] | None = None) -> DepartmentLookup:
    """Read-only rows with a Department's attributes (a province has ~800 departments, the country ~25,000:
    building ORM objects for every request that shapes records cost more than the rest of the request). With
    *ids* or *codes*, only those departments (one statement either way)."""
    table = Department.__table__  # type: ignore[attr-defined]
    statement = table.select().order_by(table.c.code)
    if ids is not None or codes is not None:
        statement = statement.where(or_(table.c.id.in_(sorted(ids or ())), table.c.code.in_(sorted(codes or ()))))
    departments = list(session.connection().execute(statement))
    return DepartmentLookup({d.id: d for d in departments}, {d.code: d for d in departments})  # type: ignore[misc]


FILTER_DEPARTMENTS = 300  # beyond this many departments in all, a filter offers those of one chain of owners


def departments_to_filter_by(session: Session, index: RegionIndex, region: Region | None,
                             also: str | None = None) -> list:
    """The departments a search offers as a filter, by code (plain rows): every one in a deployment of at most
    FILTER_DEPARTMENTS; beyond that (a province has ~800, the country ~25,000) those owned by *region*'s owner
    and the regions above it, or by the tree's top regions when no region is chosen; *also* (a code) when given."""
    table = Department.__table__  # type: ignore[attr-defined]
    statement = select(table.c.id, table.c.code, table.c.name).order_by(table.c.code)
    if session.exec(select(func.count()).select_from(table)).one() > FILTER_DEPARTMENTS:
        owner = index.owner_of(region) if region is not None else None
        owners = [r.id for r in index.ancestors(owner)] if owner is not None else [r.id for r in index.roots()]
        chosen = [table.c.region_id.in_(owners)] + ([table.c.code == also] if also else [])
        statement = statement.where(or_(*chosen))
    return list(session.connection().execute(statement))


def active_departments(session: Session) -> list[Department]:
    """Every active department, by code."""
    return list(session.exec(select(Department).where(col(Department.active).is_(True)).order_by(col(Department.code))))


def department_public(department: Department) -> DepartmentPublic:
    return DepartmentPublic(code=department.code, name=department.name)


def department_region(department: Department, index: RegionIndex) -> Region | None:
    """The region that owns *department* (the default county for a row with none)."""
    owner = index.by_id.get(department.region_id) if department.region_id is not None else None
    return owner or index.default_owner()


def department_listing(department: Department, index: RegionIndex) -> DepartmentListing:
    owner = department_region(department, index)
    return DepartmentListing(code=department.code, name=department.name, region_code=owner.code if owner else "")
