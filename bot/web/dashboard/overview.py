"""Overview: numbers per unit within the officer's scope, and charts over time (server-side SVG)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from aiohttp import web
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.context import Services
from bot.db.models import Group
from bot.web.dashboard import charts, stats
from bot.web.dashboard.auth import Dash
from bot.web.dashboard.cache import cache_of
from bot.web.dashboard.common import Route, match_int
from bot.web.dashboard.render import not_found, refuse, render
from handlers.officers import audience
from handlers.officers.scope import CLI_ADMIN, OfficerInfo, group_in_scope, groups_in_scope


def cards(n: Counter[str]) -> list[dict[str, Any]]:
    """The headline numbers, in the order officers read them."""
    rate = f"{round(100 * n['passed'] / n['quizzes'])}%" if n["quizzes"] else "—"
    asked = n["answered"] + n["unanswered"]
    return [
        {"id": "stat-subscribers", "label": "Người nhận tin", "value": n["subscribers"],
         "hint": "đang nhận tin, mỗi người tính một lần"},
        {"id": "stat-active", "label": "Học trong tuần", "value": n["active"], "hint": "từ thứ Hai"},
        {"id": "stat-completed", "label": "Học xong mô-đun", "value": n["completed"],
         "hint": "đọc hết bài và đạt bài kiểm tra, như /tiendo"},
        {"id": "stat-pass-rate", "label": "Tỉ lệ đạt bài kiểm tra", "value": rate,
         "hint": f"{n['passed']}/{n['quizzes']} lượt"},
        {"id": "stat-answered", "label": "Câu hỏi đã trả lời", "value": n["answered"],
         "hint": f"{stats.share(n['answered'], asked)}% số câu hỏi (không tính câu bị 👎)"},
        {"id": "stat-unanswered", "label": "Câu hỏi chưa trả lời được", "value": n["unanswered"],
         "hint": "kể cả câu trả lời bị 👎; chờ cán bộ bổ sung"},
    ]  # fmt: skip


async def chart_pair(s: AsyncSession, services: Services, cond: Any, now: dt.datetime) -> dict[str, Any]:
    """Subscribers per week (line) and completions per module (bars), for the users matching `cond`."""
    weeks = await stats.subscribers_per_week(s, cond, now, services.settings.tz)
    done = await stats.completions_per_module(s, cond)
    modules = list(getattr(services.catalog, "modules", []))
    bars = [(f"{m.order}. {m.title}", done.get(m.id, 0)) for m in modules]
    return {
        "chart_subscribers": charts.line_chart(
            [(d.strftime("%d/%m"), v) for d, v in weeks], "Người đăng ký theo tuần (tích lũy, tuần bắt đầu thứ Hai)"
        ),
        "chart_completions": charts.bar_chart(bars, "Lượt học xong theo mô-đun (đọc hết bài và đạt bài kiểm tra)"),
    }


def scope_key(officer: OfficerInfo) -> tuple[Any, ...]:
    """Officers with the same scope see the same numbers: they share one cached computation."""
    return ("admin",) if officer.is_admin else ("scope", tuple(sorted(officer.scopes)))


def overview_key(officer: OfficerInfo) -> tuple[Any, ...]:
    return ("overview", *scope_key(officer))


async def learning_model_charts(s: AsyncSession, services: Services, officer: OfficerInfo, now: dt.datetime,
                                ) -> dict[str, Any]:  # fmt: skip
    """This year's learning models in the officer's places: units registered and recognised per model (bars); a
    recognised bar names its rate where the households were entered (`rates.rate_text`, like every surface)."""
    from handlers.learning_models import rates, service

    year = now.astimezone(services.settings.tz).year
    lm = service.models_of(services.catalog)
    ms = lm.set_for(year) if lm else None
    if ms is None:
        return {}
    dens = await rates.denominators(s, year, officer=officer)
    top = service.roll_up(await service.rollup(s, year, officer=officer), "", dens)
    registered, recognised = [], []
    for m in ms.models:
        t = top.models.get(m.id) or service.Tally()
        registered.append((m.name, t.registered))
        d = top.denominators.get(m.id)
        recognised.append((f"{m.name} ({top.rate_text(m.id)} của {d})" if d else m.name, t.recognised))
    title = f"Đơn vị được công nhận năm {year} (tỉ lệ nếu đã nhập số hộ/đơn vị)"
    return {
        "lm_year": year,
        "chart_lm_registered": charts.bar_chart(registered, f"Đơn vị đăng ký mô hình học tập năm {year}"),
        "chart_lm_recognised": charts.bar_chart(recognised, title),
    }


async def overview_numbers(services: Services, officer: OfficerInfo) -> dict[str, Any]:
    """Totals, one row per unit in scope, and the charts (read-only: no SQLite write lock while counting)."""
    now = services.now()
    async with services.db.read_session() as s:
        groups = await groups_in_scope(s, officer)
        rows = await stats.overview(s, services.settings, officer, groups, now)
        ids = None if officer.is_admin else [g.id for g in groups if g.id is not None]
        cond = await stats.scope_condition(s, officer, ids)
        pair = await chart_pair(s, services, cond, now)
        lm = await learning_model_charts(s, services, officer, now)
    return {"total": rows[0], "units": rows[1:], **pair, **lm}


async def group_numbers(services: Services, gid: int) -> dict[str, Any]:
    now = services.now()
    async with services.db.read_session() as s:
        cond = await audience.groups_condition(s, [gid])
        n = await stats.totals(s, cond, stats.monday_of(services.settings, now))
        recipients = await audience.count_people(s, [gid])
        pair = await chart_pair(s, services, cond, now)
    return {"n": n, "recipients": recipients, **pair}


async def warm_admin(services: Services) -> None:
    """At start-up: the admin overview (the heaviest page) into the cache before anyone asks, kept warm since."""
    cache, key = cache_of(services), overview_key(CLI_ADMIN)
    cache.pinned.add(key)
    await cache.get(key, lambda: overview_numbers(services, CLI_ADMIN))


def routes(services: Services) -> list[Route]:
    async def overview_page(request: web.Request, dash: Dash) -> web.StreamResponse:
        officer = dash.officer
        data, at = await cache_of(services).get(overview_key(officer), lambda: overview_numbers(services, officer))
        total = data["total"]
        return render("overview.html", dash=dash, active="overview", cards=cards(total.n), computed_at=at,
                      open_questions=total.n.get("open_questions"), **data)  # fmt: skip

    async def group_page(request: web.Request, dash: Dash) -> web.StreamResponse:
        gid = match_int(request)
        async with services.db.session() as s:
            group = await s.get(Group, gid)
            if group is None:
                return not_found(dash)
            if not group_in_scope(dash.officer, group):
                return await refuse(s, dash, "dashboard.group", {"group_id": gid})
        data, at = await cache_of(services).get(("group", gid), lambda: group_numbers(services, gid))
        return render("group.html", dash=dash, active="overview", group=group, cards=cards(data["n"]),
                      computed_at=at, **data)  # fmt: skip

    return [
        ("GET", "/dashboard/", overview_page),
        ("GET", "/dashboard/groups/{id}", group_page),
    ]
