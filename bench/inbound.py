"""Inbound throughput: a bare python-telegram-bot echo bot vs hocbot, same fake server, same run.

2,000 text messages from 200 users (10 each) go through the fake Bot API by long polling. The echo bot is PTB's
default set-up (updates handled one at a time); hocbot is the real `hocbot run` process configured by its
environment (dedupe row per update, per-user lock, user loaded and saved, the FAQ answerer on free text, answer
log) with consented users. Each bot runs in its own process, as in production; the fake and the senders run in
this one. Prints the ratio and update→reply latency. It runs twice: with the fake answering at once, and with
a simulated 30 ms Bot API round trip (what a server sees in production, where handling users concurrently
matters). BENCH_LATENCY_MS="0,30" chooses the runs;
BENCH_DATABASE_URL=postgresql+asyncpg://… runs hocbot on a throw-away PostgreSQL database beside that one.
Each bot process's CPU time during the burst is read from /proc (ms of CPU per message) with its peak RSS;
BENCH_PROFILE=1 runs hocbot under cProfile, timed in CPU seconds (on a shared machine, time waiting for a core is
not hocbot's), and keeps its top functions (by own time) in the JSON (BENCH_PROFILE_FILE=path keeps the whole
profile).

hocbot is driven on the three common paths, one burst each (BENCH_PATHS="next,quiz,ask" chooses them): "next",
consented users in a lesson press “Tiếp” (the lesson's OpenLesson button, never the last lesson); "quiz", they
answer the open question of their quiz attempt by button (feedback + the next question as a quiz poll); "ask",
they type a free question (the FAQ answerer). Each path reports its msg/s, latency, CPU ms/message and its ratio
to the echo bot's text burst in the same run; the mix is the sum over the paths.

Each burst is sent twice. First all at once (every user's 10 messages queued before the first reply: the
worst case, and the throughput figure); then as people send them ("conversation" in the JSON): the 200 users
at once, each sending the next message as soon as the reply to the previous one arrived, with no reading time.
The issue's "p95 update→reply within 2 s for a burst of 2,000 messages from 200 users" is read on the second:
queued all at once, even the echo bot's p95 grows with the queue (2,000 messages / its rate).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import socket
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from bench.common import cpu_seconds, percentile, pg_database, stop, write_result
from bot.core.payloads import AnswerQuiz, OpenLesson
from bot.db.engine import Database
from bot.db.migrate import upgrade
from bot.db.models import Identity, User, utcnow
from bot.db.models_learning import QuizAttempt
from content.catalog import load_catalog
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegram

USERS = int(os.environ.get("BENCH_USERS", 200))
LATENCIES_MS = [float(x) for x in os.environ.get("BENCH_LATENCY_MS", "0,30").split(",")]
PER_USER = int(os.environ.get("BENCH_PER_USER", 10))
PROFILE = os.environ.get("BENCH_PROFILE", "") not in ("", "0")
ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ["xin chào", "tuan le hoc tap la gi", "AI là gì?", "cam on ban", "hoc AI o dau mien phi"]
PATHS = [p for p in os.environ.get("BENCH_PATHS", "next,quiz,ask").split(",") if p]
REPLIES = {"next": 1, "quiz": 2, "ask": 1}  # bot messages each inbound message of that path gets
SENDS = ("sendMessage", "sendPhoto", "sendPoll")
LESSON_MODULE = "m2"  # 5 lessons: "Tiếp" goes to lessons 2..4, never the last one (no quiz offer, no certificate)
QUIZ_MODULE = "m1"


async def _drive(
    tg: FakeTelegram, path: str = "ask", attempts: dict[int, int] | None = None, n_users: int = USERS,
    per_user: int = PER_USER,
) -> dict[str, Any]:
    """Queue every message of one path at once, then wait for its replies; latency per message (to its first
    reply: a user's messages are answered in order, REPLIES[path] bot messages each)."""
    users = [tg.user(9_000_000 + i, first_name=f"U{i}") for i in range(n_users)]
    per_reply = REPLIES[path]
    sent_at: dict[int, list[float]] = defaultdict(list)
    start_calls = len(tg.transcript)
    t0 = time.perf_counter()
    for k in range(per_user):
        for u in users:
            sent_at[u.id].append(time.time())
            await _send(tg, u, path, k, attempts)
    total = n_users * per_user
    want = total * per_reply
    await tg.wait_until(lambda: _replies(tg, start_calls) >= want, timeout=600)
    elapsed = time.perf_counter() - t0
    got: dict[int, list[float]] = defaultdict(list)
    for call in tg.transcript[start_calls:]:  # the fake stamps calls with time.time()
        if call.method in SENDS and call.status == 200:
            got[int(call.chat_id)].append(call.time)
    lat = [got[uid][j * per_reply] - s for uid, times in sent_at.items() for j, s in enumerate(times)
           if j * per_reply < len(got[uid])]  # fmt: skip
    return _burst(path, total, elapsed, lat)


def _burst(path: str, total: int, elapsed: float, lat: list[float]) -> dict[str, Any]:
    """One burst's figures: messages, seconds, msg/s and update→first-reply latency (seconds in `lat`)."""
    return {
        "path": path,
        "messages": total,
        "seconds": elapsed,
        "per_second": total / elapsed,
        "p50_ms": percentile(lat, 50) * 1000,
        "p95_ms": percentile(lat, 95) * 1000,
    }


_quiz_index: dict[int, int] = defaultdict(int)  # the question each bench user's attempt waits for


async def _send(tg: FakeTelegram, u: Any, path: str, k: int, attempts: dict[int, int] | None) -> None:
    """User `u`'s k-th message on `path`: a free question, a tap on “Tiếp”, or a quiz answer."""
    if path == "ask":
        await u.send(QUESTIONS[(u.id + k) % len(QUESTIONS)])
    elif path == "next":
        _press(tg, u, OpenLesson(LESSON_MODULE, 1 + k % 3).pack())
    else:
        assert attempts is not None
        _press(tg, u, AnswerQuiz(attempts[u.id], _quiz_index[u.id], k % 2).pack())
        _quiz_index[u.id] += 1


async def _converse(
    tg: FakeTelegram, path: str = "ask", attempts: dict[int, int] | None = None, n_users: int = USERS,
    per_user: int = PER_USER,
) -> dict[str, Any]:
    """The same 2,000 messages, sent as people send them: all 200 users at once, each sending their next
    message as soon as the bot's reply to the previous one arrived (no reading time: the hardest such load).
    Latency per message is to its first reply."""
    users = [tg.user(9_000_000 + i, first_name=f"U{i}") for i in range(n_users)]
    per_reply = REPLIES[path]
    replies: dict[int, list[float]] = defaultdict(list)
    waiting: dict[int, tuple[int, asyncio.Future[None]]] = {}
    lat: list[float] = []
    seen = len(tg.transcript)

    async def watch() -> None:  # one reader of the fake's transcript wakes the users whose reply came
        nonlocal seen
        while True:
            calls = tg.transcript[seen:]
            seen += len(calls)
            for call in calls:
                if call.method in SENDS and call.status == 200:
                    chat = int(call.chat_id)
                    replies[chat].append(call.time)
                    want = waiting.get(chat)
                    if want is not None and len(replies[chat]) >= want[0] and not want[1].done():
                        want[1].set_result(None)
            await asyncio.sleep(0.002)

    async def person(u: Any) -> None:
        loop = asyncio.get_running_loop()
        for k in range(per_user):
            done: asyncio.Future[None] = loop.create_future()
            waiting[u.id] = ((k + 1) * per_reply, done)
            sent = time.time()
            await _send(tg, u, path, k, attempts)
            if len(replies[u.id]) >= (k + 1) * per_reply and not done.done():
                done.set_result(None)
            await asyncio.wait_for(done, 600)
            lat.append(replies[u.id][k * per_reply] - sent)

    watcher = asyncio.create_task(watch())
    t0 = time.perf_counter()
    try:
        await asyncio.gather(*(person(u) for u in users))
    finally:
        watcher.cancel()
    return _burst(path, n_users * per_user, time.perf_counter() - t0, lat)


def _press(tg: FakeTelegram, user: Any, data: str) -> None:
    """A tap on a button carrying `data` under a bot message (as in the chat after a lesson or question)."""
    query_id = str(random.getrandbits(62))
    tg.callbacks[query_id] = {"user_id": user.id, "data": data, "answer": None}
    message = {"message_id": 1, "date": int(time.time()), "chat": user.chat_json(), "from": tg.bot_user, "text": "…"}
    tg.emit("callback_query", {"id": query_id, "from": user.user_json(), "message": message,
                               "chat_instance": str(-(10**18) - user.id), "data": data})  # fmt: skip


def _replies(tg: FakeTelegram, start: int) -> int:
    return sum(1 for c in tg.transcript[start:] if c.method in SENDS and c.status == 200)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.asynccontextmanager
async def _process(tg: FakeTelegram, args: list[str], env: dict[str, str], cwd: str) -> AsyncIterator[int]:
    """A bot in its own process (its own core, as in production); ready once it long-polls the fake. Gives
    the process id."""
    polls = len(tg.calls("getUpdates"))
    log_path = Path(cwd) / "stderr.log"
    with log_path.open("wb") as log_file:
        proc = await asyncio.create_subprocess_exec(
            *args, env={**os.environ, **env}, cwd=cwd, stdout=asyncio.subprocess.DEVNULL, stderr=log_file
        )
    try:
        await tg.wait_until(lambda: len(tg.calls("getUpdates")) > polls or proc.returncode is not None, timeout=60)
        if proc.returncode is not None:
            raise RuntimeError(f"{' '.join(args[1:])} exited: {log_path.read_text()[-2000:]}")
        yield proc.pid
    finally:
        await stop(proc)


def _peak_rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


async def _drive_measured(
    tg: FakeTelegram, pid: int, path: str = "ask", attempts: dict[int, int] | None = None, driver: Any = None,
) -> dict[str, Any]:
    """One burst (`_drive`, or `_converse` as `driver`) with the bot process's CPU time and peak RSS."""
    cpu = cpu_seconds(pid)
    result = await (driver or _drive)(tg, path, attempts)
    result["cpu_ms_per_message"] = round((cpu_seconds(pid) - cpu) * 1000 / result["messages"], 2)
    result["peak_rss_mib"] = _peak_rss_mib(pid)
    return result


async def echo_run(latency: float) -> dict[str, Any]:
    async with FakeTelegram(latency=latency) as tg:
        args = [sys.executable, "-m", "bench.echo_bot", DEFAULT_TOKEN, tg.base_url]
        with tempfile.TemporaryDirectory() as tmp:
            async with _process(tg, args, {"PYTHONPATH": str(ROOT)}, tmp) as pid:
                result = await _drive_measured(tg, pid)
                result["conversation"] = await _drive_measured(tg, pid, driver=_converse)
                return result


async def _seed(db_url: str, users: int = USERS, first_id: int = 9_000_000) -> dict[int, int]:
    """Migrate and add `users` consented Telegram users, as `hocbot run` would find them, each with an open quiz
    attempt of QUIZ_MODULE long enough for every bench answer; gives each user's attempt id by Telegram id."""
    ids = [q.id for q in load_catalog().questions(QUIZ_MODULE)]
    ids = ids * (2 * PER_USER // len(ids) + 3)  # never finished within the two bursts: every answer asks the next
    db = Database(db_url)
    await upgrade(db)
    attempts: dict[int, int] = {}
    async with db.session() as s:
        for i in range(users):
            user = User(display_name=f"U{i}", consent_at=utcnow(), consent_version="bench")
            s.add(user)
            await s.flush()
            assert user.id is not None
            uid = str(first_id + i)
            s.add(Identity(user_id=user.id, channel="telegram", external_id=uid, chat_id=uid))
            attempt = QuizAttempt(user_id=user.id, module_id=QUIZ_MODULE, question_ids=json.dumps(ids),
                                  total=len(ids))  # fmt: skip
            s.add(attempt)
            await s.flush()
            assert attempt.id is not None
            attempts[first_id + i] = attempt.id
    await db.dispose()
    return attempts


async def hocbot_run(db_url: str, latency: float = 0.0) -> dict[str, Any]:
    """The real `hocbot run` process (polling), configured only by its environment."""
    attempts = await _seed(db_url)
    _quiz_index.clear()
    async with FakeTelegram(latency=latency) as tg:
        env = {
            "DATABASE_URL": db_url, "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN, "TELEGRAM_API_BASE_URL": tg.base_url,
            "HOCBOT_WEB_PORT": str(_free_port()),
        }
        with tempfile.TemporaryDirectory() as tmp:
            profile = Path(tmp) / "hocbot.prof"
            code = "from bot.cli import main; main()"
            if PROFILE:
                code = (f"import cProfile, time\nfrom bot.cli import main\np = cProfile.Profile(time.process_time)\n"
                        f"try:\n    p.runcall(main)\nfinally:\n    p.dump_stats({str(profile)!r})")
            hocbot = [sys.executable, "-c", code, "run"]
            async with _process(tg, hocbot, {**env, "PYTHONPATH": str(ROOT)}, tmp) as pid:
                for path in PATHS:  # warm-up, not measured: first imports, caches, the search index
                    await _drive(tg, path, attempts, n_users=5, per_user=1)
                paths = {path: await _drive_measured(tg, pid, path, attempts) for path in PATHS}
                talks = {path: await _drive_measured(tg, pid, path, attempts, _converse) for path in PATHS}
            result = _mix(paths)
            result["conversation"] = _mix(talks)
            if PROFILE and profile.exists():
                result["profile_top"] = _profile_top(profile)
                if os.environ.get("BENCH_PROFILE_FILE"):  # the whole profile, for pstats / snakeviz
                    shutil.copy(profile, os.environ["BENCH_PROFILE_FILE"])
            return result


def _mix(paths: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The paths' bursts together: msg/s over their summed time, CPU per message over all, worst p95."""
    runs = list(paths.values())
    messages = sum(r["messages"] for r in runs)
    seconds = sum(r["seconds"] for r in runs)
    cpu = sum(r["cpu_ms_per_message"] * r["messages"] for r in runs)
    return {
        "messages": messages,
        "seconds": seconds,
        "per_second": messages / seconds,
        "p50_ms": max(r["p50_ms"] for r in runs),
        "p95_ms": max(r["p95_ms"] for r in runs),
        "cpu_ms_per_message": round(cpu / messages, 2),
        "peak_rss_mib": max(r["peak_rss_mib"] for r in runs),
        "paths": paths,
    }


def _profile_top(path: Path, n: int = 25) -> list[str]:
    """The functions where hocbot spent most of its own CPU time (start-up included)."""
    import pstats

    stats = pstats.Stats(str(path))
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:n]  # type: ignore[attr-defined]
    total = sum(v[2] for v in stats.stats.values()) or 1.0  # type: ignore[attr-defined]
    out = []
    for (file, line, func), (_cc, calls, tottime, cumtime, _callers) in rows:
        where = file.replace(str(ROOT) + "/", "").split("site-packages/")[-1]
        out.append(f"{100 * tottime / total:5.1f}% own {tottime:6.2f}s cum {cumtime:6.2f}s {calls:>8} calls "
                   f"{where}:{line}({func})")  # fmt: skip
    return out


async def main(out: Path | None = None) -> int:
    runs: list[dict[str, Any]] = []
    for ms in LATENCIES_MS:
        pg = os.environ.get("BENCH_DATABASE_URL")
        with tempfile.TemporaryDirectory() as tmp:
            echo = await echo_run(ms / 1000)
            async with pg_database(pg) if pg else contextlib.nullcontext(f"sqlite+aiosqlite:///{tmp}/b.db") as url:
                if url is None:
                    return 1
                db_url = url
                hoc = await hocbot_run(db_url, ms / 1000)
        ratio = hoc["per_second"] / echo["per_second"]
        label = f"API round trip {ms:.0f} ms"
        for name, r in (("echo", echo), ("hocbot", hoc)):
            print(f"[{label}] {name}: {r['per_second']:.0f} msg/s, p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms,"
                  f" CPU {r['cpu_ms_per_message']} ms/message, peak RSS {r['peak_rss_mib']} MiB")
        for path, r in hoc["paths"].items():
            r["ratio"] = r["per_second"] / echo["per_second"]
            print(f"[{label}]   hocbot {path}: {r['per_second']:.0f} msg/s (ratio {r['ratio']:.2f}), "
                  f"p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms, CPU {r['cpu_ms_per_message']} ms/message")
        talk = hoc["conversation"]
        print(f"[{label}] users waiting for each reply: echo p95 {echo['conversation']['p95_ms']:.0f} ms; hocbot "
              + ", ".join(f"{path} p95 {r['p95_ms']:.0f} ms ({r['per_second']:.0f} msg/s, CPU "
                          f"{r['cpu_ms_per_message']} ms/message)" for path, r in talk["paths"].items()))
        for line in hoc.get("profile_top", [])[:15]:
            print("   ", line)
        print(f"inbound ratio hocbot/echo = {ratio:.2f}  ({label}; long polling, {USERS} users x {PER_USER} messages)")
        database = "sqlite" if "sqlite" in db_url else "postgresql"
        runs.append({"latency_ms": ms, "echo": echo, "hocbot": hoc, "ratio": ratio, "database": database})
    print("→", write_result("inbound", {"mode": "polling", "runs": runs}, out))
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="inbound throughput, hocbot vs a bare PTB echo bot")
    parser.add_argument("--workers", type=int, default=1,
                        help="N > 1: one worker vs N `hocbot run` workers on PostgreSQL (bench/inbound_workers.py)")
    parser.add_argument("--out", type=Path, help="write the figures here instead of bench/results/ (e.g. /tmp/…)")
    args = parser.parse_args()
    if args.workers > 1:
        from bench.inbound_workers import main as workers_main

        sys.exit(asyncio.run(workers_main((1, args.workers), args.out)))
    sys.exit(asyncio.run(main(args.out)))
