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

from collections.abc import Iterable
from functools import reduce
from operator import add

import msgspec
from sqlalchemy import ColumnElement, and_, case, false, or_
from sqlmodel import Session, col, func, select

from registry.catalog.lists import escape_like, region_list
from registry.catalog.models import Duty, DutyVersion
from registry.catalog.schemas import SearchHit, SearchPage
from registry.catalog.search_index import department_mark, query_words, search_key
from registry.catalog.services import duty_public
from registry.catalog.similarity import segment, segment_for_search
from registry.choices import Category, DutyStatus, RegionLevel
from registry.choices import SearchOrder as Order
from registry.choices import SearchReach as Reach
from registry.regions.models import Department
from registry.regions.schemas import RegionPublic
from registry.regions.services import RegionIndex, department_lookup, region_index, region_public

__all__ = ["Order", "Reach", "parse_region", "search_duties", "villages_by_town"]


def _has_department(department: Department) -> ColumnElement[bool]:
    return col(DutyVersion.search_reach).like(f"%{escape_like(department_mark(department.code))}%", escape="\\")


def _word_terms(word: str, departments: Iterable[Department]) -> tuple[ColumnElement[bool], ColumnElement[int]]:
    """(matches, score) of one query word over everything an item names, as SQL on DutyVersion."""
    text, title, words = col(DutyVersion.search_reach), col(DutyVersion.search_title), col(DutyVersion.search_words)
    pattern = f"%{escape_like(word)}%"
    tokens = segment(word)
    named = [d for d in departments if word in search_key(d.name)]
    whole_named = [d for d in named if tokens and set(tokens) <= set(segment_for_search(search_key(d.name)))]
    matches = or_(text.like(pattern, escape="\\"), *[_has_department(d) for d in named])
    whole = or_(
        and_(*[words.like(f"% {escape_like(t)} %", escape="\\") for t in tokens]) if tokens else false(),
        *[_has_department(d) for d in whole_named],
    )
    score = case((title.like(pattern, escape="\\"), 2), else_=0) + case((whole, 1), else_=0)
    return matches, score


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
    `on_list`: whether the item is on that region's official list now (NotFound for an unknown region)."""
    on_list = {d.code for d in region_list(session, region).duties} if region is not None else None
    departments = department_lookup(session)
    conditions = [col(DutyVersion.to_edition).is_(None), DutyVersion.status == status]
    scores = []
    if reach == Reach.ALL:
        for word in query_words(q):
            matches, score = _word_terms(word, departments.by_id.values())
            conditions.append(matches)
            scores.append(score)
    elif search_key(q.strip()):
        matches, score = _text_terms(q)
        conditions.append(matches)
        scores.append(score)
    if category:
        conditions.append(DutyVersion.category == category)
    if department:
        chosen = departments.by_code.get(department.strip())
        conditions.append(col(DutyVersion.department_id).in_([chosen.id] if chosen else []))
    total = session.exec(select(func.count()).select_from(DutyVersion).where(*conditions)).one()
    ranked = order == Order.RELEVANCE and scores
    sequence = [reduce(add, scores).desc(), col(Duty.code)] if ranked else [col(Duty.code)]
    statement = (
        select(Duty.code, DutyVersion).join(Duty, col(Duty.id) == col(DutyVersion.duty_id))
        .where(*conditions).order_by(*sequence).offset((page - 1) * per_page).limit(per_page)
    )
    index = region_index(session)
    items = []
    for code, version in session.exec(statement):
        scope = index.by_id.get(version.scope_region_id) if version.scope_region_id else None
        items.append(SearchHit(
            **msgspec.structs.asdict(duty_public(code, version, departments, index)),
            scope=region_public(scope, index) if scope else None,
            on_list=(code in on_list) if on_list is not None else None,
        ))
    return SearchPage(items=items, total=int(total), page=page, per_page=per_page)


def parse_region(raw: str | None) -> str | None:
    """The `region` query parameter: None when absent or blank (an unknown code is NotFound when searched)."""
    return raw.strip() if raw is not None and raw.strip() else None


def villages_by_town(index: RegionIndex) -> list[tuple[RegionPublic, list[RegionPublic]]]:
    """Every town (REGION) with its villages and communities (REGIONs), both in code order: the page's choice."""
    towns = sorted((r for r in index.by_code.values() if r.level == RegionLevel.TOWN), key=lambda r: r.code)
    return [(region_public(town, index), [region_public(v, index) for v in index.villages_below(town)])
            for town in towns]
