"""The public ledger: anyone can download every entry and re-check the chain (contract §3)."""

from litestar import get

from registry.choices import N_
from registry.db import Database
from registry.errors import RegistryError
from registry.ledger import chain
from registry.web.guards import public

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


class BadLedgerQuery(RegistryError):
    """after/limit out of range (HTTP 400)."""


def _whole(raw: str | None, name: str, default: int, minimum: int, maximum: int | None = None) -> int:
    if raw is None or raw.strip() == "":
        return default
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise BadLedgerQuery(N_("The parameter %(name)s must be a whole number."), name=name)
    value = int(text)
    if value < minimum or (maximum is not None and value > maximum):
        if maximum is None:
            raise BadLedgerQuery(N_("The parameter %(name)s must be at least %(minimum)s."), name=name, minimum=minimum)
        raise BadLedgerQuery(N_("The parameter %(name)s must be between %(minimum)s and %(maximum)s."),
                             name=name, minimum=minimum, maximum=maximum)
    return value


@get("/api/v1/ledger", opt=public(), sync_to_thread=True, operation_id="listLedgerEntries", tags=["ledger"])
def ledger_entries(db: Database, after: str | None = None, limit: str | None = None) -> dict:
    """Entries with seq > after, in order (limit default 100, at most 1000), and the head to check against."""
    start = _whole(after, "after", 0, 0)
    count = _whole(limit, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    with db.read() as session:
        top = chain.head(session)
        entries = chain.entries_after(session, start, count)
    return {
        "head": {"seq": top.seq, "hash": top.hash, "alg": "sha256"},
        "entries": [chain.entry_public(e) for e in entries],
    }


routes = [ledger_entries]
