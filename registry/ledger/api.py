"""The public ledger: anyone can download every entry and re-check the chain (contract §3)."""

from typing import Annotated

from litestar import get
from litestar.params import Parameter

from registry.db import Database
from registry.ledger import chain
from registry.ledger.schemas import LedgerPage
from registry.web.guards import public

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_SEQ = 10**15 - 1  # within a signed 64-bit column and exact as a JSON number (a double)


@get("/api/v1/ledger", opt=public(), sync_to_thread=True, operation_id="listLedgerEntries", tags=["ledger"])
def ledger_entries(
    db: Database,
    after: Annotated[int, Parameter(ge=0, le=MAX_SEQ, description="Entries with a greater seq.")] = 0,
    limit: Annotated[int, Parameter(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> LedgerPage:
    """Entries with seq > after, in order (limit default 100, at most 1000), and the head to check against."""
    with db.read() as session:
        return chain.ledger_page(session, after, limit)


routes = [ledger_entries]
