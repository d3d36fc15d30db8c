"""Probes for load balancers and orchestrators: /healthz (the process answers) and /readyz (it can serve).

Both are for anyone, need no session, set no cookie, are never cached, and answer whatever the Host header
(see edge.allowed_hosts_only): they write no links, and probes often use an address as the host.
"""

import logging

import msgspec
from litestar import Response, get
from sqlalchemy.exc import SQLAlchemyError

from registry.db import Database
from registry.migrations.runner import schema_state
from registry.web.guards import public_page

PROBE_PATHS = frozenset({"/healthz", "/readyz"})
NO_STORE = {"Cache-Control": "no-store"}
log = logging.getLogger("registry.health")


class Liveness(msgspec.Struct, frozen=True, kw_only=True):
    status: str


class Readiness(msgspec.Struct, frozen=True, kw_only=True):
    status: str  # "ready" | "not_ready"
    database: str  # "ok" | "unreachable"
    migrations: str  # "current" | "pending" | "unknown" (the database could not be asked)


def readiness(db: Database) -> Readiness:
    """Ready when the database answers and its schema is at this code's migration head."""
    try:
        migrations = schema_state(db.engine)
    except SQLAlchemyError as exc:
        log.warning("readyz: database unreachable: %s", type(exc).__name__)
        return Readiness(status="not_ready", database="unreachable", migrations="unknown")
    return Readiness(status="ready" if migrations == "current" else "not_ready", database="ok", migrations=migrations)


@get("/healthz", opt=public_page(), sync_to_thread=False, include_in_schema=False)
def healthz() -> Response[Liveness]:
    """The process answers; nothing else is checked (a database outage must not get the process restarted)."""
    return Response(Liveness(status="ok"), headers=NO_STORE)


@get("/readyz", opt=public_page(), sync_to_thread=True, include_in_schema=False)
def readyz(db: Database) -> Response[Readiness]:
    """200 when the database is reachable and migrated to head, else 503."""
    found = readiness(db)
    return Response(found, status_code=200 if found.status == "ready" else 503, headers=NO_STORE)


routes = [healthz, readyz]
