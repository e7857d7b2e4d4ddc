"""The pacer's rate on a clock the test controls: a broadcast keeps the configured rate from its first message
(lateness is made up, never faster than 1.1× the rate), an idle spell never becomes a burst, and the next batch
is claimed while the current one goes out, so no recipient is lost or sent twice."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

from bench.broadcast import seed_subscribers
from bot.core.delivery import SentInfo
from bot.core.messages import Reply
from bot.db.engine import Database
from bot.db.migrate import upgrade
from handlers.officers import outbox
from scheduler.lane import TokenBucket
from scheduler.pacer import Pacer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)


async def sends(bucket: TokenBucket, clock: Clock, n: int, late: dict[int, float] | None = None) -> list[float]:
    """When each of n sends goes out; `late[i]` s pass (a busy server) before send i asks its turn."""
    times = []
    for i in range(n):
        clock.now += (late or {}).get(i, 0.0)
        await bucket.take()
        times.append(clock.now)
    return times


async def test_lateness_is_made_up_without_sending_faster_than_the_platform_allows() -> None:
    clock = Clock()
    bucket = TokenBucket(25.0, clock=clock, sleep=clock.sleep)
    start = clock.now
    times = await sends(bucket, clock, 100, late={10: 0.2, 40: 0.05, 41: 0.05})
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 1 / (25.0 * 1.1) - 1e-9  # never more than 10 % above the configured rate
    assert times[-1] - start <= 99 / 25.0 + 1e-9  # 0.3 s of lateness made up: 100 messages in 3.96 s


async def test_an_idle_spell_is_not_lateness() -> None:
    clock = Clock()
    bucket = TokenBucket(25.0, clock=clock, sleep=clock.sleep)
    await sends(bucket, clock, 5)
    bucket.rest()  # nothing left to send
    clock.now += 30.0
    times = await sends(bucket, clock, 26)
    assert times[-1] - times[0] >= 25 / 25.0 - 1e-9  # a new broadcast starts at the rate, no burst
    assert min(b - a for a, b in itertools.pairwise(times)) >= 1 / 25.0 - 1e-9


async def test_a_reply_and_a_429_still_hold_bulk_back() -> None:
    clock = Clock()
    bucket = TokenBucket(10.0, clock=clock, sleep=clock.sleep)
    await bucket.take()
    bucket.spend(5)  # five interactive replies went out on this channel
    before = clock.now
    await bucket.take()
    assert clock.now - before >= 0.5
    bucket.pause(3.0)
    before = clock.now
    await bucket.take()
    assert clock.now - before >= 3.0


class Phone:
    name = "telegram"

    def __init__(self) -> None:
        self.got: dict[str, int] = {}

    async def send(self, chat_key: str, reply: Reply) -> SentInfo:
        self.got[chat_key] = self.got.get(chat_key, 0) + 1
        return SentInfo()


async def test_claiming_ahead_loses_and_repeats_nobody(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'h.db'}")
    await upgrade(db)
    chats = await seed_subscribers(db, 230)  # several batches of 50 plus a short last one
    phone = Phone()
    pacer = Pacer(db, {"telegram": phone}, rate=50.0, zalo_rate=5.0, per_chat=0.0, poll=0.05)
    async with db.session() as s:
        b = await outbox.create_broadcast(s, text="Họp chi hội tối nay", created_by="test", group_ids="all")
        await outbox.queue_broadcast(s, b)
    await pacer.start()
    try:
        for _ in range(600):
            if len(phone.got) >= len(chats):
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)
    finally:
        await pacer.stop()
        async with db.session() as s:
            counts = await outbox.broadcast_counts(s, b.id or 0)
        await db.dispose()
    assert sorted(phone.got) == sorted(str(c) for c in chats)
    assert set(phone.got.values()) == {1}
    assert counts["sent"] == len(chats) and counts["queued"] == counts["sending"] == 0
