"""The built-in web chat: a mobile-friendly page and a JSON endpoint, no token needed."""

from __future__ import annotations

import base64
import logging
import re
import secrets
from collections import OrderedDict
from functools import partial
from pathlib import Path
from typing import Any

from aiohttp import web

from bot import texts
from bot.channels.base import SentInfo
from bot.db import repo
from bot.dispatcher import Dispatcher
from bot.faults import DB_DOWN, database_down
from bot.messages import Inbound, Kind, Reply
from bot.throttle import client_ip, too_many

log = logging.getLogger(__name__)
CHANNEL = "web"
PAGE = Path(__file__).resolve().parents[1] / "web" / "static" / "chat.html"
_SESSION = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_BODY = 64 * 1024
KNOWN_SESSIONS = 50_000


class WebChatChannel:
    """Serves `/` (the page) and `POST /api/chat` (one message in, the replies out)."""

    name = CHANNEL

    def __init__(self, dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher
        self._known: OrderedDict[str, None] = OrderedDict()  # sessions seen lately (bounded)

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
        services = self.dispatcher.services
        ip = client_ip(request, services.settings)
        collected: list[dict[str, Any]] = []
        try:
            if await self._is_new(session) and not services.throttles.web_session_ip.allow(ip):
                log.warning("web chat: too many new sessions from one address")
                return too_many()
            inbound = _inbound(session, body, ip)
            await self.dispatcher.handle(inbound, partial(_collect, collected), tell_busy=False)
        except Exception as exc:
            if not database_down(exc):
                log.exception("web chat request failed")
                return web.json_response({"session": session, "error": texts.ERROR}, status=500)
            DB_DOWN.log(log, "webchat", "database unavailable, web chat answers 503", exc)
            return web.json_response({"session": session, "error": texts.BUSY}, status=503,
                                     headers={"Retry-After": "60"})
        self._remember(session)
        return web.json_response({"session": session, "replies": collected})

    async def _is_new(self, session: str) -> bool:
        """A session this server has not seen: not in the recent list, and no account in the database."""
        if session in self._known:
            self._known.move_to_end(session)
            return False
        async with self.dispatcher.services.db.session() as s:
            known = await repo.find_identity(s, CHANNEL, session) is not None
        if known:
            self._remember(session)
        return not known

    def _remember(self, session: str) -> None:
        self._known[session] = None
        self._known.move_to_end(session)
        while len(self._known) > KNOWN_SESSIONS:
            self._known.popitem(last=False)


def _inbound(session: str, body: dict[str, Any], ip: str = "") -> Inbound:
    msg_id = str(body.get("id") or "")[:63]
    raw_id = f"{session}|{msg_id}" if msg_id else None  # ids are chosen by the page: unique per session only
    base: dict[str, Any] = {"raw_id": raw_id, "origin": ip}
    choice = body.get("choice")
    if isinstance(choice, str) and choice:
        return Inbound(CHANNEL, session, kind=Kind.CALLBACK, choice=choice[:64], **base)
    text = str(body.get("text") or "")
    if text.startswith("/") and len(text) > 1:
        head, _, args = text[1:].partition(" ")
        return Inbound(CHANNEL, session, text=text, command=head, args=args.strip(), **base)
    return Inbound(CHANNEL, session, text=text, **base)


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
