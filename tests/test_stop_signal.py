"""`hocbot run` stops within seconds of SIGTERM (systemd's stop, `docker stop` and its 10 s before SIGKILL) or
Ctrl-C, whatever the Telegram Bot API does then: refuses connections, accepts them and never answers, or answers
429 with a long retry_after; in long polling and in webhook mode; on uvloop and on asyncio's own loop. An update
in hand when the signal comes is still handled: what it changes is saved, only its reply (which Telegram does
not take) is given up.

Before: 20 s with a Bot API that never answers (PTB's last getUpdates, sent when polling stops, waited the long
poll's 20 s read timeout), up to 30 s after a 429 or a long outage (PTB's polling back-off sleeps, and
`Updater.stop()` waits for the sleep to end), 16 s per reply in flight (5 s a try, three tries).

These run the installed `hocbot` as a subprocess and send it a real signal."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from sqlmodel import func, select

from bench.broadcast import seed_subscribers
from bot.db.engine import Database
from bot.db.models_officers import Delivery
from handlers.officers import outbox
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegram

HOCBOT = str(Path(sys.executable).with_name("hocbot"))
BOUND = 10.0  # seconds from the signal to the exit (docker stop's grace); about 0.3-4 s with the fix


class Telegram(FakeTelegram):
    """The fake Bot API, which can also accept every call and never answer it (`silent`, getUpdates too), and
    which notes each call as it arrives (the fake records a call only once it has answered it)."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.silent = False
        self.arrived: list[str] = []

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.arrived.append(request.match_info["method"])
        if self.silent:
            await asyncio.Event().wait()  # until the fake stops: its server then drops the request
        return await super()._handle(request)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def until(predicate: Any, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


CASES = {  # what the Bot API does when the signal comes, the mode, the event loop, the signal
    "never answers, polling": ("silent", "polling", "asyncio", signal.SIGTERM),
    "refuses connections, polling": ("refused", "polling", "uvloop", signal.SIGINT),
    "429 retry after 30 s, polling": ("429", "polling", "uvloop", signal.SIGTERM),
    "reply in flight never answered, polling": ("reply hangs", "polling", "uvloop", signal.SIGTERM),
    "reply in flight never answered, webhook": ("reply hangs", "webhook", "asyncio", signal.SIGINT),
    "refuses connections, webhook": ("refused", "webhook", "uvloop", signal.SIGTERM),
}


class Hocbot:
    """`hocbot run` as a subprocess, its log in a file (a pipe nobody reads would fill up and stop it)."""

    def __init__(self, tmp_path: Path, tg: Telegram, mode: str, event_loop: str) -> None:
        self.db_url = f"sqlite+aiosqlite:///{tmp_path / 'hocbot.db'}"
        self.log = tmp_path / "hocbot.log"
        self.cwd = tmp_path
        port = free_port()
        names = ("HOCBOT_", "TELEGRAM_", "ZALO_", "OPENAI_", "DATABASE_URL")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(names)}
        self.env.update(
            DATABASE_URL=self.db_url, TELEGRAM_BOT_TOKEN=DEFAULT_TOKEN, TELEGRAM_API_BASE_URL=tg.base_url,
            HOCBOT_WEB_HOST="127.0.0.1", HOCBOT_WEB_PORT=str(port), HOCBOT_EVENT_LOOP=event_loop,
        )  # fmt: skip
        if mode == "webhook":
            self.env.update(TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{port}/tg/hook", TELEGRAM_WEBHOOK_SECRET="s3cret")
        self.tg = tg
        self.proc: asyncio.subprocess.Process | None = None

    async def __aenter__(self) -> Hocbot:
        with self.log.open("wb") as log:
            self.proc = await asyncio.create_subprocess_exec(
                HOCBOT, "run", env=self.env, cwd=self.cwd, stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log
            )
        proc = self.proc
        await until(lambda: self.tg.calls("setMyCommands") or proc.returncode is not None, "hocbot run to start")
        assert proc.returncode is None, self.log.read_text()[-3000:]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()

    async def stop(self, sig: signal.Signals) -> float:
        """Send `sig`; the seconds until hocbot exited (BOUND if it had not by then)."""
        assert self.proc is not None
        signalled = time.monotonic()
        self.proc.send_signal(sig)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.proc.wait(), BOUND)
        return time.monotonic() - signalled

    def assert_stopped_cleanly(self, took: float, sig: signal.Signals, what: str) -> None:
        assert self.proc is not None
        out = self.log.read_text()
        print(f"{what} ({self.env['HOCBOT_EVENT_LOOP']}, {sig.name}): exited {self.proc.returncode} {took:.1f} s "
              "after the signal")  # fmt: skip
        assert took < BOUND, f"still running {took:.1f} s after {sig.name}:\n{out[-3000:]}"
        assert self.proc.returncode == 0 and "Traceback" not in out, out[-3000:]


@pytest.mark.parametrize("case", list(CASES))
async def test_hocbot_run_stops_within_seconds_of_a_signal_whatever_telegram_does(case: str, tmp_path: Path) -> None:
    api, mode, event_loop, sig = CASES[case]
    async with Telegram(port=free_port()) as tg, Hocbot(tmp_path, tg, mode, event_loop) as hocbot:
        if api == "silent":
            tg.silent = True
            polls = tg.arrived.count("getUpdates")
            await until(lambda: tg.arrived.count("getUpdates") > polls, "a getUpdates nobody answers")
        elif api == "refused":
            await tg.stop()
            await asyncio.sleep(2.0)  # polling fails and backs off meanwhile
        elif api == "429":
            tg.fail_next("getUpdates", 429, retry_after=30)
            await until(lambda: tg.calls("getUpdates", status=429), "the 429")
            await asyncio.sleep(0.5)
        else:  # an update in hand: its reply waits for an answer that never comes
            tg.latency = 3600.0
            await tg.user(5550001, first_name="Lan").send("/start")
            await until(lambda: "sendMessage" in tg.arrived, "the reply to be sent")
        took = await hocbot.stop(sig)
    hocbot.assert_stopped_cleanly(took, sig, case)
    if api == "reply hangs":
        with sqlite3.connect(tmp_path / "hocbot.db") as db:
            saved = db.execute("SELECT count(*) FROM inbound_events WHERE channel = 'telegram'").fetchone()[0]
        assert saved == 1, "the update in hand was not saved"


async def test_sigterm_while_telegram_never_answers_at_start_up_abandons_the_start(tmp_path: Path) -> None:
    """systemd stops hocbot while its first call to Telegram (getMe) waits for an answer that never comes: it
    exits at once, cleanly, and does not go on to start serving. Before: getMe's 5 s were waited out, then
    "hocbot đang chạy" was printed, and only then did it stop."""
    async with Telegram(port=free_port()) as tg:
        tg.silent = True
        hocbot = Hocbot(tmp_path, tg, "polling", "asyncio")
        with hocbot.log.open("wb") as log:
            hocbot.proc = proc = await asyncio.create_subprocess_exec(
                HOCBOT, "run", env=hocbot.env, cwd=hocbot.cwd, stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log
            )
        try:
            await until(lambda: "getMe" in tg.arrived or proc.returncode is not None, "the first getMe")
            took = await hocbot.stop(signal.SIGTERM)
        finally:
            await hocbot.__aexit__()
    hocbot.assert_stopped_cleanly(took, signal.SIGTERM, "getMe never answered at start-up")
    out = hocbot.log.read_text()
    assert "hocbot đang chạy" not in out and "channel telegram started" not in out, out[-3000:]
    assert tg.arrived == ["getMe"]  # nothing after it: no polling, no setMyCommands


async def test_a_broadcast_going_out_when_telegram_stops_answering_is_kept_for_the_next_start(tmp_path: Path) -> None:
    """SIGTERM in the middle of a broadcast whose sends Telegram never answers: hocbot exits within seconds and
    no recipient is given up (failed) or lost: the rest goes out after the next start."""
    n = 40
    async with Telegram(port=free_port()) as tg, Hocbot(tmp_path, tg, "polling", "uvloop") as hocbot:
        db = Database(hocbot.db_url)
        try:
            chats = await seed_subscribers(db, n, first_chat=830_000)
            for c in chats:
                tg.set_fate(c, None)
            tg.latency = 3600.0
            async with db.session() as s:
                b = await outbox.create_broadcast(s, text="Nhắc lịch học tối nay", created_by="test", group_ids="all")
                await outbox.queue_broadcast(s, b)
            await until(lambda: "sendMessage" in tg.arrived, "the broadcast to go out", seconds=30)
            took = await hocbot.stop(signal.SIGTERM)
            hocbot.assert_stopped_cleanly(took, signal.SIGTERM, "broadcast in flight, never answered")
            async with db.session() as s:
                states = dict((await s.exec(select(Delivery.state, func.count()).group_by(Delivery.state))).all())
        finally:
            await db.dispose()
    assert sum(states.values()) == n and set(states) <= {"queued", "sending"}, states
