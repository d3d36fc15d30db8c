"""Public JSON reads of the catalog: a region's official list, search, a duty with its history.

Also the ETag of a list (`list_etag`) and `catalog_number`, the catalog's query integers, the list pages share.
"""

from functools import partial

from litestar import Request, Response, get

from registry.catalog import lists
from registry.catalog.conditional import not_modified_early
from registry.db import Database
from registry.web import i18n
from registry.web.auth import current_principal
from registry.web.etags import cache_headers, not_modified, not_modified_response
from registry.web.guards import public
from registry.web.params import whole_number

# At most 12 digits: a page number times a page size stays far inside a 64-bit OFFSET.
catalog_number = partial(whole_number, max_digits=12)


def list_etag(request: Request, edition: int, edition_hash: str | None, *parts: object) -> str:
    """A weak tag naming everything the response depends on: edition, language, who asks, filters."""
    principal = current_principal(request)
    who = f"u{principal.user_id}" if principal else "anon"
    extra = "-".join("" if p is None else str(p) for p in parts)
    return f'W/"e{edition}.{(edition_hash or "0")[:12]}-{i18n.current_language()}-{who}-{extra}"'


@get("/api/v1/regions/{code:str}/duties", opt=public(), sync_to_thread=True, operation_id="listRegionDuties",
     tags=["catalog"])
def region_duties(request: Request, db: Database, code: str, category: str | None = None,
                  as_of: str | None = None) -> Response:
    """The region's official list: active items scoped at it or an ancestor (villages: that fit its kind)."""
    chosen = lists.parse_category(category)
    edition = catalog_number(as_of, "as_of", None)

    def tag_of(number: int, edition_hash: str | None) -> str:
        return list_etag(request, number, edition_hash, code, chosen, edition)

    early = not_modified_early(request, db, code, edition, tag_of)
    if early is not None:
        return early
    with db.read() as session:
        found = lists.region_list(session, code, edition)
    etag = tag_of(found.edition, found.edition_hash)
    headers = cache_headers(request, etag)
    if not_modified(request, etag):
        return not_modified_response(headers)
    return Response(content=found.document(chosen), headers=headers)


@get("/api/v1/duties", opt=public(), sync_to_thread=True, operation_id="searchDuties", tags=["catalog"])
def search_duties(db: Database, q: str | None = None, category: str | None = None, department: str | None = None,
                  status: str | None = None, page: str | None = None, per_page: str | None = None) -> dict:
    """Substring search over title and description (NFKC, Latin case-insensitive), filtered, by code."""
    number = catalog_number(page, "page", 1)
    size = catalog_number(per_page, "per_page", 20, maximum=lists.MAX_PER_PAGE)
    with db.read() as session:
        items, total = lists.search_duties(
            session, q=(q or "")[:200], category=lists.parse_category(category), department=department,
            status=lists.parse_status(status), page=number, per_page=size)  # type: ignore[arg-type]
    return {"items": items, "total": total, "page": number, "per_page": size}


@get("/api/v1/duties/{code:str}", opt=public(), sync_to_thread=True, operation_id="getDuty", tags=["catalog"])
def get_duty(db: Database, code: str) -> dict:
    """A duty (its current version, active or retired) with every version, oldest first."""
    with db.read() as session:
        return lists.duty_history(session, code)


routes = [region_duties, search_duties, get_duty]
