"""Mô hình học tập in the dashboard: the roll-up of the officer's places, the units with their evidence, the
decisions (confirm / return with a reason / recognise: the same `service.decide` as /duyetmohinh in chat) and
the CSV a commune sends upward. The queries are the feature's own (handlers/learning_models/service.py)."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from bot.core.context import Services
from bot.db.models_learning_models import CONFIRMED, SUBMITTED, LearningUnit
from bot.web.dashboard import exports
from bot.web.dashboard.auth import Dash, web_actor
from bot.web.dashboard.common import Route, audit, field, match_int, query_int, see_other
from bot.web.dashboard.render import not_found, refuse, render
from handlers.learning_models import service
from handlers.learning_models import texts as t
from handlers.officers.scope import place_in_scope

SHOWN = 200
ORDER: dict[str, int] = {SUBMITTED: 0, CONFIRMED: 1}  # waiting for a decision first, then waiting for recognition


def routes(services: Services) -> list[Route]:
    def year_of(request: web.Request) -> int:
        this = services.now().astimezone(services.settings.tz).year
        return query_int(request, "year", this, 2000, 2100)

    async def page(request: web.Request, dash: Dash, errors: list[str] | None = None, status: int = 200,
                   ) -> web.Response:  # fmt: skip
        year = year_of(request)
        catalog = services.catalog
        lm = service.models_of(catalog)
        ms = lm.set_for(year) if lm else None
        names = {m.id: m.name for m in ms.models} if ms else {}
        async with services.db.read_session() as s:
            top = service.roll_up(await service.rollup(s, year, officer=dash.officer))
            units = await service.units_in_scope(s, dash.officer, year, limit=SHOWN)
            units.sort(key=lambda u: (ORDER.get(u.status, 2), u.id or 0))
            rows: list[dict[str, Any]] = []
            for u in units:
                model = service.model_of(catalog, u)
                if model is None:
                    continue
                a = await service.assess(s, catalog, u, model)
                rows.append({"unit": u, "model": model, "a": a, "met": sum(1 for e in a.items if e.met)})
        communes = [(p.name, c.name, c.models) for _, p in sorted(top.parts.items())
                    for _, c in sorted(p.parts.items())]  # fmt: skip
        return render("learning_models.html", dash=dash, active="learning-models", status=status, year=year,
                      names=names, example=bool(ms and ms.example), total=top.models, communes=communes, rows=rows,
                      statuses=t.STATUS, marks=t.MARK, evidence=t.EVIDENCE, errors=errors or [],
                      decidable=service.DECIDABLE)  # fmt: skip

    async def list_page(request: web.Request, dash: Dash) -> web.StreamResponse:
        return await page(request, dash)

    async def decide(request: web.Request, dash: Dash) -> web.StreamResponse:
        action = request.match_info["action"]
        if action not in service.DECIDABLE:
            return not_found(dash)
        unit_id = match_int(request)
        reason = field(await request.post(), "reason", 1000)
        if action == "return" and not 3 <= len(reason) <= service.REASON_MAX:
            return await page(request, dash, [t.BAD_REASON], 400)
        async with services.db.session() as s:
            unit = await s.get(LearningUnit, unit_id)
            if unit is None:
                return not_found(dash)
            year = unit.year
            if not place_in_scope(dash.officer, unit.province, unit.commune):
                return await refuse(s, dash, f"dashboard.mohinh.{action}", {"unit": unit_id})
            await service.decide(s, dash.officer, unit, action, services.now(), reason if action == "return" else "",
                                 catalog=services.catalog, actor=web_actor(dash.officer))  # fmt: skip
        pacer = services.extras.get("pacer")
        if pacer is not None:  # after the commit: the registrant's message is queued now
            pacer.wake()
        raise see_other(f"/dashboard/learning-models?year={year}#unit-{unit_id}")

    async def export(request: web.Request, dash: Dash, kind: str) -> web.StreamResponse:
        """One row per unit in scope, the shape a commune sends upward: CSV (UTF-8 BOM) or XLSX."""
        year = year_of(request)
        async with services.db.read_session() as s:
            rows = await service.export_rows(s, services.catalog, year, None, dash.settings.tz, dash.officer)
        async with services.db.session() as s:
            await audit(s, dash, "dashboard.mohinh.export", {"year": year, "rows": len(rows), "format": kind})
        name = f"mohinh-{year}-{services.now().astimezone(dash.settings.tz).date().isoformat()}.{kind}"
        headers = {"Cache-Control": "no-store", "Content-Disposition": f'attachment; filename="{name}"'}
        if kind == "csv":
            body = exports.csv_chunk(rows, header=True, columns=service.EXPORT_HEADER)
            return web.Response(body=body, headers={"Content-Type": "text/csv; charset=utf-8", **headers})
        body = await asyncio.to_thread(exports.to_xlsx, rows, f"Mo hinh hoc tap {year}", service.EXPORT_HEADER,
                                       service.EXPORT_WIDTHS)  # fmt: skip
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return web.Response(body=body, headers={"Content-Type": ctype, **headers})

    async def export_csv(request: web.Request, dash: Dash) -> web.StreamResponse:
        return await export(request, dash, "csv")

    async def export_xlsx(request: web.Request, dash: Dash) -> web.StreamResponse:
        return await export(request, dash, "xlsx")

    return [
        ("GET", "/dashboard/learning-models", list_page),
        ("GET", "/dashboard/learning-models/export.csv", export_csv),
        ("GET", "/dashboard/learning-models/export.xlsx", export_xlsx),
        ("POST", "/dashboard/learning-models/{id}/{action}", decide),
    ]

