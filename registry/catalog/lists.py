"""Reading the catalog: a region's official list (now or as of an edition), what changed since an
edition, a duty's history (search: registry.catalog.search). Every list is a few indexed statements, never a
scan of regions.
"""

import json
from dataclasses import dataclass

import msgspec
from sqlalchemy import and_, func, or_, union_all
from sqlmodel import Session, col, select

from registry.bytecache import ByteBudgetCache
from registry.catalog.models import Duty, DutyVersion
from registry.catalog.schemas import DutyHistory, DutyPublic, RegionDuties, VersionPublic
from registry.catalog.services import Edition, current_edition, duty_public
from registry.choices import CATALOG_KINDS, N_, Category, ChangeKind, DutyStatus, ListChangeKind
from registry.errors import BadRequest, NotFound
from registry.ledger.models import LedgerEntry
from registry.regions import reach
from registry.regions.models import Region
from registry.regions.services import RegionIndex, department_lookup, find_region, region_index, region_public

MAX_PER_PAGE = 100
# Region lists kept in memory per worker, least recently used first out past this many bytes (estimated
# by json_size_estimate; a village list of ~180 items holds about 0.5 MB).
LIST_CACHE_BYTES = 24 * 1024 * 1024
# Each region's current edition with the catalog head it was read at (list_edition): ~20,000 regions' worth.
EDITION_MEMO_ENTRY_BYTES = 200
_edition_memo: ByteBudgetCache[tuple[Edition, Edition]] = ByteBudgetCache(4 * 1024 * 1024)


def parse_category(raw: str | None) -> Category | None:
    """A `category` query parameter: None when blank, else a member (BadRequest naming the value)."""
    if raw is None or raw.strip() == "":
        return None
    if raw.strip() not in Category.values():
        raise BadRequest(N_("Unknown category: %(value)s."), value=raw.strip()[:40])
    return Category(raw.strip())


def parse_status(raw: str | None) -> DutyStatus:
    """A `status` query parameter: active when blank, else a member (BadRequest naming the value)."""
    if raw is None or raw.strip() == "":
        return DutyStatus.ACTIVE
    if raw.strip() not in DutyStatus.values():
        raise BadRequest(N_("Unknown status: %(value)s."), value=raw.strip()[:40])
    return DutyStatus(raw.strip())


def edition_at(session: Session, number: int, current: Edition) -> Edition:
    """A past catalog edition (the seq of a duty.* entry not after the current edition), or NotFound."""
    entry = session.get(LedgerEntry, number) if number <= current.number else None
    if entry is None or entry.kind not in CATALOG_KINDS:
        raise NotFound(N_("Edition %(number)s is not an edition of the catalog."), number=number)
    return Edition(entry.seq, entry.hash)


def list_edition(session: Session, index: RegionIndex, region: Region, as_of: int | None = None) -> Edition:
    """The edition of *region*'s list (contract §10): the seq of the newest duty.* entry that changed an item
    scoped at the region, an ancestor or a region below it — not after edition *as_of* when given (NotFound when
    *as_of* is not an edition). A change elsewhere never moves it; the tree's root sees every change.
    The current list's edition is remembered with the catalog's head: while the head stands, ONE statement (the
    head); when it moved, a second reads the region's scopes. A list read stays a fixed number of statements."""
    if index.parent(region) is None:
        current = current_edition(session)
        return current if as_of is None else edition_at(session, as_of, current)
    if as_of is not None:
        return _scoped_edition(session, index, region, edition_at(session, as_of, current_edition(session)).number)
    head = current_edition(session)
    key = (str(session.get_bind().url), id(index), region.id)  # a moved region has other scopes
    known = _edition_memo.get(key)
    if known is not None and known[0] == head:  # no duty.* entry since: nothing can have moved this list
        return known[1]
    found = _scoped_edition(session, index, region, None)
    _edition_memo.put(key, (head, found), EDITION_MEMO_ENTRY_BYTES)
    return found


def _scoped_edition(session: Session, index: RegionIndex, region: Region, bound: int | None) -> Edition:
    scopes = col(DutyVersion.scope_region_id).in_(reach.related_scope_ids(index, region))
    # Grouped by scope so that the planner reads the (scope_region_id, …) index for just these scopes: an
    # ungrouped MAX led PostgreSQL to walk the whole from_edition index backwards, filtering by scope
    # (14.7 ms → 0.5 ms for a village of the 20,000-village province; worse the larger the catalog).
    started = select(func.max(DutyVersion.from_edition).label("seq")).where(
        scopes, *([] if bound is None else [col(DutyVersion.from_edition) <= bound])
    ).group_by(col(DutyVersion.scope_region_id))
    ended = select(func.max(DutyVersion.to_edition).label("seq")).where(
        scopes, *([] if bound is None else [col(DutyVersion.to_edition) <= bound])
    ).group_by(col(DutyVersion.scope_region_id))
    both = union_all(started, ended).subquery()
    newest = select(func.max(both.c.seq)).scalar_subquery()
    row = session.exec(select(LedgerEntry.seq, LedgerEntry.hash).where(LedgerEntry.seq == newest)).first()
    return Edition(row[0], row[1]) if row else Edition(0, None)


def _in_force(as_of: int | None):  # type: ignore[no-untyped-def]
    """The versions valid at edition *as_of* (the current ones when None)."""
    if as_of is None:
        return col(DutyVersion.to_edition).is_(None)
    return and_(col(DutyVersion.from_edition) <= as_of,
                or_(col(DutyVersion.to_edition).is_(None), col(DutyVersion.to_edition) > as_of))


def region_versions(session: Session, region: Region, index: RegionIndex,
                    as_of: int | None) -> list[tuple[str, DutyVersion]]:
    """The active items on *region*'s list (the reach rule, registry.regions.reach): ONE statement, an IN
    over the scope ids on the (scope_region_id, to_edition) index, filtered by the fitting `applies_to`."""
    statement = (
        select(Duty.code, DutyVersion)
        .join(Duty, col(Duty.id) == col(DutyVersion.duty_id))
        .where(col(DutyVersion.scope_region_id).in_(reach.scope_ids(index, region)), _in_force(as_of),
               DutyVersion.status == DutyStatus.ACTIVE,
               col(DutyVersion.applies_to).in_(sorted(reach.fitting(region))))
        .order_by(col(Duty.code))
    )
    return [(code, version) for code, version in session.exec(statement)]


def of_category(found: RegionDuties, category: Category | None) -> RegionDuties:
    """The list with only the items of *category* (the whole list for None)."""
    if category is None:
        return found
    return msgspec.structs.replace(found, duties=[d for d in found.duties if d.category == category])


_list_cache: ByteBudgetCache[RegionDuties] = ByteBudgetCache(LIST_CACHE_BYTES)


def region_list(session: Session, code: str, as_of: int | None = None) -> RegionDuties:
    """The list of region *code* now (or as of edition *as_of*). The edition is read fresh each call;
    the list itself is cached per (database, region, edition), so a hit costs one statement."""
    index = region_index(session)
    region = find_region(index, code)
    edition = list_edition(session, index, region, as_of)
    # The hash is in the key: after a restore, edition N may name different content.
    key = (str(session.get_bind().url), code, edition.number, edition.hash)
    hit = _list_cache.get(key)
    if hit is not None:
        return hit
    # Always the range query at this edition: a decision committed since the edition was read must not
    # slip its rows into the list cached under the older edition.
    rows = region_versions(session, region, index, edition.number)
    departments = department_lookup(session, ids={v.department_id for _c, v in rows},  # only the list's own
                                    codes={c for _c, v in rows for c in v.co_departments or ()})
    duties = [duty_public(c, v, departments, index) for c, v in rows]
    result = RegionDuties(region=region_public(region, index), edition=edition.number, edition_hash=edition.hash,
                          duties=duties)
    _list_cache.put(key, result, len(msgspec.json.encode(result)))
    return result


def forget_lists() -> None:
    _list_cache.clear()
    _edition_memo.clear()


@dataclass(frozen=True)
class ListChange:
    code: str
    change: ListChangeKind
    before: DutyPublic | None
    after: DutyPublic | None


def changes_between(old: RegionDuties, new: RegionDuties) -> list[ListChange]:
    """What a reader of the old list must learn: items added, amended (new version) or removed."""
    before = {d.code: d for d in old.duties}
    after = {d.code: d for d in new.duties}
    changes = []
    for code in sorted(set(before) | set(after)):
        if code not in before:
            changes.append(ListChange(code, ListChangeKind.ADDED, None, after[code]))
        elif code not in after:
            changes.append(ListChange(code, ListChangeKind.REMOVED, before[code], None))
        elif before[code].version != after[code].version:
            changes.append(ListChange(code, ListChangeKind.AMENDED, before[code], after[code]))
    return changes


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def duty_history(session: Session, code: str) -> DutyHistory:
    """DUTY (its current version) plus `versions`, oldest first, each with the ledger entry that made it."""
    duty = session.exec(select(Duty).where(Duty.code == code)).first()
    if duty is None:
        raise NotFound(N_("No duty has the code %(code)s."), code=code[:40])
    versions = list(session.exec(select(DutyVersion).where(DutyVersion.duty_id == duty.id)
                                 .order_by(col(DutyVersion.version))))
    entries = {e.seq: e for e in session.exec(
        select(LedgerEntry).where(col(LedgerEntry.seq).in_([v.from_edition for v in versions])))}
    departments = department_lookup(session)
    index = region_index(session)
    shaped_versions = []
    for version in versions:
        entry = entries.get(version.from_edition)
        payload = json.loads(entry.payload) if entry else {}
        shaped = msgspec.structs.asdict(duty_public(code, version, departments, index))
        shaped_versions.append(VersionPublic(
            **shaped,
            edition=version.from_edition,
            change=ChangeKind(version.change),
            request_number=version.request_number,
            decision=payload.get("decision"),
            recorded_at=entry.recorded_at if entry else None,
            edition_hash=entry.hash if entry else None,
        ))
    current = next((v for v in versions if v.to_edition is None), versions[-1])
    current_shape = msgspec.structs.asdict(duty_public(code, current, departments, index))
    return DutyHistory(**current_shape, versions=shaped_versions)


def recent_catalog_entries(session: Session, limit: int = 50) -> list[LedgerEntry]:
    """The newest duty.* ledger entries, newest first (for the Atom feed)."""
    statement = (select(LedgerEntry).where(col(LedgerEntry.kind).in_(sorted(CATALOG_KINDS)))
                 .order_by(col(LedgerEntry.seq).desc()).limit(limit))
    return list(session.exec(statement))


def text_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Character-level diff (Chinese has no spaces) as [(op, text)], op in same/del/ins."""
    import difflib

    segments: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(("same", old[i1:i2]))
        else:
            if i2 > i1:
                segments.append(("del", old[i1:i2]))
            if j2 > j1:
                segments.append(("ins", new[j1:j2]))
    return segments
