"""Whole-response cache for queries, keyed by what determines the answer.

The key is the document, operation, variables, the caller's visibility and language; an entry
is only served while the database's data version is the one it was computed at. The version is
read from the database on each request, so every web worker drops stale entries as soon as any
worker commits a change (no in-process invalidation to share).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import orjson


@dataclass(frozen=True, slots=True)
class CachedResponse:
    data_version: int
    body: bytes


def cache_key(
    query: str, operation: str | None, variables: dict[str, Any] | None, audience: str
) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for part in (query, operation or "", audience):
        digest.update(part.encode())
        digest.update(b"\x00")
    digest.update(orjson.dumps(variables, option=orjson.OPT_SORT_KEYS))
    return digest.hexdigest()


class ResponseCache:
    """Bounded in entries and in bytes of the bodies kept (the caller skips oversized bodies)."""

    def __init__(self, size: int = 2048, max_bytes: int = 64_000_000) -> None:
        self._size = size
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: OrderedDict[str, CachedResponse] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: str, data_version: int) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None or entry.data_version != data_version:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry.body

    def put(self, key: str, data_version: int, body: bytes) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self.bytes -= len(old.body)
        self._entries[key] = CachedResponse(data_version, body)
        self.bytes += len(body)
        while len(self._entries) > self._size or self.bytes > self.max_bytes:
            _, dropped = self._entries.popitem(last=False)
            self.bytes -= len(dropped.body)

    def __len__(self) -> int:
        return len(self._entries)
