"""Contests of the Week in the dashboard: the officer's contests, a form to create one for their unit (the same
`service.create` as `hocbot contest add`: inside the Week, inside their scope, audited), each contest's
leaderboard (hidden names stay hidden) and its results as CSV or XLSX with Vietnamese headers."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from sqlmodel import col, func, select

from bot.core.context import Services
from bot.db.models_contests import Contest, ContestAttempt
from bot.web.dashboard import exports
from bot.web.dashboard.auth import Dash
from bot.web.dashboard.common import Form, Route, audit, field, match_int, see_other
from bot.web.dashboard.render import not_found, refuse, render
from handlers.contests import board, service
from handlers.contests import texts as t
from handlers.officers.scope import place_condition, place_in_scope
from handlers.week.campaign_store import CampaignError, parse_local

SHOWN = 200


def _values(form: Form) -> dict[str, Any]:
    names = ("title", "questions", "opens", "closes", "seconds", "winners", "province", "commune")
    values: dict[str, Any] = {k: field(form, k, 400) for k in names}
    values["modules"] = [m for m in form.getall("module", []) if isinstance(m, str)]
    return values


def _int(value: str, default: int) -> int:
    return int(value) if value.strip().lstrip("-").isdigit() else default


def routes(services: Services) -> list[Route]:
    tz = services.settings.tz

    async def page(dash: Dash, values: dict[str, Any], errors: list[str], status: int = 200) -> web.Response:
        async with services.db.read_session() as s:
            stmt = select(Contest).order_by(col(Contest.opens_at).desc())
            where = place_condition(dash.officer, col(Contest.province), col(Contest.commune))
            contests = list((await s.exec(stmt if where is None else stmt.where(where))).all())
            counts = dict((await s.exec(select(ContestAttempt.contest_id, func.count()).group_by(
                col(ContestAttempt.contest_id)))).all())  # fmt: skip
        rows = [{"c": c, "place": service.place_text(c.province, c.commune), "players": counts.get(c.id or 0, 0),
                 "opens": service.local_text(c.opens_at, tz), "closes": service.local_text(c.closes_at, tz),
                 "questions": len(service.ids_of(c))} for c in contests]  # fmt: skip
        return render("contests.html", dash=dash, active="contests", status=status, rows=rows, v=values,
                      errors=errors, modules=services.catalog.modules)  # fmt: skip

    async def list_page(request: web.Request, dash: Dash) -> web.StreamResponse:
        return await page(dash, {"seconds": 30, "winners": 3, "modules": []}, [])

    async def create(request: web.Request, dash: Dash) -> web.StreamResponse:
        v = _values(await request.post())
        error = ""
        async with services.db.session() as s:  # a refusal is audited: the error is caught inside the unit of work
            try:
                ids = service.question_pool(services.catalog, v["modules"],
                                            [q.strip() for q in v["questions"].split(",") if q.strip()])  # fmt: skip
                c = await service.create(
                    s, services.catalog, dash.officer, title=v["title"], question_ids=ids,
                    opens=parse_local(v["opens"], dash.settings), closes=parse_local(v["closes"], dash.settings),
                    seconds=_int(v["seconds"], 30), tz=tz, province=v["province"] or None,
                    commune=v["commune"] or None, winners=_int(v["winners"], 3),
                )
            except CampaignError as exc:
                error = str(exc)
            except service.ContestError as exc:
                error = exc.text
        if error:
            return await page(dash, v, [error], 400)
        raise see_other(f"/dashboard/contests/{c.id}")

    async def load(request: web.Request, dash: Dash, action: str) -> Contest | web.Response:
        async with services.db.session() as s:
            contest = await s.get(Contest, match_int(request))
            if contest is None:
                return not_found(dash)
            if not place_in_scope(dash.officer, contest.province, contest.commune):
                return await refuse(s, dash, action, {"contest": contest.id})
        return contest

    async def detail(request: web.Request, dash: Dash) -> web.StreamResponse:
        contest = await load(request, dash, "dashboard.contest.view")
        if not isinstance(contest, Contest):
            return contest
        assert contest.id is not None
        async with services.db.read_session() as s:
            rows = await board.ranking(s, contest.id, limit=SHOWN)
            won = {r.attempt.id for r in await board.winners(s, contest, services.now())}
        lines = [{"rank": r.rank, "name": board.shown_name(r), "hidden": r.name is None, "a": r.attempt,
                  "time": r.seconds, "winner": r.attempt.id in won} for r in rows]  # fmt: skip
        return render("contest.html", dash=dash, active="contests", c=contest, rows=lines,
                      place=service.place_text(contest.province, contest.commune),
                      opens=service.local_text(contest.opens_at, tz), closes=service.local_text(contest.closes_at, tz),
                      total=len(service.ids_of(contest)))  # fmt: skip

    async def export(request: web.Request, dash: Dash, kind: str) -> web.StreamResponse:
        contest = await load(request, dash, "dashboard.contest.export")
        if not isinstance(contest, Contest):
            return contest
        async with services.db.read_session() as s:
            rows = await board.export_rows(s, contest, tz)
        async with services.db.session() as s:
            await audit(s, dash, "dashboard.contest.export", {"contest": contest.id, "rows": len(rows), "format": kind})
        return await exports.table_download(kind, rows, f"cuoc-thi-{contest.id}.{kind}", f"Cuoc thi {contest.id}",
                                            t.EXPORT_HEADER, t.EXPORT_WIDTHS)

    async def export_csv(request: web.Request, dash: Dash) -> web.StreamResponse:
        return await export(request, dash, "csv")

    async def export_xlsx(request: web.Request, dash: Dash) -> web.StreamResponse:
        return await export(request, dash, "xlsx")

    return [
        ("GET", "/dashboard/contests", list_page),
        ("POST", "/dashboard/contests", create),
        ("GET", "/dashboard/contests/{id}", detail),
        ("GET", "/dashboard/contests/{id}/export.csv", export_csv),
        ("GET", "/dashboard/contests/{id}/export.xlsx", export_xlsx),
    ]
