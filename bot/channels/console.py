"""`hocbot chat`: the same bot in a terminal, with numbered choices."""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from bot.channels.base import SentInfo
from bot.dispatcher import Dispatcher
from bot.messages import Inbound, Kind, Reply
from bot.render import numbered

CHANNEL = "console"


class ConsoleChannel:
    """Reads one line at a time from stdin; prints replies with their choices numbered."""

    name = CHANNEL

    def __init__(self, dispatcher: Dispatcher, *, user: str = "local", out: TextIO | None = None) -> None:
        self.dispatcher = dispatcher
        self.user = user
        self.out = out or sys.stdout

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, chat_key: str, reply: Reply) -> SentInfo:
        if reply.stream is not None:
            text = ""
            async for preview in reply.stream:
                text = preview
            reply.text = reply.text or text
        body = numbered(reply)
        if reply.keyboard:
            labels = " · ".join(label for row in reply.keyboard for label in row)
            body += f"\n[{labels}]"
        if reply.document is not None:
            body += f"\n(tệp: {reply.document.filename}, {len(reply.document.content)} byte)"
        print(f"🤖 {body}\n", file=self.out, flush=True)
        return SentInfo()

    async def say(self, line: str) -> None:
        text = line.rstrip("\n")
        if text.startswith("/") and len(text) > 1:
            head, _, args = text[1:].partition(" ")
            msg = Inbound(CHANNEL, self.user, text=text, command=head, args=args.strip())
        else:
            msg = Inbound(CHANNEL, self.user, text=text, kind=Kind.TEXT)
        await self.dispatcher.handle(msg, lambda r: self.send(self.user, r))

    async def run(self, stdin: TextIO | None = None, *, greet: bool = True) -> None:
        """Chat until end of input (Ctrl-D) or /thoat."""
        stream = stdin or sys.stdin
        loop = asyncio.get_running_loop()
        if greet:
            await self.say("/start")
        while True:
            line = await loop.run_in_executor(None, stream.readline)
            if not line or line.strip() in ("/thoat", "/exit", "/quit"):
                return
            await self.say(line)
