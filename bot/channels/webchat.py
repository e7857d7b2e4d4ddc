"""The built-in web chat: a mobile-friendly page and a JSON endpoint, no token needed.

Replies come back in the answer to each POST. Messages the bot starts (broadcasts, reminders, an officer's
report) go through the outbox like on any channel; `send` keeps them in the session's inbox (web_inbox) and
the page fetches them with `GET /api/chat/inbox?session=…&since=<last id>` every ~20 s while it is open and
when it is opened again, so it shows what arrived since the last visit. Kept INBOX_DAYS days."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import logging
import re
import secrets
from collections import OrderedDict
from functools import partial
from pathlib import Path
from typing import Any

from aiohttp import web
from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.channels.base import OutputChannel
from bot.core import texts
from bot.core.delivery import SentInfo
from bot.core.dispatcher import Dispatcher
from bot.core.faults import DB_DOWN, database_down
from bot.core.messages import Inbound, Kind, Reply, typed
from bot.core.render import plain_label
from bot.core.tasks import cancel_and_wait
from bot.db import repo
from bot.db.models import Identity, utcnow
from bot.db.models_web import WebInbox
from bot.web.http import client_ip, too_many

log = logging.getLogger(__name__)
CHANNEL = "web"
PAGE = Path(__file__).resolve().parents[1] / "web" / "static" / "chat.html"
_SESSION = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
INBOX_DAYS = 30  # a pushed message waits this long for its session to come back
INBOX_BATCH = 50  # at most this many messages per fetch (the page asks again for more)
PRUNE_EVERY = 3600.0
KNOWN_SESSIONS = 50_000


class WebChatChannel(OutputChannel):
    """Serves `/` (the page), `POST /api/chat` (one message in, the replies out) and the session's inbox."""

    name = CHANNEL
    push_rate = 200.0  # pushes are rows in our own database, not a platform's API: the pacer may go fast

    def __init__(self, dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher
        self._pruner: asyncio.Task[None] | None = None
        self._known: OrderedDict[str, None] = OrderedDict()  # sessions seen lately (bounded)

    def routes(self) -> list[web.RouteDef]:
        return [web.get("/", self.page), web.post("/api/chat", self.chat), web.get("/api/chat/inbox", self.inbox)]

    async def start(self) -> None:
        self._pruner = asyncio.create_task(self._prune_forever(), name="webchat-prune")

    async def stop(self) -> None:
        if self._pruner is not None:
            pruner, self._pruner = self._pruner, None
            await cancel_and_wait(pruner)

    async def deliver(self, chat_key: str, reply: Reply) -> SentInfo:
        """A message the bot starts: kept in the session's inbox until the page fetches it. The page shows all
        a reply carries (buttons, quiz answers, files, photo links), so nothing is degraded here."""
        item = _item(reply)
        async with self.dispatcher.services.db.session() as s:
            row = WebInbox(chat_id=chat_key, payload=json.dumps(item, ensure_ascii=False), created_at=utcnow())
            s.add(row)
            await s.flush()
            return SentInfo(message_id=str(row.id))

    def shows_numbers(self, reply: Reply) -> bool:
        return False  # the page shows buttons

    async def send_text(self, chat_key: str, text: str) -> SentInfo:
        return await self.deliver(chat_key, Reply(text))

    async def _collect(self, out: list[dict[str, Any]], reply: Reply) -> SentInfo:
        """A reply to the page's request: returned in the answer to its POST."""
        out.append(_item(reply))
        return SentInfo()

    async def inbox(self, request: web.Request) -> web.Response:
        """`?session=…&since=<id>`: the session's pushed messages after `since`, oldest first, and the last id."""
        session = request.query.get("session", "")
        since = request.query.get("since", "0")
        if not _SESSION.match(session) or not since.isdecimal() or len(since) > 18:
            return web.json_response({"error": "Yêu cầu không hợp lệ."}, status=400)
        after = min(int(since), 2**31 - 1)  # ids are 32-bit integers (PostgreSQL would refuse a larger number)
        async with self.dispatcher.services.db.session() as s:
            rows = (await s.exec(
                select(WebInbox).where(WebInbox.chat_id == session, col(WebInbox.id) > after)
                .order_by(col(WebInbox.id)).limit(INBOX_BATCH)
            )).all()  # fmt: skip
        messages = [{"id": r.id, "at": r.created_at.isoformat(), **json.loads(r.payload)} for r in rows]
        last = rows[-1].id if rows else after
        return web.json_response({"messages": messages, "last": last, "more": len(rows) == INBOX_BATCH},
                                 headers={"Cache-Control": "no-store"})  # fmt: skip

    async def prune(self, now: dt.datetime | None = None) -> int:
        """Forget pushed messages older than INBOX_DAYS."""
        cutoff = (now or utcnow()) - dt.timedelta(days=INBOX_DAYS)
        async with self.dispatcher.services.db.session() as s:
            res: Any = await s.execute(delete(WebInbox).where(col(WebInbox.created_at) < cutoff))
            return int(res.rowcount or 0)

    async def _prune_forever(self) -> None:
        while True:
            try:
                await self.prune()
            except Exception:
                log.exception("web chat inbox clean-up failed; trying again later")
            await asyncio.sleep(PRUNE_EVERY)

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
            await self.dispatcher.handle(inbound, partial(self._collect, collected), tell_busy=False)
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
    return typed(str(body.get("text") or ""), channel=CHANNEL, user_key=session, **base)


def _item(reply: Reply) -> dict[str, Any]:
    """One reply as the page renders it."""
    item: dict[str, Any] = {
        "text": reply.text,
        # `plain`: the label without its own order number, shown after the number a typed reply uses
        "choices": [{"label": c.label, "data": c.data, "plain": plain_label(c.label)} for c in reply.choices],
        "keyboard": reply.keyboard or [],
        "image": reply.image if reply.image and reply.image.startswith(("http", "/")) else None,
        "reset": reply.remove_keyboard,  # a fresh start (welcome, data deleted): the page forgets what it kept
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
    return item


async def forget_inbox(s: AsyncSession, user_id: int) -> None:
    """/xoadulieu: the user's web sessions lose their pushed messages too."""
    sessions = select(Identity.chat_id).where(Identity.user_id == user_id, Identity.channel == CHANNEL)
    await s.execute(delete(WebInbox).where(col(WebInbox.chat_id).in_(sessions)))
