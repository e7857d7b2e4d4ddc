"""Campaigns: the list (next fire, last fire, counts), create with every schedule kind the CLI has, pause,
resume, delete, and the Week plan in one click (handlers/week/campaign_store.py does the work)."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.callback import parse_int
from bot.core.context import Services
from bot.db.models import Group
from bot.db.models_campaigns import Campaign, CampaignKind
from bot.web.dashboard import stats
from bot.web.dashboard.auth import Dash
from bot.web.dashboard.broadcasts import button_options
from bot.web.dashboard.campaign_stats import campaign_rows
from bot.web.dashboard.common import (
    Form,
    Route,
    audit,
    chosen_groups,
    field,
    match_int,
    scoped_groups,
    see_other,
)
from bot.web.dashboard.render import not_found, refuse, render
from handlers.officers import outbox
from handlers.officers.audience import load_groups
from handlers.officers.scope import OfficerInfo, all_groups, allowed_groups, selection_in_scope
from handlers.week import campaign_store as store
from handlers.week.chat import WEEK_GROUP, week_group
from handlers.week.schedule import week_of

KIND_LABELS = {
    "once": "Một lần, vào ngày giờ đã chọn",
    "cron": "Lặp lại theo lịch (cron)",
    "week": "Theo Tuần lễ học tập (số ngày so với 1/10)",
    "joined": "N ngày sau khi người dùng đăng ký",
    "inactive": "Sau N ngày người dùng không hoạt động",
}
E_NUMBER = "“{name}” phải là một số nguyên từ {lo} đến {hi}."


async def campaign_to(s: AsyncSession, c: Campaign) -> str:
    sel = load_groups(c.groups)
    return "Tất cả người đăng ký" if sel == "all" else await store.group_names(s, sel)


def visible(officer: OfficerInfo, c: Campaign, groups: dict[int, Group]) -> bool:
    if officer.is_admin or c.created_by == officer.actor:
        return True
    return selection_in_scope(officer, load_groups(c.groups), groups)


BOUNDS = {"year": (2000, 2100), "hour": (0, 23), "minute": (0, 59), "offset_days": (-366, 366)}


def _int(form: Form, name: str, default: int, errors: list[str]) -> int:
    raw = field(form, name, 40)
    if not raw:
        return default
    lo, hi = BOUNDS.get(name, (-(2**31), 2**31 - 1))
    value = parse_int(raw, lo=lo, hi=hi)
    if value is None:
        errors.append(E_NUMBER.format(name=name, lo=lo, hi=hi))
        return default
    return value


def schedule_fields(form: Form, kind: str, errors: list[str], settings: Any) -> dict[str, Any]:
    """The Campaign columns of one schedule kind, from the form (the CLI's --at/--cron/--week-offset/…)."""
    button = field(form, "button", 80) or None
    if kind == CampaignKind.ONCE:
        try:
            return {"at": store.parse_local(field(form, "at", 40), settings), "button": button}
        except store.CampaignError as exc:
            errors.append(str(exc))
            return {}
    if kind == CampaignKind.CRON:
        return {"cron": field(form, "cron", 120), "button": button}
    out: dict[str, Any] = {"offset_days": _int(form, "offset_days", 0, errors), "hour": _int(form, "hour", 8, errors),
                           "minute": _int(form, "minute", 0, errors), "button": button}  # fmt: skip
    if kind == CampaignKind.WEEK and field(form, "year", 8):
        out["year"] = _int(form, "year", 0, errors)
    return out


def coming_year(services: Services) -> int:
    return week_of(services.now().astimezone(services.settings.tz).date())[0].year


def routes(services: Services) -> list[Route]:
    async def form_page(dash: Dash, values: dict[str, Any], errors: list[str], status: int = 200) -> web.Response:
        async with services.db.session() as s:
            groups = stats.order_units(await scoped_groups(s, dash))
        return render("campaign_new.html", dash=dash, active="campaigns", status=status, v=values, errors=errors,
                      groups=groups, kinds=KIND_LABELS, buttons=button_options(services.catalog))  # fmt: skip

    async def list_page(request: web.Request, dash: Dash) -> web.StreamResponse:
        async with services.db.session() as s:
            groups = await all_groups(s)
            mine = [c for c in (await s.exec(select(Campaign))).all() if visible(dash.officer, c, groups)]
            summaries = await campaign_rows(s, dash.settings, services.now(), mine, groups, services.catalog.week)
            own = stats.order_units(await scoped_groups(s, dash))
        return render("campaigns.html", dash=dash, active="campaigns", rows=summaries, groups=own,
                      year=coming_year(services), week_group=WEEK_GROUP)  # fmt: skip

    async def new_page(request: web.Request, dash: Dash) -> web.StreamResponse:
        return await form_page(dash, {"kind": "once", "hour": 8, "minute": 0}, [])

    async def create(request: web.Request, dash: Dash) -> web.StreamResponse:
        form = await request.post()
        names = ("name", "text", "kind", "at", "cron", "offset_days", "hour", "minute", "year", "button")
        values: dict[str, Any] = {k: field(form, k) for k in names}
        sel = values["sel"] = chosen_groups(form)
        errors: list[str] = []
        kind = values["kind"] if values["kind"] in KIND_LABELS else "once"
        fields = schedule_fields(form, kind, errors, dash.settings)
        if not sel:
            errors.append("Hãy chọn ít nhất một nhóm nhận nhắc.")
        if errors:
            return await form_page(dash, values, errors, 400)
        async with services.db.session() as s:
            chosen = await allowed_groups(s, dash.officer, sel)
            if chosen is None:
                return await refuse(s, dash, "dashboard.campaign.add", {"groups": sel})
            name = values["name"][:160] or values["text"][:40]
            try:
                c = await store.add_campaign(s, dash.settings, services.now(), name=name, to=sel,
                                             text=values["text"], kind=kind, created_by=dash.officer.actor,
                                             **fields)  # fmt: skip
            except store.CampaignError as exc:
                errors.append(str(exc))
            else:
                await audit(s, dash, "dashboard.campaign.add", {"campaign_id": c.id, "to": sel, "kind": kind})
        if errors:
            return await form_page(dash, values, errors, 400)
        raise see_other("/dashboard/campaigns")

    async def change(request: web.Request, dash: Dash, action: str) -> web.StreamResponse:
        async with services.db.session() as s:
            c = await s.get(Campaign, match_int(request))
            if c is None:
                return not_found(dash)
            if not visible(dash.officer, c, await all_groups(s)):
                return await refuse(s, dash, f"dashboard.campaign.{action}", {"campaign_id": c.id})
            if action == "delete":
                await store.remove_campaign(s, c.id or 0)
            else:
                c.paused = action == "pause"
                s.add(c)
            await audit(s, dash, f"dashboard.campaign.{action}", {"campaign_id": c.id})
        raise see_other("/dashboard/campaigns")

    async def editable(s: AsyncSession, request: web.Request, dash: Dash) -> Campaign | web.Response:
        c = await s.get(Campaign, match_int(request))
        if c is None:
            return not_found(dash)
        if not visible(dash.officer, c, await all_groups(s)):
            return await refuse(s, dash, "dashboard.campaign.edit", {"campaign_id": c.id})
        return c

    async def edit_form(s: AsyncSession, dash: Dash, c: Campaign, values: dict[str, Any], errors: list[str]
                        ) -> web.Response:  # fmt: skip
        return render("campaign_edit.html", dash=dash, active="campaigns", status=400 if errors else 200, c=c,
                      v=values, errors=errors, schedule=store.describe(c),
                      to=await campaign_to(s, c))

    async def edit_page(request: web.Request, dash: Dash) -> web.StreamResponse:
        async with services.db.session() as s:
            c = await editable(s, request, dash)
            if isinstance(c, web.Response):
                return c
            values = {"name": c.name, "text": c.text, "hour": c.hour, "minute": c.minute}
            return await edit_form(s, dash, c, values, [])

    async def edit(request: web.Request, dash: Dash) -> web.StreamResponse:
        form = await request.post()
        values: dict[str, Any] = {k: field(form, k) for k in ("name", "text", "hour", "minute")}
        async with services.db.session() as s:
            c = await editable(s, request, dash)
            if isinstance(c, web.Response):
                return c
            errors: list[str] = []
            hour, minute = _int(form, "hour", c.hour, errors), _int(form, "minute", c.minute, errors)
            if not errors:
                try:
                    store.edit_campaign(c, text=values["text"], name=values["name"], hour=hour, minute=minute)
                except store.CampaignError as exc:
                    errors.append(str(exc))
            if errors:
                return await edit_form(s, dash, c, values, errors)
            s.add(c)
            await audit(s, dash, "dashboard.campaign.edit", {"campaign_id": c.id})
        raise see_other("/dashboard/campaigns")

    async def pause(request: web.Request, dash: Dash) -> web.StreamResponse:
        return await change(request, dash, "pause")

    async def resume(request: web.Request, dash: Dash) -> web.StreamResponse:
        return await change(request, dash, "resume")

    async def delete(request: web.Request, dash: Dash) -> web.StreamResponse:
        return await change(request, dash, "delete")

    async def week_plan(request: web.Request, dash: Dash) -> web.StreamResponse:
        form = await request.post()
        errors: list[str] = []
        year = _int(form, "year", coming_year(services), errors)
        if errors:
            return render("message.html", dash=dash, active="campaigns", status=400, title="Chưa tạo được",
                          message=" ".join(errors), back="/dashboard/campaigns")  # fmt: skip
        target = field(form, "group", 20) or WEEK_GROUP
        async with services.db.session() as s:
            if target == WEEK_GROUP:
                group: Group | None = await week_group(s)
            elif target == "all":
                group = None
            else:
                gid = parse_int(target, lo=1)
                group = await s.get(Group, gid) if gid is not None else None
                if group is None:
                    return not_found(dash)
            sel: outbox.GroupSel = "all" if group is None else [group.id or 0]
            if await allowed_groups(s, dash.officer, sel) is None:
                return await refuse(s, dash, "dashboard.campaign.week_plan", {"group": target, "year": year})
            try:
                made = await store.week_plan(s, dash.settings, services.now(), services.catalog.week, year, sel,
                                             created_by=dash.officer.actor)  # fmt: skip
            except store.CampaignError as exc:
                errors.append(str(exc))
            else:
                await audit(s, dash, "dashboard.campaign.week_plan", {"year": year, "to": sel,
                                                                      "campaigns": [c.id for c in made]})
        if errors:
            return render("message.html", dash=dash, active="campaigns", status=400, title="Chưa tạo được",
                          message=" ".join(errors), back="/dashboard/campaigns")  # fmt: skip
        raise see_other("/dashboard/campaigns")

    return [
        ("GET", "/dashboard/campaigns", list_page),
        ("GET", "/dashboard/campaigns/new", new_page),
        ("POST", "/dashboard/campaigns/new", create),
        ("POST", "/dashboard/campaigns/week-plan", week_plan),
        ("GET", "/dashboard/campaigns/{id}/edit", edit_page),
        ("POST", "/dashboard/campaigns/{id}/edit", edit),
        ("POST", "/dashboard/campaigns/{id}/pause", pause),
        ("POST", "/dashboard/campaigns/{id}/resume", resume),
        ("POST", "/dashboard/campaigns/{id}/delete", delete),
    ]
