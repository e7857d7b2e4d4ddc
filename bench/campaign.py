"""`python -m bench.campaign`: one campaign fire to 10,000 subscribers — time until every delivery is queued.

Prints the fire time, the process memory (max RSS from resource.getrusage, and the RSS growth during the
fire), a baseline (INSERT of 10,000 plain rows in the same database) and the ratio; writes
bench/results/campaign.json. Runs on SQLite, and on PostgreSQL too when HOCBOT_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from bench.common import pg_database, write_result
from bot.app import build_services
from bot.db.models import Group, Identity, Membership, User
from bot.settings import Settings
from handlers.week import campaign_store as store
from handlers.week.campaigns import tick

BATCH = 2000


def rss_mb() -> float:
    """Current resident set size (Linux /proc), in MB."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError):
        return float("nan")


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


async def _seed(svc: Any, n: int, now: dt.datetime) -> None:
    async with svc.db.session() as s:
        g = Group(name="bench", kind="code")
        s.add(g)
        await s.flush()
        conn = await s.connection()
        users = [{"display_name": f"u{i}", "consent_at": now, "created_at": now, "last_active_at": now,
                  "subscribed": True, "reminders_paused": False, "show_name": False} for i in range(n)]  # fmt: skip
        for i in range(0, n, BATCH):
            await conn.execute(insert(User.__table__), users[i : i + BATCH])  # type: ignore[arg-type]
        ids = [int(r[0]) for r in (await conn.execute(text("SELECT id FROM users ORDER BY id"))).all()]
        idents = [{"user_id": u, "channel": "telegram", "external_id": str(u), "chat_id": str(u), "active": True,
                   "reachable_free": True, "created_at": now, "last_seen_at": now} for u in ids]  # fmt: skip
        members = [{"user_id": u, "group_id": g.id, "joined_at": now} for u in ids]
        for i in range(0, n, BATCH):
            await conn.execute(insert(Identity.__table__), idents[i : i + BATCH])  # type: ignore[arg-type]
            await conn.execute(insert(Membership.__table__), members[i : i + BATCH])  # type: ignore[arg-type]


async def _baseline(svc: Any, n: int) -> float:
    """INSERT n plain rows (same shape as a delivery row) in one transaction."""
    async with svc.db.engine.begin() as conn:
        await conn.execute(text("CREATE TABLE bench_plain (id INTEGER PRIMARY KEY, a INTEGER, b VARCHAR(32), "
                                "c VARCHAR(128), d VARCHAR(16))"))  # fmt: skip
    rows = [{"id": i + 1, "a": i, "b": "telegram", "c": str(i), "d": "queued"} for i in range(n)]
    started = time.perf_counter()
    async with svc.db.engine.begin() as conn:
        for i in range(0, n, BATCH):
            await conn.execute(text("INSERT INTO bench_plain (id, a, b, c, d) VALUES (:id, :a, :b, :c, :d)"),
                               rows[i : i + BATCH])  # fmt: skip
    return time.perf_counter() - started


async def run_once(url: str, n: int) -> dict[str, Any]:
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    svc = await build_services(settings)
    try:
        created = dt.datetime(2026, 9, 1, 1, tzinfo=dt.UTC)
        fire_at = dt.datetime(2026, 9, 24, 1, tzinfo=dt.UTC)  # 08:00 in Asia/Ho_Chi_Minh
        await _seed(svc, n, created)
        async with svc.db.session() as s:
            await store.add_campaign(s, settings, created, name="bench", to="bench", text="Nhắc học", kind="once",
                                     at=fire_at, button="quiz:m1")  # fmt: skip
        rss_before = rss_mb()
        started = time.perf_counter()
        [res] = await tick(svc, fire_at)
        fire_s = time.perf_counter() - started
        rss_after = rss_mb()
        baseline_s = await _baseline(svc, n)
    finally:
        await svc.db.dispose()
    return {
        "subscribers": n, "queued": res.queued, "fire_to_queued_s": round(fire_s, 3),
        "baseline_insert_s": round(baseline_s, 3), "ratio": round(fire_s / baseline_s, 2),
        "rss_mb_before": round(rss_before, 1), "rss_mb_after": round(rss_after, 1),
        "rss_growth_mb": round(rss_after - rss_before, 1), "max_rss_mb": round(max_rss_mb(), 1),
    }  # fmt: skip


def _print(label: str, r: dict[str, Any]) -> None:
    print(f"campaign fire → {r['queued']} deliveries queued ({label}): {r['fire_to_queued_s']} s (target ≤ 2 s)")
    print(f"baseline INSERT of {r['subscribers']} plain rows ({label}): {r['baseline_insert_s']} s; "
          f"fire/baseline = {r['ratio']}")  # fmt: skip
    print(f"memory ({label}): RSS {r['rss_mb_before']} → {r['rss_mb_after']} MB during the fire "
          f"(+{r['rss_growth_mb']} MB), max RSS {r['max_rss_mb']} MB")  # fmt: skip


async def main(n: int, pg: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out["sqlite"] = await run_once(f"sqlite+aiosqlite:///{Path(tmp) / 'campaign.db'}", n)
        _print("SQLite", out["sqlite"])
    if pg:
        async with pg_database(pg) as url:
            if url is not None:
                out["postgres"] = await run_once(url, n)
                _print("PostgreSQL", out["postgres"])
    return out


def cli() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.campaign")
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--pg", default=os.environ.get("HOCBOT_TEST_DATABASE_URL"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    data = asyncio.run(main(args.n, args.pg))
    print(f"→ {write_result('campaign', data)}")


if __name__ == "__main__":
    cli()
