"""Quiet hours hold back campaign messages that are still queued when the quiet window starts; an officer's
own broadcast, confirmed by hand, still goes out."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from zoneinfo import ZoneInfo

from sqlmodel import select

from bench.broadcast import seed_subscribers
from bot.core.delivery import SentInfo
from bot.core.messages import Reply
from bot.db.engine import Database
from bot.db.migrate import upgrade
from bot.db.models import utcnow
from bot.db.models_officers import Delivery
from handlers.officers import outbox
from handlers.week.schedule import defer_quiet
from scheduler.pacer import Pacer

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class Phone:
    name = "telegram"

    def __init__(self) -> None:
        self.got: list[tuple[str, str]] = []

    async def send(self, chat_key: str, reply: Reply) -> SentInfo:
        self.got.append((chat_key, reply.text))
        return SentInfo()


def quiet_window_around_now() -> tuple[dt.time, dt.time]:
    local = dt.datetime.now(TZ)
    return ((local - dt.timedelta(hours=1)).time().replace(second=0, microsecond=0),
            (local + dt.timedelta(hours=1)).time().replace(second=0, microsecond=0))


async def test_campaign_waits_for_morning_but_officer_broadcast_goes_out(db_url: str) -> None:
    db = Database(db_url)
    await upgrade(db)
    chats = await seed_subscribers(db, 5)
    async with db.session() as s:
        camp = await outbox.create_broadcast(s, text="Nhắc học bài mới", created_by="campaign:1",
                                             group_ids="all", kind="campaign")
        await outbox.queue_broadcast(s, camp)
        news = await outbox.create_broadcast(s, text="Thông báo họp chi hội", created_by="cli", group_ids="all")
        await outbox.queue_broadcast(s, news)
        camp_id = camp.id
    window = quiet_window_around_now()
    phone = Phone()
    pacer = Pacer(db, {"telegram": phone}, rate=1000, zalo_rate=5, per_chat=0.0,
                  resume_at=lambda t: defer_quiet(t, window, TZ))
    await pacer.start()
    try:
        deadline = time.monotonic() + 10
        while len(phone.got) < len(chats) and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # anything else that was going to be sent has been
    finally:
        await pacer.stop()
    texts = [t for _, t in phone.got]
    assert texts.count("Thông báo họp chi hội") == len(chats)
    assert "Nhắc học bài mới" not in texts
    async with db.session() as s:
        rows = (await s.exec(select(Delivery).where(Delivery.broadcast_id == camp_id))).all()
    assert {r.state for r in rows} == {"queued"}
    morning = defer_quiet(utcnow(), window, TZ)
    for r in rows:  # they wait for the end of the quiet window, not a moment longer
        at = r.next_attempt_at if r.next_attempt_at.tzinfo else r.next_attempt_at.replace(tzinfo=dt.UTC)
        assert abs((at - morning).total_seconds()) < 90
        assert r.attempts == 0
    await db.dispose()
