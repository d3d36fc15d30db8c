"""Reading the catalog: a region's official list (now or as of an edition), what changed since an
edition, search, a duty's history. Every list is a few indexed statements, never a scan of regions.
"""

import json
from dataclasses import dataclass

from sqlalchemy import and_, or_
from sqlmodel import Session, col, func, select

from registry.bytecache import ByteBudgetCache, json_size_estimate
from registry.catalog.models import Duty, DutyVersion
from registry.catalog.services import Edition, current_edition, duty_public, search_key
from registry.choices import CATALOG_KINDS, N_, Category, DutyStatus, RegionLevel
from registry.errors import NotFound, RegistryError
from registry.ledger.models import LedgerEntry
from registry.regions.models import Region
from registry.regions.services import (
    RegionIndex,
    applies_to_fitting,
    departments_by_id,
    find_region,
    region_index,
    region_public,
)

MAX_PER_PAGE = 100
# Region lists kept in memory per worker, least recently used first out past this many bytes (estimated
# by json_size_estimate; a village list of ~180 items holds about 0.5 MB).
LIST_CACHE_BYTES = 48 * 1024 * 1024


class BadQuery(RegistryError):
    """A query parameter that is not valid (HTTP 400)."""

    message = N_("The request is not valid.")


def parse_category(raw: str | None) -> str | None:
    if raw is None or raw.strip() == "":
        return None
    if raw.strip() not in {c.value for c in Category}:
        raise BadQuery(N_("Unknown category: %(value)s."), value=raw.strip()[:40])
    return raw.strip()


def parse_status(raw: str | None) -> str:
    if raw is None or raw.strip() == "":
        return DutyStatus.ACTIVE.value
    if raw.strip() not in {s.value for s in DutyStatus}:
        raise BadQuery(N_("Unknown status: %(value)s."), value=raw.strip()[:40])
    return raw.strip()


def edition_at(session: Session, number: int, current: Edition) -> Edition:
    """A past catalog edition (the seq of a duty.* entry not after the current edition), or NotFound."""
    entry = session.get(LedgerEntry, number) if number <= current.number else None
    if entry is None or entry.kind not in CATALOG_KINDS:
        raise NotFound(N_("Edition %(number)s is not an edition of the catalog."), number=number)
    return Edition(entry.seq, entry.hash)


def _in_force(as_of: int | None):  # type: ignore[no-untyped-def]
    """The versions valid at edition *as_of* (the current ones when None)."""
    if as_of is None:
        return col(DutyVersion.to_edition).is_(None)
    return and_(col(DutyVersion.from_edition) <= as_of,
                or_(col(DutyVersion.to_edition).is_(None), col(DutyVersion.to_edition) > as_of))


def region_versions(session: Session, region: Region, index: RegionIndex,
                    as_of: int | None) -> list[tuple[str, DutyVersion]]:
    """The active items on *region*'s list: ONE statement, an IN over the ancestor ids on the
    (scope_region_id, to_edition) index. Villages also filter by `applies_to`."""
    ancestor_ids = [r.id for r in index.ancestors(region)]
    statement = (
        select(Duty.code, DutyVersion)
        .join(Duty, col(Duty.id) == col(DutyVersion.duty_id))
        .where(col(DutyVersion.scope_region_id).in_(ancestor_ids), _in_force(as_of),
               DutyVersion.status == DutyStatus.ACTIVE)
        .order_by(col(Duty.code))
    )
    if region.level == RegionLevel.VILLAGE:
        statement = statement.where(col(DutyVersion.applies_to).in_(sorted(applies_to_fitting(region))))
    return [(code, version) for code, version in session.exec(statement)]


@dataclass(frozen=True)
class RegionList:
    """A region's official list at one edition; `duties` are DUTY dicts ordered by code."""

    region: dict
    edition: int
    edition_hash: str | None
    duties: list[dict]

    def document(self, category: str | None = None) -> dict:
        duties = [d for d in self.duties if d["category"] == category] if category else self.duties
        return {"region": self.region, "edition": self.edition, "edition_hash": self.edition_hash, "duties": duties}


_list_cache: ByteBudgetCache[RegionList] = ByteBudgetCache(LIST_CACHE_BYTES)


def region_list(session: Session, code: str, as_of: int | None = None) -> RegionList:
    """The list of region *code* now (or as of edition *as_of*). The edition is read fresh each call;
    the list itself is cached per (database, region, edition), so a hit costs one statement."""
    index = region_index(session)
    region = find_region(index, code)
    current = current_edition(session)
    edition = current if as_of is None else edition_at(session, as_of, current)
    # The hash is in the key: after a restore, edition N may name different content.
    key = (str(session.get_bind().url), code, edition.number, edition.hash)
    hit = _list_cache.get(key)
    if hit is not None:
        return hit
    departments = departments_by_id(session)
    # Always the range query at this edition: a decision committed since the edition was read must not
    # slip its rows into the list cached under the older edition.
    rows = region_versions(session, region, index, edition.number)
    duties = [duty_public(c, v, departments, index) for c, v in rows]
    result = RegionList(region_public(region, index), edition.number, edition.hash, duties)
    _list_cache.put(key, result, json_size_estimate(result.duties) + json_size_estimate(result.region))
    return result


def forget_lists() -> None:
    _list_cache.clear()


@dataclass(frozen=True)
class ListChange:
    code: str
    change: str  # added / amended / removed
    before: dict | None
    after: dict | None


def changes_between(old: RegionList, new: RegionList) -> list[ListChange]:
    """What a reader of the old list must learn: items added, amended (new version) or removed."""
    before = {d["code"]: d for d in old.duties}
    after = {d["code"]: d for d in new.duties}
    changes = []
    for code in sorted(set(before) | set(after)):
        if code not in before:
            changes.append(ListChange(code, "added", None, after[code]))
        elif code not in after:
            changes.append(ListChange(code, "removed", before[code], None))
        elif before[code]["version"] != after[code]["version"]:
            changes.append(ListChange(code, "amended", before[code], after[code]))
    return changes


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_duties(session: Session, *, q: str = "", category: str | None = None, department: str | None = None,
                  status: str = DutyStatus.ACTIVE, page: int = 1, per_page: int = 20) -> tuple[list[dict], int]:
    """Current versions whose title or description contains *q* (NFKC, case-folded), filtered; by code."""
    conditions = [col(DutyVersion.to_edition).is_(None), DutyVersion.status == status]
    needle = search_key(q.strip())
    if needle:
        conditions.append(col(DutyVersion.search_text).like(f"%{escape_like(needle)}%", escape="\\"))
    if category:
        conditions.append(DutyVersion.category == category)
    departments = departments_by_id(session)
    if department:
        ids = [d.id for d in departments.values() if d.code == department.strip()]
        conditions.append(col(DutyVersion.department_id).in_(ids))
    total = session.exec(select(func.count()).select_from(DutyVersion).where(*conditions)).one()
    statement = (
        select(Duty.code, DutyVersion).join(Duty, col(Duty.id) == col(DutyVersion.duty_id))
        .where(*conditions).order_by(col(Duty.code)).offset((page - 1) * per_page).limit(per_page)
    )
    index = region_index(session)
    return [duty_public(c, v, departments, index) for c, v in session.exec(statement)], int(total)


def duty_history(session: Session, code: str) -> dict:
    """DUTY (its current version) plus `versions`, oldest first, each with the ledger entry that made it."""
    duty = session.exec(select(Duty).where(Duty.code == code)).first()
    if duty is None:
        raise NotFound(N_("No duty has the code %(code)s."), code=code[:40])
    versions = list(session.exec(select(DutyVersion).where(DutyVersion.duty_id == duty.id)
                                 .order_by(col(DutyVersion.version))))
    entries = {e.seq: e for e in session.exec(
        select(LedgerEntry).where(col(LedgerEntry.seq).in_([v.from_edition for v in versions])))}
    departments = departments_by_id(session)
    index = region_index(session)
    shaped_versions = []
    for version in versions:
        entry = entries.get(version.from_edition)
        payload = json.loads(entry.payload) if entry else {}
        shaped = duty_public(code, version, departments, index)
        shaped.update({
            "edition": version.from_edition,
            "change": version.change,
            "request_number": version.request_number,
            "decision": payload.get("decision"),
            "recorded_at": entry.recorded_at if entry else None,
            "edition_hash": entry.hash if entry else None,
        })
        shaped_versions.append(shaped)
    current = next((v for v in versions if v.to_edition is None), versions[-1])
    result = duty_public(code, current, departments, index)
    result["versions"] = shaped_versions
    return result


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
