"""Kill -9 a real `hocbot run` in the middle of a broadcast, start it again: nobody is lost, and only
messages in flight at the kill may arrive twice."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlmodel import func, select

from bench.broadcast import seed_subscribers
from bot.db.engine import Database
from bot.db.migrate import upgrade
from bot.db.models_officers import Broadcast, Delivery
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegram

HOCBOT = Path(sys.executable).with_name("hocbot")
N = 300


def env_for(db_url: str, tg: FakeTelegram) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOCBOT_", "TELEGRAM_", "ZALO_", "OPENAI_"))}
    env.update(
        DATABASE_URL=db_url, TELEGRAM_BOT_TOKEN=DEFAULT_TOKEN, TELEGRAM_API_BASE_URL=tg.base_url,
        HOCBOT_WEB_PORT="0", HOCBOT_BROADCAST_RATE="50", HOCBOT_WEB_HOST="127.0.0.1",
    )
    return env


async def start(env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        str(HOCBOT), "run", env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


async def wait_for(predicate: Any, timeout: float, what: str) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def test_sigkill_mid_broadcast_then_restart_delivers_the_rest(tmp_path: Path) -> None:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'hocbot.db'}"
    db = Database(db_url)
    await upgrade(db)
    chats = await seed_subscribers(db, N, first_chat=800_000)
    async with FakeTelegram() as tg:
        for c in chats:
            tg.set_fate(c, None)
        env = env_for(db_url, tg)
        proc = await start(env, tmp_path)
        try:
            await wait_for(lambda: len(tg.calls("getUpdates")) > 0, 30, "the first run to poll Telegram")
            cli = await asyncio.create_subprocess_exec(
                str(HOCBOT), "broadcast", "send", "--to", "all", "--text", "Nhắc lịch học tối nay", "--yes", "--json",
                env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            )
            out, _ = await cli.communicate()
            queued = json.loads(out)
            assert queued["recipients"] == N

            await wait_for(lambda: sum(1 for c in chats if tg.sent_to(c)) >= 60, 30, "60 messages sent")
            proc.send_signal(signal.SIGKILL)
            await proc.wait()
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
        sent_before = sum(1 for c in chats if tg.sent_to(c))
        async with db.session() as s:
            in_flight = (await s.exec(
                select(func.count()).select_from(Delivery).where(Delivery.state == "sending")
            )).one()
        assert sent_before < N, "the kill came too late to test anything"

        proc = await start(env, tmp_path)
        try:
            await wait_for(lambda: all(tg.sent_to(c) for c in chats), 60, "every recipient reached")

            async def done() -> bool:
                async with db.session() as s:
                    b = await s.get(Broadcast, queued["broadcast_id"])
                    return b is not None and b.status == "done"

            deadline = time.monotonic() + 10
            while not await done():
                assert time.monotonic() < deadline, "broadcast never marked done"
                await asyncio.sleep(0.1)
        finally:
            proc.send_signal(signal.SIGTERM)
            await proc.wait()
        await db.dispose()

    copies = [tg.sent_to(c) for c in chats]
    duplicates = sum(n - 1 for n in copies if n > 1)
    assert min(copies) >= 1  # nobody lost
    assert duplicates <= in_flight <= 70, (duplicates, in_flight)  # only those in flight at the kill
    print(f"killed after {sent_before} sent; in flight {in_flight}; duplicates {duplicates}")


async def test_a_frozen_bot_api_gives_at_most_the_in_flight_messages_twice(tmp_path: Path) -> None:
    """The Bot API stops answering for 12 s in the middle of a broadcast (each request then takes 8 s, longer
    than the 5 s the bot waits) and comes back. Nobody is lost; a message is delivered twice only if it was in
    flight when it froze (at most the lane's concurrency), not a new batch every time a request times out."""
    from bot.settings import Settings
    from handlers.officers import outbox
    from tests.harness import running_bot

    db_url = f"sqlite+aiosqlite:///{tmp_path / 'hocbot.db'}"
    n, rate = 80, 25.0
    async with FakeTelegram() as tg:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, database_url=db_url, telegram_bot_token=DEFAULT_TOKEN,
            telegram_api_base_url=tg.base_url, hocbot_broadcast_rate=rate,
        )
        async with running_bot(settings) as bot:
            db = bot.runtime.services.db
            chats = await seed_subscribers(db, n, first_chat=810_000)
            for c in chats:
                tg.set_fate(c, None)
            async with db.session() as s:
                b = await outbox.create_broadcast(s, text="Nhắc lịch học tối nay", created_by="test", group_ids="all")
                await outbox.queue_broadcast(s, b)
            pacer = bot.runtime.pacer
            pacer.wake()
            await wait_for(lambda: sum(1 for c in chats if tg.sent_to(c)) >= 10, 30, "10 messages sent")
            tg.latency = 8.0  # frozen: nothing answers within the bot's 5 s
            await asyncio.sleep(12)
            tg.latency = 0.0
            await wait_for(lambda: all(tg.sent_to(c) for c in chats), 60, "every recipient reached")
            await asyncio.sleep(1)
        concurrency = pacer.lanes["telegram"].concurrency
    copies = [tg.sent_to(c) for c in chats]
    duplicates = sum(k - 1 for k in copies if k > 1)
    print(f"frozen Bot API: {duplicates} duplicates, lane concurrency {concurrency}")
    assert min(copies) >= 1
    assert duplicates <= concurrency, (duplicates, concurrency)
