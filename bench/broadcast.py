"""Broadcast benchmark: `python -m bench.broadcast [--n 2000] [--pg URL]`.

1. Paced: 400, then N recipients against FakeTelegram limited to 30 msg/s (per chat 1/s) with the pacer at 25/s:
   prints `broadcast achieved/configured = X` with lost and duplicate counts.
2. Ceiling: no limit on the fake, a very high pacer rate: the engine's messages/s on SQLite and (when
   HOCBOT_TEST_DATABASE_URL or --pg is given and reachable) on PostgreSQL.
Results go to bench/results/broadcast.json. `seed_subscribers` is shared with the tests.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bench.common import pg_database, write_result
from bot.db.engine import Database
from bot.db.models import Group, Identity, Membership, User, utcnow
from bot.settings import Settings

TOKEN = "7000000001:TEST-token_for-hocbot"
FIRST_CHAT = 900_000_000


async def seed_subscribers(
    db: Database,
    n: int,
    *,
    first_chat: int = FIRST_CHAT,
    province: str = "Ninh Bình",
    group_id: int | None = None,
    channel: str = "telegram",
) -> list[int]:
    """Insert n consented, subscribed users with a Telegram identity each; returns their chat ids."""
    now = utcnow()
    chats = list(range(first_chat, first_chat + n))
    async with db.session() as s:
        conn = await s.connection()
        res = await conn.execute(
            insert(User.__table__).returning(User.__table__.c.id),  # type: ignore[attr-defined]
            [
                {"display_name": f"U{c}", "created_at": now, "last_active_at": now, "consent_at": now,
                 "consent_version": "1", "province": province, "subscribed": True, "reminders_paused": False,
                 "show_name": False}
                for c in chats
            ],
        )
        ids = [int(r[0]) for r in res.all()]
        await conn.execute(
            insert(Identity.__table__),  # type: ignore[attr-defined]
            [
                {"user_id": uid, "channel": channel, "external_id": str(c), "chat_id": str(c), "active": True,
                 "reachable_free": True, "created_at": now, "last_seen_at": now}
                for uid, c in zip(ids, chats, strict=True)
            ],
        )
        if group_id is not None:
            await conn.execute(
                insert(Membership.__table__),  # type: ignore[attr-defined]
                [{"user_id": uid, "group_id": group_id, "joined_at": now} for uid in ids],
            )
    return chats


async def add_group(db: Database, name: str, kind: str = "code", **fields: Any) -> int:
    async with db.session() as s:
        g = Group(name=name, title=name, kind=kind, **fields)
        s.add(g)
        await s.flush()
        assert g.id is not None
        return g.id


async def run_once(db_url: str, n: int, *, limit: float | None, rate: float) -> dict[str, Any]:
    """Queue one broadcast to n seeded users and let a real runtime deliver it; returns measurements."""
    from handlers.officers import outbox
    from tests.fakes.telegram_server import FakeTelegram
    from tests.harness import running_bot

    async with FakeTelegram(token=TOKEN) as tg:
        if limit is not None:
            tg.rate_limit(global_per_sec=limit, per_chat_per_sec=1.0, burst=1.0, retry_after=1)
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, database_url=db_url, telegram_bot_token=TOKEN, telegram_api_base_url=tg.base_url,
            hocbot_broadcast_rate=rate, hocbot_web_port=0,
        )
        async with running_bot(settings) as bot:
            db = bot.runtime.services.db
            chats = await seed_subscribers(db, n)
            for c in chats:
                tg.set_fate(c, None)
            async with db.session() as s:
                b = await outbox.create_broadcast(s, text="Thông báo thử tốc độ", created_by="bench", group_ids="all")
                assert b.id is not None
                await outbox.queue_broadcast(s, b)
                bid = b.id
            t0 = time.perf_counter()
            bot.runtime.pacer.wake()
            deadline = t0 + n / min(rate, 1000.0) * 3 + 60
            for _ in range(10**9):
                if sum(1 for c in chats if tg.sent_to(c)) >= n or time.perf_counter() > deadline:
                    break
                await asyncio.sleep(0.02)
            elapsed = time.perf_counter() - t0
            await asyncio.sleep(0.2)  # let the last outcomes be written
            async with db.session() as s:
                counts = await outbox.broadcast_counts(s, bid)
            too_many = len(tg.calls("sendMessage", status=429))
        got = [tg.sent_to(c) for c in chats]
    return {
        "recipients": n, "elapsed_s": round(elapsed, 3), "achieved_per_s": round(n / elapsed, 1),
        "lost": sum(1 for g in got if g == 0), "duplicates": sum(g - 1 for g in got if g > 1),
        "http_429": too_many, "states": counts,
    }


class NullChannel:
    """Accepts every message at once: measures the engine alone (claim, pace, write back)."""

    name = "telegram"

    def __init__(self) -> None:
        self.sent: dict[str, int] = {}

    async def send(self, chat_key: str, reply: Any) -> Any:
        from bot.core.delivery import SentInfo

        self.sent[chat_key] = self.sent.get(chat_key, 0) + 1
        return SentInfo()


async def engine_only(db_url: str, n: int) -> dict[str, Any]:
    """The pacer with a null channel: the database-bound ceiling of the outbox."""
    from bot.db.migrate import upgrade
    from handlers.officers import outbox
    from scheduler.pacer import Pacer

    db = Database(db_url)
    await upgrade(db)
    chats = await seed_subscribers(db, n)
    channel = NullChannel()
    pacer = Pacer(db, {"telegram": channel}, rate=1e6, zalo_rate=5, per_chat=1.0)
    async with db.session() as s:
        b = await outbox.create_broadcast(s, text="x", created_by="bench", group_ids="all")
        await outbox.queue_broadcast(s, b)
    t0 = time.perf_counter()
    await pacer.start()
    for _ in range(10**9):
        if len(channel.sent) >= n or time.perf_counter() - t0 > 120:
            break
        await asyncio.sleep(0.005)
    elapsed = time.perf_counter() - t0
    await pacer.stop()
    async with db.session() as s:
        counts = await outbox.broadcast_counts(s, b.id or 0)
    await db.dispose()
    got = [channel.sent.get(str(c), 0) for c in chats]
    return {"recipients": n, "elapsed_s": round(elapsed, 3), "achieved_per_s": round(n / elapsed, 1),
            "lost": sum(1 for g in got if g == 0), "duplicates": sum(g - 1 for g in got if g > 1),
            "states": counts}


async def main(n: int, pg: str | None, ceiling_n: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for key, size in (("paced_400", 400), ("paced", n)):  # a short run shows any slow start
            url = f"sqlite+aiosqlite:///{Path(tmp) / f'{key}.db'}"
            paced = await run_once(url, size, limit=30.0, rate=25.0)
            paced["ratio"] = round(paced["achieved_per_s"] / 25.0, 3)
            out[key] = paced
            print(f"broadcast achieved/configured = {paced['ratio']} ({paced['achieved_per_s']}/s of 25/s, "
                  f"{size} recipients in {paced['elapsed_s']} s) lost={paced['lost']} "
                  f"duplicates={paced['duplicates']} 429s={paced['http_429']}")
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'ceiling.db'}"
        ceil = await run_once(url, ceiling_n, limit=None, rate=1e6)
        out["ceiling_sqlite"] = ceil
        print(f"end-to-end ceiling via PTB + in-process FakeTelegram (SQLite) = {ceil['achieved_per_s']} msg/s "
              f"({ceiling_n} recipients) lost={ceil['lost']} duplicates={ceil['duplicates']}")
        eng = await engine_only(f"sqlite+aiosqlite:///{Path(tmp) / 'engine.db'}", ceiling_n * 4)
        out["engine_sqlite"] = eng
        print(f"engine ceiling (SQLite, null channel) = {eng['achieved_per_s']} msg/s "
              f"lost={eng['lost']} duplicates={eng['duplicates']}")
    if pg:
        async with pg_database(pg) as pg_url:
            if pg_url is not None:
                ceil = await run_once(pg_url, ceiling_n, limit=None, rate=1e6)
                out["ceiling_postgres"] = ceil
                print(f"end-to-end ceiling via PTB + FakeTelegram (PostgreSQL) = {ceil['achieved_per_s']} msg/s "
                      f"lost={ceil['lost']} duplicates={ceil['duplicates']}")
        async with pg_database(pg) as pg_url:
            if pg_url is not None:
                eng = await engine_only(pg_url, ceiling_n * 4)
                out["engine_postgres"] = eng
                print(f"engine ceiling (PostgreSQL, null channel) = {eng['achieved_per_s']} msg/s "
                      f"lost={eng['lost']} duplicates={eng['duplicates']}")
    return out


def cli() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.broadcast")
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--ceiling-n", type=int, default=5000)
    parser.add_argument("--pg", default=os.environ.get("HOCBOT_TEST_DATABASE_URL"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    data = asyncio.run(main(args.n, args.pg, args.ceiling_n))
    path = write_result("broadcast", data)
    print(f"→ {path}")


if __name__ == "__main__":
    cli()
