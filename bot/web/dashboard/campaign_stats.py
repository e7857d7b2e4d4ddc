"""The campaign list's numbers in three aggregate queries (fires per campaign, the last fire, deliveries per
state), whatever the length of the fire history; next fires come from scheduler/campaign_store.upcoming."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Group
from bot.db.models_campaigns import Campaign, CampaignFire, FireStatus
from bot.db.models_officers import Broadcast, Delivery
from bot.settings import Settings
from content.schema import WeekInfo
from handlers.officers.audience import load_groups
from handlers.officers.reasons import skip_label
from handlers.week import campaign_store as store


async def _fires(s: AsyncSession, ids: list[int]) -> dict[int, tuple[int, int, int, dt.datetime | None]]:
    """campaign id → (fires, skipped fires, recipients skipped, last fire time)."""
    skipped_fire = func.sum(case((col(CampaignFire.status) == FireStatus.SKIPPED, 1), else_=0))
    stmt = (
        select(col(CampaignFire.campaign_id), func.count(), skipped_fire,
               func.coalesce(func.sum(col(CampaignFire.skipped)), 0), func.max(col(CampaignFire.fire_time)))
        .where(col(CampaignFire.campaign_id).in_(ids))
        .group_by(col(CampaignFire.campaign_id))
    )  # fmt: skip
    rows = (await s.execute(stmt)).all()
    return {int(c): (int(n), int(sk or 0), int(rec or 0), last) for c, n, sk, rec, last in rows}


async def _last(s: AsyncSession, ids: list[int]) -> dict[int, tuple[dt.datetime, str, str]]:
    """campaign id → (time, status, reason) of its latest fire (the unique key makes it one row)."""
    latest = (
        select(col(CampaignFire.campaign_id).label("cid"), func.max(col(CampaignFire.fire_time)).label("t"))
        .where(col(CampaignFire.campaign_id).in_(ids))
        .group_by(col(CampaignFire.campaign_id))
        .subquery()
    )
    stmt = select(col(CampaignFire.campaign_id), col(CampaignFire.fire_time), col(CampaignFire.status),
                  col(CampaignFire.reason)).join(latest, and_(col(CampaignFire.campaign_id) == latest.c.cid,
                                                              col(CampaignFire.fire_time) == latest.c.t))  # fmt: skip
    return {int(c): (t, str(st), str(r or "")) for c, t, st, r in (await s.execute(stmt)).all()}


async def _delivered(s: AsyncSession, ids: list[int]) -> dict[int, Counter[str]]:
    stmt = (
        select(col(Broadcast.campaign_id), col(Delivery.state), func.count())
        .join(Broadcast, col(Broadcast.id) == col(Delivery.broadcast_id))
        .where(col(Broadcast.campaign_id).in_(ids))
        .group_by(col(Broadcast.campaign_id), col(Delivery.state))
    )
    out: dict[int, Counter[str]] = {}
    for cid, state, n in (await s.execute(stmt)).all():
        out.setdefault(int(cid), Counter())[str(state)] += int(n)
    return out


def _names(c: Campaign, groups: dict[int, Group]) -> str:
    sel = load_groups(c.groups)
    if sel == "all":
        return "all"
    return ", ".join(groups[i].title or groups[i].name for i in sel if i in groups) or "—"


async def campaign_rows(
    s: AsyncSession, settings: Settings, now: dt.datetime, campaigns: list[Campaign], groups: dict[int, Group],
    week: WeekInfo,
) -> list[dict[str, Any]]:
    """One dict per campaign (the keys `hocbot campaign list --json` prints), in id order."""
    ids = [c.id for c in campaigns if c.id is not None]
    if not ids:
        return []
    fires, last, delivered = await _fires(s, ids), await _last(s, ids), await _delivered(s, ids)
    starts = await store.week_starts(s, week)
    out = []
    for c in sorted(campaigns, key=lambda c: c.id or 0):
        n, skipped_fires, skipped, _ = fires.get(c.id or 0, (0, 0, 0, None))
        lt, lstatus, lreason = last.get(c.id or 0, (None, None, None))
        d = delivered.get(c.id or 0, Counter())
        out.append({
            "id": c.id, "name": c.name, "text": c.text, "kind": c.kind, "to": _names(c, groups),
            "schedule": store.describe(c),
            "paused": c.paused, "next_fire": store._local(store.upcoming(c, lt, now, settings, starts), settings),
            "last_fire": store._local(lt, settings), "last_status": lstatus, "last_reason": skip_label(lreason),
            "fires": n, "fires_skipped": skipped_fires, "queued": d["queued"] + d["sending"], "sent": d["sent"],
            "failed": d["failed"] + d["unreachable"], "blocked": d["blocked"], "gone": d["gone"],
            "skipped": skipped + skipped_fires,
        })  # fmt: skip
    return out


