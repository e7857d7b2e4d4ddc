"""Dashboard benchmark: `python -m bench.dashboard [--users 100000] [--deliveries 1000000] [--n 40] [--pg URL]`.

Seeds a province (bench/dashboard_seed.py: 100,000 subscribers, 1,000,000 delivery rows, learning, answers,
campaigns), starts the real web app, logs in with a one-time link and times every dashboard page over HTTP
(p50/p95 of --n sequential requests after a warm-up) twice: warm (the dashboard's 60-second number cache
in use, what most clicks get) and cold: before each request the in-process number cache is cleared AND the
database connection pool is closed, so the request opens a new connection (SQLite's page cache, PostgreSQL's
backend with its catalog and plan caches: all empty), as the first request of a new process would. What a cold
page reads is the per-unit numbers stored in the database (unit_counts, bot/web/dashboard/summary.py), which
a background step refreshes once a minute; its cost is measured too ("summary_refresh": one full refresh, what
the first view after the migration waits for). For overview/group "expired": the stored numbers are made older
than their minute before each request (served at once while one refresh runs in the background, competing for
the CPU with the next requests). The app runs in this process, its start-up frozen out of the cyclic collector's
walks as `hocbot run` does once it serves (bot.startup.started_serving; else a full collection, ~100-250 ms here,
lands in some request). Target: p95 ≤ 200 ms per page. Baselines measured in
the same run: a static file (/static/dashboard/dashboard.css) through the same server, and `SELECT 1` on the
same database; pages are printed as p95/static ratios. SQLite always; PostgreSQL when HOCBOT_TEST_DATABASE_URL
or --pg is given (its own database, created and dropped). The scheduler and the pacer are left out so only
the pages are measured. Results: bench/results/dashboard.json.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import os
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import text

from bench.common import percentile, pg_database, write_result
from bench.dashboard_seed import OFFICER_CHAT, seed
from bot.settings import Settings
from bot.startup import started_serving
from bot.web.dashboard.cache import cache_of
from bot.web.dashboard.summary import keeper_of

TARGET_MS = 200.0
ADMIN_CHAT = "990001"
HEAVY = {"report.csv", "report.xlsx"}  # whole-report downloads: fewer repetitions


Before = Callable[[], Awaitable[None]]


async def _timed(
    n: int, call: Callable[[], Awaitable[None]], warmup: int = 2, before: Before | None = None
) -> list[float]:
    for _ in range(warmup):
        await call()
    out = []
    for _ in range(n):
        if before is not None:
            await before()
        started = time.perf_counter()
        await call()
        out.append((time.perf_counter() - started) * 1000)
    return out


async def _login(http: aiohttp.ClientSession, bot: Any, chat: str) -> None:
    from handlers.officers.login import create_login_link

    services = bot.runtime.services
    async with services.db.session() as s:
        link = await create_login_link(s, services.settings, "telegram", chat, created_by="bench")
    url = bot.url + "/dashboard/" + link.split("/dashboard/", 1)[1]
    async with http.post(url, allow_redirects=False) as resp:
        assert resp.status == 303, (resp.status, await resp.text())


async def _ids(bot: Any) -> dict[str, Any]:
    """The broadcast still going out (the biggest live one), a draft to all, a commune group."""
    from handlers.officers import outbox

    db = bot.runtime.services.db
    async with db.engine.connect() as conn:
        live = (await conn.execute(text("SELECT max(id) FROM broadcasts WHERE status = 'sending'"))).scalar_one()
        group = (await conn.execute(text("SELECT min(id) FROM groups WHERE commune IS NOT NULL"))).scalar_one()
    async with db.session() as s:
        draft = await outbox.create_broadcast(s, text="Bản nháp gửi mọi người", created_by=f"telegram:{ADMIN_CHAT}",
                                              group_ids="all")  # fmt: skip
    return {"live": live, "draft": draft.id, "group": group}


def _pages(ids: dict[str, Any]) -> list[tuple[str, str]]:
    b = f"/dashboard/broadcasts/{ids['live']}"
    return [
        ("overview", "/dashboard/"),
        ("group", f"/dashboard/groups/{ids['group']}"),
        ("broadcasts", "/dashboard/broadcasts"),
        ("broadcast-new", "/dashboard/broadcasts/new"),
        ("broadcast-draft", f"/dashboard/broadcasts/{ids['draft']}"),
        ("broadcast", b),
        ("broadcast-failed", f"{b}?state=failed"),
        ("broadcast-page-500", f"{b}?page=500"),
        ("progress.json", f"{b}/progress.json"),
        ("report.csv", f"{b}/report.csv"),
        ("report.xlsx", f"{b}/report.xlsx"),
        ("campaigns", "/dashboard/campaigns"),
        ("questions", "/dashboard/questions"),
        ("content", "/dashboard/content"),
        ("content-module", "/dashboard/content/modules/m1"),
    ]


def _cold(services: Any) -> Before:
    """A cold request: the dashboard's number cache forgotten and the connection pool closed (the next query opens
    a new connection). The content check is computed once per process at start-up (the catalog served is the one
    loaded then), so it stays; so do the counts a finished broadcast keeps on its row (stored by the first view
    after it finished: in this bench, by the warm-up requests) and the per-unit numbers stored in the database."""

    async def clear() -> None:
        cache_of(services).clear()
        keeper_of(services).forget()
        await services.db.engine.dispose()

    return clear


def _expired(services: Any) -> Before:
    """Every cached number past its 60 s and the stored per-unit numbers older than their minute (an officer
    coming back after a few minutes): served at once while one background task recomputes them."""
    from sqlalchemy import update

    from bot.db.models_dashboard import UnitCountsRun
    from bot.web.dashboard.summary import REFRESH_EVERY

    async def age() -> None:
        cache = cache_of(services)
        for entry in cache._entries.values():
            entry.at = min(entry.at, cache.monotonic() - cache.ttl - 1)
        old = services.now() - dt.timedelta(seconds=REFRESH_EVERY + 1)
        async with services.db.session() as s:
            await s.execute(update(UnitCountsRun).values(computed_at=old))

    return age


async def _refresh_cost(services: Any, n: int = 3) -> dict[str, Any]:
    """One full refresh of the stored per-unit numbers (the background step; the first view after the migration
    waits for it): counting in a read-only session, then one short write."""
    times = []
    for _ in range(n):
        started = time.perf_counter()
        await keeper_of(services).refresh(due_after=0)
        times.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(percentile(times, 50), 1), "max_ms": round(max(times), 1), "n": n}


async def _write_waits(bot: Any, http: aiohttp.ClientSession, url: str) -> dict[str, Any]:
    """While report.csv downloads: how long a write unit of work (the pacer's) waits for the database."""
    db = bot.runtime.services.db
    waits: list[float] = []
    done = asyncio.Event()

    async def writer() -> None:
        while not done.is_set():
            started = time.perf_counter()
            async with db.session() as s:
                await (await s.connection()).execute(text("SELECT 1"))
            waits.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.02)

    task = asyncio.create_task(writer())
    started = time.perf_counter()
    async with http.get(url) as resp:
        first = (time.perf_counter() - started) * 1000
        await resp.read()
    done.set()
    await task
    return {"first_byte_ms": round(first, 1), "total_ms": round((time.perf_counter() - started) * 1000, 1),
            "write_wait_max_ms": round(max(waits), 1), "write_waits": len(waits)}  # fmt: skip


async def _measure(
    http: aiohttp.ClientSession, url: str, n: int, warmup: int = 2, before: Before | None = None
) -> dict[str, Any]:
    size, ttfb = 0, []

    async def call() -> None:
        nonlocal size
        started = time.perf_counter()
        async with http.get(url, allow_redirects=False) as resp:
            ttfb.append((time.perf_counter() - started) * 1000)  # headers in: a download has started
            body = await resp.read()
            if resp.status != 200:
                raise RuntimeError(f"{url} → {resp.status}: {body[:200]!r}")
            size = len(body)

    times = await _timed(n, call, warmup, before)
    ttfb = ttfb[warmup:]
    return {"p50_ms": round(percentile(times, 50), 1), "p95_ms": round(percentile(times, 95), 1),
            "max_ms": round(max(times), 1), "first_byte_p95_ms": round(percentile(ttfb, 95), 1), "bytes": size,
            "n": n}  # fmt: skip


async def _select_one(bot: Any, n: int) -> list[float]:
    db = bot.runtime.services.db

    async def call() -> None:
        async with db.session() as s:
            await (await s.connection()).execute(text("SELECT 1"))

    return await _timed(n, call)


async def run_once(url: str, users: int, deliveries: int, n: int) -> dict[str, Any]:
    from bot.db.engine import Database
    from bot.db.migrate import upgrade
    from tests.harness import running_bot

    db = Database(url)
    await upgrade(db)
    started = time.perf_counter()
    counts = await seed(db, users=users, deliveries=deliveries)
    seed_s = time.perf_counter() - started
    await db.dispose()
    print(f"  seeded in {seed_s:.1f} s: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()), flush=True)
    settings = Settings(_env_file=None, database_url=url, hocbot_admins=f"telegram:{ADMIN_CHAT}")  # type: ignore[call-arg]
    out: dict[str, Any] = {"seed_s": round(seed_s, 1), "rows": counts, "pages": {}}
    jar = aiohttp.CookieJar(unsafe=True)
    async with running_bot(settings, sending=False) as app, aiohttp.ClientSession(cookie_jar=jar) as http:
        started_serving()  # as `hocbot run` once it serves: what start-up built is frozen, out of the collector's walks
        await _login(http, app, ADMIN_CHAT)
        static = await _measure(http, app.url + "/static/dashboard/dashboard.css", n)
        sel = await _select_one(app, n)
        out["baseline"] = {"static_p50_ms": static["p50_ms"], "static_p95_ms": static["p95_ms"],
                           "select1_p50_ms": round(percentile(sel, 50), 2)}  # fmt: skip
        ids = await _ids(app)
        services = app.runtime.services
        cold = _cold(services)
        for name, path in _pages(ids):
            if name in HEAVY:
                out["pages"][name] = await _measure(http, app.url + path, 3, 1)
                _line(name, out["pages"][name], static["p50_ms"])
                if name == "report.csv":
                    out["report_csv_write_waits"] = w = await _write_waits(app, http, app.url + path)
                    print(f"  report.csv while a writer loops: first byte {w['first_byte_ms']} ms, "
                          f"total {w['total_ms']} ms, longest write wait {w['write_wait_max_ms']} ms", flush=True)
                continue
            out["pages"][name] = await _measure(http, app.url + path, n)
            _line(name, out["pages"][name], static["p50_ms"])
            if name in ("overview", "group"):
                label = f"{name} (expired)"
                out["pages"][label] = await _measure(http, app.url + path, max(5, n // 4), 0, _expired(services))
                _line(label, out["pages"][label], static["p50_ms"])
            out["pages"][f"{name} (cold)"] = await _measure(http, app.url + path, max(5, n // 4), 0, cold)
            _line(f"{name} (cold)", out["pages"][f"{name} (cold)"], static["p50_ms"])
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as officer:
            await _login(officer, app, OFFICER_CHAT)
            for label, before in (("overview, commune officer", None), ("overview, commune officer (cold)", cold)):
                out["pages"][label] = r = await _measure(officer, app.url + "/dashboard/", n, 2, before)
                _line(label, r, static["p50_ms"])
    out["summary_refresh"] = r = await _refresh_cost(services)
    print(f"  stored per-unit numbers, one full refresh (background, once a minute): p50 {r['p50_ms']} ms, "
          f"max {r['max_ms']} ms", flush=True)  # fmt: skip
    csv_ms, xlsx_ms = out["pages"]["report.csv"]["p50_ms"], out["pages"]["report.xlsx"]["p50_ms"]
    out["xlsx_to_csv"] = round(xlsx_ms / max(csv_ms, 0.01), 2)  # target ≤ 3 (same rows, same run)
    print(f"  report.xlsx / report.csv (whole file, p50) = {out['xlsx_to_csv']}", flush=True)
    for r in out["pages"].values():
        r["ratio_p95_to_static"] = round(r["p95_ms"] / max(static["p50_ms"], 0.01), 1)
    out["misses"] = [k for k, r in out["pages"].items() if r["p95_ms"] > TARGET_MS]
    print(f"  baseline: static file p50 {static['p50_ms']} ms (p95 {static['p95_ms']} ms), "
          f"SELECT 1 p50 {out['baseline']['select1_p50_ms']} ms", flush=True)  # fmt: skip
    return out


def _line(name: str, r: dict[str, Any], static_ms: float) -> None:
    mark = "ok" if r["p95_ms"] <= TARGET_MS else f"MISS (> {TARGET_MS:.0f} ms)"
    first = f"  first byte p95 {r['first_byte_p95_ms']:.0f} ms" if name in HEAVY else ""
    print(f"  {name:34} p50 {r['p50_ms']:8.1f} ms  p95 {r['p95_ms']:8.1f} ms  "
          f"p95/static = {r['p95_ms'] / max(static_ms, 0.01):7.1f}  {r['bytes']:>10,} B  {mark}{first}", flush=True)


async def main(users: int, deliveries: int, n: int, pg: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"users": users, "deliveries": deliveries, "target_p95_ms": TARGET_MS}
    with tempfile.TemporaryDirectory() as tmp:
        print("SQLite:", flush=True)
        out["sqlite"] = await run_once(f"sqlite+aiosqlite:///{Path(tmp) / 'dashboard.db'}", users, deliveries, n)
    if pg:
        async with pg_database(pg) as url:
            if url is not None:
                print("PostgreSQL:", flush=True)
                out["postgres"] = await run_once(url, users, deliveries, n)
    return out


def cli() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard")
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--deliveries", type=int, default=1_000_000)
    parser.add_argument("--n", type=int, default=40, help="timed requests per page")
    parser.add_argument("--pg", default=os.environ.get("HOCBOT_TEST_DATABASE_URL"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    data = asyncio.run(main(args.users, args.deliveries, args.n, args.pg))
    for db in ("sqlite", "postgres"):
        if db in data:
            misses = data[db]["misses"]
            print(f"{db}: {len(data[db]['pages']) - len(misses)}/{len(data[db]['pages'])} pages within "
                  f"{TARGET_MS:.0f} ms p95" + (f"; over: {', '.join(misses)}" if misses else ""))  # fmt: skip
    print(f"→ {write_result('dashboard', data)}")


if __name__ == "__main__":
    cli()
