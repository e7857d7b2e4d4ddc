"""The composition root: builds services, channels and the web server, starts and stops them in order."""

from __future__ import annotations

import asyncio
import functools
import importlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.channels.base import Channel, ChannelState
from bot.channels.webchat import WebChatChannel, forget_inbox
from bot.core.context import Services
from bot.core.dispatcher import Dispatcher
from bot.db.engine import Database
from bot.db.migrate import upgrade
from bot.settings import Settings

log = logging.getLogger(__name__)

# Features that add services, web routes or background work. Each module has `install(rt: Runtime)`.
FEATURES: list[str] = [
    "bot.channels.zalo_setup",
    "handlers.learning.service",
    "handlers.learning_models",
    "handlers.initiatives",
    "handlers.contests",
    "bot.web.verify",
    "scheduler.runner",
    "scheduler.pacer",
    "handlers.answers.service",
    "bot.web.dashboard",
    "bot.web.health",
    "bot.startup",
    "bot.warmup",  # last: once everything else is started, the port opens while it works
]

Background = Callable[["Runtime"], AbstractAsyncContextManager[None]]


@dataclass
class Runtime:
    """Everything `hocbot run` (and the tests) wire together, in one visible place."""

    settings: Settings
    services: Services
    dispatcher: Dispatcher
    channels: dict[str, Channel] = field(default_factory=dict)
    routes: list[web.RouteDef] = field(default_factory=list)
    background: list[Background] = field(default_factory=list)
    lifecycle: dict[str, ChannelState] = field(default_factory=dict)  # set by the app's start/stop
    stopping: bool = False
    failed: asyncio.Event = field(default_factory=asyncio.Event)  # `hocbot run` stops with `failure`
    failure: str = ""

    def fail(self, message: str) -> None:
        """A channel found, after start-up, a mistake only a person can fix (another hocbot polls the same
        Telegram bot, a token revoked): `hocbot run` prints this one line and exits."""
        if not self.failed.is_set():
            self.failure = message
            self.failed.set()

    def add_channel(self, channel: Channel) -> None:
        self.channels[channel.name] = channel
        self.lifecycle[channel.name] = "starting"

    def channel_state(self, name: str) -> ChannelState:
        """starting → ok (or failed) as the app starts it; once started, what the channel itself reports
        (a polling loop that lost its server says "retrying")."""
        life = self.lifecycle.get(name, "starting")
        if life != "ok":
            return life
        own = getattr(self.channels.get(name), "state", None)
        return own if own in ("starting", "ok", "retrying", "failed") else "ok"


async def build_services(settings: Settings, *, migrate: bool | None = None) -> Services:
    """DB (migrated), content and search index: what every entry point needs."""
    from content.catalog import load_catalog
    from content.deferred_index import DeferredIndex
    from content.search import SearchIndex

    db = Database(settings.database_url)
    if settings.run_migrations if migrate is None else migrate:
        await upgrade(db)
    catalog = load_catalog()
    # Read from disk when already built; after the port opens (bot.warmup) or by the first question.
    search = DeferredIndex(functools.partial(SearchIndex.from_catalog, catalog, settings.cache_path))
    return Services(settings=settings, db=db, catalog=catalog, search=search)


def build_runtime(services: Services, *, with_platforms: bool = True) -> Runtime:
    """Router, dispatcher, channels and features, wired once."""
    from handlers import build_router

    settings = services.settings
    rt = Runtime(settings, services, Dispatcher(services, build_router()))
    web_chat = WebChatChannel(rt.dispatcher)
    rt.add_channel(web_chat)
    rt.routes.extend(web_chat.routes())
    services.forget_hooks.append(forget_inbox)
    if with_platforms and settings.telegram_bot_token is not None:
        from bot.channels.telegram import TelegramChannel

        tg = TelegramChannel(settings, rt.dispatcher, on_fatal=rt.fail)
        rt.add_channel(tg)
        if tg.webhook_path:
            rt.routes.append(web.post(tg.webhook_path, tg.webhook))
    for path in FEATURES:
        module: Any = importlib.import_module(path)
        module.install(rt)
    return rt


async def create_web_app(
    settings: Settings, *, services: Services | None = None, with_platforms: bool = True
) -> web.Application:
    """The aiohttp app of `hocbot run`: DB → channels → background work start in order, stop in reverse."""
    svc = services or await build_services(settings)
    rt = build_runtime(svc, with_platforms=with_platforms)
    app = web.Application(client_max_size=1024 * 1024)
    app[RUNTIME] = rt
    app.add_routes(rt.routes)

    async def database_ctx(app: web.Application) -> AsyncIterator[None]:
        yield
        if services is None:
            await svc.db.dispose()

    async def channels_ctx(app: web.Application) -> AsyncIterator[None]:
        started: list[Channel] = []
        try:
            for ch in rt.channels.values():
                rt.lifecycle[ch.name] = "starting"
                try:
                    await ch.start()
                except BaseException:
                    rt.lifecycle[ch.name] = "failed"
                    raise
                rt.lifecycle[ch.name] = "ok"
                started.append(ch)
                log.info("channel %s started", ch.name)
            yield
        finally:
            rt.stopping = True
            for ch in reversed(started):
                await ch.stop()

    async def background_ctx(app: web.Application) -> AsyncIterator[None]:
        entered: list[AbstractAsyncContextManager[None]] = []
        try:
            for factory in rt.background:
                manager = factory(rt)
                await manager.__aenter__()
                entered.append(manager)
            yield
        finally:
            for manager in reversed(entered):
                await manager.__aexit__(None, None, None)

    app.cleanup_ctx.extend([database_ctx, channels_ctx, background_ctx])
    return app


RUNTIME = web.AppKey("runtime", Runtime)
