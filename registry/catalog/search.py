"""Duty search: a cadre's question "is this task on my list?" typed as 台账, 低保, 应急, 民政局, D00011 or
"消防 巡查", answered over everything an item names.

Reach: the duty code, title, description, the names in its `burdens` lists (台账, 报表, APP …), and its
responsible and co-operating departments (codes stored with the version, names looked up at query time, so a
renamed department is found by its new name). NFKC-normalised and case-folded (search_index.search_key).
Several words (separated by spaces, full-width too) narrow the result: each must be a substring of some field
(`%` and `_` are literal; one- and two-character Chinese words work).

Order with a query: per word, 2 for a title hit plus 1 for a whole-word hit (jieba's segmentation), summed;
equal scores by code. Without a query: by code. What is stored for this: registry.catalog.search_index.
"""

from collections.abc import Iterable
from functools import reduce
from operator import add

from sqlalchemy import ColumnElement, and_, case, false, or_
from sqlmodel import Session, col, func, select

from registry.catalog.lists import escape_like, region_list
from registry.catalog.models import Duty, DutyVersion
from registry.catalog.search_index import department_mark, query_words, search_key
from registry.catalog.services import duty_public
from registry.catalog.similarity import segment, segment_for_search
from registry.choices import DutyStatus, RegionLevel
from registry.regions.models import Department
from registry.regions.services import RegionIndex, departments_by_id, region_index, region_public


def _has_department(department: Department) -> ColumnElement[bool]:
    return col(DutyVersion.search_text).like(f"%{escape_like(department_mark(department.code))}%", escape="\\")


def _word_terms(word: str, departments: Iterable[Department]) -> tuple[ColumnElement[bool], ColumnElement[int]]:
    """(matches, score) of one query word, as SQL on DutyVersion."""
    text, title, words = col(DutyVersion.search_text), col(DutyVersion.search_title), col(DutyVersion.search_words)
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


def search_duties(session: Session, *, q: str = "", category: str | None = None, department: str | None = None,
                  status: str = DutyStatus.ACTIVE, page: int = 1, per_page: int = 20,
                  region: str | None = None) -> tuple[list[dict], int]:
    """Current versions matching every word of *q*, filtered, best first (see the module docstring).

    Each item is a DUTY plus `scope` (the REGION it is scoped at) and, when *region* names a region,
    `on_list`: whether the item is on that region's official list now (NotFound for an unknown region)."""
    on_list = {d["code"] for d in region_list(session, region).duties} if region is not None else None
    departments = departments_by_id(session)
    conditions = [col(DutyVersion.to_edition).is_(None), DutyVersion.status == status]
    scores = []
    for word in query_words(q):
        matches, score = _word_terms(word, departments.values())
        conditions.append(matches)
        scores.append(score)
    if category:
        conditions.append(DutyVersion.category == category)
    if department:
        ids = [d.id for d in departments.values() if d.code == department.strip()]
        conditions.append(col(DutyVersion.department_id).in_(ids))
    total = session.exec(select(func.count()).select_from(DutyVersion).where(*conditions)).one()
    order = [reduce(add, scores).desc(), col(Duty.code)] if scores else [col(Duty.code)]
    statement = (
        select(Duty.code, DutyVersion).join(Duty, col(Duty.id) == col(DutyVersion.duty_id))
        .where(*conditions).order_by(*order).offset((page - 1) * per_page).limit(per_page)
    )
    index = region_index(session)
    items = []
    for code, version in session.exec(statement):
        item = duty_public(code, version, departments, index)
        scope = index.by_id.get(version.scope_region_id) if version.scope_region_id else None
        item["scope"] = region_public(scope, index) if scope else None
        if on_list is not None:
            item["on_list"] = code in on_list
        items.append(item)
    return items, int(total)


def parse_region(raw: str | None) -> str | None:
    """The `region` query parameter: None when absent or blank (an unknown code is NotFound when searched)."""
    return raw.strip() if raw is not None and raw.strip() else None


def villages_by_town(index: RegionIndex) -> list[tuple[dict, list[dict]]]:
    """Every town (REGION) with its villages and communities (REGIONs), both in code order: the page's choice."""
    towns = sorted((r for r in index.by_code.values() if r.level == RegionLevel.TOWN), key=lambda r: r.code)
    return [(region_public(town, index), [region_public(v, index) for v in index.villages_below(town)])
            for town in towns]
