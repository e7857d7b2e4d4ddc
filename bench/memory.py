"""Memory: the RSS of a real `hocbot run` with BENCH_SUBSCRIBERS (100,000) subscribers in its database and a
backlog of BENCH_BACKLOG (10,000) updates waiting at the (fake) Bot API at once, answered by long polling.

Reports the RSS once serving (before the burst), the peak (VmHWM) while the backlog is worked off, and the
same figures for the bare python-telegram-bot echo bot in the same run as the baseline. Target: peak ≤ 150 MB.
Results: bench/results/memory.json.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.broadcast import seed_subscribers
from bench.common import write_result
from bench.inbound import ROOT, _free_port, _peak_rss_mib, _process
from bot.db.engine import Database
from bot.db.migrate import upgrade
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegram

SUBSCRIBERS = int(os.environ.get("BENCH_SUBSCRIBERS", 100_000))
BACKLOG = int(os.environ.get("BENCH_BACKLOG", 10_000))
SENDERS = 1_000
FIRST_CHAT = 9_000_000


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


async def _burst(tg: FakeTelegram, pid: int) -> dict[str, Any]:
    idle = _rss_mib(pid)
    users = [tg.user(FIRST_CHAT + i, first_name=f"U{i}") for i in range(SENDERS)]
    start = len(tg.transcript)
    t0 = time.perf_counter()
    for k in range(BACKLOG // SENDERS):
        for u in users:
            await u.send(["xin chào", "AI là gì?", "cam on ban"][k % 3])

    def replies() -> int:
        return sum(1 for c in tg.transcript[start:] if c.method == "sendMessage" and c.status == 200)

    await tg.wait_until(lambda: replies() >= BACKLOG, timeout=1800)
    return {"rss_serving_mib": idle, "peak_rss_mib": _peak_rss_mib(pid),
            "seconds": round(time.perf_counter() - t0, 1), "replies": replies()}  # fmt: skip


async def main() -> int:
    out: dict[str, Any] = {"subscribers": SUBSCRIBERS, "backlog": BACKLOG}
    async with FakeTelegram() as tg:
        with tempfile.TemporaryDirectory() as tmp:
            args = [sys.executable, "-m", "bench.echo_bot", DEFAULT_TOKEN, tg.base_url]
            async with _process(tg, args, {"PYTHONPATH": str(ROOT)}, tmp) as pid:
                out["echo"] = await _burst(tg, pid)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/m.db"
        db = Database(url)
        await upgrade(db)
        await seed_subscribers(db, SUBSCRIBERS, first_chat=FIRST_CHAT)  # the senders are among them
        await db.dispose()
        async with FakeTelegram() as tg:
            env = {"DATABASE_URL": url, "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN, "TELEGRAM_API_BASE_URL": tg.base_url,
                   "HOCBOT_WEB_PORT": str(_free_port()), "PYTHONPATH": str(ROOT)}  # fmt: skip
            hocbot = [sys.executable, "-c", "from bot.cli import main; main()", "run"]
            async with _process(tg, hocbot, env, tmp) as pid:
                out["hocbot"] = await _burst(tg, pid)
    for name in ("echo", "hocbot"):
        r = out[name]
        print(f"{name}: RSS serving {r['rss_serving_mib']} MiB, peak {r['peak_rss_mib']} MiB while {BACKLOG:,} "
              f"updates were answered in {r['seconds']} s")  # fmt: skip
    out["peak_to_echo"] = round(out["hocbot"]["peak_rss_mib"] / max(out["echo"]["peak_rss_mib"], 1), 2)
    print(f"hocbot peak RSS with {SUBSCRIBERS:,} subscribers: {out['hocbot']['peak_rss_mib']} MiB "
          f"({out['peak_to_echo']}× the echo bot's); target ≤ 150 MB")
    print(f"→ {write_result('memory', out)}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
