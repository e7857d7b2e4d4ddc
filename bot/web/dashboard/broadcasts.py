"""Broadcasts: the list, compose (text, photo link, a button to a module or quiz, groups in scope), then the
draft page (bot/web/dashboard/broadcast_view.py) and confirm → queued through the same outbox as /thongbao."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from sqlmodel import col, select

from bot.core.callback import parse_int
from bot.core.context import Services
from bot.core.payloads import button_of
from bot.db.models_officers import OPEN_STATUSES, Broadcast, BroadcastStatus
from bot.web.dashboard import broadcast_view as view
from bot.web.dashboard import stats
from bot.web.dashboard.auth import Dash
from bot.web.dashboard.common import (
    Form,
    Route,
    audit,
    chosen_groups,
    group_label,
    match_int,
    scoped_groups,
    see_other,
)
from bot.web.dashboard.common import (
    field as form_field,
)
from bot.web.dashboard.render import not_found, refuse, render
from handlers.officers import audience, outbox
from handlers.officers.scope import all_groups, allowed_groups

TEXT_MAX = 3500
LIST_LIMIT = 300  # most recent broadcasts looked at; officers see those in their scope
E_TEXT = "Hãy nhập nội dung thông báo."
E_LONG = f"Nội dung quá dài (tối đa {TEXT_MAX} ký tự)."
E_PHOTO = "Đường link ảnh phải bắt đầu bằng https:// và không có dấu cách, dấu nháy hay dấu < >."
_NOT_IN_URL = frozenset('"\'<>\\`{}|^')


def photo_ok(url: str) -> bool:
    """An https link to an image with a real host: no quotes, brackets, spaces or control characters."""
    if len(url) > 1000 or any(c in _NOT_IN_URL or c.isspace() or ord(c) < 32 for c in url):
        return False
    try:
        parts = urlsplit(url)
        _ = parts.port  # a malformed port raises
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.hostname) and "@" not in parts.netloc
E_BUTTON = "Nút bấm không hợp lệ."
E_GROUPS = "Hãy chọn ít nhất một nhóm nhận tin."
E_NOBODY = audience.NOBODY


def button_options(catalog: Any) -> list[tuple[str, str]]:
    """("", none), then a “learn” and a “quiz” button for each module, as the citizen's button reads."""
    out = [("", "Không có nút")]
    for m in getattr(catalog, "modules", []):
        out.append((f"module:{m.id}", f"📚 Học ngay — {m.title}"))
        if m.quiz:
            out.append((f"quiz:{m.id}", f"📝 Làm bài kiểm tra — {m.title}"))
    out.append(("contest", "🏆 Vào thi — cuộc thi Tuần lễ đang mở"))
    return out


@dataclass
class Draft:
    """The compose form, parsed and checked."""

    text: str = ""
    photo: str = ""
    button: str = ""
    sel: outbox.GroupSel = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, form: Form, catalog: Any) -> Draft:
        d = cls(form_field(form, "text", TEXT_MAX + 1), form_field(form, "photo", 1001),
                form_field(form, "button", 80), chosen_groups(form))  # fmt: skip
        if not d.text:
            d.errors.append(E_TEXT)
        elif len(d.text) > TEXT_MAX:
            d.errors.append(E_LONG)
        if d.photo and not photo_ok(d.photo):
            d.errors.append(E_PHOTO)
        if d.button not in {v for v, _ in button_options(catalog)}:
            d.errors.append(E_BUTTON)
        if not d.sel:
            d.errors.append(E_GROUPS)
        return d


def routes(services: Services) -> list[Route]:
    async def compose_form(dash: Dash, draft: Draft, status: int = 200) -> web.Response:
        async with services.db.session() as s:
            groups = stats.order_units(await scoped_groups(s, dash))
        return render("broadcast_new.html", dash=dash, active="broadcasts", status=status, d=draft,
                      groups=groups, buttons=button_options(services.catalog))  # fmt: skip

    async def list_page(request: web.Request, dash: Dash) -> web.StreamResponse:
        async with services.db.session() as s:
            stmt = select(Broadcast).order_by(col(Broadcast.id).desc()).limit(LIST_LIMIT)
            recent = (await s.exec(stmt)).all()
            groups = await all_groups(s)
            mine = [b for b in recent if view.visible(dash.officer, b, groups)][:100]
            counts = await view.counts_for(services, s, mine)
        items = []
        for b in mine:
            sel = audience.load_groups(b.group_ids)
            names = group_label([groups[i] for i in sel if i in groups] if sel != "all" else [], sel)
            items.append({"b": b, "groups": names, "p": view.progress(b, counts[b.id or 0]),
                          "status": view.STATUS_LABELS.get(b.status, b.status)})  # fmt: skip
        return render("broadcasts.html", dash=dash, active="broadcasts", items=items)

    async def new_page(request: web.Request, dash: Dash) -> web.StreamResponse:
        raw = request.query.get("group", "")
        return await compose_form(dash, Draft(sel=[n] if (n := parse_int(raw, lo=1)) is not None else []))

    async def create(request: web.Request, dash: Dash) -> web.StreamResponse:
        draft = Draft.parse(await request.post(), services.catalog)
        if draft.errors:
            return await compose_form(dash, draft, 400)
        async with services.db.session() as s:
            if await allowed_groups(s, dash.officer, draft.sel) is None:
                return await refuse(s, dash, "dashboard.broadcast.draft", {"groups": draft.sel})
            if await view.reach(services, draft.sel, fresh=True) == 0:  # the draft page reuses this count
                draft.errors.append(E_NOBODY)
            else:
                label, data = button_of(draft.button or None)
                b = await outbox.create_broadcast(
                    s, text=draft.text, photo=draft.photo or None, button_label=label, button_data=data,
                    created_by=dash.officer.actor, group_ids=draft.sel, officer_id=dash.officer.officer_id,
                )
                await audit(s, dash, "dashboard.broadcast.draft", {"broadcast_id": b.id, "groups": draft.sel})
        if draft.errors:
            return await compose_form(dash, draft, 400)
        raise see_other(f"/dashboard/broadcasts/{b.id}")

    async def send(request: web.Request, dash: Dash) -> web.StreamResponse:
        async with services.db.session() as s:
            b = await s.get(Broadcast, match_int(request))
            if b is None or b.status != BroadcastStatus.DRAFT or b.created_by != dash.officer.actor:
                return not_found(dash) if b is None or b.status == BroadcastStatus.DRAFT else _already(b)
            sel = audience.load_groups(b.group_ids)
            if await allowed_groups(s, dash.officer, sel) is None:  # the scope may have shrunk since the draft
                return await refuse(s, dash, "dashboard.broadcast.send", {"broadcast_id": b.id})
            n = await outbox.queue_broadcast(s, b)
            await audit(s, dash, "dashboard.broadcast.send", {"broadcast_id": b.id, "recipients": n})
        services.wake_outbox()
        raise see_other(f"/dashboard/broadcasts/{b.id}")

    async def cancel(request: web.Request, dash: Dash) -> web.StreamResponse:
        async with services.db.session() as s:
            b = await s.get(Broadcast, match_int(request))
            if b is None or not view.visible(dash.officer, b, await all_groups(s)):
                return not_found(dash) if b is None or b.status == BroadcastStatus.DRAFT else await refuse(
                    s, dash, "dashboard.broadcast.cancel", {"broadcast_id": b.id})
            assert b.id is not None
            was_draft, n = b.status == BroadcastStatus.DRAFT, 0
            if was_draft:
                b.status = BroadcastStatus.CANCELLED
                s.add(b)
            elif b.status in OPEN_STATUSES:
                n = await outbox.cancel_broadcast(s, b.id)
            else:
                return _already(b)
            await audit(s, dash, "dashboard.broadcast.cancel", {"broadcast_id": b.id, "skipped": n})
        raise see_other("/dashboard/broadcasts" if was_draft else f"/dashboard/broadcasts/{b.id}")

    def _already(b: Broadcast) -> web.Response:
        raise see_other(f"/dashboard/broadcasts/{b.id}")

    return [
        ("GET", "/dashboard/broadcasts", list_page),
        ("GET", "/dashboard/broadcasts/new", new_page),
        ("POST", "/dashboard/broadcasts/new", create),
        ("POST", "/dashboard/broadcasts/{id}/send", send),
        ("POST", "/dashboard/broadcasts/{id}/cancel", cancel),
        *view.routes(services),
    ]
