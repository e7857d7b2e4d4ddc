"""The dashboard's stored per-unit numbers (bot/web/dashboard/summary.py) are the raw counts: after learning,
a subscription, an unsubscribe, a /xoadulieu and a broadcast that finds blocked users, every unit's stored
numbers equal what the rows say, counted here without the dashboard's code (the audience rule for recipients,
/tiendo's rule for finished modules, plain row counts for the rest); the pages show those numbers."""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from typing import Any

import aiohttp
from sqlalchemy import func, select
from sqlmodel import col

from bot.core.context import Services
from bot.db.models import Group, User
from bot.db.models_dashboard import UnitCount
from bot.db.models_faq import AnswerLog, Feedback
from bot.db.models_learning import ActivityDay, QuizAttempt
from bot.db.models_officers import Delivery
from bot.web.dashboard import stats
from bot.web.dashboard.summary import Keeper, keeper_of
from handlers.learning.service import PASS_PERCENT, done_modules
from handlers.officers import audience, outbox
from tests.dashboard_world import ADMIN, World, province
from tests.harness import WebUser

CARDS = ("subscribers", "active", "completed", "quizzes", "passed", "answered", "unanswered")


async def raw_numbers(services: Services, cond: Any) -> Counter[str]:
    """One unit's numbers from the rows, one person at a time (small worlds only)."""
    monday = stats.weeks_of(services.settings, services.now()).monday
    n: Counter[str] = Counter()
    async with services.db.read_session() as s:
        recipients = select(func.count()).select_from(User).where(audience.recipient_filter(), cond)
        n["subscribers"] = int((await s.execute(recipients)).scalar_one())  # the rule broadcasts use
        users = [int(u) for u in (await s.execute(select(col(User.id)).where(cond))).scalars()]
        for uid in users:
            days = (await s.execute(select(ActivityDay.day).where(ActivityDay.user_id == uid))).scalars().all()
            n["active"] += any(d >= monday for d in days)
            n["completed"] += len(await done_modules(s, uid))
            for q in (await s.execute(select(QuizAttempt).where(QuizAttempt.user_id == uid))).scalars():
                if q.finished_at is not None and q.kind == "module":
                    n["quizzes"] += 1
                    n["passed"] += q.score >= PASS_PERCENT
            for a in (await s.execute(select(AnswerLog).where(AnswerLog.user_id == uid))).scalars():
                down = (await s.execute(select(Feedback).where(Feedback.answer_log_id == a.id,
                                                               Feedback.value == "d"))).first()  # fmt: skip
                n["unanswered" if a.refused or down is not None else "answered"] += 1
    return n


def cards(n: Counter[str]) -> dict[str, int]:
    return {k: n[k] for k in CARDS}


async def assert_stored_numbers_are_the_rows(services: Services) -> dict[int, int]:
    """Refresh (what the background step does every minute), then compare every unit and the total; returns each
    group's recipients."""
    keeper = keeper_of(services)
    assert await keeper.refresh(due_after=0)
    summary = await keeper.get()
    async with services.db.read_session() as s:
        groups = list((await s.execute(select(Group))).scalars())
        lowered = await stats.lowered_communes(s, groups)
        conds = {g.id: await audience.groups_condition(s, [g.id]) for g in groups}
        people = {g.id: await audience.count_people(s, [g.id]) for g in groups}
        everyone = await audience.count_people(s, "all")
    numbers = summary.numbers(lowered)
    for g in groups:
        assert g.id is not None
        stored = numbers.unit(g)
        assert cards(stored) == cards(await raw_numbers(services, conds[g.id])), g.name
        assert stored["subscribers"] == people[g.id], g.name  # what a broadcast to the unit reaches
    assert cards(numbers.everyone()) == cards(await raw_numbers(services, True))
    assert numbers.everyone()["subscribers"] == everyone
    return {int(g.id): people[g.id] for g in groups if g.id is not None}


async def citizen_in(bot: Any, http: aiohttp.ClientSession, commune: str) -> WebUser:
    """A web chat visitor who agrees and gives Ninh Bình and a commune: a new subscriber there."""
    user = WebUser(bot.url, http)
    for text in ("/start", "dong y", "ninh binh", commune):
        await user.says(text)
    return user


async def broadcast_to_all(services: Services) -> int:
    """An announcement to everyone, delivered by the running pacer through the fake Telegram."""
    async with services.db.session() as s:
        b = await outbox.create_broadcast(s, text="Họp toàn tỉnh", created_by=f"telegram:{ADMIN}", group_ids="all")
        await outbox.queue_broadcast(s, b)
        assert b.id is not None
    services.wake_outbox()
    for _ in range(400):
        async with services.db.read_session() as s:
            open_ = col(Delivery.state).in_(["queued", "sending"])
            stmt = select(func.count()).select_from(Delivery).where(Delivery.broadcast_id == b.id, open_)
            waiting = (await s.execute(stmt)).scalar_one()
        if not waiting:
            return b.id
        await asyncio.sleep(0.05)
    raise AssertionError("the broadcast did not finish")


async def test_stored_numbers_follow_every_change_and_match_the_rows(db_url: str) -> None:
    async with province(db_url) as w, aiohttp.ClientSession() as chat:
        services = w.bot.runtime.services
        before = await assert_stored_numbers_are_the_rows(services)
        gia_vien = w.groups["gia_vien"]

        lan = await citizen_in(w.bot, chat, "gia vien")  # subscribes
        await lan.says("tuan le hoc tap la gi")  # an answer
        after = await assert_stored_numbers_are_the_rows(services)
        assert after[gia_vien] == before[gia_vien] + 1

        await lan.says("/huy")
        await lan.press("Có, ngừng nhận")
        after = await assert_stored_numbers_are_the_rows(services)
        assert after[gia_vien] == before[gia_vien]

        binh = await citizen_in(w.bot, chat, "gia vien")
        await binh.says("/hoi hoc AI o dau mien phi")
        await binh.press("👎")  # not answered, for the dashboard
        assert (await assert_stored_numbers_are_the_rows(services))[gia_vien] == before[gia_vien] + 1
        await binh.says("/xoadulieu")
        await binh.press("Có, xoá")
        assert (await assert_stored_numbers_are_the_rows(services))[gia_vien] == before[gia_vien]

        bid = await broadcast_to_all(services)  # two recipients have blocked the bot: no longer recipients
        after = await assert_stored_numbers_are_the_rows(services)
        assert sum(after.values()) < sum(before.values())
        await pages_show_the_stored_numbers(w, bid)


async def pages_show_the_stored_numbers(w: World, bid: int) -> None:
    """The overview's unit rows, the group pages and the broadcast's report say what the rows say."""
    from tests.test_dashboard_http import client as dash_client
    from tests.test_dashboard_http import logged_in

    services = w.bot.runtime.services
    async with dash_client() as http:
        d = await logged_in(w.bot, http, ADMIN)
        page = await d.get("/dashboard/")
        for key, gid in w.groups.items():
            async with services.db.read_session() as s:
                want = await audience.count_people(s, [gid])
            row = page.split(f'data-group-id="{gid}"')[1].split("</tr>")[0]
            assert re.findall(r'<td class="num">([\d.]+)</td>', row)[0].replace(".", "") == str(want), key
            assert re.search(rf'id="recipient-count">{want}<', await d.get(f"/dashboard/groups/{gid}")), key
        async with services.db.read_session() as s:
            raw = dict((await s.execute(select(Delivery.state, func.count()).where(Delivery.broadcast_id == bid)
                                        .group_by(Delivery.state))).all())  # fmt: skip
        async with http.get(f"{w.bot.url}/dashboard/broadcasts/{bid}/progress.json") as resp:
            p = await resp.json()
        assert (p["sent"], p["blocked"], p["gone"], p["total"]) == (
            raw.get("sent", 0), raw.get("blocked", 0), raw.get("gone", 0), sum(raw.values()))
        assert p["blocked"] + p["gone"] >= 1


async def test_two_workers_refreshing_at_once_store_one_set_of_numbers(db_url: str) -> None:
    """Several `hocbot run` workers on one database: refreshes at the same moment replace each other's rows."""
    async with province(db_url) as w:
        services = w.bot.runtime.services
        await keeper_of(services).refresh(due_after=0)
        async with services.db.read_session() as s:
            once = (await s.execute(select(func.count()).select_from(UnitCount))).scalar_one()
        assert all(await asyncio.gather(*(Keeper(services).refresh(due_after=0) for _ in range(3))))
        async with services.db.read_session() as s:
            assert (await s.execute(select(func.count()).select_from(UnitCount))).scalar_one() == once
        await assert_stored_numbers_are_the_rows(services)
