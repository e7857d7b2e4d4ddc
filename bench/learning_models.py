"""The learning-model roll-up (`hocbot report learning-models`, the dashboard's table) on a country-sized year:
34 provinces × 3,300 communes × 1,000,000 units by default (BENCH_LM_UNITS), seeded with one INSERT … SELECT.

Timed (median of REPEAT runs, in one process, same database): the whole deployment, the same with every
commune's households entered (3,300 × 5 denominators: the rates), one province, one commune officer's scope
(the dashboard), and as the baseline a plain `SELECT count(*)` over the year's rows, so
a loaded machine shows in both. Target from the issue: the whole report ≤ 1 s on PostgreSQL. PostgreSQL when
HOCBOT_TEST_DATABASE_URL (or --pg) is set; SQLite always, at a tenth of the size unless BENCH_LM_SQLITE_UNITS.
"""

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
from handlers.learning_models import rates, service
from handlers.officers.scope import OfficerInfo

PROVINCES, COMMUNES = 34, 3300
UNITS = int(os.environ.get("BENCH_LM_UNITS", 1_000_000))
SQLITE_UNITS = int(os.environ.get("BENCH_LM_SQLITE_UNITS", UNITS // 10))
REPEAT = int(os.environ.get("BENCH_LM_REPEAT", 5))
YEAR = 2026
MODELS = ["gd", "gd", "gd", "gd", "dh", "cd", "dv", "cn"]  # families are most of them
STATES = ["registered", "submitted", "confirmed", "confirmed", "recognised", "recognised", "recognised"]


def _pick(values: list[str]) -> str:
    """The SQL choosing values[x % len] (both dialects)."""
    return f"CASE x % {len(values)} " + " ".join(f"WHEN {i} THEN '{v}'" for i, v in enumerate(values)) + " END"


async def seed(db: Database, units: int) -> float:
    """One owner and `units` units of YEAR (plus a tenth as many of the year before), spread over the communes."""
    pg = db.engine.dialect.name == "postgresql"
    series = "generate_series(1, {n}) AS s(x)" if pg else "s"
    prefix = "" if pg else "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < {n}) "
    now = "now()" if pg else "'2026-03-10 03:00:00.000000'"
    models = "(ARRAY[" + ",".join(f"'{m}'" for m in MODELS) + f"])[1 + x % {len(MODELS)}]" if pg else \
        f"CASE x % {len(MODELS)} " + " ".join(f"WHEN {i} THEN '{m}'" for i, m in enumerate(MODELS)) + " END"
    states = "(ARRAY[" + ",".join(f"'{s}'" for s in STATES) + f"])[1 + x % {len(STATES)}]" if pg else \
        f"CASE x % {len(STATES)} " + " ".join(f"WHEN {i} THEN '{s}'" for i, s in enumerate(STATES)) + " END"
    started = time.perf_counter()
    async with db.engine.begin() as conn:
        await conn.execute(text(
            f"INSERT INTO users (id, display_name, created_at, last_active_at, subscribed, reminders_paused, "
            f"show_name) VALUES (1, 'bench', {now}, {now}, {'TRUE' if pg else 1}, {'FALSE' if pg else 0}, "
            f"{'FALSE' if pg else 0})"))  # fmt: skip
        for year, n in ((YEAR, units), (YEAR - 1, units // 10)):
            sql = (
                prefix.format(n=n)
                + "INSERT INTO learning_units (model, year, name, province, commune, owner_user_id, status, "
                + "created_at) "
                + f"SELECT {models}, {year}, 'Đơn vị ' || x, 'Tỉnh ' || ((x % {COMMUNES}) % {PROVINCES}), "
                + f"'Xã ' || (x % {COMMUNES}), 1, {states}, {now} FROM {series.format(n=n)}"
            )
            await conn.execute(text(sql))
        # every commune entered its households for every model (the rates' denominators): 3,300 × 5 rows
        for m in sorted(set(MODELS)):
            sql = (
                prefix.format(n=COMMUNES)
                + "INSERT INTO learning_denominators (year, province, commune, model, count, set_by, set_at) "
                + f"SELECT {YEAR}, 'Tỉnh ' || ((x - 1) % {PROVINCES}), 'Xã ' || (x - 1), '{m}', 400, 'bench', {now} "
                + f"FROM {series.format(n=COMMUNES)}"
            )
            await conn.execute(text(sql))
    if pg:  # what autovacuum does soon after a bulk load: the roll-up's index-only scan needs the visibility map
        async with db.engine.connect() as conn:
            auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await auto.execute(text("VACUUM ANALYZE learning_units"))
    return time.perf_counter() - started


async def measure(url: str, units: int) -> dict[str, Any]:
    db = Database(url)
    try:
        await upgrade(db)
        seconds = await seed(db, units)
        officer = OfficerInfo("bench:officer", "officer", scopes=[("commune", "Xã 7|Tỉnh 7")])

        async def count() -> None:
            async with db.read_session() as s:
                await (await s.connection()).execute(text(f"SELECT count(*) FROM learning_units WHERE year = {YEAR}"))

        async def whole() -> None:
            async with db.read_session() as s:
                service.roll_up(await service.rollup(s, YEAR))

        async def whole_with_rates() -> None:
            async with db.read_session() as s:
                top = service.roll_up(await service.rollup(s, YEAR), "", await rates.denominators(s, YEAR))
                assert top.denominators, "every commune entered its households: the deployment has a rate"

        async def province() -> None:
            async with db.read_session() as s:
                service.roll_up(await service.rollup(s, YEAR, "Tỉnh 7"))

        async def commune() -> None:
            async with db.read_session() as s:
                rows = await service.rollup(s, YEAR, officer=officer)
                assert rows, "the officer's commune has units"

        base = await median_seconds(count, REPEAT)
        out = {"units": units, "seed_seconds": round(seconds, 1), "baseline_count_ms": round(base * 1000, 1)}
        for name, fn in (("whole", whole), ("whole_with_rates", whole_with_rates), ("province", province),
                         ("commune", commune)):
            t = await median_seconds(fn, REPEAT)
            out[f"{name}_ms"] = round(t * 1000, 1)
            out[f"{name}_vs_count"] = round(t / base, 2) if base else None
        return out
    finally:
        await db.dispose()


async def main(pg: str | None) -> dict[str, Any]:
    result: dict[str, Any] = {"provinces": PROVINCES, "communes": COMMUNES, "repeat": REPEAT}
    with tempfile.TemporaryDirectory() as tmp:
        result["sqlite"] = await measure(f"sqlite+aiosqlite:///{Path(tmp) / 'lm.db'}", SQLITE_UNITS)
        print("sqlite", result["sqlite"], flush=True)
    if pg:
        async with pg_database(pg) as url:
            if url:
                result["postgresql"] = await measure(url, UNITS)
                result["postgresql"]["target_whole_ms"] = 1000
                print("postgresql", result["postgresql"], flush=True)
    write_result("learning_models", result)
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default=os.environ.get("HOCBOT_TEST_DATABASE_URL"))
    asyncio.run(main(parser.parse_args().pg))
