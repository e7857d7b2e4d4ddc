"""A small in-process cache for the dashboard's aggregate numbers (the database stays the source of truth).

Overview numbers over 100,000 subscribers take several aggregate queries; officers do not need them to the
second. A value is fresh for `ttl` seconds; after that the stale value is served at once while one background
task recomputes it (stale-while-revalidate); past `max_stale` the request waits for a new value. One
computation per key at a time, a bounded number of keys.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class Entry:
    value: Any
    at: float  # monotonic time of the computation
    wall: dt.datetime  # when it was computed, shown on the page


class StatsCache:
    def __init__(self, ttl: float = 60.0, max_stale: float = 600.0, size: int = 256,
                 clock: Callable[[], dt.datetime] | None = None) -> None:  # fmt: skip
        self.ttl, self.max_stale, self.size = ttl, max_stale, size
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._entries: OrderedDict[Hashable, Entry] = OrderedDict()
        self._locks: dict[Hashable, asyncio.Lock] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._refreshing: set[Hashable] = set()

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[Any]]) -> tuple[Any, dt.datetime]:
        """(value, computed at): cached, stale-and-refreshing, or computed now."""
        entry = self._entries.get(key)
        age = time.monotonic() - entry.at if entry else None
        if entry is not None and age is not None and age < self.ttl:
            self._entries.move_to_end(key)
            return entry.value, entry.wall
        if entry is not None and age is not None and age < self.max_stale:
            if key not in self._refreshing:
                self._refreshing.add(key)
                task = asyncio.create_task(self._refresh(key, compute))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            return entry.value, entry.wall
        async with self._lock(key):
            fresh = self._entries.get(key)
            if fresh is not None and time.monotonic() - fresh.at < self.ttl:
                return fresh.value, fresh.wall
            return await self._compute(key, compute)

    def clear(self) -> None:
        """Forget every value (after an action that changes the numbers a lot, and in tests)."""
        self._entries.clear()

    def _lock(self, key: Hashable) -> asyncio.Lock:
        lock = self._locks.get(key)
        if lock is None:
            if len(self._locks) > 4 * self.size:  # drop idle locks so the dict stays bounded
                self._locks = {k: v for k, v in self._locks.items() if v.locked()}
            lock = self._locks[key] = asyncio.Lock()
        return lock

    async def _compute(self, key: Hashable, compute: Callable[[], Awaitable[Any]]) -> tuple[Any, dt.datetime]:
        value = await compute()
        entry = Entry(value, time.monotonic(), self.clock())
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return entry.value, entry.wall

    async def _refresh(self, key: Hashable, compute: Callable[[], Awaitable[Any]]) -> None:
        try:
            async with self._lock(key):
                await self._compute(key, compute)
        except Exception:
            log.exception("dashboard: recomputing %r failed; the old numbers stay", key)
        finally:
            self._refreshing.discard(key)

    async def close(self) -> None:
        """Stop background refreshes (at shutdown, before the database goes away)."""
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


def cache_of(services: Any) -> StatsCache:
    cache = services.extras.get("dashboard_cache")
    if cache is None:
        cache = services.extras["dashboard_cache"] = StatsCache(clock=services.now)
    return cache  # type: ignore[no-any-return]
