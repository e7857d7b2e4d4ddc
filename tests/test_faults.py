"""Faults between hocbot and the platforms: flood control, odd answers from the Bot API. The real
python-telegram-bot against the fake Bot API; what is checked is what the users get."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import make_url, update
from sqlmodel import select

from bot.core import texts
from bot.db import repo
from bot.db.models import InboundEvent, utcnow
from tests.conftest import PG_URL, make_settings
from tests.fakes.telegram_server import FakeTelegram
from tests.harness import running_bot
from tests.test_telegram_e2e import tg, tg_settings

__all__ = ["tg"]  # the fixture, shared with the Telegram end-to-end tests



async def test_flood_control_delays_replies_but_every_user_gets_one(
    db_url: str, tg: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    """The Bot API allows 3 messages a second and answers 429 (retry after 1 s) beyond that; 20 users send
    /trogiup at the same moment: each of them gets the help text, once."""
    caplog.set_level(logging.WARNING)
    async with running_bot(tg_settings(db_url, tg)):
        users = [tg.user(5560000 + i, first_name=f"U{i}") for i in range(20)]
        tg.rate_limit(global_per_sec=3, per_chat_per_sec=1, burst=1, retry_after=1)
        await asyncio.gather(*(u.send("/trogiup") for u in users))
        await asyncio.gather(*(u.wait_for(1, timeout=40) for u in users))
        assert len(tg.calls("sendMessage", status=429)) > 0  # flood control really happened
        for u in users:
            assert texts.HELP.splitlines()[0] in (u.last_text() or "")
            assert tg.sent_to(u.id) == 1
    assert "failed" not in caplog.text


async def test_an_answer_the_bot_cannot_read_does_not_lose_the_next_replies(db_url: str, tg: FakeTelegram) -> None:
    """/start answers a newcomer with a welcome and the consent question. The Bot API's answer to the first
    send comes back in a shape python-telegram-bot cannot read: the consent question still goes out."""
    async with running_bot(tg_settings(db_url, tg)):
        lan = tg.user(5561001, first_name="Lan")
        tg.garble_next("sendMessage")
        await lan.send("/start")
        msgs = await lan.wait_for(2)
        assert "Hội Khuyến học" in msgs[0]["text"]
        assert any("Đồng ý" in b for b in lan.buttons())


async def test_an_update_id_seen_more_than_a_week_ago_is_a_new_message(db_url: str, tg: FakeTelegram) -> None:
    """Telegram starts its update_id sequence again after a quiet week: a /menu that reuses an id last seen
    8 days ago is answered, not ignored as a repeat; the hourly clean-up forgets ids older than a week."""
    lan = tg.user(5562001, first_name="Lan")
    async with running_bot(tg_settings(db_url, tg)) as bot:
        db = bot.runtime.services.db
        first = (await lan.send("/menu"))["update_id"]
        await lan.wait_for(1)
        async with db.session() as s:
            await s.exec(update(InboundEvent).values(received_at=utcnow() - dt.timedelta(days=8)))  # type: ignore[call-overload]
    tg.restart_update_ids(first)  # a week later the bot restarts; Telegram's ids start again
    async with running_bot(tg_settings(db_url, tg)) as bot:
        db = bot.runtime.services.db
        assert (await lan.send("/menu"))["update_id"] == first
        await lan.wait_for(2)
        async with db.session() as s:
            await s.exec(update(InboundEvent).values(received_at=utcnow() - dt.timedelta(days=8)))  # type: ignore[call-overload]
            s.add(InboundEvent(channel="telegram", external_id="fresh", received_at=utcnow()))
        await repo.prune_inbound(db)  # the running leader's own hourly clean-up may get there first: same end
        async with db.session() as s:
            assert [e.external_id for e in (await s.exec(select(InboundEvent))).all()] == ["fresh"]


# ---- odd input: a clear reply or a 400, never the generic error or a 500 ----------------------------


async def test_odd_telegram_input_gets_a_clear_reply(db_url: str, tg: FakeTelegram) -> None:
    """A lone surrogate typed in Telegram, and a forged button whose number overflows the database."""
    async with running_bot(tg_settings(db_url, tg)):
        lan = tg.user(5563001, first_name="Lan\ud83d")
        await lan.send("\ud83d")
        await lan.wait_for(1)
        await lan.forge_press("fb|99999999999999999999|d")
        await lan.wait_for(2)
        await lan.forge_press("bcok|99999999999999999999999")
        await lan.wait_for(3)
        await lan.send("/chiendich xoa 99999999999999999999")
        await lan.wait_for(4)
        for m in lan.messages():
            assert texts.ERROR not in m["text"], m["text"]
        assert texts.STALE_BUTTON in lan.messages()[1]["text"]


async def test_odd_web_chat_input_gets_a_reply_not_a_500(db_url: str) -> None:
    async with running_bot(make_settings(db_url)) as bot, aiohttp.ClientSession() as http:
        for body in ('{"text": "\\u0000\\ud800x", "id": "\\ud800"}', '{"choice": "fb|99999999999999999999|d"}',
                     '{"text": ["a"], "session": 5}', "[1, 2]", '{"text": "x"', "\x00"):
            async with http.post(f"{bot.url}/api/chat", data=body.encode("utf-8", "surrogatepass")) as resp:
                assert resp.status in (200, 400), (body, resp.status)
                data = await resp.json()
                if resp.status == 400:
                    assert data["error"]
                else:
                    assert all(texts.ERROR not in r["text"] for r in data["replies"]), (body, data)


async def test_dashboard_numbers_too_big_are_a_400_or_404_not_a_500(db_url: str) -> None:
    from tests.test_dashboard_http import ADMIN, client, logged_in

    settings = make_settings(db_url, hocbot_admins=f"telegram:{ADMIN}")
    async with running_bot(settings) as bot, client() as http:
        d = await logged_in(bot, http, ADMIN)
        await d.get("/dashboard/campaigns")
        await d.post("/dashboard/campaigns/week-plan", {"year": "99999999999999999999999", "group": "all"}, status=400)
        assert "2000" in d.html and "2100" in d.html
        await d.get("/dashboard/campaigns")
        await d.post("/dashboard/campaigns/week-plan", {"group": "99999999999999999999"}, status=404)
        for path in ("/dashboard/broadcasts/99999999999999999999", "/dashboard/broadcasts/²",
                     "/dashboard/broadcasts/new?group=99999999999999999999"):
            async with http.get(bot.url + path, allow_redirects=False) as resp:
                assert resp.status in (200, 404), (path, resp.status)


# ---- the database goes away ------------------------------------------------------------------------


@asynccontextmanager
async def database_outage(bot: Any, db_url: str, tmp_path: Path) -> AsyncIterator[None]:
    """The database is unavailable inside the block. SQLite: the file is moved away and a directory takes its
    place, and the pool's idle connections are closed (as a restarted server would drop them). PostgreSQL:
    the database stops allowing connections and its sessions are terminated."""
    db = bot.runtime.services.db
    if db.is_sqlite:
        path = Path(make_url(db_url).database or "")
        moved = [(p, tmp_path / f"away{p.suffix}") for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"))]
        async with db.session():  # wait for the writer in flight
            pass
        await db.dispose()
        await asyncio.to_thread(_swap_out, path, moved)
        try:
            yield
        finally:
            await asyncio.to_thread(_swap_back, path, moved)
            await db.dispose()
        return
    import asyncpg

    assert PG_URL is not None
    name = make_url(db_url).database
    admin = await asyncpg.connect(PG_URL.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
        await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name)
        try:
            yield
        finally:
            await admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')
    finally:
        await admin.close()


def _swap_out(path: Path, moved: list[tuple[Path, Path]]) -> None:
    for src, dst in moved:
        if src.exists():
            src.rename(dst)
    while True:
        try:
            path.mkdir()
            return
        except FileExistsError:
            # a worker of the bot connected between the move and the mkdir, and SQLite made a new, empty
            # database file in the old place: it goes as well, so the directory can take its place
            for leftover in (path, *(Path(f"{path}-{s}") for s in ("wal", "shm", "journal"))):
                leftover.unlink(missing_ok=True)


def _swap_back(path: Path, moved: list[tuple[Path, Path]]) -> None:
    path.rmdir()
    for src, dst in moved:
        if dst.exists():
            dst.rename(src)


async def test_database_outage_users_are_told_busy_logs_stay_short_and_the_bot_recovers(
    db_url: str, tg: FakeTelegram, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """While the database is unavailable a Telegram user gets “Hệ thống đang bận…”, the web chat answers 503
    with the same words, and the log holds a few lines (no traceback per event); afterwards all is normal."""
    caplog.set_level(logging.INFO)
    async with running_bot(tg_settings(db_url, tg)) as bot, aiohttp.ClientSession() as http:
        lan = tg.user(5564001, first_name="Lan")
        await lan.send("/menu")
        await lan.wait_for(1)
        caplog.clear()
        async with database_outage(bot, db_url, tmp_path):
            users = [tg.user(5564100 + i, first_name=f"U{i}") for i in range(5)]
            for u in [lan, *users]:
                await u.send("/trogiup")
            for u in [lan, *users]:
                await u.wait_for(lambda msgs: any(texts.BUSY in (m.get("text") or "") for m in msgs), timeout=15)
            async with http.post(f"{bot.url}/api/chat", json={"session": "outage-web-1", "text": "/menu"}) as resp:
                assert resp.status == 503
                assert (await resp.json())["error"] == texts.BUSY
            await asyncio.sleep(1.0)  # the pacer, the scheduler and the caches keep failing meanwhile
            errors = [r for r in caplog.records
                      if r.levelno >= logging.WARNING and r.name.startswith(("bot", "scheduler"))]
            assert "Traceback" not in caplog.text and not any(r.exc_info for r in errors)
            assert len(errors) <= 6, [r.getMessage() for r in errors]
        before = len(lan.messages())
        await lan.send("/trogiup")
        await lan.wait_for(before + 1, timeout=15)
        assert texts.HELP.splitlines()[0] in (lan.last_text() or "")
        async with http.post(f"{bot.url}/api/chat", json={"session": "outage-web-1", "text": "/menu"}) as resp:
            assert resp.status == 200


async def test_a_backlog_is_fetched_only_as_fast_as_it_is_handled(db_url: str, tg: FakeTelegram) -> None:
    """1,500 messages from 300 users wait at Telegram when the bot starts: it fetches more only as it catches
    up (a few hundred updates in memory at most, not one task per waiting update), and answers every one."""
    users = [tg.user(5565000 + i, first_name=f"U{i}") for i in range(300)]
    for k in range(5):
        for u in users:
            await u.send("/trogiup" if k % 2 else "/menu")
    total = len(users) * 5
    async with running_bot(tg_settings(db_url, tg)):
        most_tasks = most_taken = 0
        while (answered := sum(tg.sent_to(u.id) for u in users)) < total:
            most_tasks = max(most_tasks, len(asyncio.all_tasks()))
            most_taken = max(most_taken, total - len(tg.pending_updates()) - answered)
            await asyncio.sleep(0.02)
    print(f"backlog of {total}: at most {most_tasks} tasks, {most_taken} updates fetched but not yet answered")
    assert most_taken <= 300 and most_tasks <= 300


async def test_zalo_events_wait_for_room_instead_of_piling_up() -> None:
    """The Zalo adapters hold at most `limit` events: the poller (or webhook) waits for room, order per user kept."""
    from bot.channels.zalo_common import OrderedTasks

    work = OrderedTasks(limit=3)
    done: list[tuple[str, int]] = []
    most = 0

    async def job(user: str, n: int) -> None:
        await asyncio.sleep(0.01)
        done.append((user, n))

    for n in range(12):
        await work.spawn(f"u{n % 2}", lambda n=n: job(f"u{n % 2}", n))  # type: ignore[misc]
        most = max(most, len(work.tasks))
    await work.drain()
    assert most <= 3 and len(done) == 12
    assert [n for u, n in done if u == "u0"] == sorted(n for u, n in done if u == "u0")


async def test_an_update_of_an_odd_shape_gets_the_text_only_reply_or_is_skipped(
    db_url: str, tg: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    """Text that is a number or a list (Telegram never sends it, a forged webhook might): the friendly “I only
    read text” reply, no traceback; a later message is answered as usual."""
    async with running_bot(tg_settings(db_url, tg)):
        lan = tg.user(5566001, first_name="Lan")
        for odd in (5, ["a"]):
            tg.emit("message", {"message_id": 1, "date": 0, "from": lan.user_json(), "chat": lan.chat_json(),
                                "text": odd})
        await lan.wait_for(2)
        assert all(texts.UNSUPPORTED_MEDIA in m["text"] for m in lan.messages())
        await lan.send("/menu")
        await lan.wait_for(3)
    assert "Traceback" not in caplog.text and "failed" not in caplog.text


async def test_replies_during_a_broadcast_at_the_platform_limit_all_go_out(db_url: str, tg: FakeTelegram) -> None:
    """A broadcast runs faster than the Bot API allows (20 a second against 12, 429 beyond); 20 citizens send
    /trogiup meanwhile. Each gets the help text (replies take their share of the rate from the broadcast and go
    first after a 429), and the broadcast still reaches everyone exactly once."""
    from bench.broadcast import seed_subscribers
    from handlers.officers import outbox

    async with running_bot(tg_settings(db_url, tg, hocbot_broadcast_rate=20)) as bot:
        db = bot.runtime.services.db
        chats = await seed_subscribers(db, 160, first_chat=820_000)
        for c in chats:
            tg.set_fate(c, None)
        users = [tg.user(5567000 + i, first_name=f"U{i}") for i in range(20)]
        tg.rate_limit(global_per_sec=12, per_chat_per_sec=1, burst=1, retry_after=1)
        async with db.session() as s:
            b = await outbox.create_broadcast(s, text="Thông báo họp dân", created_by="test", group_ids="all")
            await outbox.queue_broadcast(s, b)
        bot.runtime.pacer.wake()
        await tg.wait_until(lambda: sum(1 for c in chats if tg.sent_to(c)) >= 40, timeout=30)
        await asyncio.gather(*(u.send("/trogiup") for u in users))
        await asyncio.gather(*(u.wait_for(1, timeout=60) for u in users))
        assert all(texts.HELP.splitlines()[0] in (u.last_text() or "") for u in users)
        await tg.wait_until(lambda: all(tg.sent_to(c) for c in chats), timeout=60)
    assert all(tg.sent_to(c) == 1 for c in chats)
    assert tg.calls("sendMessage", status=429)  # the limit was really reached


async def test_a_pooled_connection_the_server_dropped_while_idle_is_replaced(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL: a connection left in the pool after its server session ended (a restart, a fail-over) is
    pinged before use once it sat idle (bot.db.engine.IDLE_PING) and replaced: the next unit of work succeeds."""
    from sqlalchemy import text

    from bot.db import engine as db_engine

    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite has no server session to lose")
    import asyncpg

    assert PG_URL is not None
    monkeypatch.setattr(db_engine, "IDLE_PING", 0.0)
    db = db_engine.Database(db_url)
    try:
        async with db.session() as s:
            pid = (await s.exec(text("SELECT pg_backend_pid()"))).scalar_one()  # type: ignore[call-overload]
        admin = await asyncpg.connect(PG_URL.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            await admin.execute("SELECT pg_terminate_backend($1)", pid)
        finally:
            await admin.close()
        async with db.session() as s:
            again = (await s.exec(text("SELECT pg_backend_pid()"))).scalar_one()  # type: ignore[call-overload]
        assert again != pid
    finally:
        await db.dispose()
