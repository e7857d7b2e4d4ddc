"""One small province for the dashboard browser tests: groups, subscribers in two communes and a club, a
commune officer, and the bot (with the fake Telegram) that serves them, once per database for the module."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import col, select

from bench.broadcast import add_group, seed_subscribers
from bot.core.throttle import Throttle
from bot.db.models import Identity, User
from bot.db.models_officers import Officer, OfficerScope
from tests.conftest import make_settings
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegram
from tests.harness import RunningBot, running_bot

ADMIN = 5550101
OFFICER = 5550102


@dataclass
class World:
    """A small province: who is where, and the bot and fake Telegram serving it."""

    bot: RunningBot
    tg: FakeTelegram
    db_url: str
    groups: dict[str, int]
    chats: dict[str, list[int]]
    unsubscribed: int
    blocked: list[int]
    theirs: int  # an announcement the province sent to Hoa Lư

    @property
    def subscribers(self) -> int:
        return sum(len(c) for c in self.chats.values()) - 1

    @property
    def announcement_audience(self) -> set[int]:
        """Ninh Bình (every commune) and the club, without the one who unsubscribed."""
        c = self.chats
        return set(c["gia_vien"] + c["hoa_lu"] + c["ninh_binh"] + c["club"]) - {self.unsubscribed}


@asynccontextmanager
async def province(db_url: str) -> AsyncIterator[World]:
    """The fake Telegram, the bot (admins from HOCBOT_ADMINS, pacer at 15 messages/s) and the seeded world."""
    async with FakeTelegram() as tg:
        settings = make_settings(db_url, hocbot_admins=f"telegram:{ADMIN}", telegram_bot_token=DEFAULT_TOKEN,
                                 telegram_api_base_url=tg.base_url, hocbot_broadcast_rate=15)  # fmt: skip
        async with running_bot(settings) as bot:
            bot.runtime.pacer.backoff = 0.05
            # every test logs in from 127.0.0.1, dozens of times a module: no guessing to guard against here
            bot.runtime.services.throttles.login_ip = Throttle(1000, 1)
            yield await _seed(bot, tg, db_url)
        tg.assert_clean()


async def _seed(bot: RunningBot, tg: FakeTelegram, db_url: str) -> World:
    db = bot.runtime.services.db
    groups = {
        "ninh_binh": await add_group(db, "Ninh Bình", "locality", province="Ninh Bình"),
        "gia_vien": await add_group(db, "Xã Gia Viễn", "locality", province="Ninh Bình", commune="Gia Viễn"),
        "hoa_lu": await add_group(db, "Xã Hoa Lư", "locality", province="Ninh Bình", commune="Hoa Lư"),
        "hanoi": await add_group(db, "Hà Nội", "locality", province="Hà Nội"),
    }
    groups["club"] = await add_group(db, "CLB Tin học", "code", join_code="clbtin", province="Huế")
    chats = {
        "gia_vien": await seed_subscribers(db, 5, first_chat=740_000),
        "hoa_lu": await seed_subscribers(db, 7, first_chat=750_000),
        "ninh_binh": await seed_subscribers(db, 6, first_chat=700_000),
        "club": await seed_subscribers(db, 8, first_chat=710_000, province="Huế", group_id=groups["club"]),
        "hanoi": await seed_subscribers(db, 4, first_chat=720_000, province="Hà Nội"),
    }
    unsubscribed = chats["ninh_binh"][0]
    async with db.session() as s:
        for key, commune in (("gia_vien", "Gia Viễn"), ("hoa_lu", "Hoa Lư")):
            ids = select(Identity.user_id).where(col(Identity.chat_id).in_([str(c) for c in chats[key]]))
            await s.exec(update(User).where(col(User.id).in_(ids)).values(commune=commune))  # type: ignore
        quiet = select(Identity.user_id).where(Identity.chat_id == str(unsubscribed))
        await s.exec(update(User).where(col(User.id).in_(quiet)).values(subscribed=False))  # type: ignore
        off = Officer(channel="telegram", external_id=str(OFFICER), role="officer", name="Cán bộ xã Gia Viễn")
        s.add(off)
        await s.flush()
        assert off.id is not None
        s.add(OfficerScope(officer_id=off.id, kind="commune", value="Gia Viễn|Ninh Bình"))
    from handlers.officers import outbox

    async with db.session() as s:
        theirs = await outbox.create_broadcast(s, text="Họp chi hội Hoa Lư", created_by=f"telegram:{ADMIN}",
                                               group_ids=[groups["hoa_lu"]], status="done")  # fmt: skip
    for c in (c for cs in chats.values() for c in cs):
        tg.set_fate(c, None)
    blocked = [chats["ninh_binh"][3], chats["club"][1]]
    tg.set_fate(blocked[0], "blocked")
    tg.set_fate(blocked[1], "not_found")
    assert theirs.id is not None
    await _learning(bot, chats["gia_vien"])
    return World(bot, tg, db_url, groups, chats, unsubscribed, blocked, theirs.id)


# completed: modules read to the end AND passed (as /tiendo counts): only the first learner's m1
LEARNING = {"active": 2, "completed": 1, "quizzes": 2, "passed": 1, "answered": 4, "unanswered": 1}


async def _learning(bot: RunningBot, chats: list[int]) -> None:
    """Some of Gia Viễn learns this week: the numbers in LEARNING (every one of them in that commune)."""
    from bot.db.models_faq import AnswerLog
    from bot.db.models_learning import ActivityDay, LessonProgress, QuizAttempt

    services = bot.runtime.services
    now = services.now()
    today = now.astimezone(services.settings.tz).date()
    async with services.db.session() as s:
        ids = select(Identity.user_id).where(col(Identity.chat_id).in_([str(c) for c in chats]))
        users = sorted((await s.exec(ids)).all())
        s.add_all([ActivityDay(user_id=u, day=today) for u in users[:2]])
        s.add_all([LessonProgress(user_id=u, module_id=m, seen=3, completed_at=now)
                   for u, m in ((users[0], "m1"), (users[0], "m2"), (users[1], "m1"))])  # fmt: skip
        s.add_all([QuizAttempt(user_id=users[0], module_id="m1", question_ids="[]", total=5, correct=c, score=p,
                               finished_at=now) for c, p in ((5, 100), (2, 40))])  # fmt: skip
        s.add_all([AnswerLog(user_id=users[2], question="AI là gì?", refused=i == 4) for i in range(5)])
