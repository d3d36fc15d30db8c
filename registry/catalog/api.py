"""Public JSON reads of the catalog: a region's official list, search, a duty with its history.

Also the ETag of a list (`list_etag`) and the typed query parameters the list pages share.
"""

from collections.abc import Callable
from typing import Annotated

from litestar import Request, Response, get
from litestar.params import Parameter
from sqlmodel import Session

from registry import i18n
from registry.catalog import lists, search
from registry.catalog.schemas import DutyHistory, RegionDuties, SearchPage
from registry.choices import Category, DutyStatus
from registry.db import Database
from registry.regions.services import find_region, region_index
from registry.web.auth import current_principal
from registry.web.etags import cache_headers, not_modified, not_modified_response
from registry.web.guards import public
from registry.web.openapi import errors
from registry.web.params import QueryText

# Editions and page numbers have at most 12 digits: a page number times a page size stays inside a 64-bit OFFSET.
MAX_NUMBER = 10**12 - 1
Edition = Annotated[int | None, Parameter(ge=1, le=MAX_NUMBER, description="A catalog edition (a ledger seq).")]
PageNumber = Annotated[int, Parameter(ge=1, le=MAX_NUMBER)]
PerPage = Annotated[int, Parameter(ge=1, le=lists.MAX_PER_PAGE)]
# Parsed by lists.parse_* (a translated 400 naming the value; blank means "any"); the document lists the values.
CategoryFilter = Annotated[str | None, Parameter(schema_extra={"enum": [*Category.values(), ""]})]
StatusFilter = Annotated[str | None, Parameter(schema_extra={"enum": [*DutyStatus.values(), ""]})]


TagOf = Callable[[int, str | None], str]


def with_extra(etag: str, extra: str | None) -> str:
    """The tag with one more part (pages that also show what the edition does not cover, e.g. joint assessments)."""
    return etag if extra is None else etag.removesuffix('"') + f'-{extra}"'


def not_modified_early(request: Request, db: Database, code: str, as_of: int | None, tag_of: TagOf,
                       extra: Callable[[Session], str] | None = None) -> Response | None:
    """The 304 fast path of list pages and downloads: a list's ETag depends on the region, the edition and the
    request, never on the list's rows, so a conditional GET is answered from the edition alone (one indexed
    statement) before any list is built. 304 with the list's headers when If-None-Match already names the tag;
    else None (unknown regions and editions raise NotFound, as the full answer would)."""
    if not request.headers.get("if-none-match"):
        return None
    with db.read() as session:
        index = region_index(session)
        edition = lists.list_edition(session, index, find_region(index, code), as_of)
        more = extra(session) if extra is not None else None
    etag = with_extra(tag_of(edition.number, edition.hash), more)
    if not not_modified(request, etag):
        return None
    return not_modified_response(cache_headers(request, etag))


def list_etag(request: Request, edition: int, edition_hash: str | None, *parts: object) -> str:
    """A weak tag naming everything the response depends on: edition, language, who asks, filters."""
    principal = current_principal(request)
    who = f"u{principal.user_id}" if principal else "anon"
    extra = "-".join("" if p is None else str(p) for p in parts)
    return f'W/"e{edition}.{(edition_hash or "0")[:12]}-{i18n.current_language()}-{who}-{extra}"'


@get("/api/v1/regions/{code:str}/duties", opt=public(), sync_to_thread=True, operation_id="listRegionDuties",
     tags=["catalog"], responses=errors(400, 404))
def region_duties(request: Request, db: Database, code: str, category: CategoryFilter = None,
                  as_of: Edition = None) -> Response[RegionDuties]:
    """The region's official list: active items scoped at it or an ancestor (villages: that fit its kind)."""
    chosen = lists.parse_category(category)

    def tag_of(number: int, edition_hash: str | None) -> str:
        return list_etag(request, number, edition_hash, code, chosen, as_of)

    early = not_modified_early(request, db, code, as_of, tag_of)
    if early is not None:
        return early
    with db.read() as session:
        found = lists.region_list(session, code, as_of)
    etag = tag_of(found.edition, found.edition_hash)
    headers = cache_headers(request, etag)
    if not_modified(request, etag):
        return not_modified_response(headers)
    return Response(content=lists.of_category(found, chosen), headers=headers)


@get("/api/v1/duties", opt=public(), sync_to_thread=True, operation_id="searchDuties", tags=["catalog"],
     responses=errors(400, 404))
def search_duties(db: Database, q: QueryText = None, category: CategoryFilter = None, department: QueryText = None,
                  status: StatusFilter = None, page: PageNumber = 1, per_page: PerPage = 20,
                  region: QueryText = None, reach: search.Reach = search.Reach.TITLE_DESCRIPTION,
                  order: Annotated[search.Order, Parameter(query="sort")] = search.Order.CODE) -> SearchPage:
    """`q` matches any substring of title or description (NFKC, Latin case-insensitive), results by code (contract
    §2). `reach=all` also searches codes, burden names and departments, every space-separated word narrowing;
    `sort=relevance` puts title hits, then whole words first. Each item adds `scope` (REGION), and `on_list`
    when `region` names a region (unknown → 404)."""
    with db.read() as session:
        return search.search_duties(
            session, q=(q or "")[:200], category=lists.parse_category(category), department=department,
            status=lists.parse_status(status), page=page, per_page=per_page, region=search.parse_region(region),
            reach=reach, order=order)


@get("/api/v1/duties/{code:str}", opt=public(), sync_to_thread=True, operation_id="getDuty", tags=["catalog"],
     responses=errors(404))
def get_duty(db: Database, code: str) -> DutyHistory:
    """A duty (its current version, active or retired) with every version, oldest first."""
    with db.read() as session:
        return lists.duty_history(session, code)


routes = [region_duties, search_duties, get_duty]
