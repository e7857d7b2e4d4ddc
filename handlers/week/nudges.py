"""Learner nudges: “continue where you left off” after 3, 7 and 14 days without learning, then silence.

A learner with an unfinished module (bot/db/models_learning.LessonProgress, completed_at NULL) whose
latest learning activity is N days old gets nudge k when N ≥ NUDGE_DAYS[k]. NudgeState keeps the step;
learning again (a newer LessonProgress.updated_at than the last nudge) resets it. Nudges go through the
outbox like campaigns and count towards the daily cap (CampaignSend with campaign_id 0).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.context import Services
from bot.core.payloads import OpenModule
from bot.db.models import User
from bot.db.models_campaigns import NudgeState
from bot.db.models_learning import LessonProgress
from handlers.officers import audience, outbox
from handlers.week.campaigns import capped_users, log_sends
from handlers.week.schedule import in_quiet

NUDGE_DAYS = (3, 7, 14)
NUDGE_HOUR = 9  # local: nudges go out from 09:00, never in quiet hours
NUDGE_CAMPAIGN_ID = 0
MIN_GAP = dt.timedelta(days=3)
LOOKBACK_DAYS = 30  # progress older than this is past the last nudge
NUDGE_TEXTS = (
    "👋 Chào bạn! Bạn đang học dở “{module}”. Học tiếp bài kế nhé, chỉ mất khoảng 5 phút thôi.",
    "📚 Bài “{module}” vẫn đang chờ bạn. Mỗi ngày học một chút là tiến bộ nhiều đấy!",
    "☕ Rảnh tay một chút? Mở lại “{module}” và học tiếp từ chỗ bạn đã dừng nhé.",
    "🌱 Lâu rồi chưa thấy bạn ghé lớp. “{module}” còn vài bài nữa là xong, cố lên!",
)
NUDGE_LAST = (
    "🙏 Đây là lời nhắc cuối: “{module}” vẫn còn dang dở. Khi nào rảnh, bạn bấm “Học tiếp” hoặc gõ /hoc nhé."
)
CONTINUE_LABEL = "▶️ Học tiếp"


@dataclass(frozen=True)
class Nudge:
    user_id: int
    module_id: str
    step: int  # the step this nudge completes (1..3)
    text: str


def nudge_text(module_title: str, user_id: int, step: int) -> str:
    """Texts vary by learner and step; the last one says it is the last."""
    if step >= len(NUDGE_DAYS):
        return NUDGE_LAST.format(module=module_title)
    return NUDGE_TEXTS[(user_id + step) % len(NUDGE_TEXTS)].format(module=module_title)


def nudges_allowed(services: Services, now: dt.datetime) -> bool:
    settings = services.settings
    return now.astimezone(settings.tz).hour >= NUDGE_HOUR and not in_quiet(
        now, settings.quiet_window, settings.tz
    )


async def due_nudges(s: AsyncSession, services: Services, now: dt.datetime) -> list[Nudge]:
    """Which learners get a nudge now, and which one."""
    first = dt.timedelta(days=NUDGE_DAYS[0])
    stmt = (
        select(LessonProgress)
        .join(User, col(User.id) == col(LessonProgress.user_id))
        .where(col(LessonProgress.completed_at).is_(None), col(LessonProgress.seen) > 0)
        .where(col(LessonProgress.updated_at) <= now - first)
        .where(col(LessonProgress.updated_at) >= now - dt.timedelta(days=LOOKBACK_DAYS))
        .where(audience.person_ok(), col(User.reminders_paused).is_(False))
    )
    unfinished = list((await s.exec(stmt)).all())
    if not unfinished:
        return []
    uids = sorted({p.user_id for p in unfinished})
    latest = await _latest_learning(s, uids)
    states = {
        (n.user_id, n.module_id): n
        for n in (await s.exec(select(NudgeState).where(col(NudgeState.user_id).in_(uids)))).all()
    }
    capped = await capped_users(s, services, now, NUDGE_CAMPAIGN_ID)
    by_user: dict[int, list[LessonProgress]] = defaultdict(list)
    for p in unfinished:
        by_user[p.user_id].append(p)
    out: list[Nudge] = []
    for uid, rows in by_user.items():
        last = latest[uid]
        if now - last < first or uid in capped:
            continue
        p = max(rows, key=lambda r: (r.updated_at, r.id or 0))
        state = states.get((uid, p.module_id))
        came_back = state is None or state.last_sent_at is None or state.last_sent_at < last
        step = 0 if came_back else state.step  # type: ignore[union-attr]
        if not came_back and now - state.last_sent_at < MIN_GAP:  # type: ignore[union-attr,operator]
            continue  # after an outage: one nudge at a time, not three in a row
        if step >= len(NUDGE_DAYS) or now - last < dt.timedelta(days=NUDGE_DAYS[step]):
            continue
        module = services.catalog.module(p.module_id) if services.catalog else None
        title = module.title if module else p.module_id
        out.append(Nudge(uid, p.module_id, step + 1, nudge_text(title, uid, step + 1)))
    return out


async def _latest_learning(s: AsyncSession, uids: list[int]) -> dict[int, dt.datetime]:
    stmt = (
        select(LessonProgress.user_id, func.max(LessonProgress.updated_at))
        .where(col(LessonProgress.user_id).in_(uids))
        .group_by(col(LessonProgress.user_id))
    )
    return {int(u): t for u, t in (await s.exec(stmt)).all()}  # type: ignore[call-overload]


async def run_nudges(services: Services, now: dt.datetime | None = None) -> list[Nudge]:
    """Queue today's nudges through the outbox (one broadcast per distinct text)."""
    now = now or services.now()
    if not nudges_allowed(services, now):
        return []
    async with services.db.session() as s:
        nudges = await due_nudges(s, services, now)
        if not nudges:
            return []
        await _queue(s, nudges)
        await _advance(s, nudges, now)
        await log_sends(s, {n.user_id for n in nudges}, NUDGE_CAMPAIGN_ID, None, now, services)
    return nudges


async def _queue(s: AsyncSession, nudges: list[Nudge]) -> None:
    by_user = await audience.reachable_identities(s, [n.user_id for n in nudges])
    by_text: dict[tuple[str, str], list[outbox.Recipient]] = defaultdict(list)
    for n in nudges:
        if n.user_id in by_user:
            by_text[(n.module_id, n.text)].append(by_user[n.user_id])
    for (module_id, text), recipients in by_text.items():
        label, data = CONTINUE_LABEL, OpenModule(module_id).pack()
        b = await outbox.create_broadcast(
            s,
            text=text,
            created_by="nudge",
            group_ids=[],
            kind="campaign",
            button_label=label,
            button_data=data,
        )
        assert b.id is not None
        await outbox.enqueue_broadcast(s, broadcast_id=b.id, recipients=recipients)


async def _advance(s: AsyncSession, nudges: list[Nudge], now: dt.datetime) -> None:
    keys = [(n.user_id, n.module_id) for n in nudges]
    rows = await s.exec(select(NudgeState).where(col(NudgeState.user_id).in_([k[0] for k in keys])))
    states = {(r.user_id, r.module_id): r for r in rows.all()}
    for n in nudges:
        state = states.get((n.user_id, n.module_id)) or NudgeState(user_id=n.user_id, module_id=n.module_id)
        state.step, state.last_sent_at = n.step, now
        s.add(state)
