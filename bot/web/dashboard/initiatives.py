"""Sáng kiến in the dashboard: the initiatives from the officer's places, shortlist / praise (the same
`service.decide` as /duyetsangkien in chat: audited, the sender told) and publishing praised ones: a broadcast
draft to the chosen groups, then the usual draft page (preview, “Gửi”) of bot/web/dashboard/broadcasts.py."""

from __future__ import annotations

from aiohttp import web
from sqlmodel import col, select

from bot.core.callback import parse_int
from bot.core.context import Services
from bot.db.models_initiatives import PRAISED, Initiative
from bot.db.models_officers import Broadcast, BroadcastStatus
from bot.web.dashboard import stats
from bot.web.dashboard.auth import Dash, web_actor
from bot.web.dashboard.common import Route, chosen_groups, match_int, scoped_groups, see_other
from bot.web.dashboard.render import not_found, refuse, render
from handlers.initiatives import service
from handlers.initiatives import texts as t
from handlers.officers import audience
from handlers.officers.scope import allowed_groups, place_in_scope

SHOWN = 200
E_PICK = "Hãy chọn ít nhất một sáng kiến đã biểu dương."
E_GROUPS = "Hãy chọn ít nhất một nhóm nhận tin."


def routes(services: Services) -> list[Route]:
    async def page(request: web.Request, dash: Dash, errors: list[str] | None = None, status: int = 200,
                   ) -> web.Response:  # fmt: skip
        async with services.db.read_session() as s:
            rows = await service.in_scope(s, dash.officer, limit=SHOWN)
            ids = {r.broadcast_id for r in rows if r.broadcast_id}
            published = {b.id: b for b in (await s.exec(select(Broadcast).where(col(Broadcast.id).in_(ids)))).all()}
            groups = stats.order_units(await scoped_groups(s, dash))
        gone = BroadcastStatus.CANCELLED
        ready = [r for r in rows if r.status == PRAISED and (
            r.broadcast_id not in published or published[r.broadcast_id].status == gone)]  # fmt: skip
        return render("initiatives.html", dash=dash, active="initiatives", status=status, rows=rows,
                      statuses=t.STATUS, published=published, ready=ready, groups=groups, errors=errors or [],
                      most=service.PUBLISH_MAX)  # fmt: skip

    async def list_page(request: web.Request, dash: Dash) -> web.StreamResponse:
        return await page(request, dash)

    async def decide(request: web.Request, dash: Dash) -> web.StreamResponse:
        action = request.match_info["action"]
        if action not in service.DECISIONS:
            return not_found(dash)
        row_id = match_int(request)
        async with services.db.session() as s:
            row = await s.get(Initiative, row_id)
            if row is None:
                return not_found(dash)
            if not place_in_scope(dash.officer, row.province, row.commune):
                return await refuse(s, dash, f"dashboard.sangkien.{action}", {"initiative": row_id})
            await service.decide(s, dash.officer, row, action, services.now(), actor=web_actor(dash.officer),
                                 tz=services.settings.tz)  # fmt: skip
        if action == "praise":  # after the commit: the sender's message is queued now
            services.wake_outbox()
        raise see_other(f"/dashboard/initiatives#initiative-{row_id}")

    async def publish(request: web.Request, dash: Dash) -> web.StreamResponse:
        """Praised initiatives in scope → a draft to groups in scope → its preview page (nothing sent yet)."""
        form = await request.post()
        picked = sorted({n for v in form.getall("initiative", []) if (n := parse_int(str(v), lo=1)) is not None})
        sel = chosen_groups(form)
        errors = [e for e, bad in ((E_PICK, not picked), (E_GROUPS, not sel)) if bad]
        if len(picked) > service.PUBLISH_MAX:
            errors.append(f"Mỗi thông báo đăng tối đa {service.PUBLISH_MAX} sáng kiến.")
        if errors:
            return await page(request, dash, errors, 400)
        async with services.db.session() as s:
            rows = list((await s.exec(select(Initiative).where(col(Initiative.id).in_(picked)))).all())
            outside = len(rows) != len(picked) or any(
                not place_in_scope(dash.officer, r.province, r.commune) for r in rows)  # fmt: skip
            if outside or await allowed_groups(s, dash.officer, sel) is None:
                return await refuse(s, dash, "dashboard.sangkien.publish", {"initiatives": picked, "groups": sel})
            if any(r.status != PRAISED for r in rows):
                errors.append(t.PRAISE_FIRST)
            elif await audience.count_people(s, sel) == 0:
                errors.append(audience.NOBODY)
            else:
                rows.sort(key=lambda r: r.id or 0)
                b = await service.publish(s, dash.officer, rows, sel, actor=web_actor(dash.officer))
        if errors:
            return await page(request, dash, errors, 400)
        raise see_other(f"/dashboard/broadcasts/{b.id}")

    return [
        ("GET", "/dashboard/initiatives", list_page),
        ("POST", "/dashboard/initiatives/publish", publish),
        ("POST", "/dashboard/initiatives/{id}/{action}", decide),
    ]
