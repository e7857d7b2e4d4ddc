"""Zalo Official Account adapter: signed webhook in, text with up to 5 buttons (or numbered text) out."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from functools import partial
from typing import Any

from aiohttp import web

from bot.channels.base import ChannelState, OutputChannel
from bot.channels.zalo_common import OrderedTasks, ZaloAuthError, ZaloError, ZaloOutsideWindow, delivery_error
from bot.channels.zalo_oa_client import (
    MAX_BUTTONS,
    SIGNATURE_HEADER,
    AuthFailureHook,
    ZaloOAClient,
    ZaloOAEvent,
    parse_oa_event,
    verify_oa_webhook,
)
from bot.channels.zalo_oa_tokens import DbTokenStore
from bot.core.delivery import OutsideWindow, SentInfo
from bot.core.dispatcher import Dispatcher
from bot.core.messages import Inbound, Kind, Reply, typed
from bot.core.render import menu_hint
from bot.settings import Settings

log = logging.getLogger(__name__)
EVENT_WINDOW = dt.timedelta(minutes=10)  # a signed event older or newer than this is refused (replays)
CHANNEL = "zalo_oa"
WEBHOOK_PATH = "/zalo/oa/webhook"
BUTTON_PREFIX = "#cb:"  # our button payloads; Zalo sends a tap back as the user's text
MAX_PAYLOAD = 64
TITLE_LIMIT = 100
_KINDS = {"text": Kind.TEXT, "sticker": Kind.STICKER, "image": Kind.PHOTO}


class ZaloOAChannel(OutputChannel):
    """Holds the OA client; translates webhook events in and replies out (text, up to 5 buttons; the rest as
    numbered text, see OutputChannel), nothing else."""

    name = CHANNEL
    title = "Zalo"

    def __init__(
        self, settings: Settings, dispatcher: Dispatcher, *, on_auth_failure: AuthFailureHook | None = None
    ) -> None:
        assert settings.zalo_oa_app_id and settings.zalo_oa_secret_key
        self.settings = settings
        self.dispatcher = dispatcher
        self.db = dispatcher.services.db
        app_secret = settings.zalo_oa_secret_key.get_secret_value()
        seed = settings.zalo_oa_refresh_token.get_secret_value() if settings.zalo_oa_refresh_token else None
        self.store = DbTokenStore(self.db, settings.zalo_oa_app_id, seed)
        self.client = ZaloOAClient(
            settings.zalo_oa_app_id, app_secret, self.store, settings.zalo_oa_api_base_url,
            settings.zalo_oa_oauth_base_url, on_auth_failure=on_auth_failure,
        )
        # The webhook is signed with the OA secret (“Khóa bí mật OA”), not the app secret.
        hook_secret = settings.zalo_oa_webhook_secret
        self._hook_secret = hook_secret.get_secret_value() if hook_secret else ""
        self._work = OrderedTasks()
        self._warmup: asyncio.Task[None] | None = None
        self.state: ChannelState = "starting"  # /readyz: ok once a token is usable, failed when refused

    def routes(self) -> list[web.RouteDef]:
        return [web.post(WEBHOOK_PATH, self.webhook)]

    async def start(self) -> None:
        self._warmup = asyncio.create_task(self._warm_up())

    async def stop(self) -> None:
        if self._warmup is not None:
            await asyncio.gather(self._warmup, return_exceptions=True)
        await self._work.drain()
        await self.client.close()

    async def _warm_up(self) -> None:
        """Get a usable access token now, so a dead refresh token alerts admins at start, not later."""
        try:
            await self.client.access_token()
        except ZaloError as exc:
            self.state = "failed" if isinstance(exc, ZaloAuthError) else "retrying"
            log.error("zalo oa token not ready at start: %s", exc)
        else:
            self.state = "ok"

    async def webhook(self, request: web.Request) -> web.Response:
        """Verify the signature, answer 200 at once (Zalo allows 2 s), process afterwards."""
        body = await request.read()
        if not request.headers.get(SIGNATURE_HEADER):
            log.warning("zalo oa webhook without signature from %s rejected", request.remote)
            return web.Response(status=401)
        assert self.settings.zalo_oa_app_id
        if not verify_oa_webhook(self.settings.zalo_oa_app_id, body, self._hook_secret, request.headers):
            log.warning("zalo oa webhook with a bad signature from %s rejected", request.remote)
            return web.Response(status=403)
        try:
            event = parse_oa_event(json.loads(body))
        except ValueError:
            event = None
        if event is None:
            log.info("zalo oa webhook event ignored (echo, unknown or malformed)")
            return web.Response(status=200)
        now_ms = self.dispatcher.services.now().timestamp() * 1000
        if abs(now_ms - event.timestamp_ms) > EVENT_WINDOW.total_seconds() * 1000:
            log.warning("zalo oa webhook event outside the %s window rejected (a replay?)", EVENT_WINDOW)
            return web.Response(status=403)
        await self._work.spawn(event.user_id, partial(self._handle, event))
        return web.Response(status=200)

    async def _handle(self, event: ZaloOAEvent) -> None:
        send = partial(self.deliver, event.user_id)
        for inbound in to_inbounds(event):
            await self.dispatcher.handle(inbound, send)

    def shows_numbers(self, reply: Reply) -> bool:
        return bool(reply.choices) and not _buttons(reply)

    async def send_text(self, chat_key: str, text: str) -> SentInfo:
        return await self._send(chat_key, text, [])

    async def send_buttons(self, chat_key: str, reply: Reply) -> SentInfo:
        """Up to 5 choices as OA buttons (the main menu as words under the text); more as numbered text."""
        buttons = _buttons(reply)
        if not buttons:
            return await super().send_buttons(chat_key, reply)
        text = f"{reply.text}\n\n{menu_hint(numbered=False)}" if reply.keyboard else reply.text
        return await self._send(chat_key, text, buttons)

    async def _send(self, chat_key: str, text: str, buttons: list[tuple[str, str]]) -> SentInfo:
        """One OA message; Zalo errors become typed delivery errors."""
        try:
            ids = await self.client.send_text(chat_key, text or "…", buttons or None)
        except ZaloOutsideWindow as exc:
            raise OutsideWindow(str(exc)) from None
        except ZaloError as exc:
            if isinstance(exc, ZaloAuthError):
                self.state = "failed"
            raise delivery_error(exc) from None
        self.state = "ok"
        return SentInfo(ids[-1] if ids else None)


def _buttons(reply: Reply) -> list[tuple[str, str]]:
    if not 1 <= len(reply.choices) <= MAX_BUTTONS:
        return []
    return [(c.label[:TITLE_LIMIT], BUTTON_PREFIX + c.data) for c in reply.choices]


def to_inbounds(event: ZaloOAEvent) -> list[Inbound]:
    """An OA event as neutral Inbounds; a follow is an UNBLOCKED plus a /start (the welcome)."""
    base: dict[str, Any] = {"channel": CHANNEL, "user_key": event.user_id, "chat_key": event.user_id}
    if event.kind == "follow":
        return [
            Inbound(kind=Kind.UNBLOCKED, raw_id=event.event_id, **base),
            Inbound(text="/start", command="start", raw_id=event.event_id + ":start", **base),
        ]
    if event.kind == "unfollow":
        return [Inbound(kind=Kind.BLOCKED, raw_id=event.event_id, **base)]
    kind = _KINDS.get(event.kind, Kind.OTHER)
    if kind != Kind.TEXT:
        return [Inbound(kind=kind, raw_id=event.event_id, **base)]
    text = event.text.strip()
    data = text[len(BUTTON_PREFIX):]
    if text.startswith(BUTTON_PREFIX) and 0 < len(data.encode("utf-8")) <= MAX_PAYLOAD:
        return [Inbound(kind=Kind.CALLBACK, choice=data, raw_id=event.event_id, **base)]
    return [typed(event.text, raw_id=event.event_id, **base)]
