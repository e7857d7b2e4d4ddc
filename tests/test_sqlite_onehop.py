"""SQLite's trips to aiosqlite's thread (bot/db/sqlite_onehop.py): the hot path's small statements run on the event
loop only while their unit of work holds the write lock; a wait for another process's lock stays on the thread."""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiosqlite.core
import pytest

from bot.db import repo, sqlite_onehop
from bot.db.engine import Database
from bot.db.migrate import upgrade


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Every trip to aiosqlite's thread, by what it ran."""
    counted: Counter[str] = Counter()
    original = aiosqlite.core.Connection._execute

    async def counting(self: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
        counted[getattr(fn, "__name__", "?")] += 1
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.core.Connection, "_execute", counting)
    return counted


async def test_a_unit_of_work_makes_no_trip(tmp_path: Path, trips: Counter[str]) -> None:
    path = tmp_path / "h.db"
    db = Database(f"sqlite+aiosqlite:///{path}")
    try:
        await upgrade(db)
        async with db.session() as s:  # the account's first event: created through the ORM (its own trips)
            await repo.record_inbound(s, "telegram", "1", "42", "text")
            user, _ident = await repo.load_or_create(s, "telegram", "42", "42", "Lan")
        trips.clear()
        async with db.session() as s:
            assert await repo.record_inbound(s, "telegram", "2", "42", "text")  # the write lock was free: inline
            user, _ident = await repo.load_or_create(s, "telegram", "42", "42", "Lan")  # inline
            await repo.set_pending(s, user, '[["1", "a"]]')  # inline
        # the commit and the pool's rollback when it takes the connection back run inline: no trip, and no read
        # lock outlives the unit of work (another connection can checkpoint the whole WAL at once)
        assert trips == Counter()
        other = sqlite3.connect(path, timeout=0)
        assert other.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
        other.close()
        async with db.session() as s:
            assert not await repo.record_inbound(s, "telegram", "2", "42", "text")  # a repeat, still seen
            found, _ = await repo.load_or_create(s, "telegram", "42", "42", "Lan")
            assert found.pending == '[["1", "a"]]'
    finally:
        await db.dispose()


async def test_a_wait_for_another_process_write_lock_never_blocks_the_event_loop(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    db = Database(f"sqlite+aiosqlite:///{path}")
    try:
        await upgrade(db)
        other = sqlite3.connect(path, isolation_level=None)  # another process's writer, holding the lock
        other.execute("BEGIN IMMEDIATE")
        ticks: list[float] = []

        async def ticker() -> None:
            while True:
                ticks.append(time.monotonic())
                await asyncio.sleep(0.01)

        async def release() -> None:
            await asyncio.sleep(0.4)
            other.execute("COMMIT")

        beat = asyncio.create_task(ticker())
        freed = asyncio.create_task(release())
        started = time.monotonic()
        async with db.session() as s:  # the first write (marked inline) waits on aiosqlite's thread
            assert await repo.record_inbound(s, "telegram", "9", "43", "text")
            await repo.load_or_create(s, "telegram", "43", "43", "Mai")
        waited = time.monotonic() - started
        beat.cancel()
        await freed
        other.close()
        assert waited >= 0.35  # it did wait for the lock
        gaps = [b - a for a, b in itertools.pairwise(ticks) if a >= started]
        assert gaps and max(gaps) < 0.2  # …while the loop kept running
    finally:
        await db.dispose()


async def test_the_wal_is_checkpointed_off_the_loop_every_few_commits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Commits run on the loop with SQLite's automatic checkpoint off; `Checkpoints` keeps the WAL small."""
    monkeypatch.setattr(sqlite_onehop, "CHECKPOINT_EVERY", 10)
    made: list[sqlite_onehop.Checkpoints] = []
    init = sqlite_onehop.Checkpoints.__init__

    def kept(self: sqlite_onehop.Checkpoints, path: str) -> None:
        init(self, path)
        made.append(self)

    monkeypatch.setattr(sqlite_onehop.Checkpoints, "__init__", kept)
    path = tmp_path / "h.db"
    db = Database(f"sqlite+aiosqlite:///{path}")
    try:
        await upgrade(db)
        async with db.session() as s:
            user, _ident = await repo.load_or_create(s, "telegram", "42", "42", "Lan")
        big = "x" * 40_000  # ten pages a commit: 600 commits make an 11 MB WAL without checkpoints (measured)
        for i in range(600):
            async with db.session() as s:
                assert await repo.record_inbound(s, "telegram", str(i), "42", "text")
                await repo.set_pending(s, user, f"{i}{big}")
            if i % 10 == 9:  # the checkpoint's thread gets its turn, however slow the machine (a fixed 50 ms was not)
                for _ in range(2000):  # 10 s at most
                    if not any(c.running for c in made):
                        break
                    await asyncio.sleep(0.005)
        wal = path.with_name("h.db-wal")
        # Without `Checkpoints` the WAL ends at 11.4 MB here; with them about 1 MB, up to 3.2 MB when a loaded machine
        # (CI, the whole suite on 2 workers) left a checkpoint short of the last frames while a reader held them.
        assert wal.stat().st_size < 6_000_000
        async with db.session() as s:
            found, _ = await repo.load_or_create(s, "telegram", "42", "42", "Lan")
            assert found.pending == f"599{big}"
    finally:
        await db.dispose()


async def test_a_connection_thrown_away_twice_closes_without_waiting_forever(tmp_path: Path) -> None:
    # The shutdown hang seen once in CI: SQLAlchemy throws away a connection whose unit of work was cancelled
    # mid-statement (a shielded graceful close), the task is cancelled again (SQLAlchemy queues a force stop), then
    # the closing event loop cancels the graceful close. With aiosqlite's own close() that waited forever for a stop
    # queued after the one its thread had already ended at, and the loop's shutdown never finished.
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'h.db'}")
    try:
        conn = await db.engine.connect()
        raw = await conn.get_raw_connection()
        adapted = raw.dbapi_connection
        assert isinstance(adapted, sqlite_onehop.OneHopConnection)
        closing = asyncio.create_task(adapted._terminate_graceful_close())
        await asyncio.sleep(0)  # the graceful close has queued its work on aiosqlite's thread
        adapted._terminate_force_close()  # the second cancel's force stop
        closing.cancel()  # the closing event loop cancels what is left
        done, _ = await asyncio.wait({closing}, timeout=10)
        assert closing in done, "the thrown-away connection's close waits forever"
        thread = adapted._connection._thread
        await asyncio.to_thread(thread.join, 10)
        assert not thread.is_alive()  # its thread has ended: nothing is left behind
        await conn.invalidate()
        await conn.close()
    finally:
        await db.dispose()
