"""Security headers on every response, including errors raised before routing (a before_send hook); HEAD as GET."""

from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from litestar.utils.empty import Empty
from litestar.utils.scope.state import ScopeState

from registry.web.auth import PRINCIPAL_SCOPE_KEY

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
}


async def add_security_headers(message: Message, scope: Scope) -> None:
    if message["type"] == "http.response.start":
        headers = MutableScopeHeaders.from_message(message)
        for name, value in SECURITY_HEADERS.items():
            if name not in headers:
                headers[name] = value
        # A response for a signed-in user, one that sets a cookie or one that carries a CSRF token (a page with
        # a form) is nobody else's: no shared cache may keep it.
        if "cache-control" not in headers and (
            scope.get(PRINCIPAL_SCOPE_KEY) or "set-cookie" in headers or _carries_csrf_token(scope)
        ):
            headers["cache-control"] = "private, no-store"


def _carries_csrf_token(scope: Scope) -> bool:
    token = ScopeState.from_scope(scope).csrf_token
    return token is not Empty and bool(token)


def head_as_get(app: ASGIApp) -> ASGIApp:
    """Answer HEAD like GET without the body (HTTP requires HEAD wherever GET is served)."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        as_get = {**scope, "method": "GET"}
        try:
            await app(as_get, receive, send_without_body)
        finally:
            if "path_template" in as_get:  # for the access log, which sees the caller's scope
                scope["path_template"] = as_get["path_template"]  # type: ignore[typeddict-unknown-key]

    return wrapped
