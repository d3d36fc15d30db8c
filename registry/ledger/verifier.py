#!/usr/bin/env python3
"""Standalone ledger verifier: Python standard library only; trusts nothing but the hash rule.

    python verifier.py http://127.0.0.1:8000            # check the chain, rebuild the catalog
    python verifier.py http://127.0.0.1:8000 --catalog  # also compare with GET /api/v1/duties

It downloads GET /api/v1/ledger page by page, recomputes every hash (contract §3), checks that
`seq` runs 1, 2, 3… without gaps and that each `prev_hash` is the previous `hash`, and replays the
`duty.*` entries into a catalog. Exit 0 and `ok seq=N hash=H`, or exit 1 and `bad seq=N: why`.
The registry itself imports `canonical`, `entry_hash` and `first_problem` from this file.
"""

import hashlib
import json
import math
import sys
import urllib.parse
import urllib.request

GENESIS_HASH = "0" * 64
CATALOG_KINDS = ("duty.added", "duty.amended", "duty.retired")
MAX_NUMBER = 10**15


def normalise(value):
    """Return *value* with integral floats as ints; refuse what a payload may not hold."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        if abs(value) >= MAX_NUMBER:
            raise ValueError("number too large for a ledger payload")
        return value
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) >= MAX_NUMBER:
            raise ValueError("number not allowed in a ledger payload")
        return int(value) if value.is_integer() else value
    if isinstance(value, (list, tuple)):
        return [normalise(item) for item in value]
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise ValueError("payload keys must be strings")
        return {key: normalise(item) for key, item in value.items()}
    raise ValueError(f"type {type(value).__name__} not allowed in a ledger payload")


def canonical(payload) -> bytes:
    """The canonical bytes of a payload (contract §3)."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def entry_hash(prev_hash: str, seq: int, recorded_at: str, kind: str, payload) -> str:
    """sha256 over prev_hash, seq, recorded_at, kind (newline-terminated) and the canonical payload."""
    return canonical_entry_hash(prev_hash, seq, recorded_at, kind, canonical(payload))


def canonical_entry_hash(prev_hash: str, seq: int, recorded_at: str, kind: str, payload_bytes: bytes) -> str:
    """`entry_hash` for a payload already in its canonical bytes."""
    head = (prev_hash + "\n" + str(seq) + "\n" + recorded_at + "\n" + kind + "\n").encode("utf-8")
    return hashlib.sha256(head + payload_bytes).hexdigest()


def first_problem(entries, prev_hash: str = GENESIS_HASH, expected_seq: int = 1):
    """Return (seq, why) for the first entry that breaks the chain, or None when all hold.

    *entries* are dicts shaped like the API's ENTRY; checking can start mid-chain by passing the
    hash and seq that precede the first entry.
    """
    for entry in entries:
        seq = entry.get("seq")
        if seq != expected_seq:  # name the entry by its place in the chain, not by its (wrong) number
            return expected_seq, f"expected seq {expected_seq}, found {seq}"
        if entry.get("prev_hash") != prev_hash:
            return seq, "prev_hash does not match the previous entry's hash"
        try:
            digest = entry_hash(prev_hash, seq, entry["recorded_at"], entry["kind"], entry["payload"])
        except (KeyError, TypeError, ValueError) as exc:
            return seq, f"malformed entry ({exc})"
        if digest != entry.get("hash"):
            return seq, "hash does not match the entry's content"
        prev_hash, expected_seq = digest, expected_seq + 1
    return None


def replay_catalog(entries) -> dict:
    """Rebuild the catalog {code: duty} from the duty.* entries, in order."""
    catalog = {}
    for entry in entries:
        if entry["kind"] in CATALOG_KINDS:
            duty = entry["payload"]["duty"]
            catalog[duty["code"]] = duty
    return catalog


def _get_json(url: str):
    if not url.startswith(("http://", "https://")):
        raise ValueError("the registry URL must start with http:// or https://")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 (checked above)
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (the user names the server)
        return json.loads(response.read().decode("utf-8"))


def fetch_entries(base_url: str, page_size: int = 1000):
    """Download every ledger entry from a running registry."""
    entries, after = [], 0
    while True:
        query = urllib.parse.urlencode({"after": after, "limit": page_size})
        page = _get_json(f"{base_url.rstrip('/')}/api/v1/ledger?{query}")
        batch = page["entries"]
        entries.extend(batch)
        if len(batch) < page_size:
            return entries, page["head"]
        after = batch[-1]["seq"]


def fetch_active_duties(base_url: str) -> dict:
    duties, page = {}, 1
    while True:
        data = _get_json(f"{base_url.rstrip('/')}/api/v1/duties?status=active&per_page=100&page={page}")
        duties.update({item["code"]: item for item in data["items"]})
        if page * data["per_page"] >= data["total"]:
            return duties
        page += 1


def main(argv=None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    compare = "--catalog" in args
    args = [a for a in args if a != "--catalog"]
    base_url = args[0] if args else "http://127.0.0.1:8000"
    entries, head = fetch_entries(base_url)
    problem = first_problem(entries)
    if problem:
        print(f"bad seq={problem[0]}: {problem[1]}")
        return 1
    last = entries[-1] if entries else {"seq": 0, "hash": GENESIS_HASH}
    if head.get("seq") != last["seq"] or head.get("hash") != last["hash"]:
        print(f"bad seq={head.get('seq')}: the head does not match the last entry")
        return 1
    catalog = replay_catalog(entries)
    active = {code: duty for code, duty in catalog.items() if duty.get("status") == "active"}
    if compare:
        served = fetch_active_duties(base_url)
        for code in sorted(set(active) | set(served)):
            if active.get(code) != {k: v for k, v in served.get(code, {}).items() if k in active.get(code, {})}:
                print(f"bad catalog: duty {code} differs from the replay of the ledger")
                return 1
    print(f"ok seq={last['seq']} hash={last['hash']} duties={len(active)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
