"""What operators see of each request: an X-Request-Id, one JSON log line, and a fast 503 at overload.

The log line names the request id, method, route template (never the concrete path or the query, which may
carry names or tokens), status and duration; nothing about the caller. At most `max_in_flight` requests run
at once in a worker; the next one is answered at once with 503 and Retry-After instead of queueing until it
times out. The probes are never shed, so a supervisor keeps seeing the process alive.
"""

import atexit
import json
import logging
import logging.handlers
import queue
import re
import sys
import time
import uuid

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from registry.choices import N_

ACCESS_LOGGER = "registry.access"
REQUEST_ID_HEADER = b"x-request-id"
REQUEST_ID_SCOPE_KEY = "registry.request_id"
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,99}")  # a proxy's id: 8–100 safe characters
RETRY_AFTER_SECONDS = 1
OVERLOADED_MESSAGE = N_("The registry is busy; please try again in a moment.")

access_log = logging.getLogger(ACCESS_LOGGER)


def configure_access_log() -> None:
    """One bare JSON line per request on stderr (once per process), whatever the root logger's format. The line
    is written by a background thread: the request (on the event loop) only queues it, so a slow stderr pipe
    never holds up serving (the write was 8% of a cached list's samples, inside the loop)."""
    if getattr(access_log, "_registry_configured", False):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    lines: queue.SimpleQueue = queue.SimpleQueue()
    writer = logging.handlers.QueueListener(lines, handler)
    writer.start()
    atexit.register(writer.stop)  # writes what is still queued at a normal exit
    access_log.addHandler(logging.handlers.QueueHandler(lines))
    access_log.setLevel(logging.INFO)
    access_log.propagate = False
    access_log._registry_configured = True  # type: ignore[attr-defined]


def request_id_of(scope: Scope) -> str:
    """The caller's X-Request-Id when it is sane (a proxy's), else a fresh random one."""
    for name, value in scope.get("headers", ()):
        if name == REQUEST_ID_HEADER:
            text = value.decode("latin-1")
            if SANE_REQUEST_ID.fullmatch(text):
                return text
            break
    return uuid.uuid4().hex


def log_line(request_id: str, method: str, route: str, status: int, started: float) -> str:
    return json.dumps({
        "ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "request_id": request_id,
        "method": method,
        "route": route,
        "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
    }, ensure_ascii=False)


def overloaded_body() -> bytes:
    from registry.i18n import translations

    chinese = translations("zh-Hans").gettext(OVERLOADED_MESSAGE)
    detail = f"{chinese} ({translations('en').gettext(OVERLOADED_MESSAGE)})"
    return json.dumps({"detail": detail, "status_code": 503, "code": "overloaded"}).encode()


def observed(app: ASGIApp, max_in_flight: int, never_shed: frozenset[str] = frozenset()) -> ASGIApp:
    """Wrap *app*: request id, access log line, and load shedding beyond *max_in_flight* concurrent requests."""
    configure_access_log()
    in_flight = 0
    refusal = overloaded_body()

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal in_flight
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = request_id_of(scope)
        scope[REQUEST_ID_SCOPE_KEY] = request_id  # type: ignore[literal-required]
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), (REQUEST_ID_HEADER,
                                                                                 request_id.encode())]}
            await send(message)

        probe = scope["path"] in never_shed
        if in_flight >= max_in_flight and not probe:
            await send_with_id({"type": "http.response.start", "status": 503, "headers": [
                (b"content-type", b"application/json"), (b"content-length", str(len(refusal)).encode()),
                (b"retry-after", str(RETRY_AFTER_SECONDS).encode()), (b"cache-control", b"no-store"),
            ]})
            await send_with_id({"type": "http.response.body", "body": refusal})
            access_log.info(log_line(request_id, scope["method"], "(shed)", 503, started))
            return
        in_flight += 0 if probe else 1  # the probes are cheap and must not take a place from requests
        try:
            await app(scope, receive, send_with_id)
        finally:
            in_flight -= 0 if probe else 1
            route = scope.get("path_template") or "(unrouted)"
            # 499: the client went away before any answer (nginx's convention)
            access_log.info(log_line(request_id, scope["method"], str(route), status or 499, started))

    return wrapped
