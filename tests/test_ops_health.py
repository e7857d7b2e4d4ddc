"""GET /healthz and /readyz as a supervisor or a load balancer sees them: JSON, 503 while not ready."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.conftest import make_settings
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegram
from tests.fakes.zalo_bot_server import FakeZaloBot
from tests.fakes.zalo_oa_server import FakeZaloOA
from tests.harness import running_bot


async def get(url: str, **kw: Any) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as http, http.get(url, **kw) as resp:
        body = await resp.json() if resp.content_type == "application/json" else await resp.text()
        return resp.status, body


async def test_health_and_ready_with_telegram_and_zalo(db_url: str) -> None:
    async with FakeTelegram() as tg, FakeZaloBot(idle_timeout=0.1) as zb:
        settings = make_settings(
            db_url, telegram_bot_token=DEFAULT_TOKEN, telegram_api_base_url=tg.base_url,
            zalo_bot_token=zb.token, zalo_api_base_url=zb.base_url,
        )
        async with running_bot(settings) as bot:
            status, body = await get(f"{bot.url}/healthz")
            assert status == 200 and body["status"] == "ok"
            for _ in range(100):  # the first probe opens a connection, the scheduler's first tick takes the
                # PostgreSQL lock that makes it the leader: give a loaded machine a moment for both
                status, body = await get(f"{bot.url}/readyz")
                if status == 200 and body["scheduler"]["leader"]:
                    break
                await asyncio.sleep(0.05)
            assert status == 200, body
            assert body["status"] == "ready"
            assert body["database"]["ok"] is True
            assert body["channels"] == {"web": "ok", "telegram": "ok", "zalo": "ok"}
            assert body["scheduler"] == {"running": True, "leader": True}

            zb.fail_next(502, count=50, method="getUpdates")  # the Zalo server goes down: polling retries
            for _ in range(100):
                status, body = await get(f"{bot.url}/readyz")
                if body["channels"]["zalo"] == "retrying":
                    break
                await asyncio.sleep(0.05)
            assert body["channels"]["zalo"] == "retrying"
            assert status == 200  # the worker still serves Telegram and the web chat


async def test_not_ready_when_the_zalo_oa_token_is_refused(db_url: str) -> None:
    async with FakeZaloOA() as oa:
        settings = make_settings(
            db_url, zalo_oa_app_id=oa.app_id, zalo_oa_secret_key=oa.secret_key,
            zalo_oa_refresh_token="never-issued", zalo_oa_api_base_url=oa.base_url,
            zalo_oa_oauth_base_url=oa.base_url, zalo_oa_webhook_secret=oa.oa_secret,
        )
        async with running_bot(settings) as bot:
            for _ in range(100):
                status, body = await get(f"{bot.url}/readyz")
                if body["channels"]["zalo_oa"] != "starting":
                    break
                await asyncio.sleep(0.05)
            assert status == 503
            assert body["status"] == "not ready"
            assert body["channels"]["zalo_oa"] == "failed"
            status, _ = await get(f"{bot.url}/healthz")
            assert status == 200  # alive, just not working: a supervisor must not restart-loop it


def _hold_exclusively(path: Path) -> sqlite3.Connection:
    """Take the file as another program would: SQLite answers "database is locked" at once, without waiting
    for its busy timeout, when the lock cannot be waited for (the bot's connection in WAL mode is between two
    steps of its own); such a program tries again, with a new connection: in exclusive locking mode a failed
    attempt may keep the shared lock it took, and the bot's write would then wait on it while this waits on the
    bot (seen once in CI: "locked" for the whole minute). Each attempt waits a second at most, then gives its
    locks back: one attempt waiting the whole minute on the bot while the bot's write waits on it was seen on a
    loaded machine."""
    deadline = time.monotonic() + 60
    while True:
        holder = sqlite3.connect(path, timeout=1, check_same_thread=False)
        try:
            holder.execute("PRAGMA locking_mode=EXCLUSIVE")
            holder.execute("BEGIN EXCLUSIVE")
            holder.execute("CREATE TABLE IF NOT EXISTS x_hold (a)")
            return holder
        except sqlite3.OperationalError as exc:
            holder.close()
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _release(holder: sqlite3.Connection) -> None:
    holder.rollback()
    holder.close()


async def test_not_ready_while_the_database_does_not_answer(tmp_path: Path) -> None:
    path = tmp_path / "hocbot.db"
    async with running_bot(make_settings(f"sqlite+aiosqlite:///{path}")) as bot:
        for _ in range(100):  # a loaded machine may miss the probe's deadline once; it must get through soon
            status, _ = await get(f"{bot.url}/readyz")
            if status == 200:
                break
            await asyncio.sleep(0.05)
        assert status == 200
        await bot.runtime.services.db.engine.dispose()  # new connections must open the file again
        # another program holds the database exclusively (after the bot's own write, if one is running)
        # (in a thread of its own, as another program would be: waiting for the lock must not stop the bot's
        # event loop, or a transaction the bot has open could never finish)
        holder = await asyncio.to_thread(_hold_exclusively, path)
        try:
            for _ in range(60):  # a moment's slowness is forgiven (~1 s), a database that stays silent is not
                status, body = await get(f"{bot.url}/readyz")
                if status == 503:
                    break
                await asyncio.sleep(0.05)
            assert status == 503, body
            assert body["database"]["ok"] is False
        finally:
            await asyncio.to_thread(_release, holder)
        for _ in range(100):  # the waiting probe gets through once the file is free
            status, body = await get(f"{bot.url}/readyz")
            if status == 200:
                break
            await asyncio.sleep(0.05)
        assert status == 200, body


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
async def test_answers_are_json(db_url: str, path: str) -> None:
    async with running_bot(make_settings(db_url)) as bot, aiohttp.ClientSession() as http:
        async with http.get(bot.url + path) as resp:
            assert resp.content_type == "application/json"
