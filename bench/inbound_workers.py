"""Inbound throughput of several `hocbot run` workers on one PostgreSQL database (`bench.inbound --workers N`;
`make bench` runs this module for two).

Each worker is a real `hocbot run` process in Telegram webhook mode with its own port. The fake Bot API plays
Telegram and the load balancer in front of the workers: each worker registers its webhook URL, and each
user's updates go to one of them (user id modulo N), as a balancer that keeps a chat on one worker would.
2,000 messages from 200 consented users are queued at once, first to one worker, then to N, each run on a
fresh database seeded alike. Reports messages per second, the ratio N/1 (target ≥ 1.6 for two), latency, and
where the CPU went during each burst: the workers, this process (the fake Bot API and the senders), the
PostgreSQL backends serving the bench database, and the whole machine (other programs included).

BENCH_DATABASE_URL (default postgresql+asyncpg://postgres@127.0.0.1:5432/test) names the server; a throw-away
database is created beside it for each run and dropped. BENCH_LATENCY_MS (default 0) is the simulated Bot
API round trip; BENCH_USERS / BENCH_PER_USER as in bench.inbound.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import os
import signal
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg

from bench.common import cpu_seconds, percentile, pg_database, write_result
from bench.inbound import PER_USER, QUESTIONS, ROOT, USERS, _free_port, _peak_rss_mib, _seed
from tests.fakes.http_poster import HttpPoster
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegram

PG = os.environ.get("BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
LATENCY_MS = float(os.environ.get("BENCH_LATENCY_MS", "0").split(",")[0])
SECRET = "bench-webhook-secret"
CLK = os.sysconf("SC_CLK_TCK")
_HEADERS = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}


class BalancedTelegram(FakeTelegram):
    """The fake Bot API in front of several workers: every setWebhook adds a worker's URL; a user's updates
    always go to the same worker (one chat's messages stay in order, as behind a sticky load balancer).
    Updates are posted by a bare HTTP/1.1 client over kept-alive connections (tests/fakes/http_poster.py), not
    aiohttp's ClientSession: the balancer's CPU shares the cores with the workers and is no cost of theirs."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.worker_urls: list[str] = []
        self.poster = HttpPoster(timeout=30)

    async def stop(self) -> None:
        await super().stop()
        await self.poster.close()

    def set_webhook_state(self, url: str, secret: str | None, max_connections: int, drop: bool) -> None:
        if url not in self.worker_urls:
            self.worker_urls.append(url)
        super().set_webhook_state(url, secret, max_connections, drop)

    async def _deliver(self, update: dict[str, Any]) -> None:
        hook = self.webhook
        if hook is None or not self.worker_urls:
            return
        payload = update.get("message") or next(v for k, v in update.items() if k != "update_id")
        user = int((payload.get("from") or {}).get("id") or 0)
        url = self.worker_urls[user % len(self.worker_urls)]
        body = json.dumps(update).encode()
        async with self._chat_locks.setdefault(user, asyncio.Lock()), hook["semaphore"]:
            for attempt in range(self.webhook_retries):
                try:
                    status, _reason = await self.poster.post(url, body, _HEADERS)
                    if 200 <= status < 300:
                        hook["delivered"] += 1
                        return
                except (OSError, TimeoutError, ValueError):
                    pass
                await asyncio.sleep(0.05 * (attempt + 1))
            self.webhook_errors.append(f"update {update['update_id']} not delivered to {url}")


async def drive(tg: FakeTelegram) -> dict[str, Any]:
    """bench.inbound's burst (every message queued at once, one reply awaited per message), counting replies
    as they come: re-reading the whole transcript after every call would make the fake the bottleneck."""
    users = [tg.user(9_000_000 + i, first_name=f"U{i}") for i in range(USERS)]
    sent_at: dict[int, list[float]] = {u.id: [] for u in users}
    got: dict[int, list[float]] = {u.id: [] for u in users}
    seen = len(tg.transcript)
    count = 0

    def replies() -> int:
        nonlocal seen, count
        for call in tg.transcript[seen:]:
            if call.method == "sendMessage" and call.status == 200 and int(call.chat_id) in got:
                got[int(call.chat_id)].append(call.time)
                count += 1
        seen = len(tg.transcript)
        return count

    t0 = time.perf_counter()
    for k in range(PER_USER):
        for u in users:
            sent_at[u.id].append(time.time())
            await u.send(QUESTIONS[(u.id + k) % len(QUESTIONS)])
    total = USERS * PER_USER
    deadline = time.monotonic() + 900
    while replies() < total:  # looked at every 10 ms, not woken by each of the fake's requests
        if time.monotonic() > deadline:
            raise AssertionError(f"{count} of {total} replies within 900 s")
        await asyncio.sleep(0.01)
    elapsed = time.perf_counter() - t0
    lat = [r - s for uid, times in sent_at.items() for s, r in zip(times, got[uid], strict=False)]
    return {"messages": total, "seconds": round(elapsed, 2), "per_second": round(total / elapsed, 1),
            "p50_ms": round(percentile(lat, 50) * 1000), "p95_ms": round(percentile(lat, 95) * 1000)}  # fmt: skip


@contextlib.asynccontextmanager
async def workers(tg: BalancedTelegram, db_url: str, n: int, tmp: Path) -> AsyncIterator[list[int]]:
    """N `hocbot run` processes in webhook mode on one database; ready once each registered its webhook."""
    procs: list[asyncio.subprocess.Process] = []
    try:
        for i in range(n):
            port = _free_port()
            env = {**os.environ, "DATABASE_URL": db_url, "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
                   "TELEGRAM_API_BASE_URL": tg.base_url, "TELEGRAM_WEBHOOK_SECRET": SECRET,
                   "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram/webhook",
                   "HOCBOT_WEB_PORT": str(port), "PYTHONPATH": str(ROOT)}  # fmt: skip
            with (tmp / f"worker{i}.log").open("wb") as log:
                procs.append(await asyncio.create_subprocess_exec(
                    sys.executable, "-c", "from bot.cli import main; main()", "run",
                    env=env, cwd=tmp, stdout=asyncio.subprocess.DEVNULL, stderr=log))  # fmt: skip
        await tg.wait_until(lambda: len(tg.worker_urls) >= n or any(p.returncode is not None for p in procs), 90)
        for i, p in enumerate(procs):
            if p.returncode is not None:
                raise RuntimeError(f"worker {i} exited: {(tmp / f'worker{i}.log').read_text()[-2000:]}")
        yield [p.pid for p in procs]
    finally:
        for p in procs:
            if p.returncode is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                await asyncio.wait_for(p.wait(), 20)
            except TimeoutError:
                p.kill()
                await p.wait()


async def _pg_backends(db_url: str) -> list[int]:
    """Process ids of the PostgreSQL backends connected to this database (the server runs on this machine)."""
    name = db_url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(db_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        rows = await conn.fetch("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", name)
    finally:
        await conn.close()
    return [int(r["pid"]) for r in rows]


def _machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, all cores (/proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields) - idle) / CLK, sum(fields) / CLK


async def one_run(n: int) -> dict[str, Any] | None:
    async with pg_database(PG) as db_url:
        if db_url is None:
            return None
        await _seed(db_url)
        tg = BalancedTelegram(latency=LATENCY_MS / 1000)
        async with tg:
            with tempfile.TemporaryDirectory() as tmp:
                async with workers(tg, db_url, n, Path(tmp)) as pids:
                    await asyncio.sleep(2.0)  # start-up work (the index read, the scheduler's first step) ends
                    gc.collect()
                    gc.freeze()  # what set-up left (imports, seed data) is not scanned again during the burst
                    before = {pid: cpu_seconds(pid) for pid in pids}
                    pg_before = {pid: cpu_seconds(pid) for pid in await _pg_backends(db_url)}
                    own, machine = time.process_time(), _machine_busy()
                    result = await drive(tg)
                    own_cpu = time.process_time() - own
                    gc.unfreeze()
                    busy, total = (a - b for a, b in zip(_machine_busy(), machine, strict=True))
                    pg_cpu = sum(cpu_seconds(pid) - pg_before.get(pid, 0.0) for pid in await _pg_backends(db_url))
                    worker_cpu = [cpu_seconds(pid) - before[pid] for pid in pids]
                    result["peak_rss_mib"] = [_peak_rss_mib(pid) for pid in pids]
        if tg.webhook_errors:
            print(f"  {len(tg.webhook_errors)} updates not delivered, e.g. {tg.webhook_errors[0]}")
    seconds = result["seconds"]
    per_msg = 1000 / result["messages"]
    result.update(
        workers=n,
        cpu_ms_per_message={
            "workers": round(sum(worker_cpu) * per_msg, 2),
            "fake_bot_api_and_senders": round(own_cpu * per_msg, 2),
            "postgresql_backends": round(pg_cpu * per_msg, 2),
        },
        cores_busy={  # CPU seconds per second of the burst; the machine has os.cpu_count() cores
            "workers": [round(c / seconds, 2) for c in worker_cpu],
            "fake_bot_api_and_senders": round(own_cpu / seconds, 2),
            "postgresql_backends": round(pg_cpu / seconds, 2),
            "whole_machine": round(busy / seconds, 2),
            "of_cores": round(total / seconds, 2),
        },
    )
    return result


def cpu_bound(run: dict[str, Any]) -> float:
    """Messages per second the measured CPU costs allow on this machine with nothing else running: each worker
    uses at most one core, and the workers, the fake and PostgreSQL together at most all of them."""
    cost = run["cpu_ms_per_message"]
    worker_ms = cost["workers"]
    all_ms = worker_ms + cost["fake_bot_api_and_senders"] + cost["postgresql_backends"]
    cores = os.cpu_count() or 1
    return min(run["workers"] * 1000 / worker_ms, cores * 1000 / all_ms)


async def main(counts: tuple[int, ...] = (1, 2), out: Path | None = None) -> int:
    runs: list[dict[str, Any]] = []
    for n in counts:
        r = await one_run(n)
        if r is None:
            return 0  # no PostgreSQL server here: skipped, said by pg_database
        runs.append(r)
        busy = r["cores_busy"]
        print(f"{n} worker(s): {r['per_second']:.0f} msg/s, p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms; "
              f"CPU ms/message {r['cpu_ms_per_message']}; cores busy: workers {busy['workers']}, "
              f"fake+senders {busy['fake_bot_api_and_senders']}, PostgreSQL {busy['postgresql_backends']}, "
              f"whole machine {busy['whole_machine']} of {busy['of_cores']}")  # fmt: skip
    ratio = runs[-1]["per_second"] / runs[0]["per_second"]
    bound = {r["workers"]: cpu_bound(r) for r in runs}
    print(f"CPU-bound throughput on an idle {os.cpu_count()}-core machine, from these CPU costs: "
          + ", ".join(f"{n} worker(s) ≤ {b:.0f} msg/s" for n, b in bound.items())
          + f" (ratio ≤ {bound[counts[-1]] / bound[counts[0]]:.2f}); the measured ratio depends on what else runs")
    print(f"throughput {counts[-1]} workers / {counts[0]} = {ratio:.2f} (target ≥ 1.6; webhook mode, PostgreSQL, "
          f"{USERS} users, API round trip {LATENCY_MS:.0f} ms, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})")
    print("→", write_result("inbound_workers", {"mode": "webhook", "latency_ms": LATENCY_MS, "runs": runs,
                                                "ratio": round(ratio, 2), "cpus": os.cpu_count(),
                                                "cpu_bound_per_second": {n: round(b) for n, b in bound.items()},
                                                "loadavg": [round(x, 2) for x in os.getloadavg()]}, out))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
