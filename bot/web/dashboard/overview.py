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
from bot.web.dashboard.summary import keeper_of
from handlers.officers import audience
from handlers.officers.scope import OfficerInfo, group_in_scope, groups_in_scope


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


def chart_pair(services: Services, n: Counter[str], weeks: stats.Weeks) -> dict[str, Any]:
    """Subscribers per week (line) and completions per module (bars), from a unit's numbers."""
    points = stats.series(n, weeks, services.settings.tz)
    done = stats.per_module(n)
    modules = list(getattr(services.catalog, "modules", []))
    bars = [(f"{m.order}. {m.title}", done.get(m.id, 0)) for m in modules]
    return {
        "chart_subscribers": charts.line_chart(
            [(d.strftime("%d/%m"), v) for d, v in points], "Người đăng ký theo tuần (tích lũy, tuần bắt đầu thứ Hai)"
        ),
        "chart_completions": charts.bar_chart(bars, "Lượt học xong theo mô-đun (đọc hết bài và đạt bài kiểm tra)"),
    }


def scope_key(officer: OfficerInfo) -> tuple[Any, ...]:
    """Officers with the same scope see the same numbers: they share one cached computation."""
    return ("admin",) if officer.is_admin else ("scope", tuple(sorted(officer.scopes)))


def overview_key(officer: OfficerInfo) -> tuple[Any, ...]:
    return ("overview", *scope_key(officer))


def _named(groups: list[Group]) -> list[int]:
    return [g.id for g in groups if g.kind != "locality" and g.id is not None]


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
    """Totals, one row per unit in scope, and the charts: added up from the stored numbers (summary.py); a scope
    with named groups beside places is totalled live, since its people may be counted in both."""
    async with services.db.read_session() as s:
        groups = await groups_in_scope(s, officer)
        lowered = await stats.lowered_communes(s, groups)
        question_count = await stats.open_questions(s) if officer.is_admin else None
        lm = await learning_model_charts(s, services, officer, services.now())
    named = _named(groups)
    provinces = None if officer.is_admin else sorted({g.province for g in groups if g.province})
    summary = await keeper_of(services).get(provinces, named)
    numbers, weeks, at = summary.numbers(lowered), summary.weeks, summary.computed_at
    if officer.is_admin:
        total = numbers.everyone()
    elif not named:  # places are disjoint buckets: each person counted once even if units overlap
        total = numbers.places_of(groups)
    else:
        total, weeks, at = await _live_total(services, groups)
    rows = stats.unit_rows(groups, numbers, total, officer.is_admin)
    if question_count is not None:
        total["open_questions"] = question_count
    return {"total": rows[0], "units": rows[1:], "computed_at": at, **chart_pair(services, total, weeks), **lm}


async def _live_total(services: Services, groups: list[Group]) -> tuple[Counter[str], stats.Weeks, dt.datetime]:
    """Everyone in these units, each person once (named groups overlap places and each other)."""
    key = ("scope-total", tuple(sorted(g.id for g in groups if g.id is not None)))

    async def count() -> tuple[Counter[str], stats.Weeks]:
        weeks = stats.weeks_of(services.settings, services.now())
        async with services.db.read_session() as s:
            cond = await audience.groups_condition(s, [g.id for g in groups if g.id is not None])
            return await stats.live_numbers(s, weeks, cond), weeks

    (total, weeks), at = await cache_of(services).get(key, count)
    return Counter(total), weeks, at


async def group_numbers(services: Services, group: Group) -> dict[str, Any]:
    """One unit's numbers; its recipients are its “subscribers” (the same number as its overview row)."""
    async with services.db.read_session() as s:
        lowered = await stats.lowered_communes(s, [group])
    named = _named([group])
    summary = await keeper_of(services).get([group.province] if group.province and not named else [], named)
    n = summary.numbers(lowered).unit(group)
    return {"n": n, "recipients": n["subscribers"], "computed_at": summary.computed_at,
            **chart_pair(services, n, summary.weeks)}  # fmt: skip


def routes(services: Services) -> list[Route]:
    async def overview_page(request: web.Request, dash: Dash) -> web.StreamResponse:
        officer = dash.officer
        data = await overview_numbers(services, officer)
        total = data["total"]
        return render("overview.html", dash=dash, active="overview", cards=cards(total.n),
                      open_questions=total.n.get("open_questions"), **data)  # fmt: skip

    async def group_page(request: web.Request, dash: Dash) -> web.StreamResponse:
        gid = match_int(request)
        async with services.db.session() as s:
            group = await s.get(Group, gid)
            if group is None:
                return not_found(dash)
            if not group_in_scope(dash.officer, group):
                return await refuse(s, dash, "dashboard.group", {"group_id": gid})
        data = await group_numbers(services, group)
        return render("group.html", dash=dash, active="overview", group=group, cards=cards(data["n"]), **data)

    return [
        ("GET", "/dashboard/", overview_page),
        ("GET", "/dashboard/groups/{id}", group_page),
    ]
