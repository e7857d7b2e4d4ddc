"""Campaigns fire once, at the right local time, politely; learners are nudged after 3/7/14 days, then not."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from bot.app import build_services
from bot.core.context import Services
from bot.db.models import Group, Identity, Membership, User
from bot.db.models_campaigns import CampaignFire
from bot.db.models_learning import LessonProgress
from bot.db.models_officers import Broadcast, Delivery
from bot.settings import Settings
from handlers.week import campaign_store as store
from handlers.week.campaigns import tick
from handlers.week.nudges import run_nudges
from tests.conftest import make_settings

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def settings(db_url: str) -> Settings:
    """These tests run on a fake clock and count on the default quiet hours (the suite turns them off)."""
    return make_settings(db_url, hocbot_quiet_hours="21:00-07:00")


def local(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=TZ).astimezone(dt.UTC)


class Clock:
    def __init__(self, t: dt.datetime) -> None:
        self.t = t

    def __call__(self) -> dt.datetime:
        return self.t


async def add_users(svc: Services, n: int, group: str | None = None, **kw: Any) -> list[int]:
    kw.setdefault("consent_at", local(2026, 9, 1, 10))
    async with svc.db.session() as s:
        gid = None
        if group:
            g = (await s.exec(select(Group).where(Group.name == group))).first()
            if g is None:
                g = Group(name=group, kind="code")
                s.add(g)
                await s.flush()
            gid = g.id
        ids = []
        for _ in range(n):
            u = User(display_name="A", **kw)
            s.add(u)
            await s.flush()
            assert u.id is not None
            s.add(Identity(user_id=u.id, channel="telegram", external_id=f"t{u.id}", chat_id=f"t{u.id}"))
            if gid is not None:
                s.add(Membership(user_id=u.id, group_id=gid))
            ids.append(u.id)
    return ids


async def add(svc: Services, now: dt.datetime, to: str = "all", text: str = "Nhắc học", **fields: Any) -> int:
    async with svc.db.session() as s:
        c = await store.add_campaign(s, svc.settings, now, name="c", to=to, text=text, **fields)
        assert c.id is not None
        return c.id


async def copies(svc: Services, campaign_id: int | None = None) -> Counter[int]:
    """How many delivery rows each user got (for one campaign, or for every campaign message)."""
    async with svc.db.session() as s:
        q = select(Delivery.user_id).join(Broadcast, col(Broadcast.id) == col(Delivery.broadcast_id))
        q = q.where(Broadcast.kind == "campaign")
        if campaign_id is not None:
            q = q.where(Broadcast.campaign_id == campaign_id)
        return Counter((await s.exec(q)).all())


async def fires(svc: Services, campaign_id: int) -> list[CampaignFire]:
    async with svc.db.session() as s:
        q = select(CampaignFire).where(CampaignFire.campaign_id == campaign_id).order_by(col(CampaignFire.fire_time))
        return list((await s.exec(q)).all())


async def test_once_fires_at_local_time_exactly_once(services: Services) -> None:
    users = await add_users(services, 3)
    cid = await add(services, local(2026, 9, 20, 9), kind="once", at=local(2026, 9, 24, 8))
    assert await tick(services, local(2026, 9, 24, 7, 59)) == []
    [res] = await tick(services, local(2026, 9, 24, 8, 0))
    assert res.status == "sent" and res.queued == 3
    assert res.fire_time.astimezone(TZ).hour == 8
    assert await tick(services, local(2026, 9, 24, 8, 1)) == []
    assert await copies(services, cid) == Counter({u: 1 for u in users})


async def test_cron_monday_8am_local(services: Services) -> None:
    await add_users(services, 2)
    cid = await add(services, local(2026, 9, 18), kind="cron", cron="0 8 * * 1")  # 1 = Monday, as in crontab
    assert await tick(services, local(2026, 9, 20, 8, 5)) == []  # Sunday
    [res] = await tick(
        services,
        local(
            2026,
            9,
            21,
            8,
            0,
        ),
    )  # Monday
    assert res.fire_time == local(2026, 9, 21, 8)
    assert await tick(services, local(2026, 9, 27, 23)) == []
    [res2] = await tick(services, local(2026, 9, 28, 8, 1))
    assert res2.fire_time == local(2026, 9, 28, 8)
    assert len(await fires(services, cid)) == 2


async def test_week_relative_and_per_subscriber_kinds(services: Services) -> None:
    early = await add_users(services, 2, consent_at=local(2026, 9, 18, 20), last_active_at=local(2026, 9, 16, 10))
    late = await add_users(services, 1, consent_at=local(2026, 9, 19, 6), last_active_at=local(2026, 9, 20, 10))
    week = await add(services, local(2026, 9, 1), kind="week", offset_days=-7, hour=8, year=2026)
    joined = await add(services, local(2026, 9, 1), kind="joined", offset_days=3, hour=9)
    inactive = await add(services, local(2026, 9, 1), kind="inactive", offset_days=5, hour=10)
    services.settings.campaign_daily_cap = 5  # the cap is not what this test is about
    await tick(services, local(2026, 9, 21, 9, 0))
    assert await copies(services, joined) == Counter({u: 1 for u in early})  # joined 18/9, 3 days before 21/9
    await tick(services, local(2026, 9, 21, 10, 0))
    assert await copies(services, inactive) == Counter({u: 1 for u in early})  # last seen 16/9
    assert await copies(services, week) == Counter()
    [res] = [r for r in await tick(services, local(2026, 9, 24, 8, 0)) if r.campaign_id == week]
    assert res.fire_time.astimezone(TZ).strftime("%d/%m %H:%M") == "24/09 08:00"
    assert set(await copies(services, week)) == set(early + late)


async def test_week_reminders_follow_the_year_an_officer_set(services: Services) -> None:
    from handlers.week.service import set_week

    await add_users(services, 1)
    async with services.db.session() as s:  # 2027's Week set to start on Monday 4 October
        await set_week(s, "cli", 2027, dt.date(2027, 10, 4), dt.date(2027, 10, 10), None)
    day_1 = await add(services, local(2027, 9, 1), kind="week", offset_days=0, hour=8, year=2027)
    async with services.db.session() as s:  # what the officer sees as the next run is when it will go out
        [row] = await store.summaries(s, services.settings, local(2027, 9, 2), services.catalog.week)
    assert row["next_fire"] == "2027-10-04 08:00"
    assert [r for r in await tick(services, local(2027, 10, 1, 9, 0)) if r.campaign_id == day_1] == []
    [res] = [r for r in await tick(services, local(2027, 10, 4, 8, 1)) if r.campaign_id == day_1]
    assert res.fire_time == local(2027, 10, 4, 8)
    y2023 = await add(services, local(2023, 9, 1), kind="week", offset_days=0, hour=8, year=2023)
    [res] = [r for r in await tick(services, local(2023, 10, 2, 8, 1)) if r.campaign_id == y2023]
    assert res.fire_time == local(2023, 10, 2, 8)  # the curated 2023 Week ran 2–8 October


async def test_quiet_hours_defer_to_morning(services: Services) -> None:
    await add_users(services, 2)
    cid = await add(services, local(2026, 9, 1), kind="once", at=local(2026, 9, 24, 22, 30))
    assert await tick(services, local(2026, 9, 24, 22, 31)) == []
    assert await tick(services, local(2026, 9, 25, 6, 59)) == []
    [res] = await tick(services, local(2026, 9, 25, 7, 0))
    assert res.status == "sent" and res.queued == 2 and "quiet hours" in res.reason
    assert sum((await copies(services, cid)).values()) == 2


async def test_daily_cap_across_campaigns_and_opt_outs(services: Services) -> None:
    users = await add_users(services, 3, group="xa_a")
    unsub = await add_users(services, 1, group="xa_a", subscribed=False)
    paused = await add_users(services, 1, group="xa_a", reminders_paused=True)
    first = await add(services, local(2026, 9, 1), to="xa_a", kind="once", at=local(2026, 9, 24, 8))
    second = await add(services, local(2026, 9, 1), to="xa_a", kind="once", at=local(2026, 9, 24, 10))
    third = await add(services, local(2026, 9, 1), to="xa_a", kind="once", at=local(2026, 9, 25, 8))
    [r1] = await tick(services, local(2026, 9, 24, 8))
    assert r1.queued == 3 and r1.skip_reasons == {"unsubscribed": 1, "reminders paused": 1}
    [r2] = await tick(services, local(2026, 9, 24, 10))
    assert r2.queued == 0 and r2.skip_reasons["daily cap"] == 3
    [r3] = await tick(services, local(2026, 9, 25, 8))
    assert r3.queued == 3
    got = await copies(services)
    assert got == Counter({u: 2 for u in users}) and not (set(got) & set(unsub + paused))
    async with services.db.session() as s:
        listed = await store.summaries(s, services.settings, local(2026, 9, 25, 9), services.catalog.week)
    rows = {r["id"]: r for r in listed}
    assert rows[second]["skip_reasons"]["daily cap"] == 3 and rows[first]["queued"] == 3
    assert rows[third]["last_fire"] == "2026-09-25 08:00" and rows[third]["next_fire"] is None


async def test_restart_within_grace_sends_once_beyond_grace_skips(settings: Settings) -> None:
    first = await build_services(settings)
    users = await add_users(first, 4)
    cid = await add(first, local(2026, 9, 1), kind="once", at=local(2026, 9, 24, 8))
    late = await add(first, local(2026, 9, 1), kind="once", at=local(2026, 9, 24, 1, 0))
    assert await tick(first, local(2026, 9, 23, 20, 59)) == []  # stopped before the fire
    await first.db.dispose()
    second = await build_services(settings)  # started 3 h after the 08:00 fire (grace 6 h)
    results = {r.campaign_id: r for r in await tick(second, local(2026, 9, 24, 11, 0))}
    await tick(second, local(2026, 9, 24, 11, 1))
    assert results[cid].status == "sent"
    assert await copies(second, cid) == Counter({u: 1 for u in users})
    # the 01:00 fire fell in quiet hours → due at 07:00; still within grace at 11:00 → sent once too
    assert results[late].status == "sent" and results[late].skip_reasons == {"daily cap": 4}
    gone = await add(second, local(2026, 9, 24, 11, 2), kind="once", at=local(2026, 9, 24, 12))
    third = await build_services(settings)
    [r] = await tick(third, local(2026, 9, 24, 19, 0))  # 7 h late
    assert r.campaign_id == gone and r.status == "skipped" and r.reason.startswith("missed")
    assert await copies(third, gone) == Counter()
    assert [f.status for f in await fires(third, gone)] == ["skipped"]
    await second.db.dispose()
    await third.db.dispose()


async def _progress(svc: Services, uid: int, at: dt.datetime, module: str = "m1") -> None:
    async with svc.db.session() as s:
        row = (
            await s.exec(
                select(LessonProgress).where(LessonProgress.user_id == uid, LessonProgress.module_id == module)
            )
        ).first() or LessonProgress(user_id=uid, module_id=module, position=1, seen=2)
        row.updated_at = at
        s.add(row)


async def test_nudges_back_off_3_7_14_then_stop_and_restart(services: Services) -> None:
    [uid] = await add_users(services, 1)
    [done] = await add_users(services, 1)
    start = local(2026, 9, 1, 8)
    await _progress(services, uid, start)
    async with services.db.session() as s:
        s.add(LessonProgress(user_id=done, module_id="m1", seen=5, updated_at=start, completed_at=start))
    sent: dict[int, str] = {}
    for day in range(1, 30):
        for n in await run_nudges(services, local(2026, 9, 1 + day, 9, 30)):
            assert n.user_id == uid
            sent[day] = n.text
    assert sorted(sent) == [3, 7, 14]
    assert "AI" in sent[3] and len(set(sent.values())) == 3 and "cuối" in sent[14]
    assert await run_nudges(services, local(2026, 9, 20, 22)) == []  # quiet hours: never
    await _progress(services, uid, local(2026, 10, 5, 8))  # the learner comes back
    again = [d for d in range(6, 12) if await run_nudges(services, local(2026, 10, d, 9, 30))]
    assert again == [8]
    assert sum((await copies(services)).values()) == 4


async def test_week_plan_creates_nine_campaigns_with_content_texts(services: Services) -> None:
    async with services.db.session() as s:
        made = await store.week_plan(s, services.settings, local(2027, 1, 5), services.catalog.week, 2027, "all")
    assert len(made) == 9
    reminders = services.catalog.week.reminders
    assert [c.text for c in made] == [reminders[k] for k, _ in store.WEEK_PLAN]
    async with services.db.session() as s:
        rows = await store.summaries(s, services.settings, local(2027, 1, 5), services.catalog.week)
    assert [r["next_fire"] for r in rows][:3] == ["2027-09-24 08:00", "2027-09-30 08:00", "2027-10-01 08:00"]
    assert rows[-1]["next_fire"] == "2027-10-07 08:00"


def cli(settings: Settings) -> Any:
    """`hocbot …` with only this feature's commands (as bot.cli.main runs them)."""
    import argparse
    import asyncio
    import inspect

    from bot.cli import campaigns

    parser = argparse.ArgumentParser()
    campaigns.register(parser.add_subparsers(dest="cmd", required=True))

    def main(argv: list[str]) -> int:
        args = parser.parse_args(argv)
        result = args.func(args, settings)
        return int(asyncio.run(result) if inspect.isawaitable(result) else result)

    return main


def test_cli_add_list_remove(tmp_path: Any, capsys: Any) -> None:
    main = cli(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"))
    if True:
        assert main(["campaign", "add", "--name", "Thứ Hai", "--to", "all", "--text", "Học bài mới nhé",
                     "--cron", "0 8 * * 1", "--button", "quiz:m1", "--json"]) == 0  # fmt: skip
        added = json.loads(capsys.readouterr().out)
        assert added["next_fire"].endswith("08:00")
        assert dt.date.fromisoformat(added["next_fire"][:10]).weekday() == 0
        assert main(["campaign", "add", "--name", "x", "--to", "nope", "--text", "t", "--at", "2030-01-01T08:00"]) == 2
        assert "nope" in capsys.readouterr().err
        assert main(["campaign", "list", "--json"]) == 0
        [row] = json.loads(capsys.readouterr().out)
        assert row["name"] == "Thứ Hai" and row["kind"] == "cron"
        assert main(["campaign", "remove", str(row["id"])]) == 0
        assert main(["campaign", "list", "--json"]) == 0
        assert json.loads(capsys.readouterr().out.splitlines()[-1]) == []


async def test_scheduler_catches_up_right_after_start(services: Services) -> None:
    import asyncio

    from scheduler.runner import CampaignScheduler

    users = await add_users(services, 2)
    cid = await add(services, local(2026, 9, 1), kind="once", at=local(2026, 9, 24, 8))
    services.clock = Clock(local(2026, 9, 24, 9))  # the bot starts one hour after the fire time
    async with CampaignScheduler(services, interval=3600):
        for _ in range(100):
            if await copies(services, cid):
                break
            await asyncio.sleep(0.02)
    assert await copies(services, cid) == Counter({u: 1 for u in users})


async def test_a_fire_wakes_the_pacer_of_the_worker_that_fired_it(services: Services) -> None:
    """The pacer backs off to a claim every 2 s when idle: the scheduler wakes it after its step, so the
    deliveries a fire queued are claimed at once."""
    from scheduler.runner import CampaignScheduler

    woken = []
    services.wake_outbox = lambda: woken.append(True)
    await add_users(services, 2)
    await add(services, local(2026, 9, 1), kind="once", at=local(2026, 9, 24, 8))
    services.clock = Clock(local(2026, 9, 24, 8, 1))
    runner = CampaignScheduler(services, interval=3600)
    try:
        await runner.step()
    finally:
        await runner.leader.release()  # PostgreSQL: its advisory lock's connection goes back to the pool
    assert woken
