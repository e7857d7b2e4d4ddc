"""Mô hình học tập in the dashboard: the roll-up of the officer's places, the units with their evidence, the
decisions (confirm / return with a reason / recognise: the same `service.decide` as /duyetmohinh in chat) and
the CSV a commune sends upward. The queries are the feature's own (handlers/learning_models/service.py)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.core.callback import parse_int
from bot.core.context import Services
from bot.db.models_learning_models import CONFIRMED, SUBMITTED, LearningUnit
from bot.web.dashboard import exports
from bot.web.dashboard.auth import Dash, web_actor
from bot.web.dashboard.common import Route, audit, field, match_int, query_int, see_other
from bot.web.dashboard.render import not_found, refuse, render
from content.provinces import provinces
from handlers.learning_models import rates, service
from handlers.learning_models import texts as t
from handlers.officers.scope import place_in_scope
from handlers.onboarding.communes import known_spelling, normalise_commune

SHOWN = 200
E_DENOMINATOR = "Hãy chọn nơi, mô hình và nhập số hộ/đơn vị (từ 0 đến 10.000.000; 0 là xoá)."
ORDER: dict[str, int] = {SUBMITTED: 0, CONFIRMED: 1}  # waiting for a decision first, then waiting for recognition


def den_places(dash: Dash) -> list[tuple[str, str]]:
    """Where the officer may enter a denominator: (value, label). A province officer: the whole province, or a
    commune typed beside it; a commune officer: their communes."""
    if dash.officer.is_admin:
        return [(f"p:{p.name}", f"{p.name} (cả tỉnh, hoặc gõ xã bên cạnh)") for p in provinces()]
    out = []
    for kind, value in dash.officer.scopes:
        if kind == "province":
            out.append((f"p:{value}", f"{value} (cả tỉnh, hoặc gõ xã bên cạnh)"))
        elif kind == "commune":
            commune, _, province = value.partition("|")
            out.append((f"c:{province}|{commune}", f"{commune}, {province}"))
    return out


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
            dens = await rates.denominators(s, year, officer=dash.officer)
            top = service.roll_up(await service.rollup(s, year, officer=dash.officer), "", dens)
            units = await service.units_in_scope(s, dash.officer, year, limit=SHOWN)
            units.sort(key=lambda u: (ORDER.get(u.status, 2), u.id or 0))
            rows: list[dict[str, Any]] = []
            for u in units:
                model = service.model_of(catalog, u)
                if model is None:
                    continue
                a = await service.assess(s, catalog, u, model)
                rows.append({"unit": u, "model": model, "a": a, "met": sum(1 for e in a.items if e.met)})
        communes = [(p.name, c) for _, p in sorted(top.parts.items()) for _, c in sorted(p.parts.items())]
        return render("learning_models.html", dash=dash, active="learning-models", status=status, year=year,
                      names=names, example=bool(ms and ms.example), total=top, communes=communes, rows=rows,
                      provinces=[p for _, p in sorted(top.parts.items())], den_places=den_places(dash),
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
        services.wake_outbox()  # after the commit: the registrant's message is queued now
        raise see_other(f"/dashboard/learning-models?year={year}#unit-{unit_id}")

    async def export(request: web.Request, dash: Dash, kind: str) -> web.StreamResponse:
        """One row per unit in scope, the shape a commune sends upward: CSV (UTF-8 BOM) or XLSX."""
        year = year_of(request)
        async with services.db.read_session() as s:
            rows = await service.export_rows(s, services.catalog, year, None, dash.settings.tz, dash.officer)
        async with services.db.session() as s:
            await audit(s, dash, "dashboard.mohinh.export", {"year": year, "rows": len(rows), "format": kind})
        return await _file(f"mohinh-{year}", kind, rows, f"Mo hinh hoc tap {year}", service.EXPORT_HEADER,
                           service.EXPORT_WIDTHS)  # fmt: skip

    async def export_csv(request: web.Request, dash: Dash) -> web.StreamResponse:
        return await export(request, dash, "csv")

    async def export_xlsx(request: web.Request, dash: Dash) -> web.StreamResponse:
        return await export(request, dash, "xlsx")

    async def set_denominator(request: web.Request, dash: Dash) -> web.StreamResponse:
        """The households / units of a place in scope for a model and year (0 removes it); audited."""
        form = await request.post()
        year = parse_int(field(form, "year", 8), lo=2000, hi=2100)
        place, _, commune = field(form, "place", 300).partition("|")
        count = parse_int(field(form, "count", 12), lo=0, hi=rates.COUNT_MAX)
        commune = normalise_commune(field(form, "commune", 128) or commune) if place.startswith("p:") else commune
        province = place.removeprefix("p:").removeprefix("c:")
        lm = service.models_of(services.catalog)
        ms = lm.set_for(year, province) if lm and year else None
        model = field(form, "model", 16)
        if year is None or count is None or ms is None or model not in {m.id for m in ms.models} or not province:
            return await page(request, dash, [E_DENOMINATOR], 400)
        async with services.db.session() as s:
            if not place_in_scope(dash.officer, province, commune or None) or (
                    not commune and not (dash.officer.is_admin or ("province", province) in dash.officer.scopes)):
                return await refuse(s, dash, "dashboard.mohinh.denominator", {"province": province,
                                                                              "commune": commune})  # fmt: skip
            commune = await known_spelling(s, province, commune) if commune else ""
            await rates.set_denominator(s, web_actor(dash.officer), year, province, commune, model, count)
        raise see_other(f"/dashboard/learning-models?year={year}#lm-rollup")

    async def summary(request: web.Request, dash: Dash, kind: str) -> web.StreamResponse:
        """The roll-up per place and model with the rates, as a commune sends it upward: CSV or XLSX."""
        year = year_of(request)
        lm = service.models_of(services.catalog)
        ms = lm.set_for(year) if lm else None
        names = {m.id: m.name for m in ms.models} if ms else {}
        async with services.db.read_session() as s:
            dens = await rates.denominators(s, year, officer=dash.officer)
            top = service.roll_up(await service.rollup(s, year, officer=dash.officer), "Toàn bộ", dens)
        rows = rates.summary_rows(top, names)
        async with services.db.session() as s:
            await audit(s, dash, "dashboard.mohinh.summary", {"year": year, "rows": len(rows), "format": kind})
        return await _file(f"mohinh-tonghop-{year}", kind, rows, f"Tong hop mo hinh {year}", rates.SUMMARY_HEADER,
                           rates.SUMMARY_WIDTHS)  # fmt: skip

    async def summary_csv(request: web.Request, dash: Dash) -> web.StreamResponse:
        return await summary(request, dash, "csv")

    async def summary_xlsx(request: web.Request, dash: Dash) -> web.StreamResponse:
        return await summary(request, dash, "xlsx")

    async def _file(stem: str, kind: str, rows: list[list[Any]], sheet: str, header: list[str],
                    widths: list[int]) -> web.Response:  # fmt: skip
        name = f"{stem}-{services.now().astimezone(services.settings.tz).date().isoformat()}.{kind}"
        return await exports.table_download(kind, rows, name, sheet, header, widths)

    return [
        ("GET", "/dashboard/learning-models", list_page),
        ("POST", "/dashboard/learning-models/denominators", set_denominator),
        ("GET", "/dashboard/learning-models/summary.csv", summary_csv),
        ("GET", "/dashboard/learning-models/summary.xlsx", summary_xlsx),
        ("GET", "/dashboard/learning-models/export.csv", export_csv),
        ("GET", "/dashboard/learning-models/export.xlsx", export_xlsx),
        ("POST", "/dashboard/learning-models/{id}/{action}", decide),
    ]

