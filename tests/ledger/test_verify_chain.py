"""verify_chain (behind `registry ledger verify`) finds the same first problem as the standalone verifier
(registry/ledger/verifier.py, the oracle) for every kind of damage, and accepts an intact chain."""

import json
from types import SimpleNamespace

import pytest

from registry.ledger.chain import Head, stored_form_problem, verify_chain
from registry.ledger.verifier import GENESIS_HASH, canonical, entry_hash, first_problem


def chain_of(count: int) -> list[SimpleNamespace]:
    entries, prev = [], GENESIS_HASH
    for seq in range(1, count + 1):
        payload = {"request_number": f"R2027-{seq:05d}", "title": f"第{seq}项", "hours": seq / 4, "ok": seq % 2 == 0}
        digest = entry_hash(prev, seq, "2027-01-01T00:00:00.000000Z", "request.decided", payload)
        entries.append(SimpleNamespace(seq=seq, recorded_at="2027-01-01T00:00:00.000000Z", kind="request.decided",
                                       payload=canonical(payload).decode(), prev_hash=prev, hash=digest))
        prev = digest
    return entries


def oracle(entries: list[SimpleNamespace]) -> tuple[Head, tuple[int, str] | None]:
    """The checks as the standalone verifier states them, one entry at a time."""
    last = Head(0, GENESIS_HASH)
    for entry in entries:
        problem = stored_form_problem(entry)  # type: ignore[arg-type]
        if problem:
            return last, (entry.seq, problem)
        public = {"seq": entry.seq, "recorded_at": entry.recorded_at, "kind": entry.kind,
                  "payload": json.loads(entry.payload), "prev_hash": entry.prev_hash, "hash": entry.hash}
        found = first_problem([public], last.hash, last.seq + 1)
        if found:
            return last, found
        last = Head(entry.seq, entry.hash)
    return last, None


DAMAGE = {
    "intact": lambda e: None,
    "payload not JSON": lambda e: setattr(e[3], "payload", e[3].payload[:-1]),
    "payload not canonical": lambda e: setattr(e[3], "payload", e[3].payload.replace(",", ", ", 1)),
    "payload edited": lambda e: setattr(e[3], "payload", e[3].payload.replace("第", "X", 1)),
    "kind edited": lambda e: setattr(e[3], "kind", "duty.added"),
    "time edited": lambda e: setattr(e[3], "recorded_at", "2027-01-02T00:00:00.000000Z"),
    "seq gap": lambda e: e.pop(3),
    "prev_hash edited": lambda e: setattr(e[3], "prev_hash", "f" * 64),
    "hash edited": lambda e: setattr(e[3], "hash", "0" * 64),
    "last entry edited": lambda e: setattr(e[-1], "payload", e[-1].payload.replace("R2027", "R2028")),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_verify_chain_agrees_with_the_standalone_verifier(damage: str):
    entries = chain_of(8)
    DAMAGE[damage](entries)
    found = verify_chain(entries)  # type: ignore[arg-type]
    assert found == oracle(entries)
    assert (found[1] is None) == (damage == "intact")
