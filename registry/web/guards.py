"""Every route declares who may call it; one app-wide guard enforces it (and the body limit after it)."""

from litestar.connection import ASGIConnection
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.handlers.base import BaseRouteHandler

from registry.choices import Role
from registry.web.auth import current_principal

ACCESS_KEY = "access"
PUBLIC = "public"
SIGNED_IN = frozenset(Role)
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
MAX_ID = 2**63 - 1  # no row id of either database lies beyond a signed 64-bit integer
MAX_PATH_BYTES = 2048
MAX_SEGMENT_BYTES = 255  # a file name's limit; no code, id or file the registry serves is longer


def public() -> dict:
    """Route options for a route anyone may call."""
    return {ACCESS_KEY: PUBLIC}


def public_page() -> dict:
    """Route options for a read-only page anyone may see; it skips the CSRF cookie to stay cacheable."""
    return {ACCESS_KEY: PUBLIC, "exclude_from_csrf": True}


def roles(*allowed: Role | str) -> dict:
    """Route options for a route only these roles may call."""
    return {ACCESS_KEY: frozenset(Role(r) for r in allowed)}


class PayloadTooLarge(HTTPException):
    status_code = 413


def access_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """401 for anonymous callers of a restricted route, 403 for the wrong role, 404 for an over-long path or an
    id beyond 64 bits, 400 for a NUL, then 413 for a big body."""
    rule = handler.opt.get(ACCESS_KEY)
    if rule is None:  # create_app refuses such routes; this keeps a mistake closed, not open
        raise PermissionDeniedException()
    if rule != PUBLIC:
        principal = current_principal(connection)
        if principal is None:
            raise NotAuthorizedException()
        if principal.role not in rule:
            raise PermissionDeniedException()
    if _too_long(connection.scope["path"]):
        raise NotFoundException()
    if any(isinstance(v, int) and not -MAX_ID - 1 <= v <= MAX_ID for v in connection.path_params.values()):
        raise NotFoundException()  # no such row; the drivers would refuse to send the number at all
    if _has_nul(connection):
        # PostgreSQL refuses NUL in text; no code, id or query the registry serves can contain one.
        raise ValidationException()
    if connection.scope.get("method") in WRITE_METHODS:
        # A route may allow a larger body (uploads) through its `max_body_bytes` option.
        limit = handler.opt.get("max_body_bytes") or connection.app.state.get("max_body_bytes", 1024 * 1024)
        length = connection.headers.get("content-length")
        if length and length.isascii() and length.isdigit() and (len(length) > 18 or int(length) > limit):
            raise PayloadTooLarge()


def _too_long(path: str) -> bool:
    raw = path.encode("utf-8", "surrogateescape")
    return len(raw) > MAX_PATH_BYTES or any(len(segment) > MAX_SEGMENT_BYTES for segment in raw.split(b"/"))


def _has_nul(connection: ASGIConnection) -> bool:
    values = [str(v) for v in connection.path_params.values()]
    values.extend(v for _, v in connection.query_params.multi_items())
    return any("\x00" in value for value in values)


def undeclared_routes(app) -> list[str]:  # type: ignore[no-untyped-def]
    """Paths of handlers that declare no access rule (create_app refuses to start with any)."""
    missing = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if ACCESS_KEY not in handler.opt:
                methods = sorted(handler.http_methods) if hasattr(handler, "http_methods") else ""
                missing.append(f"{methods} {route.path}")
    return missing
