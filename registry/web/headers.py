"""Security headers on every response, including errors raised before routing (a before_send hook)."""

import json

from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from litestar.utils.empty import Empty
from litestar.utils.scope.state import ScopeState

from registry.choices import N_
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


# Sent before routing, so before the language is known: both languages, from the catalogs.
HOST_REFUSED_MESSAGE = N_("The request is not valid.")


def host_refused_body() -> bytes:
    from registry.i18n import translations

    chinese = translations("zh-Hans").gettext(HOST_REFUSED_MESSAGE)
    detail = f"{chinese} ({translations('en').gettext(HOST_REFUSED_MESSAGE)})"
    return json.dumps({"detail": detail, "status_code": 400, "code": "host_not_allowed"}).encode()


def _carries_csrf_token(scope: Scope) -> bool:
    token = ScopeState.from_scope(scope).csrf_token
    return token is not Empty and bool(token)


def host_allowed(host_header: str, allowed: frozenset[str]) -> bool:
    """Compare the Host header without its port against the allowed names ("*" allows any)."""
    if "*" in allowed:
        return True
    host = host_header.strip().lower()
    if host.startswith("["):  # [::1]:8000
        host = host[: host.find("]") + 1]
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host in allowed


def allowed_hosts_only(app: ASGIApp, hosts: tuple[str, ...], any_host: frozenset[str] = frozenset()) -> ASGIApp:
    """Answer 400 to any HTTP request whose Host is not allowed, before routing (paths in *any_host* excepted)."""
    allowed = frozenset(h.strip().lower() for h in hosts)

    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] not in any_host:
            host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
            if not host_allowed(host, allowed):
                body = host_refused_body()
                await send({"type": "http.response.start", "status": 400,
                            "headers": [(b"content-type", b"application/json"),
                                        (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await app(scope, receive, send)

    return guarded


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

        await app({**scope, "method": "GET"}, receive, send_without_body)

    return wrapped
