"""Inbound throughput: a bare python-telegram-bot echo bot vs hocbot, same fake server, same run.

2,000 text messages from 200 users (10 each) go through the fake Bot API by long polling. The echo bot is PTB's
default set-up (updates handled one at a time); hocbot runs its real app (dedupe row per update, per-user lock,
user loaded and saved, the free-text handler) with consented users. Prints the ratio and update→reply latency.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from collections import defaultdict
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bench.common import percentile, write_result
from bot.db.models import Identity, User, utcnow
from tests.conftest import make_settings
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegram
from tests.harness import running_bot

USERS = int(os.environ.get("BENCH_USERS", 200))
PER_USER = int(os.environ.get("BENCH_PER_USER", 10))
QUESTIONS = ["xin chào", "tuan le hoc tap la gi", "AI là gì?", "cam on ban", "hoc AI o dau mien phi"]


async def _drive(tg: FakeTelegram) -> dict[str, Any]:
    """Queue every message at once, then wait for one reply per message; latency per message."""
    users = [tg.user(9_000_000 + i, first_name=f"U{i}") for i in range(USERS)]
    sent_at: dict[int, list[float]] = defaultdict(list)
    start_calls = len(tg.transcript)
    t0 = time.perf_counter()
    for k in range(PER_USER):
        for u in users:
            sent_at[u.id].append(time.time())
            await u.send(QUESTIONS[(u.id + k) % len(QUESTIONS)])
    total = USERS * PER_USER
    await tg.wait_until(lambda: _replies(tg, start_calls) >= total, timeout=600)
    elapsed = time.perf_counter() - t0
    got: dict[int, list[float]] = defaultdict(list)
    for call in tg.transcript[start_calls:]:  # the fake stamps calls with time.time()
        if call.method == "sendMessage" and call.status == 200:
            got[int(call.chat_id)].append(call.time)
    lat = [r - s for uid, times in sent_at.items() for s, r in zip(times, got[uid], strict=False)]
    return {
        "messages": total,
        "seconds": elapsed,
        "per_second": total / elapsed,
        "p50_ms": percentile(lat, 50) * 1000,
        "p95_ms": percentile(lat, 95) * 1000,
    }


def _replies(tg: FakeTelegram, start: int) -> int:
    return sum(1 for c in tg.transcript[start:] if c.method == "sendMessage" and c.status == 200)


async def echo_run() -> dict[str, Any]:
    async with FakeTelegram() as tg:
        app = Application.builder().token(DEFAULT_TOKEN).base_url(tg.base_url).build()

        async def echo(update: Update, _ctx: ContextTypes.DEFAULT_TYPE) -> None:
            assert update.effective_message is not None
            await update.effective_message.reply_text(update.effective_message.text or "")

        app.add_handler(MessageHandler(filters.TEXT, echo))
        async with app:
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0.0, timeout=1)
            await app.start()
            result = await _drive(tg)
            await app.updater.stop()
            await app.stop()
        return result


async def hocbot_run(db_url: str) -> dict[str, Any]:
    async with FakeTelegram() as tg:
        settings = make_settings(db_url, telegram_bot_token=DEFAULT_TOKEN, telegram_api_base_url=tg.base_url)
        async with running_bot(settings) as bot:
            async with bot.runtime.services.db.session() as s:
                for i in range(USERS):
                    user = User(display_name=f"U{i}", consent_at=utcnow(), consent_version="bench")
                    s.add(user)
                    await s.flush()
                    assert user.id is not None
                    uid = str(9_000_000 + i)
                    s.add(Identity(user_id=user.id, channel="telegram", external_id=uid, chat_id=uid))
            return await _drive(tg)


async def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        db_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite+aiosqlite:///{tmp}/bench.db"
        echo = await echo_run()
        hoc = await hocbot_run(db_url)
    ratio = hoc["per_second"] / echo["per_second"]
    print(
        f"inbound echo: {echo['per_second']:.0f} msg/s, p50 {echo['p50_ms']:.0f} ms, p95 {echo['p95_ms']:.0f} ms"
    )
    print(
        f"inbound hocbot: {hoc['per_second']:.0f} msg/s, p50 {hoc['p50_ms']:.0f} ms, p95 {hoc['p95_ms']:.0f} ms"
    )
    print(f"inbound ratio hocbot/echo = {ratio:.2f}  (long polling, {USERS} users x {PER_USER} messages)")
    write_result(
        "inbound",
        {
            "mode": "polling",
            "echo": echo,
            "hocbot": hoc,
            "ratio": ratio,
            "database": "sqlite" if "sqlite" in db_url else "postgresql",
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
