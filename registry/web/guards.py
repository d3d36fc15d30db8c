"""Every route declares who may call it; one app-wide guard enforces it (and the body limit after it)."""

from litestar.connection import ASGIConnection
from litestar.exceptions import HTTPException, NotAuthorizedException, PermissionDeniedException, ValidationException
from litestar.handlers.base import BaseRouteHandler

from registry.choices import Role
from registry.web.auth import current_principal

ACCESS_KEY = "access"
PUBLIC = "public"
SIGNED_IN = frozenset(Role)
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


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
    """401 for anonymous callers of a restricted route, 403 for the wrong role, then 413 for a big body."""
    rule = handler.opt.get(ACCESS_KEY)
    if rule is None:  # create_app refuses such routes; this keeps a mistake closed, not open
        raise PermissionDeniedException()
    if rule != PUBLIC:
        principal = current_principal(connection)
        if principal is None:
            raise NotAuthorizedException()
        if principal.role not in rule:
            raise PermissionDeniedException()
    if _has_nul(connection):
        # PostgreSQL refuses NUL in text; no code, id or query the registry serves can contain one.
        raise ValidationException()
    if connection.scope.get("method") in WRITE_METHODS:
        # A route may allow a larger body (uploads) through its `max_body_bytes` option.
        limit = handler.opt.get("max_body_bytes") or connection.app.state.get("max_body_bytes", 1024 * 1024)
        length = connection.headers.get("content-length")
        if length and length.isdigit() and int(length) > limit:
            raise PayloadTooLarge()


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
