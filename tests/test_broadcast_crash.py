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
                str(HOCBOT), "broadcast", "send", "--to", "all", "--text", "Nhắc lịch học tối nay", "--yes",
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
