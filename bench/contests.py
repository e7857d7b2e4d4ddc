"""The contest's end of game on a province-sized contest: N people finished (BENCH_CONTEST_ATTEMPTS, 100,000 by
default) over 100 communes of one province. When a person finishes, the bot tells them their rank on their
commune's or province's board.

Timed (median of REPEAT runs, same process, same database): the rank as first written (the whole province board
loaded and searched: `before`), the rank by two counts (`board.rank_of`: `after`), the top-10 boards of a commune
and of the province, and as the baseline a plain `SELECT count(*)` of the contest's attempts, so a loaded machine
shows in every ratio. PostgreSQL when HOCBOT_TEST_DATABASE_URL (or --pg) is set; SQLite always."""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.common import median_seconds, pg_database, write_result
from bot.db.engine import Database
from bot.db.migrate import upgrade
from bot.db.models_contests import ContestAttempt
from handlers.contests import board

ATTEMPTS = int(os.environ.get("BENCH_CONTEST_ATTEMPTS", 100_000))
REPEAT = int(os.environ.get("BENCH_CONTEST_REPEAT", 5))
COMMUNES = 100
PROVINCE = "Tỉnh 1"


async def seed(db: Database, n: int) -> float:
    """One contest, `n` users and their finished attempts (scores 0–10, times spread, communes round-robin)."""
    pg = db.engine.dialect.name == "postgresql"
    series = f"generate_series(1, {n}) AS s(x)" if pg else "s"
    prefix = "" if pg else f"WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < {n}) "
    now = "now()" if pg else "'2026-10-03 03:00:00.000000'"
    yes, no = ("TRUE", "FALSE") if pg else ("1", "0")
    started = time.perf_counter()
    async with db.engine.begin() as conn:
        await conn.execute(text(
            "INSERT INTO contests (id, title, province, question_ids, seconds, opens_at, closes_at, year, winners, "
            f"created_by, created_at) VALUES (1, 'Bench', '{PROVINCE}', '[]', 20, {now}, {now}, 2026, 3, 'bench', "
            f"{now})"))  # fmt: skip
        await conn.execute(text(
            prefix + "INSERT INTO users (id, display_name, created_at, last_active_at, subscribed, reminders_paused, "
            f"show_name, province, commune) SELECT x, 'Người ' || x, {now}, {now}, {yes}, {no}, "
            f"CASE WHEN x % 2 = 0 THEN {yes} ELSE {no} END, '{PROVINCE}', 'Xã ' || (x % {COMMUNES}) "
            f"FROM {series}"))  # fmt: skip
        await conn.execute(text(
            prefix + 'INSERT INTO contest_attempts (contest_id, user_id, question_ids, "index", correct, total_ms, '
            "province, commune, started_at, finished_at) SELECT 1, x, '[]', 10, (x * 7) % 11, 20000 + (x * 7919) % "
            f"180000, '{PROVINCE}', 'Xã ' || (x % {COMMUNES}), {now}, {now} FROM {series}"))  # fmt: skip
    if pg:
        async with db.engine.connect() as conn:
            auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await auto.execute(text("VACUUM ANALYZE contest_attempts"))
            await auto.execute(text("VACUUM ANALYZE users"))
    return time.perf_counter() - started


async def rank_before(s: Any, attempt: ContestAttempt, province: str | None, commune: str | None) -> tuple[int, int]:
    """The rank as first written: the whole board loaded, then searched."""
    rows = await board.ranking(s, attempt.contest_id, province, commune)
    rank = next((r.rank for r in rows if r.attempt.id == attempt.id), len(rows))
    return rank, len(rows)


async def measure(url: str, n: int) -> dict[str, Any]:
    db = Database(url)
    try:
        await upgrade(db)
        seconds = await seed(db, n)
        async with db.read_session() as s:
            me = await s.get(ContestAttempt, n // 2)
        assert me is not None

        async def count() -> None:
            async with db.read_session() as s:
                await (await s.connection()).execute(text("SELECT count(*) FROM contest_attempts WHERE contest_id = 1"))

        async def before() -> None:
            async with db.read_session() as s:
                assert await rank_before(s, me, PROVINCE, None) == expected

        async def after() -> None:
            async with db.read_session() as s:
                assert await board.rank_of(s, me, PROVINCE, None) == expected

        async def commune_board() -> None:
            async with db.read_session() as s:
                assert len(await board.ranking(s, 1, PROVINCE, me.commune, limit=10)) == 10

        async def province_board() -> None:
            async with db.read_session() as s:
                assert len(await board.ranking(s, 1, PROVINCE, None, limit=10)) == 10

        async with db.read_session() as s:
            expected = await rank_before(s, me, PROVINCE, None)
        base = await median_seconds(count, REPEAT)
        out: dict[str, Any] = {"attempts": n, "seed_seconds": round(seconds, 1),
                               "baseline_count_ms": round(base * 1000, 2)}  # fmt: skip
        for name, fn in (("rank_before", before), ("rank_after", after), ("commune_board", commune_board),
                         ("province_board", province_board)):  # fmt: skip
            t = await median_seconds(fn, REPEAT)
            out[f"{name}_ms"] = round(t * 1000, 2)
            out[f"{name}_vs_count"] = round(t / base, 2) if base else None
        out["rank_speedup"] = round(out["rank_before_ms"] / out["rank_after_ms"], 1) if out["rank_after_ms"] else None
        return out
    finally:
        await db.dispose()


async def main(pg: str | None) -> dict[str, Any]:
    result: dict[str, Any] = {"communes": COMMUNES, "repeat": REPEAT}
    with tempfile.TemporaryDirectory() as tmp:
        result["sqlite"] = await measure(f"sqlite+aiosqlite:///{Path(tmp) / 'contests.db'}", ATTEMPTS)
        print("sqlite", result["sqlite"], flush=True)
    if pg:
        async with pg_database(pg) as url:
            if url:
                result["postgresql"] = await measure(url, ATTEMPTS)
                print("postgresql", result["postgresql"], flush=True)
    write_result("contests", result)
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default=os.environ.get("HOCBOT_TEST_DATABASE_URL"))
    asyncio.run(main(parser.parse_args().pg))
