"""Adds the Zalo channels when their settings are present; alerts admins when the OA loses its token."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.channels.zalo_bot_client import ZaloAuthError
from bot.core import texts
from bot.core.delivery import DeliveryError
from bot.core.messages import Reply
from bot.db import repo

if TYPE_CHECKING:
    from bot.channels.base import Channel
    from bot.channels.zalo_bot import ZaloBotChannel
    from bot.channels.zalo_oa import ZaloOAChannel
    from bot.core.context import Services
    from bot.core.dispatcher import Dispatcher

    ZaloChannel = ZaloBotChannel | ZaloOAChannel

log = logging.getLogger(__name__)
ALERT_INTERVAL = 3600.0  # at most one alert per hour, however many sends fail


def zalo_channels(services: Services, dispatcher: Dispatcher, channels: dict[str, Channel]) -> list[ZaloChannel]:
    """The Zalo Bot channel (ZALO_BOT_TOKEN) and the OA channel (ZALO_OA_*), when their settings are present.
    `channels` is the runtime's (filled as it starts): an OA that loses its token alerts admins through them."""
    settings = services.settings
    out: list[ZaloChannel] = []
    if settings.zalo_bot_token is not None:
        from bot.channels.zalo_bot import ZaloBotChannel

        out.append(ZaloBotChannel(settings, dispatcher))
    if settings.zalo_oa_app_id and settings.zalo_oa_secret_key:
        from bot.channels.zalo_oa import ZaloOAChannel

        out.append(ZaloOAChannel(settings, dispatcher, on_auth_failure=AdminAlert(services, channels)))
    return out


class AdminAlert:
    """Tells every admin (HOCBOT_ADMINS) through their own channel that Zalo OA sending has stopped."""

    def __init__(
        self, services: Services, channels: dict[str, Channel], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.services = services
        self.channels = channels
        self.clock = clock
        self._last = -ALERT_INTERVAL

    async def __call__(self, error: ZaloAuthError) -> None:
        log.error("Zalo OA authorisation failed, messages to OA followers stop: %s", error)
        now = self.clock()
        if now - self._last < ALERT_INTERVAL:
            return
        self._last = now
        text = texts.ZALO_OA_AUTH_ALERT.format(reason=error.description[:120])
        for channel, user_key in sorted(self.services.settings.admin_keys):
            adapter = self.channels.get(channel)
            if adapter is None or channel == "zalo_oa":
                log.warning("admin %s:%s can't be alerted on that channel", channel, user_key)
                continue
            async with self.services.db.session() as s:
                ident = await repo.find_identity(s, channel, user_key)
                chat = ident.chat_id if ident is not None else user_key
            try:
                await adapter.send(chat, Reply(text))
            except DeliveryError as exc:
                log.warning("alert to admin %s:%s failed: %s", channel, user_key, exc.reason)
