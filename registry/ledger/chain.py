"""Appending to and reading the hash-chained ledger. Imports nothing from other areas."""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

import msgspec
from sqlmodel import Session, col, select

from registry.db import lock_exclusive
from registry.ledger.models import LedgerEntry
from registry.ledger.schemas import EntryPublic, LedgerHead, LedgerPage
from registry.ledger.verifier import GENESIS_HASH, canonical, entry_hash, first_problem, normalise
from registry.timeutil import ledger_timestamp, utcnow


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str


def lock_ledger(session: Session) -> None:
    """Serialise appenders: the catalog-wide writer lock (re-entrant within a transaction)."""
    lock_exclusive(session)


def head(session: Session) -> Head:
    """The newest entry's seq and hash (seq 0 and 64 zeros for an empty ledger)."""
    row = session.exec(select(LedgerEntry.seq, LedgerEntry.hash).order_by(col(LedgerEntry.seq).desc()).limit(1)).first()
    return Head(0, GENESIS_HASH) if row is None else Head(row[0], row[1])


def append(session: Session, kind: str, payload: dict, at: datetime | None = None) -> LedgerEntry:
    """Append one entry inside the caller's write transaction; it commits or rolls back with it."""
    lock_ledger(session)
    previous = head(session)
    body = normalise(msgspec.to_builtins(payload))  # public shapes and enumerations as plain JSON values
    recorded_at = ledger_timestamp(at or utcnow())
    seq = previous.seq + 1
    entry = LedgerEntry(
        seq=seq,
        recorded_at=recorded_at,
        kind=kind,
        payload=canonical(body).decode("utf-8"),
        prev_hash=previous.hash,
        hash=entry_hash(previous.hash, seq, recorded_at, kind, body),
    )
    session.add(entry)
    session.flush()
    return entry


def entry_public(entry: LedgerEntry) -> EntryPublic:
    """The ENTRY shape of the API, with the payload parsed back from its canonical text."""
    return EntryPublic(seq=entry.seq, recorded_at=entry.recorded_at, kind=entry.kind,
                       payload=json.loads(entry.payload), prev_hash=entry.prev_hash, hash=entry.hash)


def ledger_page(session: Session, after: int, limit: int) -> LedgerPage:
    """`GET /api/v1/ledger`: the head, and up to *limit* entries with seq > *after*, in order."""
    top = head(session)
    entries = [entry_public(e) for e in entries_after(session, after, limit)]
    return LedgerPage(head=LedgerHead(seq=top.seq, hash=top.hash), entries=entries)


def entries_after(session: Session, after: int, limit: int) -> list[LedgerEntry]:
    statement = select(LedgerEntry).where(LedgerEntry.seq > after).order_by(col(LedgerEntry.seq)).limit(limit)
    return list(session.exec(statement))


def iter_entries(session: Session, batch: int = 1000) -> Iterator[LedgerEntry]:
    """Every entry in order, read in batches."""
    after = 0
    while rows := entries_after(session, after, batch):
        yield from rows
        after = rows[-1].seq


def stored_form_problem(entry: LedgerEntry) -> str | None:
    """A stored payload must be exactly its own canonical text."""
    try:
        parsed = json.loads(entry.payload)
    except ValueError:
        return "payload is not JSON"
    if canonical(parsed).decode("utf-8") != entry.payload:
        return "payload is not stored in canonical form"
    return None


def verify_chain(entries: Iterable[LedgerEntry]) -> tuple[Head, tuple[int, str] | None]:
    """Check the stored chain; return the head reached and the first problem, if any."""
    last = Head(0, GENESIS_HASH)
    for entry in entries:
        problem = stored_form_problem(entry) or None
        if problem:
            return last, (entry.seq, problem)
        found = first_problem([msgspec.structs.asdict(entry_public(entry))], last.hash, last.seq + 1)
        if found:
            return last, found
        last = Head(entry.seq, entry.hash)
    return last, None
