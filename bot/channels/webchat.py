"""The built-in web chat: a mobile-friendly page and a JSON endpoint, no token needed."""

from __future__ import annotations

import base64
import logging
import re
import secrets
from functools import partial
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.channels.base import SentInfo
from bot.dispatcher import Dispatcher
from bot.messages import Inbound, Kind, Reply

log = logging.getLogger(__name__)
CHANNEL = "web"
PAGE = Path(__file__).resolve().parents[1] / "web" / "static" / "chat.html"
_SESSION = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_BODY = 64 * 1024


class WebChatChannel:
    """Serves `/` (the page) and `POST /api/chat` (one message in, the replies out)."""

    name = CHANNEL

    def __init__(self, dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher

    def routes(self) -> list[web.RouteDef]:
        return [web.get("/", self.page), web.post("/api/chat", self.chat)]

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, chat_key: str, reply: Reply) -> SentInfo:
        """Web users only see replies to their own requests; proactive messages wait in the page's next poll."""
        return SentInfo()

    async def page(self, _request: web.Request) -> web.FileResponse:
        return web.FileResponse(PAGE, headers={"Cache-Control": "no-cache"})

    async def chat(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
            if not isinstance(body, dict):
                raise ValueError("not an object")
        except Exception:
            return web.json_response({"error": "Yêu cầu không hợp lệ."}, status=400)
        session = str(body.get("session") or "")
        if not _SESSION.match(session):
            session = secrets.token_urlsafe(16)
        inbound = _inbound(session, body)
        collected: list[dict[str, Any]] = []
        await self.dispatcher.handle(inbound, partial(_collect, collected))
        return web.json_response({"session": session, "replies": collected})


def _inbound(session: str, body: dict[str, Any]) -> Inbound:
    raw_id = str(body.get("id") or "")[:64] or None
    choice = body.get("choice")
    if isinstance(choice, str) and choice:
        return Inbound(CHANNEL, session, kind=Kind.CALLBACK, choice=choice[:64], raw_id=raw_id)
    text = str(body.get("text") or "")
    if text.startswith("/") and len(text) > 1:
        head, _, args = text[1:].partition(" ")
        return Inbound(CHANNEL, session, text=text, command=head, args=args.strip(), raw_id=raw_id)
    return Inbound(CHANNEL, session, text=text, raw_id=raw_id)


async def _collect(out: list[dict[str, Any]], reply: Reply) -> SentInfo:
    if reply.stream is not None:
        text = ""
        async for preview in reply.stream:
            text = preview
        reply.text = reply.text or text
    item: dict[str, Any] = {
        "text": reply.text,
        "choices": [{"label": c.label, "data": c.data} for c in reply.choices],
        "keyboard": reply.keyboard or [],
        "image": reply.image if reply.image and reply.image.startswith(("http", "/")) else None,
    }
    if reply.quiz is not None and not reply.choices:
        item["text"] = reply.text or reply.quiz.question
        item["options"] = list(reply.quiz.options)
    if reply.document is not None:
        doc = reply.document
        item["document"] = {
            "filename": doc.filename,
            "caption": doc.caption,
            "data": base64.b64encode(doc.content).decode(),
        }
    out.append(item)
    return SentInfo()
