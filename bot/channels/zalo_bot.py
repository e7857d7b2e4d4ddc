"""Zalo Bot Platform adapter: long polling or webhook in, numbered text and photos out."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import replace
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from bot.channels.base import ChannelState, OutputChannel
from bot.channels.zalo_bot_client import ZaloBotClient, ZaloBotEvent, parse_bot_update, verify_bot_webhook
from bot.channels.zalo_common import OrderedTasks, ZaloAuthError, ZaloError, guarded
from bot.core.delivery import SentInfo
from bot.core.dispatcher import Dispatcher
from bot.core.messages import Inbound, Kind, Reply, typed
from bot.core.render import as_text
from bot.core.tasks import cancel_and_wait
from bot.settings import Settings
from bot.startup import StartupError

log = logging.getLogger(__name__)
CHANNEL = "zalo"
POLL_TIMEOUT = 25  # seconds per getUpdates long poll; an idle poll ends with 408, which is normal
RETRY_FIRST = 2.0  # seconds before the first retry when Zalo does not answer at start
RETRY_CAP = 60.0
TOKEN_REJECTED = (
    "Zalo từ chối ZALO_BOT_TOKEN (401): lấy lại token của bot trên Zalo Bot Platform rồi sửa ZALO_BOT_TOKEN."
)
_KINDS = {"text": Kind.TEXT, "sticker": Kind.STICKER, "image": Kind.PHOTO}


# ---------------------------------------------------------------- the adapter


class ZaloBotChannel(OutputChannel):
    """Holds the Zalo Bot client; translates events in and replies out (text and photos; the rest as numbered
    text, see OutputChannel), nothing else."""

    name = CHANNEL
    title = "Zalo"

    def __init__(
        self, settings: Settings, dispatcher: Dispatcher, *, poll_timeout: float = POLL_TIMEOUT
    ) -> None:
        assert settings.zalo_bot_token is not None
        self.settings = settings
        self.dispatcher = dispatcher
        self.client = ZaloBotClient(settings.zalo_bot_token.get_secret_value(), settings.zalo_api_base_url)
        self.webhook_url = settings.zalo_webhook_url
        secret = settings.zalo_webhook_secret
        self._secret = secret.get_secret_value() if secret else ""  # settings refuse a webhook without it
        self._poll_timeout = poll_timeout
        self._poller: asyncio.Task[None] | None = None
        self._work = OrderedTasks()
        self.state: ChannelState = "ok"  # /readyz: "retrying" while getUpdates fails, "failed" on a bad token

    @property
    def webhook_path(self) -> str | None:
        return (urlsplit(self.webhook_url).path or "/") if self.webhook_url else None

    def routes(self) -> list[web.RouteDef]:
        return [web.post(self.webhook_path, self.webhook)] if self.webhook_path else []

    async def start(self) -> None:
        """Connect now; if Zalo does not answer, return anyway (the web chat and dashboard serve) and retry in
        the background. A token Zalo rejects is a StartupError: one line, exit."""
        try:
            await self._connect()
        except ZaloAuthError:
            raise StartupError(TOKEN_REJECTED) from None
        except ZaloError as exc:
            self.state = "retrying"
            self._poller = asyncio.create_task(self._reconnect(exc))

    async def _connect(self) -> None:
        me = await self.client.get_me()
        log.info("zalo bot %s (%s) connected", me.get("account_name", "?"), me.get("account_type", "?"))
        if self.webhook_url:
            await self.client.set_webhook(self.webhook_url, self._secret)
            return
        info = await self.client.get_webhook_info()
        if info.get("url"):  # polling while a webhook is set receives nothing, silently
            log.warning("zalo bot had a webhook set; deleting it to use long polling")
            await self.client.delete_webhook()
        self._poller = asyncio.create_task(self._poll_loop())

    async def _reconnect(self, error: ZaloError) -> None:
        """Retry with a doubling back-off (capped), one log line per try, then poll as usual."""
        delay = RETRY_FIRST
        while True:
            log.warning(
                "Chưa kết nối được Zalo Bot (%s); web chat vẫn chạy, thử lại sau %.0f giây "
                "(kiểm tra mạng hoặc ZALO_API_BASE_URL).", error, delay,
            )  # fmt: skip
            await asyncio.sleep(delay)
            try:
                await self._connect()
            except ZaloAuthError:
                self.state = "failed"
                log.error(TOKEN_REJECTED)
                return
            except ZaloError as exc:
                error, delay = exc, min(delay * 2, RETRY_CAP)
                continue
            self.state = "ok"
            log.warning("Đã kết nối được Zalo Bot.")
            return

    async def stop(self) -> None:
        if self._poller is not None:
            poller, self._poller = self._poller, None
            with contextlib.suppress(Exception):
                await cancel_and_wait(poller)
        await self._work.drain()
        await self.client.close()

    async def _poll_loop(self) -> None:
        backoff = 1.0
        while True:
            try:
                updates = await self.client.get_updates(self._poll_timeout)
                backoff = 1.0
                self.state = "ok"
            except ZaloError as exc:
                self.state = "failed" if isinstance(exc, ZaloAuthError) else "retrying"
                level = logging.ERROR if isinstance(exc, ZaloAuthError) else logging.WARNING
                log.log(level, "zalo getUpdates failed: %s; retrying in %.0fs", exc, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            for item in updates:
                await self._accept(item)

    async def webhook(self, request: web.Request) -> web.Response:
        """Zalo's webhook: check the secret in constant time, queue the event, answer 200 at once."""
        if not verify_bot_webhook(request.headers, self._secret):
            log.warning("zalo bot webhook with a wrong or missing secret from %s", request.remote)
            return web.Response(status=403)
        try:
            body = await request.json()
        except ValueError:
            log.error("malformed zalo bot webhook body ignored")
            return web.Response(status=200)
        await self._accept(body)
        return web.Response(status=200)

    async def _accept(self, update: object) -> None:
        event = parse_bot_update(update)
        if event is None:
            log.warning("unusable zalo bot update ignored")
            return
        if event.is_bot:
            return
        inbound = to_inbound(event)
        reply = partial(self.deliver, inbound.reply_to)
        await self._work.spawn(event.user_id, partial(self.dispatcher.handle, inbound, reply))

    async def send_text(self, chat_key: str, text: str) -> SentInfo:
        ids = await guarded(lambda: self.client.send_message(chat_key, text or "…"))
        return SentInfo(ids[-1] if ids else None)

    async def send_image(self, chat_key: str, reply: Reply) -> SentInfo:
        """A photo by its web address, the rest of the reply (choices numbered) as its caption."""
        image = reply.image or ""
        if not image.startswith(("http://", "https://")):
            return await super().send_image(chat_key, reply)
        caption = as_text(replace(reply, image=None))
        ids = await guarded(lambda: self.client.send_photo(chat_key, image, caption))
        return SentInfo(ids[-1] if ids else None)

    async def typing(self, chat_key: str) -> None:
        try:
            await self.client.send_chat_action(chat_key, "typing")
        except ZaloError:
            log.info("zalo typing indicator failed for a chat")


def to_inbound(event: ZaloBotEvent) -> Inbound:
    """A Zalo Bot event as a neutral Inbound; “/lệnh args” becomes a command."""
    kind = _KINDS.get(event.kind, Kind.OTHER)
    private = event.chat_type.upper() != "GROUP"
    base: dict[str, Any] = {
        "channel": CHANNEL, "user_key": event.user_id, "display_name": event.display_name,
        "raw_id": event.event_id, "chat_key": event.chat_id, "private": private,
    }
    if kind == Kind.TEXT:
        return typed(event.text, **base)
    return Inbound(kind=kind, **base)
