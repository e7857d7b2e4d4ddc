"""Managing campaigns (for `hocbot campaign …` and the officers' /chiendich): add, list, remove, Week plan."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

from sqlalchemy import delete, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.payloads import button_of
from bot.db.models import Group
from bot.db.models_campaigns import Campaign, CampaignFire, CampaignKind, FireStatus
from bot.db.models_officers import OPEN_STATUSES, Broadcast, Delivery
from bot.settings import Settings
from content.schema import WeekInfo
from handlers.officers import audience, outbox
from handlers.week.campaigns import rule_of, week_starts
from handlers.week.schedule import KINDS, defer_quiet, next_fire, validate_cron

WEEK_PLAN = [("before_7", -7), ("before_1", -1)] + [(f"day_{i}", i - 1) for i in range(1, 8)]
E_PLAN_EXISTS = "Kế hoạch Tuần lễ {year} cho nhóm này đã có rồi (xem danh sách lịch nhắc)."


class CampaignError(ValueError):
    """A bad campaign definition; the message is Vietnamese and shown as is."""


async def resolve_groups(s: AsyncSession, to: str | outbox.GroupSel) -> outbox.GroupSel:
    """Who a campaign goes to, checked: "all" or existing group ids. `to` is "all", group ids, or officers' “--to”
    text (an id or a group's exact name — names may contain commas — or “A,B”). Stored with audience.dump_groups."""
    try:
        sel = await audience.parse_targets(s, [to]) if isinstance(to, str) else to
    except audience.TargetError as exc:
        raise CampaignError(str(exc)) from None
    if sel == "all":
        return "all"
    ids = [int(i) for i in sel]
    found = set((await s.exec(select(Group.id).where(col(Group.id).in_(ids)))).all())
    if not ids or set(ids) - found:
        raise CampaignError(f"Không có nhóm số: {', '.join(str(i) for i in ids if i not in found) or '—'}")
    return ids


async def group_names(s: AsyncSession, sel: outbox.GroupSel) -> str:
    """The groups of a selection by their titles ("all" for everyone)."""
    if sel == "all":
        return "all"
    rows = (await s.exec(select(Group).where(col(Group.id).in_(list(sel))))).all()
    return "; ".join(g.title or g.name for g in rows)


def plan_label(offset: int) -> str:
    """A Week-plan reminder's name: “7 ngày trước”, “1 ngày trước”, “ngày 1 (1/10)” … “ngày 7 (7/10)”."""
    return f"{-offset} ngày trước" if offset < 0 else f"ngày {offset + 1} ({offset + 1}/10)"


def parse_local(value: str, settings: Settings) -> dt.datetime:
    """ISO date-time; without an offset it is local time in HOCBOT_TIMEZONE."""
    try:
        t = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CampaignError(f"Thời điểm không hợp lệ: {value!r} (ví dụ 2026-09-24T08:00)") from None
    if t.tzinfo is None:
        t = t.replace(tzinfo=settings.tz)
    return t.astimezone(dt.UTC)


async def add_campaign(
    s: AsyncSession,
    settings: Settings,
    now: dt.datetime,
    *,
    name: str,
    to: str | outbox.GroupSel,
    text: str,
    kind: str,
    **fields: Any,
) -> Campaign:
    """Validate and store a campaign; `fields` are Campaign columns (at, cron, offset_days, hour, …)."""
    if kind not in KINDS:
        raise CampaignError(f"Kiểu lịch không hợp lệ: {kind}")
    if not text.strip():
        raise CampaignError("Nội dung nhắc không được để trống.")
    hour, minute = int(fields.get("hour", 8)), int(fields.get("minute", 0))
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise CampaignError("Giờ phải từ 0 đến 23.")
    if kind == CampaignKind.ONCE and (fields.get("at") is None or fields["at"] <= now):
        raise CampaignError("Thời điểm gửi phải ở tương lai.")
    if kind == CampaignKind.CRON:
        try:
            validate_cron(fields.get("cron") or "", settings.tz)
        except ValueError as exc:
            raise CampaignError(str(exc)) from None
    if kind in (CampaignKind.JOINED, CampaignKind.INACTIVE) and int(fields.get("offset_days", 0)) < 0:
        raise CampaignError("Số ngày phải từ 0 trở lên.")
    try:
        button_of(fields.get("button"), fields.get("button_label"))
    except ValueError as exc:
        raise CampaignError(str(exc)) from None
    groups = audience.dump_groups(await resolve_groups(s, to))
    c = Campaign(name=name[:160], groups=groups, text=text.strip(), kind=kind, created_at=now, **fields)
    s.add(c)
    await s.flush()
    return c


def edit_campaign(
    c: Campaign, *, text: str | None = None, name: str | None = None, hour: int | None = None,
    minute: int | None = None,
) -> Campaign:
    """Change a campaign's text, name or time of day (dashboard “Sửa”, `hocbot campaign edit`); fires already
    made are not affected. Raises CampaignError."""
    if text is not None and not text.strip():
        raise CampaignError("Nội dung nhắc không được để trống.")
    h, m = c.hour if hour is None else hour, c.minute if minute is None else minute
    if not (0 <= h <= 23 and 0 <= m <= 59):
        raise CampaignError("Giờ phải từ 0 đến 23, phút từ 0 đến 59.")
    if text is not None:
        c.text = text.strip()
    if name is not None and name.strip():
        c.name = name.strip()[:160]
    c.hour, c.minute = h, m
    return c


async def remove_campaign(s: AsyncSession, campaign_id: int) -> bool:
    """Delete a campaign and its fire history; deliveries still queued for it are cancelled."""
    c = await s.get(Campaign, campaign_id)
    if c is None:
        return False
    open_ids = (
        await s.exec(
            select(Broadcast.id).where(
                Broadcast.campaign_id == campaign_id, col(Broadcast.status).in_(OPEN_STATUSES)
            )
        )
    ).all()
    for bid in open_ids:
        assert bid is not None
        await outbox.cancel_broadcast(s, bid)
    await s.exec(delete(CampaignFire).where(col(CampaignFire.campaign_id) == campaign_id))  # type: ignore[call-overload]
    await s.delete(c)
    return True


def upcoming(
    c: Campaign, last: dt.datetime | None, now: dt.datetime, settings: Settings,
    starts: tuple[tuple[int, dt.date], ...] = (),
) -> dt.datetime | None:
    """When the campaign will next go out (quiet hours applied), or None. `starts`: each year's first day of the
    Week (handlers.week.campaigns.week_starts), as the scheduler counts a Week-relative campaign from it."""
    if c.paused:
        return None
    after = max(filter(None, [last, now - dt.timedelta(hours=settings.campaign_grace_hours), c.created_at]))
    t = next_fire(rule_of(c, starts), after, settings.tz)
    return defer_quiet(t, settings.quiet_window, settings.tz) if t else None


async def summaries(s: AsyncSession, settings: Settings, now: dt.datetime, week: WeekInfo) -> list[dict[str, Any]]:
    """One dict per campaign: schedule, next/last fire (local), fire and delivery counts, skip reasons."""
    starts = await week_starts(s, week)
    campaigns = (await s.exec(select(Campaign).order_by(col(Campaign.id)))).all()
    fires = (await s.exec(select(CampaignFire).order_by(col(CampaignFire.fire_time)))).all()
    states = await s.exec(  # type: ignore[call-overload]
        select(Broadcast.campaign_id, Delivery.state, func.count())
        .join(Broadcast, col(Broadcast.id) == col(Delivery.broadcast_id))
        .where(col(Broadcast.campaign_id).is_not(None))
        .group_by(col(Broadcast.campaign_id), col(Delivery.state))
    )
    delivered: dict[int, Counter[str]] = {}
    for cid, state, n in states.all():
        delivered.setdefault(int(cid or 0), Counter())[str(state)] += int(n)
    out = []
    for c in campaigns:
        mine = [f for f in fires if f.campaign_id == c.id]
        reasons: Counter[str] = Counter()
        for f in mine:
            reasons.update(json.loads(f.skip_reasons or "{}"))
            if f.status == FireStatus.SKIPPED:
                reasons[f.reason.split(":")[0]] += 1
        last = mine[-1] if mine else None
        last_time = last.fire_time if last else None
        nxt = upcoming(c, last_time, now, settings, starts)
        d = delivered.get(c.id or 0, Counter())
        out.append(
            {
                "id": c.id, "name": c.name, "text": c.text, "kind": c.kind,
                "to": await group_names(s, audience.load_groups(c.groups)), "schedule": describe(c), "paused": c.paused,
                "next_fire": _local(nxt, settings), "last_fire": _local(last_time, settings),
                "last_status": last.status if last else None, "last_reason": last.reason if last else None,
                "fires": len(mine), "fires_skipped": sum(1 for f in mine if f.status == FireStatus.SKIPPED),
                "queued": d["queued"] + d["sending"], "sent": d["sent"],
                "failed": d["failed"] + d["unreachable"], "blocked": d["blocked"], "gone": d["gone"],
                "skipped": sum(reasons.values()), "skip_reasons": dict(reasons),
            }
        )  # fmt: skip
    return out


def _local(t: dt.datetime | None, settings: Settings) -> str | None:
    return t.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M") if t else None


def describe(c: Campaign) -> str:
    """The schedule in Vietnamese, e.g. “7 ngày trước Tuần lễ, 08:00”."""
    at = f"{c.hour:02d}:{c.minute:02d}"
    if c.kind == CampaignKind.ONCE:
        return "một lần"
    if c.kind == CampaignKind.CRON:
        return f"lặp lại (cron “{c.cron}”)"
    if c.kind == CampaignKind.WEEK:
        d = c.offset_days
        when = (
            f"{-d} ngày trước Tuần lễ"
            if d < 0
            else f"ngày thứ {d + 1} của Tuần lễ"
            if d < 7
            else f"{d} ngày sau 1/10"
        )
        return f"{when}{f' {c.year}' if c.year else ''}, {at}"
    if c.kind == CampaignKind.JOINED:
        return f"{c.offset_days} ngày sau khi đăng ký, {at}"
    return f"sau {c.offset_days} ngày không hoạt động, {at}"


async def week_plan(
    s: AsyncSession, settings: Settings, now: dt.datetime, week: WeekInfo, year: int, to: str | outbox.GroupSel,
    hour: int = 8, **fields: Any,
) -> list[Campaign]:
    """The default Week plan: a week before, the day before, and each of the 7 days, texts from content. The same
    year's plan for the same groups twice is refused (CampaignError), whoever asks (dashboard, CLI)."""
    missing = [key for key, _ in WEEK_PLAN if key not in week.reminders]
    if missing:
        raise CampaignError(f"content/data/week.yaml thiếu lời nhắc: {', '.join(missing)}")
    sel = await resolve_groups(s, to)
    offsets = [offset for _, offset in WEEK_PLAN]
    stored = audience.dump_groups(sel)
    dup = select(Campaign.id).where(col(Campaign.kind) == CampaignKind.WEEK, col(Campaign.year) == year,
                                    col(Campaign.groups) == stored, col(Campaign.offset_days).in_(offsets))  # fmt: skip
    if (await s.exec(dup)).first() is not None:
        raise CampaignError(E_PLAN_EXISTS.format(year=year))
    made = []
    for key, offset in WEEK_PLAN:
        made.append(
            await add_campaign(
                s, settings, now, name=f"Tuần lễ {year} — {plan_label(offset)}", to=sel, text=week.reminders[key],
                kind="week", offset_days=offset, hour=hour, year=year,
                button="module:m1" if key == "day_1" else None, **fields,
            )
        )  # fmt: skip
    return made
