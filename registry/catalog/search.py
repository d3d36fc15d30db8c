"""Duty search. NFKC-normalised and case-folded (search_index.search_key); `%` and `_` are literal; one- and
two-character Chinese queries work.

- `reach=title_description` (the API's default, contract §2): `q` is one substring of the title or the
  description.
- `reach=all` (a cadre's question "is this task on my list?" typed as 台账, 低保, 应急, 民政局, D00011 or
  "消防 巡查"): the duty code, title, description, the names in its `burdens` lists, and its responsible and
  co-operating departments (codes stored with the version, names looked up at query time, so a renamed
  department is found by its new name); several words (separated by spaces, full-width too) narrow the
  result: each must be a substring of some field.

Order: `sort=code` (the API's default) or `sort=relevance`: per word, 2 for a title hit plus 1 for a
whole-word hit (jieba's segmentation), summed; equal scores by code. What is stored: search_index.
"""

from functools import reduce
from operator import add

import msgspec
from sqlalchemy import ColumnElement, and_, case, false, or_
from sqlmodel import Session, col, func, select

from registry.bytecache import ByteBudgetCache
from registry.catalog.lists import escape_like, region_list
from registry.catalog.models import Duty, DutyVersion
from registry.catalog.schemas import SearchHit, SearchPage
from registry.catalog.search_index import department_mark, query_words, search_key
from registry.catalog.services import current_edition, duty_public
from registry.catalog.similarity import segment, segment_for_search
from registry.choices import Category, DutyStatus, RegionLevel
from registry.choices import SearchOrder as Order
from registry.choices import SearchReach as Reach
from registry.regions.models import Department
from registry.regions.schemas import RegionPublic
from registry.regions.services import RegionIndex, department_lookup, region_index, region_public

MATCH_CACHE_BYTES = 4 * 1024 * 1024
_match_cache: ByteBudgetCache[tuple[int, list[int]]] = ByteBudgetCache(MATCH_CACHE_BYTES)

__all__ = ["Order", "Reach", "parse_region", "search_duties", "villages_by_town"]


def _has_department(department: Department) -> ColumnElement[bool]:
    return col(DutyVersion.search_reach).like(f"%{escape_like(department_mark(department.code))}%", escape="\\")


def _departments_naming(session: Session, word: str) -> list:
    """The departments whose name holds *word* (a search_key-normalised query word), as plain rows: one statement
    over `search_name`, not every department read into Python (a country has ~25,000)."""
    table = Department.__table__  # type: ignore[attr-defined]
    return list(session.connection().execute(
        select(table.c.id, table.c.code, table.c.name)
        .where(table.c.search_name.like(f"%{escape_like(word)}%", escape="\\")).order_by(table.c.code)))


def _word_terms(word: str, named: list) -> tuple[ColumnElement[bool], ColumnElement[int], tuple[str, ...]]:
    """(matches, score, codes of the departments whose names hold the word) of one query word over everything an
    item names, as SQL on DutyVersion; *named*: the departments whose names hold it."""
    text, title, words = col(DutyVersion.search_reach), col(DutyVersion.search_title), col(DutyVersion.search_words)
    pattern = f"%{escape_like(word)}%"
    tokens = segment(word)
    whole_named = [d for d in named if tokens and set(tokens) <= set(segment_for_search(search_key(d.name)))]
    matches = or_(text.like(pattern, escape="\\"), *[_has_department(d) for d in named])
    whole = or_(
        and_(*[words.like(f"% {escape_like(t)} %", escape="\\") for t in tokens]) if tokens else false(),
        *[_has_department(d) for d in whole_named],
    )
    score = case((title.like(pattern, escape="\\"), 2), else_=0) + case((whole, 1), else_=0)
    return matches, score, tuple(sorted(d.code for d in named)) + ("|",) + tuple(sorted(d.code for d in whole_named))


def _text_terms(q: str) -> tuple[ColumnElement[bool], ColumnElement[int]]:
    """(matches, score) of the whole of *q* as one substring of the title or the description."""
    pattern = f"%{escape_like(search_key(q.strip()))}%"
    return (col(DutyVersion.search_text).like(pattern, escape="\\"),
            case((col(DutyVersion.search_title).like(pattern, escape="\\"), 2), else_=0))


def search_duties(session: Session, *, q: str = "", category: Category | None = None, department: str | None = None,
                  status: DutyStatus = DutyStatus.ACTIVE, page: int = 1, per_page: int = 20, region: str | None = None,
                  reach: Reach = Reach.TITLE_DESCRIPTION, order: Order = Order.CODE) -> SearchPage:
    """Current versions matching *q* as *reach* says, filtered, in *order* (see the module docstring).

    Each item is a DUTY plus `scope` (the REGION it is scoped at) and, when *region* names a region,
    `on_list`: whether the item is on that region's official list now (NotFound for an unknown region).
    Which versions match, and in what order, is computed once per catalog edition and question (_matches):
    a repeated search costs the edition, the page's versions and their departments (three small statements)."""
    on_list = {d.code for d in region_list(session, region).duties} if region is not None else None
    conditions = [col(DutyVersion.to_edition).is_(None), DutyVersion.status == status]
    scores = []
    named: tuple[str, ...] = ()
    if reach == Reach.ALL:
        for word in query_words(q):
            matches, score, hits = _word_terms(word, _departments_naming(session, word))
            conditions.append(matches)
            scores.append(score)
            named += hits
    elif search_key(q.strip()):
        matches, score = _text_terms(q)
        conditions.append(matches)
        scores.append(score)
    if category:
        conditions.append(DutyVersion.category == category)
    if department:
        chosen = department_lookup(session, codes={department.strip()}).by_code.get(department.strip())
        conditions.append(col(DutyVersion.department_id).in_([chosen.id] if chosen else []))
    ranked = bool(order == Order.RELEVANCE and scores)
    sequence = [reduce(add, scores).desc(), col(Duty.code)] if ranked else [col(Duty.code)]
    question = (search_key(q.strip()), str(category or ""), (department or "").strip(), str(status), str(reach),
                ranked, named, page, per_page)
    total, version_ids = _matches(session, question, conditions, sequence, (page - 1) * per_page, per_page)
    rows = {version.id: (code, version) for code, version in session.exec(
        select(Duty.code, DutyVersion).join(Duty, col(Duty.id) == col(DutyVersion.duty_id))
        .where(col(DutyVersion.id).in_(version_ids)))} if version_ids else {}
    page_rows = [rows[v] for v in version_ids if v in rows]
    departments = department_lookup(session, ids={version.department_id for _c, version in page_rows},
                                    codes={c for _c, version in page_rows for c in version.co_departments})
    index = region_index(session)
    items = []
    for code, version in page_rows:
        scope = index.by_id.get(version.scope_region_id) if version.scope_region_id else None
        items.append(SearchHit(
            **msgspec.structs.asdict(duty_public(code, version, departments, index)),
            scope=region_public(scope, index) if scope else None,
            on_list=(code in on_list) if on_list is not None else None,
        ))
    return SearchPage(items=items, total=int(total), page=page, per_page=per_page)


def _matches(session: Session, question: tuple, conditions: list, sequence: list, offset: int,
             limit: int) -> tuple[int, list[int]]:
    """(how many versions match, the ids of the asked page's versions in order), cached per database, catalog
    edition (number and hash) and *question*: the two scans of the matching versions run once per edition."""
    edition = current_edition(session)
    key = (str(session.get_bind().url), edition.number, edition.hash, question)
    found = _match_cache.get(key)
    if found is not None:
        return found
    total = session.exec(select(func.count()).select_from(DutyVersion).where(*conditions)).one()
    statement = (select(DutyVersion.id).join(Duty, col(Duty.id) == col(DutyVersion.duty_id))
                 .where(*conditions).order_by(*sequence).offset(offset).limit(limit))
    found = (int(total), [int(i) for i in session.exec(statement)])
    _match_cache.put(key, found, 200 + 40 * len(found[1]) + len(repr(question)))
    return found


def parse_region(raw: str | None) -> str | None:
    """The `region` query parameter: None when absent or blank (an unknown code is NotFound when searched)."""
    return raw.strip() if raw is not None and raw.strip() else None


def villages_by_town(index: RegionIndex) -> list[tuple[RegionPublic, list[RegionPublic]]]:
    """Every town (REGION) with its villages and communities (REGIONs), both in code order: the page's choice."""
    towns = sorted((r for r in index.by_code.values() if r.level == RegionLevel.TOWN), key=lambda r: r.code)
    return [(region_public(town, index), [region_public(v, index) for v in index.villages_below(town)])
            for town in towns]
