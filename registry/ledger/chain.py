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
from registry.ledger.verifier import GENESIS_HASH, canonical, canonical_entry_hash, entry_hash, normalise
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
    """Every entry in order, read in batches (plain rows with the entry's attributes, no ORM objects:
    verifying a million entries must not build a million of them)."""
    columns = select(LedgerEntry.seq, LedgerEntry.recorded_at, LedgerEntry.kind, LedgerEntry.payload,
                     LedgerEntry.prev_hash, LedgerEntry.hash).order_by(col(LedgerEntry.seq))
    after, connection = 0, session.connection()  # Core rows: the ORM's loading machinery adds nothing here
    while rows := connection.execute(columns.where(col(LedgerEntry.seq) > after).limit(batch)).all():
        yield from rows  # type: ignore[misc]
        after = rows[-1].seq


def _refuse_float(_text: str) -> float:
    raise ValueError("a float: left to the standard library")


_decode_fast = msgspec.json.Decoder(float_hook=_refuse_float).decode
_encode_fast = msgspec.json.Encoder(order="sorted").encode


def stored_form_problem_of(stored: bytes) -> str | None:
    """None when *stored* is exactly the canonical text (contract §3) of the payload it holds, else the problem.

    msgspec decodes and re-encodes in C, and its sorted compact output is byte-identical to `canonical()` for
    every payload without a float (tests/ledger/test_canonical_fast.py, a property test); so it may only say
    yes, and only for such payloads. Payloads with a float, and every "no", are decided by the standard
    library exactly as the standalone verifier decides them."""
    try:
        if _encode_fast(_decode_fast(stored)) == stored:
            return None
    except msgspec.MsgspecError:
        pass
    try:
        parsed = json.loads(stored)
    except ValueError:
        return "payload is not JSON"
    try:
        same = canonical(parsed) == stored
    except (UnicodeEncodeError, ValueError):  # a lone surrogate escaped in the text has no canonical bytes
        same = False
    return None if same else "payload is not stored in canonical form"


def stored_form_problem(entry: LedgerEntry) -> str | None:
    """A stored payload must be exactly its own canonical text."""
    return stored_form_problem_of(entry.payload.encode("utf-8"))


def verify_chain(entries: Iterable[LedgerEntry]) -> tuple[Head, tuple[int, str] | None]:
    """Check the stored chain; return the head reached and the first problem, if any.

    The checks and their order are those of `stored_form_problem` then the verifier's `first_problem`;
    since a payload must be its own canonical text, the hash is taken over the stored bytes directly
    (each payload is parsed and serialised once, not twice)."""
    last_seq, last_hash = 0, GENESIS_HASH
    for entry in entries:
        seq, stored = entry.seq, entry.payload.encode("utf-8")
        problem = stored_form_problem_of(stored)
        if problem:
            return Head(last_seq, last_hash), (seq, problem)
        if seq != last_seq + 1:
            return Head(last_seq, last_hash), (last_seq + 1, f"expected seq {last_seq + 1}, found {seq}")
        if entry.prev_hash != last_hash:
            return Head(last_seq, last_hash), (seq, "prev_hash does not match the previous entry's hash")
        digest = entry.hash
        if canonical_entry_hash(last_hash, seq, entry.recorded_at, entry.kind, stored) != digest:
            return Head(last_seq, last_hash), (seq, "hash does not match the entry's content")
        last_seq, last_hash = seq, digest
    return Head(last_seq, last_hash), None
