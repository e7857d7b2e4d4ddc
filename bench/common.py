"""Helpers shared by the benchmarks: percentiles, JSON results, a throw-away PostgreSQL database, and the CPU and
the stopping of a process under test."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import platform
import signal
import statistics
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).with_name("results")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far, all its threads (Linux /proc; 0 elsewhere): steadier than wall time
    on a shared machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def stop(proc: asyncio.subprocess.Process, grace: float = 20) -> None:
    """SIGTERM a process still running, and SIGKILL it if it has not ended within `grace` seconds."""
    if proc.returncode is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(proc.wait(), grace)
    except TimeoutError:
        proc.kill()
        await proc.wait()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    idx = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[idx]


async def median_seconds(fn: Callable[[], Awaitable[Any]], repeat: int) -> float:
    """The median wall time of `repeat` awaited runs of `fn`, one after the other."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        await fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def write_result(name: str, data: dict[str, Any], out: Path | None = None) -> Path:
    """Write the figures to bench/results/NAME.json, or to `out` (a run on a loaded machine: /tmp)."""
    path = out or RESULTS / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "bench": name,
        "at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "python": platform.python_version(),
        **data,
    }
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


@contextlib.asynccontextmanager
async def pg_database(base: str) -> AsyncIterator[str | None]:
    """A fresh PostgreSQL database beside `base` (an asyncpg URL), dropped afterwards; None if unreachable."""
    import asyncpg

    name = f"hocbot_bench_{uuid.uuid4().hex[:8]}"
    admin = base.replace("postgresql+asyncpg://", "postgresql://")

    async def run(sql: str) -> None:
        conn = await asyncpg.connect(admin)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    try:
        await run(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        print(f"PostgreSQL not reachable ({exc}); skipped")
        yield None
        return
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        await run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
