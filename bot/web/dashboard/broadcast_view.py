"""One broadcast: the draft preview (Telegram and Zalo), then the live progress, the per-recipient report and
its CSV / XLSX downloads. Counts come from one GROUP BY; a finished broadcast's counts are kept on its row."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import web
from sqlalchemy import func, select, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.context import Services
from bot.core.render import numbered
from bot.db.models import Group
from bot.db.models_officers import OPEN_STATES, OPEN_STATUSES, Broadcast, BroadcastStatus, Delivery
from bot.db.models_officers import STATES as ALL_STATES
from bot.web.dashboard import exports, stats
from bot.web.dashboard.auth import Dash
from bot.web.dashboard.cache import cache_of
from bot.web.dashboard.common import Route, audit, group_label, match_int, query_int
from bot.web.dashboard.render import not_found, refuse, render
from bot.web.dashboard.summary import keeper_of
from handlers.officers import audience, outbox
from handlers.officers.scope import OfficerInfo, all_groups, selection_in_scope

PAGE_ROWS = 100
STATES = ALL_STATES
FINISHED = (BroadcastStatus.DONE, BroadcastStatus.CANCELLED)
OPEN = OPEN_STATUSES
STATUS_LABELS = {"draft": "Bản nháp", "queued": "Đang chờ gửi", "sending": "Đang gửi", "done": "Đã gửi xong",
                 "cancelled": "Đã hủy"}  # fmt: skip


def visible(officer: OfficerInfo, b: Broadcast, groups: dict[int, Group]) -> bool:
    """Admins see everything; officers see what they sent and what went only to groups in their scope."""
    if officer.is_admin or b.created_by == officer.actor:
        return True
    if b.status == BroadcastStatus.DRAFT:
        return False
    return selection_in_scope(officer, audience.load_groups(b.group_ids), groups)


async def counts_for(services: Services, s: AsyncSession, bs: list[Broadcast]) -> dict[int, dict[str, int]]:
    """Deliveries per state for these broadcasts: one GROUP BY for those still open. A finished broadcast's counts
    no longer change, so the first count after it finished is kept on its row (`final_counts`) and read from there.
    """
    out: dict[int, dict[str, int]] = {}
    for b in bs:
        if b.id is not None and b.final_counts:
            out[b.id] = {**dict.fromkeys(STATES, 0), **json.loads(b.final_counts)}
    need = [b.id for b in bs if b.id is not None and b.id not in out]
    for bid in need:
        out[bid] = dict.fromkeys(STATES, 0)
    if need:
        stmt = (
            select(col(Delivery.broadcast_id), col(Delivery.state), func.count())
            .where(col(Delivery.broadcast_id).in_(need))
            .group_by(col(Delivery.broadcast_id), col(Delivery.state))
        )
        for bid, state, n in (await s.execute(stmt)).all():
            out[int(bid)][str(state)] = int(n)
    final = {b.id: out[b.id] for b in bs if b.id in need and b.status in FINISHED
             and not any(out[b.id][st] for st in OPEN_STATES)}  # fmt: skip
    if final:
        await _keep_final(services, final)
    return out


async def _keep_final(services: Services, final: dict[int, dict[str, int]]) -> None:
    """Store finished broadcasts' counts on their rows (only where none are stored yet)."""
    async with services.db.session() as w:
        for bid, counts in final.items():
            kept = json.dumps({k: v for k, v in counts.items() if v})
            await w.execute(update(Broadcast).where(col(Broadcast.id) == bid, col(Broadcast.final_counts).is_(None))
                            .values(final_counts=kept))  # fmt: skip


def progress(b: Broadcast, c: dict[str, int]) -> dict[str, Any]:
    """What the progress bar shows: counts, how much is done, and whether it is over."""
    total = sum(c.values())
    waiting = c["queued"] + c["sending"]
    done = total - waiting
    finished = b.status in FINISHED or (b.status != BroadcastStatus.DRAFT and waiting == 0)
    percent = 100 if total == 0 or (finished and waiting == 0) else min(100, 100 * done // total)
    return {
        "id": b.id, "status": b.status, "total": total, "sent": c["sent"], "failed": c["failed"],
        "blocked": c["blocked"], "gone": c["gone"], "unreachable": c["unreachable"], "queued": waiting,
        "skipped": c["skipped"],
        "done": done, "percent": percent, "finished": finished,
        "status_label": STATUS_LABELS.get(BroadcastStatus.DONE if finished and b.status in OPEN else b.status,
                                          b.status),
    }  # fmt: skip


def previews(b: Broadcast) -> dict[str, Any]:
    """Exactly what citizens get: Telegram (text, photo, a button) and Zalo (numbered text, no buttons)."""
    reply = outbox.broadcast_reply(b)
    return {"reply": reply, "zalo_text": numbered(reply)}


async def reach(services: Services, sel: outbox.GroupSel, *, fresh: bool = False) -> int:
    """How many people a broadcast to `sel` reaches, through the number cache. `fresh`: counted now (the form that
    refuses a send to nobody; the draft page it leads to shows that count); otherwise added up from the stored
    per-unit numbers, the same the overview and group pages show, when the groups do not overlap."""

    async def count() -> int:
        if not fresh and (n := await _stored_reach(services, sel)) is not None:
            return n
        async with services.db.read_session() as s:
            return await audience.count_people(s, sel)

    cache = cache_of(services)
    key = ("recipients", "all" if sel == "all" else tuple(sorted(sel)))
    value, _ = await (cache.fresh if fresh else cache.get)(key, count)
    return int(value)


async def _stored_reach(services: Services, sel: outbox.GroupSel) -> int | None:
    """Everyone, one unit, or only places (disjoint buckets) from the stored numbers; None when they cannot tell."""
    if sel == "all":
        return (await keeper_of(services).get()).numbers({}).everyone()["subscribers"]
    async with services.db.read_session() as s:
        groups = list((await s.execute(select(Group).where(col(Group.id).in_(list(sel))))).scalars())
        lowered = await stats.lowered_communes(s, groups)
    named = [g.id for g in groups if g.kind != "locality" and g.id is not None]
    if len(groups) != len(set(sel)) or (named and len(groups) > 1):
        return None
    summary = await keeper_of(services).get(sorted({g.province for g in groups if g.province}), named)
    numbers = summary.numbers(lowered)
    return (numbers.unit(groups[0]) if named else numbers.places_of(groups))["subscribers"]


def routes(services: Services) -> list[Route]:
    async def load(s: AsyncSession, dash: Dash, request: web.Request, action: str) -> Broadcast | web.Response:
        b = await s.get(Broadcast, match_int(request))
        if b is None:
            return not_found(dash)
        if not visible(dash.officer, b, await all_groups(s)):
            if b.status == BroadcastStatus.DRAFT:
                return not_found(dash)
            return await refuse(s, dash, action, {"broadcast_id": b.id})
        return b

    async def detail(request: web.Request, dash: Dash) -> web.StreamResponse:
        state = request.query.get("state") or None
        state = state if state in STATES else None
        page = query_int(request, "page")
        async with services.db.session() as s:
            b = await load(s, dash, request, "dashboard.broadcast")
            if isinstance(b, web.Response):
                return b
            assert b.id is not None
            sel = audience.load_groups(b.group_ids)
            groups = await all_groups(s)
            names = group_label([groups[i] for i in sel if i in groups] if sel != "all" else [], sel)
            if b.status == BroadcastStatus.DRAFT:
                return render("broadcast_draft.html", dash=dash, active="broadcasts", b=b, groups=names,
                              recipients=await reach(services, sel), **previews(b))  # fmt: skip
            p = progress(b, (await counts_for(services, s, [b]))[b.id])
            rows = await exports.delivery_rows(s, b.id, dash.settings.tz, limit=PAGE_ROWS,
                                               offset=(page - 1) * PAGE_ROWS, state=state)  # fmt: skip
            reasons = await outbox.failure_reasons(s, b.id)
        shown = p["total"] if state is None else p.get(state, 0)
        return render(
            "broadcast.html", dash=dash, active="broadcasts", b=b, groups=names, p=p, rows=rows, page=page,
            pages=max(1, -(-shown // PAGE_ROWS)), state=state, reasons=reasons, header=exports.HEADER,
            status_label=STATUS_LABELS.get(b.status, b.status), states=exports.STATE_LABELS, **previews(b),
        )

    async def progress_json(request: web.Request, dash: Dash) -> web.StreamResponse:
        async with services.db.session() as s:
            b = await load(s, dash, request, "dashboard.broadcast")
            if isinstance(b, web.Response):
                return web.json_response({"error": "forbidden"}, status=b.status)
            assert b.id is not None
            p = progress(b, (await counts_for(services, s, [b]))[b.id])
        return web.json_response(p, headers={"Cache-Control": "no-store"})

    async def download(request: web.Request, dash: Dash, kind: str) -> web.StreamResponse:
        async with services.db.session() as s:
            b = await load(s, dash, request, "dashboard.export")
            if isinstance(b, web.Response):
                return b
            assert b.id is not None
        async with services.db.read_session() as s:  # counting a live broadcast's rows takes a while
            total = sum((await counts_for(services, s, [b]))[b.id].values())
        async with services.db.session() as s:
            await audit(s, dash, "dashboard.export", {"broadcast_id": b.id, "format": kind, "rows": total})
        headers = exports.attachment(f"thongbao-{b.id}.{kind}")
        if kind == "csv":
            return await stream_csv(request, b.id, dash, headers)
        return await stream_xlsx(request, b.id, dash, headers)

    async def stream_csv(request: web.Request, bid: int, dash: Dash, headers: dict[str, str]) -> web.StreamResponse:
        """Header first (the download starts at once), then 5,000 rows per read-only query."""
        resp = web.StreamResponse(headers={"Content-Type": exports.CSV_TYPE, **headers})
        await resp.prepare(request)
        await resp.write(exports.csv_chunk([], header=True))
        async for rows in exports.row_pages(services.db, bid, dash.settings.tz):
            await resp.write(exports.csv_chunk(rows))
        await resp.write_eof()
        return resp

    async def stream_xlsx(request: web.Request, bid: int, dash: Dash, headers: dict[str, str]) -> web.StreamResponse:
        """Headers at once (the browser's download starts), then pages of 5,000 rows into XlsxWriter's
        constant_memory sheet, written here between reads like the CSV's pages (XLSX_SLICE rows at a time, a few
        ms each: other requests run in between; a worker thread lost more to handing the GIL back and forth than
        it overlapped); the zip, built at the end, is compressed in a worker thread and sent as it is written.
        Memory stays flat whatever the report's size."""
        resp = web.StreamResponse(headers={"Content-Type": exports.XLSX_TYPE, **headers})
        await resp.prepare(request)
        loop = asyncio.get_running_loop()

        def send(chunk: bytes) -> None:  # from the worker thread: wait until the client has it (backpressure)
            asyncio.run_coroutine_threadsafe(resp.write(chunk), loop).result()

        book = await asyncio.to_thread(exports.XlsxStream, f"Thong bao {bid}", send)
        async for rows in exports.row_pages(services.db, bid, dash.settings.tz):
            for start in range(0, len(rows), exports.XLSX_SLICE):
                book.add(rows[start:start + exports.XLSX_SLICE])  # rows only: nothing is sent before close()
                await asyncio.sleep(0)
        await asyncio.to_thread(book.close)
        await resp.write_eof()
        return resp

    async def csv_file(request: web.Request, dash: Dash) -> web.StreamResponse:
        return await download(request, dash, "csv")

    async def xlsx_file(request: web.Request, dash: Dash) -> web.StreamResponse:
        return await download(request, dash, "xlsx")

    return [
        ("GET", "/dashboard/broadcasts/{id}", detail),
        ("GET", "/dashboard/broadcasts/{id}/progress.json", progress_json),
        ("GET", "/dashboard/broadcasts/{id}/report.csv", csv_file),
        ("GET", "/dashboard/broadcasts/{id}/report.xlsx", xlsx_file),
    ]
