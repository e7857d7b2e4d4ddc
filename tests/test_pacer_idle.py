"""An idle pacer claims less and less often (up to `idle_poll`), yet rows queued in this process go out at once
(`wake()`), rows queued by another process within `idle_poll`, and a retry when it is due."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bench.broadcast import seed_subscribers
from bot.core.delivery import SentInfo, Stopped, Transient
from bot.core.messages import Reply
from bot.db.engine import Database
from bot.db.migrate import upgrade
from bot.db.models_officers import QUEUED, SENT
from handlers.officers import outbox
from scheduler.lane import DT, MAX_ATTEMPTS
from scheduler.pacer import Pacer


class Phone:
    name = "telegram"

    def __init__(self, fail_first: int = 0) -> None:
        self.got: dict[str, float] = {}  # chat → when it got the message (monotonic)
        self.fail_first = fail_first

    async def send(self, chat_key: str, reply: Reply) -> SentInfo:
        if self.fail_first:
            self.fail_first -= 1
            raise Transient("502 Bad Gateway")
        self.got[chat_key] = time.monotonic()
        return SentInfo()


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'h.db'}")
    await upgrade(database)
    yield database
    await database.dispose()


async def queue(db: Database) -> None:
    async with db.session() as s:
        b = await outbox.create_broadcast(s, text="Họp chi hội tối nay", created_by="test", group_ids="all")
        await outbox.queue_broadcast(s, b)


async def until(predicate: object, timeout: float) -> float:  # noqa: ASYNC109
    """Seconds until `predicate()` holds (fails after `timeout`)."""
    start = time.monotonic()
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() - start < timeout, "condition not met in time"
        await asyncio.sleep(0.005)
    return time.monotonic() - start


async def test_an_idle_lane_claims_less_and_less_often(db: Database) -> None:
    pacer = Pacer(db, {"telegram": Phone()}, rate=50, zalo_rate=5, per_chat=0.0, poll=0.05, idle_poll=0.4)
    await pacer.start()
    lane = pacer.lanes["telegram"]
    claims = 0
    claim = lane.claim

    async def counted() -> list:  # type: ignore[type-arg]
        nonlocal claims
        claims += 1
        return await claim()

    lane.claim = counted  # type: ignore[method-assign]
    try:
        await asyncio.sleep(2.0)
    finally:
        await pacer.stop()
    assert claims <= 10, claims  # every 0.05 s it was 40 claims; backing off to 0.4 s: about 7


async def test_rows_queued_here_go_out_at_once_even_after_a_long_idle_spell(db: Database) -> None:
    chats = await seed_subscribers(db, 3)
    phone = Phone()
    pacer = Pacer(db, {"telegram": phone}, rate=50, zalo_rate=5, per_chat=0.0, poll=0.05, idle_poll=30.0)
    await pacer.start()
    try:
        lane = pacer.lanes["telegram"]
        await until(lambda: lane.idle_wait >= 3.2, 10)  # the lane is in an idle wait of 1.6 s or more
        await queue(db)
        queued = time.monotonic()
        pacer.wake()
        await until(lambda: len(phone.got) == len(chats), 5)
    finally:
        await pacer.stop()
    assert max(phone.got.values()) - queued < 1.0  # not at the end of the lane's idle wait (1.6 s or more)


async def test_rows_queued_by_another_process_go_out_within_idle_poll(db: Database) -> None:
    chats = await seed_subscribers(db, 3)
    phone = Phone()
    pacer = Pacer(db, {"telegram": phone}, rate=50, zalo_rate=5, per_chat=0.0, poll=0.05, idle_poll=0.5)
    await pacer.start()
    try:
        await asyncio.sleep(1.5)  # idle long enough to have backed off to idle_poll
        await queue(db)  # no wake(): `hocbot broadcast send`, another worker
        assert await until(lambda: len(phone.got) == len(chats), 5) < 2.0  # idle_poll 0.5 s, with room for a slow CI
    finally:
        await pacer.stop()


async def test_a_retry_goes_out_when_due_not_at_the_end_of_an_idle_wait(db: Database) -> None:
    await seed_subscribers(db, 1)
    phone = Phone(fail_first=1)
    pacer = Pacer(db, {"telegram": phone}, rate=50, zalo_rate=5, per_chat=0.0, backoff=2.0, idle_poll=30.0)
    await queue(db)
    await pacer.start()
    try:
        elapsed = await until(lambda: len(phone.got) == 1, 10)
    finally:
        await pacer.stop()
    # retried 2 s after the failure; idle claims alone (0.25, 0.5, 1, 2 s apart) would come at 3.75 s
    assert 1.9 < elapsed < 3.5, elapsed


class StoppingPhone(Phone):
    """A channel cut at shutdown: every send raises Stopped (nothing reaches the platform)."""

    def __init__(self) -> None:
        super().__init__()
        self.tries = 0

    async def send(self, chat_key: str, reply: Reply) -> SentInfo:
        self.tries += 1
        raise Stopped("telegram: hocbot is stopping")


async def rows(db: Database) -> list[tuple[str, int, str | None]]:
    async with db.session() as s:
        got = await s.execute(select(DT.c.state, DT.c.attempts, DT.c.last_error).order_by(DT.c.id))
        return [tuple(r) for r in got.all()]  # type: ignore[misc]


async def test_a_send_cut_at_shutdown_uses_no_attempt_and_goes_out_at_the_next_start(db: Database) -> None:
    chats = await seed_subscribers(db, 5)
    await queue(db)
    async with db.session() as s:  # every row on its last attempt: a counted try would mark it failed
        await s.execute(update(DT).values(attempts=MAX_ATTEMPTS - 1))
    cut = StoppingPhone()
    pacer = Pacer(db, {"telegram": cut}, rate=50, zalo_rate=5, per_chat=0.0, poll=0.05)
    await pacer.start()
    try:
        await until(lambda: pacer.lanes["telegram"].cut, 5)
        await asyncio.sleep(0.2)
    finally:
        await pacer.stop()
    assert cut.tries == 1  # the lane stopped sending at the first cut send, not one try per row
    assert await rows(db) == [(QUEUED, MAX_ATTEMPTS - 1, None)] * len(chats)  # none failed, none left "sending"

    phone = Phone()
    pacer = Pacer(db, {"telegram": phone}, rate=50, zalo_rate=5, per_chat=0.0, poll=0.05)
    await pacer.start()
    try:
        await until(lambda: len(phone.got) == len(chats), 5)
    finally:
        await pacer.stop()
    assert sorted(phone.got) == sorted(str(c) for c in chats)
    assert {r[0] for r in await rows(db)} == {SENT}
