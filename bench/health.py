"""GET /healthz, /readyz and /metrics latency on a running app (SQLite, and PostgreSQL when reachable), as a
ratio to a bare aiohttp handler measured in the same run on the same machine. The issue asks ≤ 50 ms for
/healthz and /readyz; /readyz includes a database round trip, /metrics two grouped COUNTs (cached 5 s).

    .venv/bin/python -m bench.health [--n 300] [--subscribers 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from typing import Any

import aiohttp
from aiohttp import web

from bench.broadcast import seed_subscribers
from bench.common import percentile, pg_database, write_result
from bot.settings import Settings
from tests.harness import running_bot

PG = os.environ.get("HOCBOT_TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")


async def timings(http: aiohttp.ClientSession, url: str, n: int) -> dict[str, float]:
    took: list[float] = []
    for _ in range(n):
        start = time.perf_counter()
        async with http.get(url) as resp:
            await resp.read()
            assert resp.status == 200, (url, resp.status)
        took.append((time.perf_counter() - start) * 1000)
    return {"p50_ms": round(percentile(took, 50), 2), "p95_ms": round(percentile(took, 95), 2),
            "p99_ms": round(percentile(took, 99), 2), "max_ms": round(max(took), 2)}


async def baseline(n: int) -> dict[str, float]:
    """A bare aiohttp JSON handler: what the HTTP round trip itself costs here."""

    async def ok(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_get("/", ok)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        async with aiohttp.ClientSession() as http:
            return await timings(http, f"http://127.0.0.1:{runner.addresses[0][1]}/", n)
    finally:
        await runner.cleanup()


async def one_database(url: str, n: int, subscribers: int) -> dict[str, Any]:
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    async with running_bot(settings) as bot:
        await seed_subscribers(bot.runtime.services.db, subscribers)
        out: dict[str, Any] = {}
        async with aiohttp.ClientSession() as http:
            await timings(http, f"{bot.url}/readyz", 20)  # warm the pool
            for path in ("/healthz", "/readyz", "/metrics"):
                out[path] = await timings(http, bot.url + path, n)
    return out


async def main(n: int, subscribers: int) -> dict[str, Any]:
    base = await baseline(n)
    results: dict[str, Any] = {"requests_each": n, "subscribers": subscribers, "baseline_bare_aiohttp": base}
    with tempfile.TemporaryDirectory() as folder:
        results["sqlite"] = await one_database(f"sqlite+aiosqlite:///{folder}/bench.db", n, subscribers)
    async with pg_database(PG) as pg_url:
        if pg_url is not None:
            results["postgres"] = await one_database(pg_url, n, subscribers)
    for db in ("sqlite", "postgres"):
        for path, t in results.get(db, {}).items():
            t["p50_ratio_to_baseline"] = round(t["p50_ms"] / base["p50_ms"], 2)
            print(f"{db:8} {path:9} p50 {t['p50_ms']:6.2f} ms  p99 {t['p99_ms']:6.2f} ms  max {t['max_ms']:6.2f} ms"
                  f"  ({t['p50_ratio_to_baseline']}× a bare handler, p50 {base['p50_ms']} ms)")
    return results


def cli() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--subscribers", type=int, default=20_000)
    args = parser.parse_args()
    data = asyncio.run(main(args.n, args.subscribers))
    print("wrote", write_result("health", data))


if __name__ == "__main__":
    cli()
