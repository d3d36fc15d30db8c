"""Tamper: random single mutations of a ledger copy (bit flip, delete, swap, insert, timestamp edit); the
registry's own chain check (`registry ledger verify`'s) must catch each, naming the first bad seq. The copy's
known head (seq, hash), as a mirror or a printed receipt holds it, catches a cut or an extension at the end."""

import random
import time
from types import SimpleNamespace

from registry.db import Database
from registry.ledger import chain

FIELDS = ("recorded_at", "kind", "payload", "prev_hash", "hash")


def load(url: str) -> list[SimpleNamespace]:
    database = Database(url)
    try:
        with database.read() as session:
            return [SimpleNamespace(seq=e.seq, recorded_at=e.recorded_at, kind=e.kind, payload=e.payload,
                                    prev_hash=e.prev_hash, hash=e.hash) for e in chain.iter_entries(session)]
    finally:
        database.dispose()


def first_bad(entries: list[SimpleNamespace], known_head: tuple[int, str]) -> int | None:
    head, problem = chain.verify_chain(entries)
    if problem:
        return problem[0]
    if (head.seq, head.hash) != known_head:  # cut short, or extended, at the end
        return head.seq + 1 if head.seq < known_head[0] else known_head[0] + 1
    return None


def first_difference(original: list[SimpleNamespace], copy: list[SimpleNamespace]) -> int:
    """The seq of the first place where the copy differs from the true ledger (what a verifier must name)."""
    for place, (true, found) in enumerate(zip(original, copy, strict=False), start=1):
        if vars(true) != vars(found):
            return place
    return min(len(original), len(copy)) + 1


def mutate(entries: list[SimpleNamespace], rng: random.Random) -> tuple[str, list[SimpleNamespace]]:
    """One mutation; returns its name and the mutated copy."""
    copy = [SimpleNamespace(**vars(e)) for e in entries]
    i = rng.randrange(len(copy))
    kind = rng.choice(("flip", "delete", "swap", "insert", "timestamp"))
    if kind == "flip":
        name = rng.choice(FIELDS)
        raw = bytearray(getattr(copy[i], name).encode("utf-8"))
        for _ in range(100):
            at, bit = rng.randrange(len(raw)), 1 << rng.randrange(8)
            raw[at] ^= bit
            try:
                setattr(copy[i], name, raw.decode("utf-8"))
                break
            except UnicodeDecodeError:
                raw[at] ^= bit
        return f"flip {name}", copy
    if kind == "delete":
        del copy[i]
        return "delete", copy
    if kind == "swap":
        j = i if i + 1 < len(copy) else i - 1
        copy[j], copy[j + 1] = copy[j + 1], copy[j]
        return "swap", copy
    if kind == "insert":
        forged = SimpleNamespace(**vars(copy[rng.randrange(len(copy))]))
        copy.insert(i, forged)
        return "insert", copy
    original = copy[i].recorded_at
    while copy[i].recorded_at == original:
        copy[i].recorded_at = original[:-2] + f"{rng.randrange(100):02d}"
    return "timestamp", copy


def run(url: str, count: int, seed: int = 7) -> bool:
    rng = random.Random(seed)
    entries = load(url)
    head = (entries[-1].seq, entries[-1].hash)
    assert first_bad(entries, head) is None, "the untouched ledger must verify"
    detected = named = 0
    misses: list[str] = []
    began = time.monotonic()
    by_kind: dict[str, int] = {}
    for _ in range(count):
        kind, copy = mutate(entries, rng)
        expected = first_difference(entries, copy)
        by_kind[kind.split()[0]] = by_kind.get(kind.split()[0], 0) + 1
        found = first_bad(copy, head)
        if found is not None:
            detected += 1
            if found == expected:
                named += 1
            else:
                misses.append(f"{kind}: named {found}, expected {expected}")
        else:
            misses.append(f"{kind}: not detected")
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(by_kind.items()))
    print(f"tamper: {detected}/{count} detected, {named}/{count} naming the first bad seq "
          f"({len(entries)} entries; {kinds}) in {time.monotonic() - began:.1f} s", flush=True)
    for miss in misses[:5]:
        print(f"  miss: {miss}", flush=True)
    return detected == count and named == count
