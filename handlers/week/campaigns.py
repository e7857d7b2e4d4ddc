"""Campaign engine: find due fires, record each fire once, queue its deliveries in the outbox.

The database is the truth. A fire is claimed by INSERTing its CampaignFire row (unique per campaign and
scheduled time) in the SAME transaction that writes the Broadcast, its Delivery rows and the daily-cap
log, so a crash leaves either nothing (the fire is retried) or everything (the fire is done). A restart,
a second worker or a clock jump therefore never sends one fire twice. `tick(services, now)` is the whole
step; the APScheduler job (scheduler/runner.py) only calls it, and tests call it with a moved clock.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, delete, func, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.context import Services
from bot.core.payloads import button_of
from bot.db.models import User
from bot.db.models_campaigns import Campaign, CampaignFire, CampaignKind, CampaignSend, FireStatus, NudgeState
from content.schema import WeekInfo
from handlers.officers import audience, outbox
from handlers.week.schedule import Rule, defer_quiet, fires_between, local_at

log = logging.getLogger(__name__)

R_QUIET = "quiet hours"
R_CAP = "daily cap"
R_UNSUB = "unsubscribed"
R_PAUSED = "reminders paused"
R_MISSED = "missed"
MAX_CATCH_UP = 100  # fires looked at per campaign per tick (a cron every minute after a long outage)


@dataclass
class FireResult:
    """What one fire did (also what `hocbot campaign list` summarises)."""

    campaign_id: int
    fire_time: dt.datetime
    status: FireStatus
    reason: str = ""
    queued: int = 0
    skipped: int = 0
    skip_reasons: dict[str, int] = field(default_factory=dict)


def rule_of(c: Campaign, week_starts: tuple[tuple[int, dt.date], ...] = ()) -> Rule:
    """The schedule of a campaign; Week-relative ones count from each year's first day of the Week."""
    return Rule(c.kind, c.at, c.cron, c.offset_days, c.hour, c.minute, c.year, week_starts)


async def week_starts(s: AsyncSession, info: WeekInfo) -> tuple[tuple[int, dt.date], ...]:
    """The first day of each year's Week (week.yaml's years, then what officers set), for Rule.week_starts: what
    fires a Week-relative campaign and what every screen shows as its next run."""
    from handlers.week.service import merged, overrides

    set_by_officer = {o.year: o for o in await overrides(s)}
    years = {y.year for y in info.years} | set(set_by_officer)
    return tuple(sorted((y, merged(info, y, set_by_officer.get(y)).start) for y in years))



async def tick(services: Services, now: dt.datetime | None = None) -> list[FireResult]:
    """Run every fire that is due at `now` (default: the services clock), oldest first."""
    now = now or services.now()
    async with services.db.session() as s:
        campaigns = list((await s.exec(select(Campaign).where(col(Campaign.paused).is_(False)))).all())
        rows = await s.exec(  # type: ignore[call-overload]
            select(CampaignFire.campaign_id, func.max(CampaignFire.fire_time)).group_by(col(CampaignFire.campaign_id))
        )
        cursors: dict[int, dt.datetime] = {int(cid): t for cid, t in rows.all()}
        weekly = any(c.kind == CampaignKind.WEEK for c in campaigns)
        starts = await week_starts(s, services.catalog.week) if weekly else ()
    results: list[FireResult] = []
    for c in campaigns:
        assert c.id is not None
        after = cursors.get(c.id) or c.created_at - dt.timedelta(seconds=1)
        results.extend(await _run_campaign(services, c, after, now, starts))
    return results


async def _run_campaign(
    services: Services, c: Campaign, after: dt.datetime, now: dt.datetime, starts: tuple[tuple[int, dt.date], ...] = ()
) -> list[FireResult]:
    settings = services.settings
    out: list[FireResult] = []
    for t in fires_between(rule_of(c, starts), after, now, settings.tz, limit=MAX_CATCH_UP):
        due = defer_quiet(t, settings.quiet_window, settings.tz)
        if due > now:
            break  # deferred to the morning; later fires are not due either
        try:
            res = await fire(services, c, t, due, now)
        except IntegrityError:
            log.info("campaign %s fire %s already recorded elsewhere", c.id, t)
            continue
        out.append(res)
    return out


async def fire(services: Services, c: Campaign, t: dt.datetime, due: dt.datetime, now: dt.datetime) -> FireResult:
    """Claim fire `t` of campaign `c` and queue it; IntegrityError if another worker already has it."""
    assert c.id is not None
    settings = services.settings
    grace = dt.timedelta(hours=settings.campaign_grace_hours)
    note = f"{R_QUIET}: deferred to {due.astimezone(settings.tz):%H:%M}" if due != t else ""
    async with services.db.session() as s:
        row = CampaignFire(campaign_id=c.id, fire_time=t, status=FireStatus.SENT, reason=note, done_at=now)
        s.add(row)
        await s.flush()  # the claim: a unique conflict raises here
        if now - due > grace:
            late = (now - due).total_seconds() / 3600
            row.status = FireStatus.SKIPPED
            row.reason = f"{R_MISSED}: {late:.1f} h late (grace {settings.campaign_grace_hours:g} h)"
            return FireResult(c.id, t, FireStatus.SKIPPED, row.reason)
        recipients, skips = await campaign_audience(s, c, services, now)
        label, data = button_of(c.button, c.button_label)
        b = await outbox.create_broadcast(
            s,
            text=c.text,
            created_by=f"campaign:{c.id}",
            group_ids=audience.load_groups(c.groups),
            kind="campaign",
            campaign_id=c.id,
            button_label=label,
            button_data=data,
        )
        assert b.id is not None and row.id is not None
        queued = await outbox.enqueue_broadcast(s, broadcast_id=b.id, recipients=recipients)
        await log_sends(s, {r[0] for r in recipients}, c.id, row.id, now, services)
        row.broadcast_id, row.queued = b.id, queued
        row.skipped, row.skip_reasons = sum(skips.values()), json.dumps(skips)
        log.info("campaign %s fired (%s): %d queued, skipped %s", c.id, t, queued, skips or "none")
        return FireResult(c.id, t, FireStatus.SENT, note, queued, row.skipped, dict(skips))


async def campaign_audience(
    s: AsyncSession, c: Campaign, services: Services, now: dt.datetime
) -> tuple[list[outbox.Recipient], dict[str, int]]:
    """Recipients of one fire, and how many group members were left out and why."""
    cond = await audience.groups_condition(s, audience.load_groups(c.groups))
    rows = await audience.person_rows(s, and_(cond, _relative(c, services, now)), col(User.subscribed),
                                      col(User.reminders_paused), subscribed=False)  # fmt: skip
    assert c.id is not None
    capped = await capped_users(s, services, now, c.id)
    reasons: dict[int, str] = {}
    recipients: list[outbox.Recipient] = []
    for uid, channel, chat, subscribed, paused in rows:
        why = R_UNSUB if not subscribed else R_PAUSED if paused else R_CAP if uid in capped else None
        if why:
            reasons[uid] = why
        else:
            recipients.append((int(uid), str(channel), str(chat)))
    return recipients, dict(Counter(reasons.values()))


def _relative(c: Campaign, services: Services, now: dt.datetime) -> Any:
    """Per-subscriber kinds: only users who joined / were last active exactly N local days ago."""
    if c.kind not in (CampaignKind.JOINED, CampaignKind.INACTIVE):
        return True
    tz = services.settings.tz
    day = now.astimezone(tz).date() - dt.timedelta(days=c.offset_days)
    lo, hi = local_at(day, 0, 0, tz), local_at(day + dt.timedelta(days=1), 0, 0, tz)
    column = col(User.consent_at) if c.kind == CampaignKind.JOINED else col(User.last_active_at)
    return and_(column >= lo, column < hi)


async def capped_users(s: AsyncSession, services: Services, now: dt.datetime, campaign_id: int) -> set[int]:
    """Users who already got their daily share of campaign messages (or this campaign) today."""
    cap = services.settings.campaign_daily_cap
    today = now.astimezone(services.settings.tz).date()
    stmt = (
        select(CampaignSend.user_id)
        .where(CampaignSend.local_date == today)
        .group_by(col(CampaignSend.user_id))
        .having(
            (func.count() >= cap) | (func.max(case((col(CampaignSend.campaign_id) == campaign_id, 1), else_=0)) > 0)
        )
    )
    return {int(u) for u in (await s.exec(stmt)).all()}


async def log_sends(
    s: AsyncSession,
    user_ids: set[int],
    campaign_id: int,
    fire_id: int | None,
    now: dt.datetime,
    services: Services,
) -> None:
    """Write the daily-cap log: one row per user and local day and campaign (0 = a nudge)."""
    today = now.astimezone(services.settings.tz).date()
    rows = [
        {"user_id": u, "local_date": today, "campaign_id": campaign_id, "fire_id": fire_id, "at": now}
        for u in sorted(user_ids)
    ]
    table: Any = CampaignSend.__table__  # type: ignore[attr-defined]
    conn = await s.connection()
    for i in range(0, len(rows), outbox.BATCH):
        await conn.execute(insert(table), rows[i : i + outbox.BATCH])


async def forget(s: AsyncSession, user_id: int) -> None:
    """/xoadulieu: drop the user's campaign send log and nudge state."""
    await s.exec(delete(CampaignSend).where(col(CampaignSend.user_id) == user_id))  # type: ignore[call-overload]
    await s.exec(delete(NudgeState).where(col(NudgeState.user_id) == user_id))  # type: ignore[call-overload]
