"""Bounded intake: memory of `hocbot run` while a big backlog waits at Telegram.

20,000 messages from 5,000 consented users ("/menu", a question, "1", "/trogiup") are queued in the fake Bot
API before they are fetched, as after an outage or a viral post; the real `hocbot run` process (long polling,
SQLite) then works through them. Every 0.2 s the bench reads the process's RSS (/proc/PID/status) and how
many updates it has fetched but not yet answered (the fake's confirmed offset minus the replies). Reported:
RSS before the backlog, at its peak and after it was answered, and the most updates held at once. With
bounded intake the held updates stay at a few hundred whatever the backlog, so the peak stays near the start
(the baseline in the same run is the idle process). BENCH_INTAKE_USERS / BENCH_INTAKE_PER_USER scale it.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import write_result
from bench.inbound import ROOT, _free_port, _process, _seed
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegram

USERS = int(os.environ.get("BENCH_INTAKE_USERS", 5000))
PER_USER = int(os.environ.get("BENCH_INTAKE_PER_USER", 4))
MESSAGES = ["/menu", "tuan le hoc tap la gi", "1", "/trogiup"]
FIRST_ID = 8_000_000


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def run(db_url: str) -> dict[str, Any]:
    await _seed(db_url, USERS, FIRST_ID)
    async with FakeTelegram() as tg:
        env = {"DATABASE_URL": db_url, "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN, "TELEGRAM_API_BASE_URL": tg.base_url,
               "HOCBOT_WEB_PORT": str(_free_port()), "PYTHONPATH": str(ROOT)}  # fmt: skip
        users = [tg.user(FIRST_ID + i, first_name=f"U{i}") for i in range(USERS)]
        with tempfile.TemporaryDirectory() as tmp:
            hocbot = [sys.executable, "-c", "from bot.cli import main; main()", "run"]
            async with _process(tg, hocbot, env, tmp) as pid:
                await asyncio.sleep(2.0)  # settle: caches warmed, first polls done
                before = rss_mib(pid)
                for k in range(PER_USER):
                    for u in users:
                        await u.send(MESSAGES[k % len(MESSAGES)])
                total = USERS * PER_USER
                t0 = time.perf_counter()
                peak, most_held, answered = before, 0, 0
                while answered < total and time.perf_counter() - t0 < 1800:
                    await asyncio.sleep(0.2)
                    answered = sum(tg.sent_to(u.id) for u in users)
                    held = total - len(tg.pending_updates()) - answered
                    peak, most_held = max(peak, rss_mib(pid)), max(most_held, held)
                elapsed = time.perf_counter() - t0
                await asyncio.sleep(2.0)
                after = rss_mib(pid)
    return {
        "messages": total, "users": USERS, "answered": answered, "seconds": round(elapsed, 1),
        "per_second": round(answered / elapsed, 1), "rss_before_mib": round(before, 1),
        "rss_peak_mib": round(peak, 1), "rss_after_mib": round(after, 1),
        "peak_over_before": round(peak / before, 3), "most_updates_held": most_held,
    }  # fmt: skip


async def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        result = await run(f"sqlite+aiosqlite:///{tmp}/intake.db")
    print(f"intake: {result['messages']} messages from {result['users']} users waiting at start; "
          f"answered {result['answered']} in {result['seconds']} s ({result['per_second']}/s)")
    print(f"RSS before {result['rss_before_mib']} MiB, peak {result['rss_peak_mib']} MiB, "
          f"after {result['rss_after_mib']} MiB (peak/before = {result['peak_over_before']}); "
          f"at most {result['most_updates_held']} updates fetched but not yet answered")
    write_result("intake", {"database": "sqlite", "mode": "polling", **result})
    return 0 if result["answered"] >= result["messages"] else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
