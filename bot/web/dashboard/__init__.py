"""The officers' web dashboard, served by `hocbot run` under /dashboard (Vietnamese pages, own static files).

`dashboard_app` is the sub-app bot/app.py mounts. Login: a one-time link (`/web` in chat, `hocbot officer login-link`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp_session
from aiohttp import web
from aiohttp_session import get_session

from bot.core.context import Services
from bot.core.tasks import running
from bot.db import repo
from bot.web.dashboard import (
    auth,
    broadcasts,
    campaigns,
    content_pages,
    contests,
    initiatives,
    learning_models,
    overview,
    questions,
)
from bot.web.dashboard.cache import cache_of
from bot.web.dashboard.render import render
from bot.web.dashboard.summary import keeper_of
from bot.web.http import client_ip, too_many

log = logging.getLogger(__name__)
# aiohttp-session keys its request storage by string; aiohttp's advice to use RequestKey is for that library.
warnings.filterwarnings("ignore", message="It is recommended to use web.RequestKey", module="aiohttp_session")
WARM_EVERY_SECONDS = 5.0
WARM_DELAY_SECONDS = 30.0
PREFIX = "/dashboard"
STATIC = Path(__file__).resolve().parent / "static"
STATIC_FILES = {"dashboard.css": "text/css", "dashboard.js": "application/javascript"}
RouteFn = Callable[[web.Request], Awaitable[web.StreamResponse]]


def login_routes(services: Services) -> list[tuple[str, str, RouteFn]]:
    async def login_help(request: web.Request) -> web.Response:
        return render("login.html", state="help")

    def throttled(request: web.Request) -> bool:
        """An address that tried too many wrong links waits: guessing is slowed to a crawl (a good link costs
        nothing, so a shared office address is not locked out by its officers)."""
        return services.throttles.login_ip.exhausted(client_ip(request, services.settings))

    def wrong_link(request: web.Request) -> None:
        services.throttles.login_ip.allow(client_ip(request, services.settings))

    async def login_page(request: web.Request) -> web.Response:
        token = request.match_info["token"]
        if throttled(request):
            return too_many(json=False)
        async with services.db.session() as s:
            row = await auth.peek_token(s, token, services.now())
        if row is None:
            wrong_link(request)
            return render("login.html", state="invalid", status=403)
        return render("login.html", state="ready", token=token)

    async def login_post(request: web.Request) -> web.Response:
        token = request.match_info["token"]
        if throttled(request):
            return too_many(json=False)
        async with services.db.session() as s:
            row = await auth.consume_token(s, token, services.now())
            actor = f"{row.channel}:{row.external_id}" if row else "web:anonymous"
            await repo.audit(s, f"web:{actor}", "dashboard.login", {"ok": row is not None}, allowed=row is not None)
        if row is None:
            wrong_link(request)
            return render("login.html", state="invalid", status=403)
        await auth.start_session(request, row)
        raise web.HTTPSeeOther("/dashboard/")

    page = auth.page(services)

    @page
    async def logout(request: web.Request, dash: auth.Dash) -> web.Response:
        async with services.db.session() as s:
            await repo.audit(s, auth.web_actor(dash.officer), "dashboard.logout")
            await auth.end_session(s, await get_session(request), services.now())
        raise web.HTTPSeeOther("/dashboard/login")

    return [
        ("GET", "/dashboard/login", login_help),
        ("GET", "/dashboard/login/{token}", login_page),
        ("POST", "/dashboard/login/{token}", login_post),
        ("POST", "/dashboard/logout", logout),
    ]


async def static_file(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    if name not in STATIC_FILES:
        raise web.HTTPNotFound()
    return web.FileResponse(STATIC / name, headers={"Cache-Control": "public, max-age=3600",
                                                    "Content-Type": STATIC_FILES[name]})


def dashboard_app(services: Services) -> web.Application:
    """The dashboard as an aiohttp sub-app mounted at /dashboard: its own session middleware
    (aiohttp_session, encrypted cookie) and its pages; `auth.page` checks the officer and the CSRF token."""
    app = web.Application()
    aiohttp_session.setup(app, auth.LazyCookieStorage(auth.cookie_storage(services.settings)))
    page = auth.page(services)
    routes: list[tuple[str, str, Any]] = login_routes(services)
    for module in (overview, broadcasts, campaigns, questions, learning_models, contests, initiatives, content_pages):
        routes += [(m, p, page(fn)) for m, p, fn in module.routes(services)]
    for method, path, fn in routes:
        app.router.add_route(method, path.removeprefix(PREFIX), fn)
    return app


def outer_routes() -> list[web.RouteDef]:
    """Outside the sub-app: /dashboard without its slash, and the pages' static files."""
    return [web.get(PREFIX, _to_slash), web.get("/static/dashboard/{name}", static_file)]


async def _to_slash(request: web.Request) -> web.Response:
    raise web.HTTPMovedPermanently(PREFIX + "/")


@contextlib.asynccontextmanager
async def background(services: Services) -> AsyncIterator[None]:
    """Soon after start: the content check, then the stored per-unit numbers refreshed whenever due (summary.py;
    the first view computes them if none are stored yet) and the numbers requested recently recomputed shortly
    before they expire (bot/web/dashboard/cache.py); start-up does not wait for any of it. At shutdown both stop
    their refreshes, before the database goes away."""
    try:
        async with running(_warm(services)):
            yield
    finally:
        await cache_of(services).close()
        await keeper_of(services).close()


async def _warm(services: Services) -> None:
    await asyncio.sleep(WARM_DELAY_SECONDS)  # after start-up work
    try:
        await content_pages.validation(services)
    except Exception:
        log.exception("dashboard: computing the content check at start-up failed")
    await asyncio.gather(keeper_of(services).keep_fresh(), cache_of(services).keep_warm(WARM_EVERY_SECONDS))
