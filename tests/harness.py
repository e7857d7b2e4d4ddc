"""Runs the real hocbot web app on a free port, and a web-chat user that talks to it like a browser."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from bot.app import RUNTIME, Runtime, campaign_work, create_web_app, sending_work
from bot.settings import Settings


@dataclass
class RunningBot:
    runtime: Runtime
    url: str
    app: web.Application


@asynccontextmanager
async def running_bot(settings: Settings, *, sending: bool = True) -> AsyncIterator[RunningBot]:
    """`hocbot run` in-process: same app factory, real HTTP server on 127.0.0.1. `sending=False`: without the
    pacer and the campaign timer (a bench of pages only)."""
    app = await create_web_app(settings)
    if not sending:
        rt = app[RUNTIME]
        rt.background[:] = [b for b in rt.background if b not in (sending_work, campaign_work)]
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield RunningBot(app[RUNTIME], f"http://127.0.0.1:{port}", app)
    finally:
        await runner.cleanup()


@dataclass
class WebUser:
    """A citizen in the web chat: `await user.says("/start")`, `user.last_reply()`."""

    url: str
    http: aiohttp.ClientSession
    session: str = field(default_factory=lambda: uuid.uuid4().hex)
    replies: list[dict[str, Any]] = field(default_factory=list)

    async def _post(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        body = {"session": self.session, "id": uuid.uuid4().hex, **body}
        async with self.http.post(f"{self.url}/api/chat", data=json.dumps(body)) as resp:
            assert resp.status == 200, await resp.text()
            data = await resp.json()
        self.replies = data["replies"]
        return self.replies

    async def says(self, text: str) -> list[dict[str, Any]]:
        return await self._post({"text": text})

    async def press(self, label_part: str) -> list[dict[str, Any]]:
        """Press the button whose label contains `label_part` in the last replies."""
        for reply in reversed(self.replies):
            for choice in reply["choices"]:
                if label_part.lower() in choice["label"].lower():
                    return await self._post({"choice": choice["data"]})
        raise AssertionError(f"no button {label_part!r} in {self.replies}")

    def last_reply(self) -> str:
        return self.replies[-1]["text"] if self.replies else ""

    def all_text(self) -> str:
        return "\n".join(r["text"] for r in self.replies)

    def buttons(self) -> list[str]:
        return [c["label"] for r in self.replies for c in r["choices"]]

    def keyboard(self) -> list[str]:
        return [label for r in self.replies for row in r["keyboard"] for label in row]
