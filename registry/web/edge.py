"""The edge: what every HTTP request passes before routing — a parsable, allowed Host, and nothing else.

A Host header is accepted only when it is exactly one header, ASCII, at most 255 characters, and a DNS name,
an IPv4 address or a bracketed IPv6 address with an optional port 1–65535. Anything else is a 400 before
any handler, template or cache sees it, so no crafted Host (user-info tricks, a slash, several hosts, an odd
port) can reach a URL the framework builds. Absolute links never come from it anyway (REGISTRY_PUBLIC_URL).
"""

import ipaddress
import json
import re

from litestar.types import ASGIApp, Receive, Scope, Send

from registry.choices import N_

MAX_HOST_LENGTH = 255
_LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
_HOST = re.compile(rf"(?P<name>\[[0-9a-f:.]{{2,45}}\]|{_LABEL}(?:\.{_LABEL})*\.?)(?::(?P<port>[0-9]{{1,5}}))?")

# Sent before routing, so before the language is known: both languages, from the catalogs.
HOST_REFUSED_MESSAGE = N_("The request is not valid.")


def parse_host(header: str) -> str | None:
    """The host name of a Host header, lower case and without its port; None when the header is unparsable."""
    if not header or len(header) > MAX_HOST_LENGTH or not header.isascii():
        return None
    found = _HOST.fullmatch(header.lower())
    if found is None:
        return None
    port = found.group("port")
    if port is not None and not 1 <= int(port) <= 65535:
        return None
    name = found.group("name")
    if name.startswith("["):
        try:
            if ipaddress.ip_address(name[1:-1]).version != 6:
                return None
        except ValueError:
            return None
    return name


def host_allowed(host_header: str, allowed: frozenset[str]) -> bool:
    """A parsable Host whose name (port ignored) is allowed ("*" allows any parsable name)."""
    name = parse_host(host_header.strip())
    return name is not None and ("*" in allowed or name in allowed or name.rstrip(".") in allowed)


def host_refused_body(code: str) -> bytes:
    from registry.i18n import translations

    chinese = translations("zh-Hans").gettext(HOST_REFUSED_MESSAGE)
    detail = f"{chinese} ({translations('en').gettext(HOST_REFUSED_MESSAGE)})"
    return json.dumps({"detail": detail, "status_code": 400, "code": code}).encode()


def request_host(scope: Scope) -> tuple[str | None, bool]:
    """The one Host header of *scope* (None when absent) and whether there was exactly one or none."""
    values = [value for name, value in scope.get("headers", ()) if name == b"host"]
    if len(values) > 1:
        return None, False
    return (values[0].decode("latin-1") if values else None), True


def allowed_hosts_only(app: ASGIApp, hosts: tuple[str, ...], any_host: frozenset[str] = frozenset()) -> ASGIApp:
    """Answer 400 to any HTTP request whose Host is unparsable or not allowed, before routing.

    Paths in *any_host* (the probes, which write no links) answer any parsable Host, or none.
    """
    allowed = frozenset(h.strip().lower() for h in hosts)

    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host, single = request_host(scope)
            probe = scope["path"] in any_host
            code = None
            if not single or (host is None and not probe) or (host is not None and parse_host(host.strip()) is None):
                code = "host_invalid"
            elif not probe and not host_allowed(host or "", allowed):
                code = "host_not_allowed"
            if code is not None:
                body = host_refused_body(code)
                await send({"type": "http.response.start", "status": 400,
                            "headers": [(b"content-type", b"application/json"),
                                        (b"content-length", str(len(body)).encode()),
                                        (b"cache-control", b"no-store")]})
                await send({"type": "http.response.body", "body": body})
                return
        await app(scope, receive, send)

    return guarded
