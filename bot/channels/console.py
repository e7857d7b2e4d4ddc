"""`hocbot chat`: the same bot in a terminal, with numbered choices."""

from __future__ import annotations

import asyncio
import codecs
import os
import sys
import threading
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TextIO

from bot.channels.base import OutputChannel
from bot.core.delivery import SentInfo
from bot.core.dispatcher import Dispatcher
from bot.core.messages import typed

CHANNEL = "console"


class ConsoleChannel(OutputChannel):
    """Reads one line at a time from stdin; prints replies as text (choices numbered, see OutputChannel)."""

    name = CHANNEL
    title = "Cửa sổ dòng lệnh"

    def __init__(self, dispatcher: Dispatcher, *, user: str = "local", out: TextIO | None = None) -> None:
        self.dispatcher = dispatcher
        self.user = user
        self.out = out or sys.stdout

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send_text(self, chat_key: str, text: str) -> SentInfo:
        print(f"🤖 {text}\n", file=self.out, flush=True)
        return SentInfo()

    async def say(self, line: str) -> None:
        msg = typed(line.rstrip("\n"), channel=CHANNEL, user_key=self.user)
        await self.dispatcher.handle(msg, partial(self.deliver, self.user))

    async def run(self, stdin: TextIO | None = None, *, greet: bool = True) -> None:
        """Chat until end of input (Ctrl-D) or /thoat. Ctrl-C cancels this at once, even at the prompt."""
        read_line = _terminal_lines() if stdin is None else _stream_lines(stdin)
        if greet:
            await self.say("/start")
        while True:
            line = await read_line()
            if not line or line.strip() in ("/thoat", "/exit", "/quit"):
                return
            await self.say(line)


def _stream_lines(stream: TextIO) -> Callable[[], Awaitable[str]]:
    async def read_line() -> str:
        return await asyncio.get_running_loop().run_in_executor(None, stream.readline)

    return read_line


def _terminal_lines() -> Callable[[], Awaitable[str]]:
    """Lines from the process's stdin, read by a daemon thread with os.read: a readline in asyncio's executor
    would keep the process alive after Ctrl-C until Enter is pressed (the executor waits for it at exit)."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str] = asyncio.Queue()
    encoding = getattr(sys.stdin, "encoding", None) or "utf-8"

    def put(item: str) -> bool:
        try:
            loop.call_soon_threadsafe(queue.put_nowait, item)
        except RuntimeError:  # the chat is over (loop closed)
            return False
        return True

    def pump() -> None:
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        pending = ""
        while True:
            try:
                chunk = os.read(sys.stdin.fileno(), 4096)
            except OSError:
                chunk = b""
            pending += decoder.decode(chunk, final=not chunk)
            while "\n" in pending:
                line, pending = pending.split("\n", 1)
                if not put(line + "\n"):
                    return
            if not chunk:
                put(pending)  # the last line without a newline, or "" = end of input
                if pending:
                    put("")
                return

    threading.Thread(target=pump, name="hocbot-chat-stdin", daemon=True).start()
    return queue.get
