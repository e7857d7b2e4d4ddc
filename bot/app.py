"""The composition root: the one place that builds services, channels, routes and background work, and
starts and stops them in order. Every entry point goes through here: `hocbot run` (`create_web_app`), every
CLI command and bench (`open_services`), the tests (both)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiohttp import web

from bot.channels.base import Channel, ChannelState
from bot.channels.webchat import WebChatChannel, forget_inbox
from bot.core.context import Services
from bot.core.dispatcher import Dispatcher
from bot.db.engine import Database
from bot.db.migrate import upgrade
from bot.settings import Settings

if TYPE_CHECKING:
    from scheduler.pacer import Pacer
    from scheduler.runner import CampaignScheduler

log = logging.getLogger(__name__)

Background = Callable[["Runtime"], AbstractAsyncContextManager[None]]


@dataclass(eq=False)
class Runtime:
    """Everything `hocbot run` (and the tests) wire together, in one visible place."""

    settings: Settings
    services: Services
    dispatcher: Dispatcher
    pacer: Pacer
    channels: dict[str, Channel] = field(default_factory=dict)
    routes: list[web.RouteDef] = field(default_factory=list)
    background: list[Background] = field(default_factory=list)
    lifecycle: dict[str, ChannelState] = field(default_factory=dict)  # set by the app's start/stop
    campaign_scheduler: CampaignScheduler | None = None  # while `hocbot run` runs campaigns
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


# -- services: what every entry point needs --------------------------------------------------------------------
async def build_services(settings: Settings, *, migrate: bool | None = None) -> Services:
    """DB (migrated), content, search index and the answer service, with the hooks the core calls."""
    from content.catalog import shipped_catalog
    from content.deferred_index import DeferredIndex
    from content.search import SearchIndex
    from handlers.answers.service import build_service
    from handlers.contests.service import record_poll as record_contest_poll
    from handlers.learning.quiz_service import sent_polls

    db = Database(settings.database_url)
    if settings.run_migrations if migrate is None else migrate:
        await upgrade(db)
    catalog = shipped_catalog()
    # Read from disk when already built; after the port opens (bot.warmup) or by the first question.
    search = DeferredIndex(functools.partial(SearchIndex.from_catalog, catalog, settings.cache_path))
    services = Services(settings=settings, db=db, catalog=catalog, search=search,
                        answers=build_service(settings, catalog, search))  # fmt: skip
    if services.answers.llm is not None:
        services.answers.llm.metrics = services.metrics

    async def poll_sent(user_id: int, attempt_ref: str, poll_id: str) -> None:
        if not attempt_ref.startswith("c:"):  # a learning quiz's question: written with the others sent meanwhile
            sent_polls(services).add(user_id, attempt_ref, poll_id)
            return
        async with db.session() as s:  # a contest's question (handlers/contests)
            await record_contest_poll(s, user_id, attempt_ref, poll_id)

    services.poll_sent_hooks.append(poll_sent)  # native quiz polls map to their quiz or contest attempt
    services.forget_hooks.append(forget_inbox)  # /xoadulieu: the web chat's inbox (features delete their own)
    return services


async def close_services(services: Services) -> None:
    from handlers.learning.quiz_service import sent_polls

    await sent_polls(services).flush()  # quiz polls sent last, before the database closes
    await services.answers.aclose()
    await services.db.dispose()


@contextlib.asynccontextmanager
async def open_services(settings: Settings, *, migrate: bool | None = None) -> AsyncIterator[Services]:
    """`async with open_services(settings) as services:` — every CLI command and bench; closed on the way out."""
    services = await build_services(settings, migrate=migrate)
    try:
        yield services
    finally:
        await close_services(services)


# -- runtime: channels, routes and background work of `hocbot run` ------------------------------------------------
def build_runtime(services: Services, *, with_platforms: bool = True) -> Runtime:
    """Router, dispatcher, channels, routes and background work, wired once, in the order they start."""
    from bot import startup, warmup
    from bot.channels import zalo_setup
    from bot.web import dashboard, health, verify
    from handlers import build_router
    from handlers.contests import timer as contest_timer
    from scheduler import pacer

    settings = services.settings
    dispatcher = Dispatcher(services, build_router())
    rt = Runtime(settings, services, dispatcher, pacer.build_pacer(services))
    services.yield_hooks.append(rt.pacer.make_room)  # replies go ahead of broadcasts
    services.wake_outbox = rt.pacer.wake

    web_chat = WebChatChannel(dispatcher)
    rt.add_channel(web_chat)
    rt.routes.extend(web_chat.routes())
    if with_platforms and settings.telegram_bot_token is not None:
        from bot.channels.ptb import import_ptb

        import_ptb()  # before the channel's own `import telegram`: without cryptography (8 MB)
        from bot.channels.telegram import TelegramChannel

        tg = TelegramChannel(settings, dispatcher, on_fatal=rt.fail)
        rt.add_channel(tg)
        if tg.webhook_path:
            rt.routes.append(web.post(tg.webhook_path, tg.webhook))
    if with_platforms:
        for channel in zalo_setup.zalo_channels(services, dispatcher, rt.channels):
            rt.add_channel(channel)
            rt.routes.extend(channel.routes())

    rt.routes.append(verify.verify_handler(services))
    rt.routes.extend(health.health_routes(rt))
    rt.routes.extend(dashboard.outer_routes())

    rt.background.append(campaign_work)
    rt.background.append(sending_work)
    rt.background.append(lambda rt: contest_timer.timer_work(rt.services, rt.dispatcher, rt.channels))
    rt.background.append(lambda rt: _answers(rt.services))
    rt.background.append(lambda rt: dashboard.background(rt.services))
    if (db_file := startup.sqlite_file(services.db)) is not None:
        rt.background.append(lambda rt: warmup.watch_sqlite_file(db_file))
    rt.background.append(warmup.warm_search)  # last: the port is open while the search index is read
    return rt


@contextlib.asynccontextmanager
async def sending_work(rt: Runtime) -> AsyncIterator[None]:
    rt.pacer.channels = rt.channels
    await rt.pacer.start()
    try:
        yield
    finally:
        await rt.pacer.stop()


@contextlib.asynccontextmanager
async def campaign_work(rt: Runtime) -> AsyncIterator[None]:
    from scheduler.runner import CampaignScheduler

    async with CampaignScheduler(rt.services) as sched:
        rt.campaign_scheduler = sched
        try:
            yield
        finally:
            rt.campaign_scheduler = None


@contextlib.asynccontextmanager
async def _answers(services: Services) -> AsyncIterator[None]:
    """Officers' approved answers join the index (now and every minute); the LLM client closes at the end."""
    from handlers.answers.store import keep_loaded

    try:
        async with keep_loaded(services):
            yield
    finally:
        await services.answers.aclose()


# -- the web server -------------------------------------------------------------------------------------------
async def create_web_app(
    settings: Settings, *, services: Services | None = None, with_platforms: bool = True
) -> web.Application:
    """The aiohttp app of `hocbot run`: DB → channels → background work start in order, stop in reverse.
    Routes: the web chat and the platforms' webhooks, /verify, health, and the dashboard sub-app."""
    from bot.web import dashboard

    svc = services or await build_services(settings)
    rt = build_runtime(svc, with_platforms=with_platforms)
    app = web.Application(client_max_size=1024 * 1024)
    app[RUNTIME] = rt
    app.add_routes(rt.routes)
    app.add_subapp("/dashboard", dashboard.dashboard_app(svc))

    async def database_ctx(app: web.Application) -> AsyncIterator[None]:
        yield
        if services is None:
            await close_services(svc)

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
        async with contextlib.AsyncExitStack() as stack:
            for factory in rt.background:
                await stack.enter_async_context(factory(rt))
            yield

    app.cleanup_ctx.extend([database_ctx, channels_ctx, background_ctx])
    return app


RUNTIME = web.AppKey("runtime", Runtime)
