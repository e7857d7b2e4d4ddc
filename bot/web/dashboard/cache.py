"""A small in-process cache for the dashboard's aggregate numbers (the database stays the source of truth).

Overview numbers over 100,000 subscribers take several aggregate queries; officers do not need them to the
second. A value is fresh for `ttl` seconds; after that the stale value is served at once while one background
task recomputes it (stale-while-revalidate); past `max_stale` the request waits for a new value. One
computation per key at a time, a bounded number of keys. `keep_warm()` (a background loop started with the
app) also recomputes, shortly before they expire, the entries requested in the last `recent` seconds, so an
officer who comes back gets numbers at most a minute old without waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any

from bot.core.context import Services
from bot.core.faults import log_failure
from bot.core.tasks import cancel_and_wait

log = logging.getLogger(__name__)


Compute = Callable[[], Awaitable[Any]]


@dataclass
class Entry:
    value: Any
    at: float  # monotonic time of the computation
    wall: dt.datetime  # when it was computed, shown on the page
    compute: Compute  # how to recompute it (kept for keep_warm)
    used: float  # monotonic time it was last requested


class StatsCache:
    def __init__(self, ttl: float = 60.0, max_stale: float = 600.0, size: int = 256,
                 clock: Callable[[], dt.datetime] | None = None, *, ahead: float = 10.0, recent: float = 300.0,
                 monotonic: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        self.ttl, self.max_stale, self.size = ttl, max_stale, size
        self.ahead, self.recent = ahead, recent  # refresh `ahead` s before expiry if used in the last `recent` s
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.monotonic = monotonic
        self.pinned: set[Hashable] = set()  # always kept warm (the admin overview), requested or not
        self._entries: OrderedDict[Hashable, Entry] = OrderedDict()
        self._locks: dict[Hashable, asyncio.Lock] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._refreshing: set[Hashable] = set()
        self._generation = 0

    async def get(self, key: Hashable, compute: Compute) -> tuple[Any, dt.datetime]:
        """(value, computed at): cached, stale-and-refreshing, or computed now."""
        now = self.monotonic()
        entry = self._entries.get(key)
        if entry is not None and now - entry.at < self.max_stale:
            entry.used = now
            self._entries.move_to_end(key)
            if now - entry.at >= self.ttl:
                self._spawn(key, compute)
            return entry.value, entry.wall
        async with self._lock(key):
            fresh = self._entries.get(key)
            if fresh is not None and self.monotonic() - fresh.at < self.ttl:
                return fresh.value, fresh.wall
            return await self._compute(key, compute)

    async def fresh(self, key: Hashable, compute: Compute) -> tuple[Any, dt.datetime]:
        """Computed now whatever is cached, and kept for the next get(): a form that must check the latest
        number (a broadcast reaching nobody) saves the page it leads to from counting again."""
        async with self._lock(key):
            return await self._compute(key, compute)

    def refresh_due(self) -> int:
        """Start a background recomputation of every entry requested in the last `recent` seconds (or pinned)
        that expires within `ahead` seconds (or has expired); returns how many were started."""
        now, started = self.monotonic(), 0
        for key, entry in list(self._entries.items()):
            wanted = key in self.pinned or now - entry.used <= self.recent
            if wanted and now - entry.at >= self.ttl - self.ahead:
                started += self._spawn(key, entry.compute)
        return started

    async def keep_warm(self, every: float = 5.0) -> None:
        """Forever: refresh_due() every `every` seconds (a background task of the app)."""
        while True:
            await asyncio.sleep(every)
            self.refresh_due()

    def clear(self) -> None:
        """Forget every value (after an action that changes the numbers a lot, and in tests)."""
        self._entries.clear()
        self._generation += 1  # a computation still running stores nothing

    def _spawn(self, key: Hashable, compute: Compute) -> bool:
        """One background refresh of `key` at a time."""
        if key in self._refreshing:
            return False
        self._refreshing.add(key)
        task = asyncio.create_task(self._refresh(key, compute))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    def _lock(self, key: Hashable) -> asyncio.Lock:
        lock = self._locks.get(key)
        if lock is None:
            if len(self._locks) > 4 * self.size:  # drop idle locks so the dict stays bounded
                self._locks = {k: v for k, v in self._locks.items() if v.locked()}
            lock = self._locks[key] = asyncio.Lock()
        return lock

    async def _compute(self, key: Hashable, compute: Compute) -> tuple[Any, dt.datetime]:
        generation = self._generation
        value = await compute()
        old = self._entries.get(key)
        now = self.monotonic()
        entry = Entry(value, now, self.clock(), compute, old.used if old is not None else now)
        if generation != self._generation:
            return entry.value, entry.wall
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return entry.value, entry.wall

    async def _refresh(self, key: Hashable, compute: Compute) -> None:
        try:
            async with self._lock(key):
                entry = self._entries.get(key)  # another request may have just recomputed it
                if entry is None or self.monotonic() - entry.at >= self.ttl - self.ahead:
                    await self._compute(key, compute)
        except Exception as exc:
            log_failure(log, "dashboard-cache", f"dashboard: recomputing {key!r} failed; the old numbers stay", exc)
        finally:
            self._refreshing.discard(key)

    async def close(self) -> None:
        """Stop background refreshes (at shutdown, before the database goes away)."""
        with contextlib.suppress(Exception):
            await cancel_and_wait(*self._tasks)


_CACHES: weakref.WeakKeyDictionary[Services, StatsCache] = weakref.WeakKeyDictionary()


def cache_of(services: Services) -> StatsCache:
    """The dashboard's numbers cache of these services (one per process in `hocbot run`)."""
    cache = _CACHES.get(services)
    if cache is None:
        cache = _CACHES[services] = StatsCache(clock=services.now)
    return cache
