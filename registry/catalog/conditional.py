"""The 304 fast path of list pages: a conditional GET is answered from the edition alone.

A list's ETag depends on the region, the edition (number and hash) and the request (language, who asks,
filters), never on the list's rows; so when the client sends If-None-Match, the tag is computed from one
indexed statement (the head edition, or the asked edition's ledger entry) before any list is built or
looked up, and a match is answered 304 at once. Anything else falls through to the full answer.
"""

from collections.abc import Callable

from litestar import Request, Response

from registry.catalog.lists import edition_at
from registry.catalog.services import current_edition
from registry.db import Database
from registry.regions.services import find_region, region_index
from registry.web.etags import cache_headers, not_modified, not_modified_response

TagOf = Callable[[int, str | None], str]


def not_modified_early(request: Request, db: Database, code: str, as_of: int | None, tag_of: TagOf) -> Response | None:
    """304 with the list's headers when If-None-Match already names the list's tag; else None (unknown regions
    and editions raise NotFound, as the full answer would)."""
    if not request.headers.get("if-none-match"):
        return None
    with db.read() as session:
        find_region(region_index(session), code)
        current = current_edition(session)
        edition = current if as_of is None else edition_at(session, as_of, current)
    etag = tag_of(edition.number, edition.hash)
    if not not_modified(request, etag):
        return None
    return not_modified_response(cache_headers(request, etag))
