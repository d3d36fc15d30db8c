"""Conditional GET shared by every area: If-None-Match against an ETag → 304, and the cache headers."""

from litestar import Request, Response

from registry.web.auth import current_principal

VARY = "Accept-Language, Cookie"


def not_modified(request: Request, etag: str) -> bool:
    """True when the client's If-None-Match names *etag* (weak comparison) or is "*"."""
    header = request.headers.get("if-none-match")
    if not header:
        return False
    wanted = etag.removeprefix("W/")
    return any(t.strip() == "*" or t.strip().removeprefix("W/") == wanted for t in header.split(","))


def cache_headers(request: Request, etag: str) -> dict[str, str]:
    """Anonymous answers are publicly cacheable for a minute; signed-in answers are never stored."""
    signed_in = current_principal(request) is not None
    return {
        "ETag": etag,
        "Cache-Control": "private, no-store" if signed_in else "public, max-age=60",
        "Vary": VARY,
    }


def not_modified_response(headers: dict[str, str]) -> Response:
    return Response(content=None, status_code=304, headers=headers)
