"""Answers of point reads kept in the service's own process, all dropped on any write.

Coherent because every reference service runs as a single process (one uvicorn worker)
that owns its database and writes it only through :meth:`Runtime.unit_of_work`, which
clears the cache after each unit of work (committed or not). Run a service as several
workers or replicas, or write its database behind its back, and the cache must go: set
``{PREFIX}READ_CACHE_SIZE=0``.

A read that misses records the cache's generation before it queries and stores its
answer only if no write finished meanwhile, so a slow read cannot put back a value a
write has just replaced.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any


class ReadCache:
    def __init__(self, max_entries: int = 10_000) -> None:
        self.max_entries = max_entries
        self.generation = 0
        self._entries: OrderedDict[str, Any] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.max_entries > 0

    def get(self, key: str) -> Any | None:
        return self._entries.get(key)

    def put(self, key: str, value: Any, *, generation: int) -> None:
        """Keep ``value`` unless a write finished since ``generation`` was read."""
        if generation != self.generation or not self.enabled:
            return
        self._entries[key] = value
        if len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)  # the oldest entry goes first

    def clear(self) -> None:
        self.generation += 1
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
