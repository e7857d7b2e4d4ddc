"""The dashboard's numbers cache: fresh values served, stale ones served at once while one refresh runs,
recently used (or pinned) entries refreshed before they expire, forgotten ones left alone."""

from __future__ import annotations

import asyncio

from bot.web.dashboard.cache import StatsCache


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


class Counter:
    """A computation that returns how many times it ran, and can be held to see overlapping refreshes."""

    def __init__(self) -> None:
        self.runs = 0
        self.gate = asyncio.Event()
        self.gate.set()

    async def __call__(self) -> int:
        await self.gate.wait()
        self.runs += 1
        return self.runs


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_fresh_then_stale_while_one_refresh_runs() -> None:
    clock, count = Clock(), Counter()
    cache = StatsCache(ttl=60, max_stale=600, monotonic=clock)
    assert (await cache.get("admin", count))[0] == 1
    clock.t += 30
    assert (await cache.get("admin", count))[0] == 1 and count.runs == 1  # fresh: no query
    clock.t += 40  # past the ttl: the old number at once, one refresh behind it
    count.gate.clear()
    values = [(await cache.get("admin", count))[0] for _ in range(5)]
    assert values == [1] * 5
    count.gate.set()
    await settle()
    assert count.runs == 2  # five stale reads, one refresh
    assert (await cache.get("admin", count))[0] == 2
    await cache.close()


async def test_too_old_values_are_recomputed_before_answering() -> None:
    clock, count = Clock(), Counter()
    cache = StatsCache(ttl=60, max_stale=600, monotonic=clock)
    await cache.get("k", count)
    clock.t += 601
    assert (await cache.get("k", count))[0] == 2


async def test_keep_warm_refreshes_recent_and_pinned_entries_only() -> None:
    clock, recent, forgotten, pinned = Clock(), Counter(), Counter(), Counter()
    cache = StatsCache(ttl=60, ahead=10, recent=300, monotonic=clock)
    await cache.get("forgotten", forgotten)
    await cache.get("pinned", pinned)
    cache.pinned.add("pinned")
    clock.t += 400  # nobody asked for anything since
    await cache.get("recent", recent)
    clock.t += 45
    assert cache.refresh_due() == 1  # the pinned one (expired); "recent" has 15 s left; "forgotten" stays
    await settle()
    assert (pinned.runs, recent.runs, forgotten.runs) == (2, 1, 1)
    clock.t += 6  # "recent" now expires within `ahead`
    assert cache.refresh_due() == 1
    await settle()
    assert (pinned.runs, recent.runs, forgotten.runs) == (2, 2, 1)
    await cache.close()


async def test_clear_drops_a_computation_already_running() -> None:
    clock, count = Clock(), Counter()
    cache = StatsCache(monotonic=clock)
    count.gate.clear()
    task = asyncio.create_task(cache.get("k", count))
    await settle()
    cache.clear()  # e.g. a broadcast was just sent: the numbers being computed are already old
    count.gate.set()
    assert (await task)[0] == 1
    assert (await cache.get("k", count))[0] == 2  # the pre-clear value was not kept


async def test_fresh_counts_now_and_the_next_page_reuses_it() -> None:
    """The compose form counts the recipients now (a cached 0 must not stop a broadcast); the draft page it
    redirects to shows that count without counting again."""
    clock, count = Clock(), Counter()
    cache = StatsCache(ttl=60, max_stale=600, monotonic=clock)
    assert (await cache.get("recipients", count))[0] == 1
    clock.t += 10  # still fresh, yet the form wants the latest number
    assert (await cache.fresh("recipients", count))[0] == 2 and count.runs == 2
    assert (await cache.get("recipients", count))[0] == 2 and count.runs == 2
    await cache.close()
