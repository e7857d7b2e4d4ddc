"""Helpers shared by the dashboard pages: scope checks on groups, form parsing, audit shortcuts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from multidict import MultiDictProxy
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.callback import parse_int
from bot.db import repo
from bot.db.models import Group
from bot.web.dashboard.auth import Dash, web_actor
from handlers.officers import outbox
from handlers.officers.scope import groups_in_scope

PageFn = Callable[[web.Request, Dash], Awaitable[web.StreamResponse]]
Route = tuple[str, str, PageFn]
Form = MultiDictProxy[Any]


def match_int(request: web.Request, name: str = "id") -> int:
    """A numeric path part; anything else (or a number no row can have) is a 404, never a 500."""
    value = parse_int(request.match_info.get(name, ""), lo=1)
    if value is None:
        raise web.HTTPNotFound()
    return value


def query_int(request: web.Request, name: str, default: int = 1, lo: int = 1, hi: int = 1_000_000) -> int:
    value = parse_int(request.query.get(name, ""))
    return default if value is None else max(lo, min(hi, value))


def field(form: Form, name: str, limit: int = 4000) -> str:
    """A trimmed form value; a textarea's CR LF (what browsers send) becomes a plain new line."""
    value = form.get(name, "")
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()[:limit] if isinstance(value, str) else ""


def chosen_groups(form: Form) -> outbox.GroupSel:
    """Checked group boxes (`name="group"`): a list of ids, or "all" when that box is checked."""
    values = [v for v in form.getall("group", []) if isinstance(v, str)]
    if "all" in values:
        return "all"
    return sorted({n for v in values if (n := parse_int(v, lo=1)) is not None})


async def scoped_groups(s: AsyncSession, dash: Dash) -> list[Group]:
    return await groups_in_scope(s, dash.officer)


async def audit(s: AsyncSession, dash: Dash, action: str, detail: object = "") -> None:
    await repo.audit(s, web_actor(dash.officer), action, detail)


def group_label(groups: list[Group], sel: outbox.GroupSel) -> str:
    if sel == "all":
        return "Tất cả người đăng ký"
    return ", ".join(g.title or g.name for g in groups) or "—"


def see_other(url: str) -> web.HTTPSeeOther:
    return web.HTTPSeeOther(url)
