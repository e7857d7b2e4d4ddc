"""Idle cost: the CPU a running `hocbot run` uses per second when nobody writes to it.

The real process, polling a fake Telegram Bot API (its long polls held like Telegram's, up to 30 s) on a fresh
SQLite database, with the web chat: after start-up and a settling pause (the search index warm-up, the first
campaign tick), its user + system CPU (/proc, all threads) is read over BENCH_IDLE_SECONDS (30 s by default).
Repeated BENCH_IDLE_REPEAT times (3), median reported. BENCH_PROFILE=1 also runs it under cProfile (CPU time, the
main thread only: aiosqlite's thread is not in it) during the measured stretch only, and prints the top functions.

    .venv/bin/python -m bench.idle            # writes bench/results/idle.json
    BENCH_PROFILE=1 .venv/bin/python -m bench.idle
"""

from __future__ import annotations

import asyncio
import os
import pstats
import signal
import socket
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.common import cpu_seconds, stop, write_result
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegram

ROOT = Path(__file__).resolve().parent.parent
SECONDS = float(os.environ.get("BENCH_IDLE_SECONDS", 30))
REPEAT = int(os.environ.get("BENCH_IDLE_REPEAT", 3))
SETTLE = float(os.environ.get("BENCH_IDLE_SETTLE", 8))
PROFILE = os.environ.get("BENCH_PROFILE", "") not in ("", "0")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _code(profile: Path | None) -> str:
    """`hocbot run`; with a profile path, SIGUSR1 starts cProfile and SIGUSR2 stops it and writes the file."""
    if profile is None:
        return "from bot.cli import main; main()"
    return (
        "import cProfile, signal, time\nfrom bot.cli import main\np = cProfile.Profile(time.process_time)\n"
        "signal.signal(signal.SIGUSR1, lambda *a: p.enable())\n"
        f"signal.signal(signal.SIGUSR2, lambda *a: (p.disable(), p.dump_stats({str(profile)!r})))\nmain()"
    )


async def idle_run(tmp: Path, profile: Path | None = None) -> float:
    """CPU ms per second of one idle `hocbot run`."""
    async with FakeTelegram(poll_timeout_cap=30.0) as tg:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'idle.db'}",
            "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
            "TELEGRAM_API_BASE_URL": tg.base_url,
            "HOCBOT_WEB_PORT": str(_free_port()),
            "HOCBOT_WEB_HOST": "127.0.0.1",
            "XDG_CACHE_HOME": str(tmp / "cache"),
            "PYTHONPATH": str(ROOT),
        }
        with (tmp / "stderr.log").open("wb") as log_file:
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-c",
                _code(profile),
                "run",
                env=env,
                cwd=str(tmp),
                stdout=asyncio.subprocess.DEVNULL,
                stderr=log_file,
            )
        try:
            await tg.wait_until(lambda: bool(tg.calls("getUpdates")) or proc.returncode is not None, timeout=60)
            if proc.returncode is not None:
                raise RuntimeError(f"hocbot run exited: {(tmp / 'stderr.log').read_text()[-2000:]}")
            await asyncio.sleep(SETTLE)
            if profile is not None:
                proc.send_signal(signal.SIGUSR1)
            cpu = cpu_seconds(proc.pid)
            await asyncio.sleep(SECONDS)
            used = cpu_seconds(proc.pid) - cpu
            if profile is not None:
                proc.send_signal(signal.SIGUSR2)
                await asyncio.sleep(1.0)
            return used * 1000 / SECONDS
        finally:
            await stop(proc)


def _top(profile: Path, n: int = 25) -> list[dict[str, Any]]:
    stats = pstats.Stats(str(profile))
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][3], reverse=True)[:n]  # type: ignore[attr-defined]
    return [
        {
            "function": f"{Path(f).name}:{line}({name})",
            "calls": nc,
            "cumulative_ms": round(ct * 1000, 1),
            "own_ms": round(tt * 1000, 1),
        }
        for (f, line, name), (_cc, nc, tt, ct, _callers) in rows
    ]


async def main_async() -> dict[str, Any]:
    runs = []
    result: dict[str, Any] = {}
    for i in range(REPEAT):
        with tempfile.TemporaryDirectory(prefix="hocbot-idle-") as tmp:
            profile = Path(tmp) / "idle.prof" if PROFILE and i == 0 else None
            runs.append(await idle_run(Path(tmp), profile))
            if profile is not None and profile.exists():
                result["profile_top_cumulative"] = _top(profile)
    result.update(
        seconds=SECONDS,
        repeat=REPEAT,
        profiled=PROFILE,
        cpu_ms_per_second_median=round(statistics.median(runs), 2),
        runs=[round(r, 2) for r in runs],
        cpus=os.cpu_count(),
        loadavg=[round(x, 2) for x in os.getloadavg()],
    )
    return result


def main() -> int:
    result = asyncio.run(main_async())
    for row in result.get("profile_top_cumulative", []):
        print(f"{row['cumulative_ms']:8.1f} ms cum {row['own_ms']:7.1f} own {row['calls']:7d}  {row['function']}")
    print(
        f"idle `hocbot run`: {result['cpu_ms_per_second_median']} ms CPU per second (runs {result['runs']},"
        f" load {result['loadavg']})"
    )
    if not PROFILE:
        print("written", write_result("idle", result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
