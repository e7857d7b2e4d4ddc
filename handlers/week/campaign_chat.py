"""/chiendich for officers: list, add (once at a date, or relative to the Week) and remove campaigns in scope."""

from __future__ import annotations

import re

from bot.core.callback import parse_int
from bot.core.context import Ctx, UserFacingError
from bot.core.messages import Inbound, Reply
from bot.core.router import Router
from bot.db import repo
from bot.db.models_campaigns import Campaign
from content.textnorm import fold
from handlers.officers.audience import load_groups
from handlers.officers.chat import officer_or_refuse
from handlers.officers.scope import OfficerInfo, all_groups, check_targets, selection_in_scope
from handlers.week import campaign_store as store
from handlers.week.schedule import week_of

router = Router("campaign_chat")

HELP = (
    "📆 Lịch nhắc (chiến dịch)\n"
    "• Xem: /chiendich\n"
    "• Thêm một lần: /chiendich them NHÓM | 2026-09-24 08:00 | Nội dung\n"
    "• Thêm theo Tuần lễ: /chiendich them NHÓM | tuanle-7 08:00 | Nội dung\n"
    "  (tuanle-7 = 7 ngày trước 1/10; tuanle+2 = ngày 3/10)\n"
    "• Xoá: /chiendich xoa SỐ"
)
NONE = "Chưa có lịch nhắc nào trong phạm vi của bạn."
ADDED = "✅ Đã thêm lịch nhắc #{id} “{name}” → {to}. Lần gửi tới: {next}."
REMOVED = "🗑 Đã xoá lịch nhắc #{id}."
NOT_FOUND = "Không có lịch nhắc #{id}."
BAD_FORMAT = "Mình chưa hiểu. Gõ theo mẫu:\n/chiendich them NHÓM | 2026-09-24 08:00 | Nội dung"
BAD_WHEN = "Thời điểm “{when}” chưa đúng. Ví dụ: 2026-09-24 08:00 hoặc tuanle-7 08:00."
WEEK_RE = re.compile(r"^(?:tuanle|tuần\s*lễ|tuan\s*le)\s*([+-]\s*\d+)?\s+(\d{1,2})(?::(\d{2}))?$")


@router.command("chiendich", "campaign")
async def campaigns(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """Officers only: campaigns within their scope, or add / remove one."""
    officer = await officer_or_refuse(ctx, "campaign")
    verb, _, rest = msg.args.strip().partition(" ")
    verb = fold(verb)
    if verb in ("them", "add"):
        return [await _add(ctx, rest, officer)]
    if verb in ("xoa", "remove"):
        return [await _remove(ctx, rest.strip(), officer)]
    return [await _list(ctx, officer)]


async def _list(ctx: Ctx, officer: OfficerInfo) -> Reply:
    rows = await store.summaries(ctx.session, ctx.settings, ctx.now(), ctx.services.catalog.week)
    groups = await all_groups(ctx.session)
    visible = []
    for r in rows:
        c = await ctx.session.get(Campaign, r["id"])
        if c is not None and selection_in_scope(officer, load_groups(c.groups), groups):
            visible.append(r)
    if not visible:
        return Reply(f"{NONE}\n\n{HELP}")
    lines = [
        f"#{r['id']} {r['name']} → {r['to']}\n   {r['schedule']} · lần tới: {r['next_fire'] or '—'}"
        f" · đã gửi {r['sent']}, bỏ qua {r['skipped']}, lỗi {r['failed']}"
        for r in visible
    ]
    return Reply("\n".join(lines) + "\n\n" + HELP)


def _when(text: str, ctx: Ctx) -> dict[str, object]:
    """“2026-09-24 08:00” → once; “tuanle-7 08:00” → Week-relative for the coming Week."""
    raw = " ".join(text.split())
    m = WEEK_RE.match(raw.lower())
    if m:
        offset = int(m.group(1).replace(" ", "")) if m.group(1) else 0
        today = ctx.now().astimezone(ctx.settings.tz).date()
        year = week_of(today)[0].year
        return {"kind": "week", "offset_days": offset, "hour": int(m.group(2)), "minute": int(m.group(3) or 0),
                "year": year}  # fmt: skip
    try:
        return {"kind": "once", "at": store.parse_local(raw.replace(" ", "T", 1), ctx.settings)}
    except store.CampaignError:
        raise UserFacingError(BAD_WHEN.format(when=raw[:40])) from None


async def _add(ctx: Ctx, rest: str, officer: OfficerInfo) -> Reply:
    parts = [p.strip() for p in rest.split("|")]
    if len(parts) != 3 or not all(parts):
        raise UserFacingError(BAD_FORMAT)
    to, when, text = parts
    fields = _when(when, ctx)
    kind = str(fields.pop("kind"))
    try:
        sel = await store.resolve_groups(ctx.session, to)
    except store.CampaignError as exc:
        raise UserFacingError(str(exc)) from None
    await check_targets(ctx.session, officer, sel, "campaign_add")
    actor = officer.actor
    try:
        c = await store.add_campaign(ctx.session, ctx.settings, ctx.now(), name=text[:40], to=sel, text=text,
                                     kind=kind, created_by=actor, **fields)  # fmt: skip
    except store.CampaignError as exc:
        raise UserFacingError(str(exc)) from None
    await repo.audit(ctx.session, actor, "campaign_add", {"campaign_id": c.id, "to": to, "kind": kind})
    starts = await store.week_starts(ctx.session, ctx.services.catalog.week)
    nxt = store._local(store.upcoming(c, None, ctx.now(), ctx.settings, starts), ctx.settings) or "—"
    return Reply(ADDED.format(id=c.id, name=c.name, to=to, next=nxt))


async def _remove(ctx: Ctx, arg: str, officer: OfficerInfo) -> Reply:
    cid = parse_int(arg, lo=1)
    c = await ctx.session.get(Campaign, cid) if cid is not None else None
    if c is None or cid is None:
        return Reply(NOT_FOUND.format(id=arg[:10]))
    await check_targets(ctx.session, officer, load_groups(c.groups), "campaign_remove")
    await store.remove_campaign(ctx.session, cid)
    await repo.audit(ctx.session, officer.actor, "campaign_remove", {"campaign_id": cid})
    return Reply(REMOVED.format(id=cid))
