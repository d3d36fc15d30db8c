"""Public shapes of the ledger (contract §3 ENTRY and the `GET /api/v1/ledger` page)."""

from typing import Any, Literal

import msgspec


class EntryPublic(msgspec.Struct, frozen=True, kw_only=True):
    """ENTRY: `{seq, recorded_at, kind, payload, prev_hash, hash}`; `payload` as it was hashed."""

    seq: int
    recorded_at: str
    kind: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str


class LedgerHead(msgspec.Struct, frozen=True, kw_only=True):
    """The newest entry, to check a download against."""

    seq: int
    hash: str
    alg: Literal["sha256"] = "sha256"


class LedgerPage(msgspec.Struct, frozen=True, kw_only=True):
    head: LedgerHead
    entries: list[EntryPublic]
