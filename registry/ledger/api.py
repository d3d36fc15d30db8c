"""The public ledger: anyone can download every entry and re-check the chain (contract §3)."""

from litestar import get

from registry.db import Database
from registry.ledger import chain
from registry.web.guards import public
from registry.web.params import whole_number

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


@get("/api/v1/ledger", opt=public(), sync_to_thread=True, operation_id="listLedgerEntries", tags=["ledger"])
def ledger_entries(db: Database, after: str | None = None, limit: str | None = None) -> dict:
    """Entries with seq > after, in order (limit default 100, at most 1000), and the head to check against."""
    start = whole_number(after, "after", 0, 0)
    count = whole_number(limit, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    with db.read() as session:
        top = chain.head(session)
        entries = chain.entries_after(session, start, count)
    return {
        "head": {"seq": top.seq, "hash": top.hash, "alg": "sha256"},
        "entries": [chain.entry_public(e) for e in entries],
    }


routes = [ledger_entries]
