"""Two pacer workers on one PostgreSQL database share one broadcast: rows are claimed with
FOR UPDATE SKIP LOCKED, so both work and no recipient gets it twice. Skipped without PostgreSQL."""

from __future__ import annotations

import asyncio
import collections
import time

import pytest

from bench.broadcast import seed_subscribers
from bot.core.delivery import SentInfo
from bot.core.messages import Reply
from bot.db.engine import Database
from bot.db.migrate import upgrade
from handlers.officers import outbox
from scheduler.pacer import Pacer
from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(not PG_URL, reason="HOCBOT_TEST_DATABASE_URL not set")
N = 1500


class Recorder:
    """A channel that takes a couple of milliseconds per message and remembers who sent what."""

    name = "telegram"

    def __init__(self, worker: str, log: list[tuple[str, str]]) -> None:
        self.worker = worker
        self.log = log

    async def send(self, chat_key: str, reply: Reply) -> SentInfo:
        await asyncio.sleep(0.002)
        self.log.append((self.worker, chat_key))
        return SentInfo()


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_two_workers_deliver_one_broadcast_without_duplicates(db_url: str) -> None:
    db_a, db_b = Database(db_url), Database(db_url)
    await upgrade(db_a)
    chats = await seed_subscribers(db_a, N)
    async with db_a.session() as s:
        b = await outbox.create_broadcast(s, text="Thông báo chung", created_by="cli", group_ids="all")
        assert b.id is not None
        await outbox.queue_broadcast(s, b)
        bid = b.id
    log: list[tuple[str, str]] = []
    workers = [
        Pacer(db, {"telegram": Recorder(name, log)}, rate=600, zalo_rate=5, per_chat=1.0, worker_id=name)
        for name, db in (("w1", db_a), ("w2", db_b))
    ]
    for w in workers:
        await w.start()
    try:
        deadline = time.monotonic() + 30
        while len(log) < N and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)
    finally:
        for w in workers:
            await w.stop()
    per_chat = collections.Counter(chat for _, chat in log)
    per_worker = collections.Counter(w for w, _ in log)
    assert set(per_chat) == {str(c) for c in chats}
    assert max(per_chat.values()) == 1
    assert per_worker["w1"] > N // 5 and per_worker["w2"] > N // 5, per_worker
    async with db_a.session() as s:
        counts = await outbox.broadcast_counts(s, bid)
    assert counts["sent"] == N
    await db_a.dispose()
    await db_b.dispose()
