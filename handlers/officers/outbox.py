"""The delivery outbox: broadcasts and their per-recipient Delivery rows (DESIGN principle 5).

Stable API (broadcasts from officers and campaign firings both use it; the pacer in scheduler/pacer.py
drains the rows at the channel's rate):

    b = await create_broadcast(session, text=..., created_by="cli", group_ids=[1, 2] | "all",
                               kind="broadcast" | "campaign", campaign_id=None, photo=None,
                               button_label=None, button_data=None,  # data = bot.core.callback.pack(...)
                               report_channel=None, report_chat_id=None)  # where the report goes
    recipients = await select_recipients(session, [1, 2] | "all")  # [(user_id, channel, chat_id)]
    n = await enqueue_broadcast(session, broadcast_id=b.id, recipients=recipients)  # bulk, queued
    # or in one call:  n = await queue_broadcast(session, b)   (recipients of b.group_ids)
    counts = await broadcast_counts(session, b.id)  # {"queued": .., "sent": .., ...}
    reply = broadcast_reply(b)  # exactly what citizens see
    text = await report_text(session, b.id)  # the officer's report
    services.wake_outbox()  # optional, AFTER the commit (ctx.after_commit in handlers): claims at once

Who the recipients are is decided in ONE place, handlers/officers/audience.py (re-exported here): one delivery per
PERSON (consented, subscribed, not deleted) on their most recently used identity that a pushed message can
reach. Locality groups (kind "locality") match User.province (and User.commune when the group has one)
without membership rows; code and interest groups match Membership rows. A user in several chosen groups
gets one delivery (unique key (broadcast_id, user_id, channel); re-enqueueing is a no-op for existing rows).

All functions take the caller's AsyncSession and do not commit (the caller's unit of work does).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, insert, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.messages import Choice, Reply
from bot.db.models import utcnow
from bot.db.models_officers import FAILED, OPEN_STATUSES, QUEUED, SKIPPED, STATES, Broadcast, BroadcastStatus, Delivery
from handlers.officers import reasons
from handlers.officers.audience import GroupSel as GroupSel  # re-exported: the one definition
from handlers.officers.audience import Recipient as Recipient
from handlers.officers.audience import dump_groups, load_groups
from handlers.officers.audience import groups_condition as groups_condition
from handlers.officers.audience import select_recipients as select_recipients

BATCH = 2000


async def create_broadcast(
    session: AsyncSession,
    *,
    text: str,
    created_by: str,
    group_ids: GroupSel,
    kind: str = "broadcast",
    campaign_id: int | None = None,
    photo: str | None = None,
    button_label: str | None = None,
    button_data: str | None = None,
    report_channel: str | None = None,
    report_chat_id: str | None = None,
    officer_id: int | None = None,
    status: str = BroadcastStatus.DRAFT,
) -> Broadcast:
    """Insert a Broadcast row (flushed, so `id` is set); no deliveries yet."""
    b = Broadcast(
        text=text,
        created_by=created_by,
        group_ids=dump_groups(group_ids),
        kind=kind,
        campaign_id=campaign_id,
        photo=photo,
        button_label=button_label,
        button_data=button_data,
        report_channel=report_channel,
        report_chat_id=report_chat_id,
        officer_id=officer_id,
        status=status,
    )
    session.add(b)
    await session.flush()
    return b


async def enqueue_broadcast(
    session: AsyncSession, *, broadcast_id: int, recipients: Iterable[Recipient]
) -> int:
    """Bulk-insert one queued Delivery per recipient (duplicates skipped); mark the broadcast queued.

    Returns the number of distinct recipients queued by this call. 10,000 rows take well under a second.
    """
    now = utcnow()
    seen: set[tuple[int, str]] = set()
    rows: list[dict[str, Any]] = []
    for user_id, channel, chat_id in recipients:
        if (user_id, channel) in seen:
            continue
        seen.add((user_id, channel))
        rows.append(
            {"broadcast_id": broadcast_id, "user_id": user_id, "channel": channel, "chat_id": chat_id,
             "state": QUEUED, "attempts": 0, "next_attempt_at": now}
        )
    existing = set(
        (await session.exec(  # type: ignore[call-overload]
            select(Delivery.user_id, Delivery.channel).where(Delivery.broadcast_id == broadcast_id)
        )).all()
    )
    rows = [r for r in rows if (r["user_id"], r["channel"]) not in existing]
    table: Any = Delivery.__table__  # type: ignore[attr-defined]
    for i in range(0, len(rows), BATCH):
        await session.execute(insert(table), rows[i : i + BATCH])
    total = len(existing) + len(rows)
    await session.execute(
        update(Broadcast)
        .where(col(Broadcast.id) == broadcast_id, col(Broadcast.status).in_([BroadcastStatus.DRAFT, *OPEN_STATUSES]))
        .values(status=BroadcastStatus.QUEUED if total else BroadcastStatus.DONE, recipients=total,
                finished_at=None if total else now)
    )
    return len(rows)


async def queue_broadcast(session: AsyncSession, b: Broadcast) -> int:
    """Select the recipients of the broadcast's groups and enqueue them."""
    assert b.id is not None
    return await enqueue_broadcast(
        session, broadcast_id=b.id, recipients=await select_recipients(session, load_groups(b.group_ids))
    )


async def broadcast_counts(session: AsyncSession, broadcast_id: int) -> dict[str, int]:
    """Deliveries per state, every state present (0 when none)."""
    stmt = (
        select(Delivery.state, func.count())
        .where(Delivery.broadcast_id == broadcast_id)
        .group_by(col(Delivery.state))
    )
    counts: dict[str, int] = dict.fromkeys(STATES, 0)
    for state, n in (await session.exec(stmt)).all():  # type: ignore[call-overload]
        counts[str(state)] = int(n)
    return counts


async def failure_reasons(session: AsyncSession, broadcast_id: int, limit: int = 5) -> list[tuple[str, int]]:
    """Why messages failed, in Vietnamese (handlers/officers/reasons.py), most frequent first."""
    stmt = (
        select(Delivery.last_error, func.count())
        .where(Delivery.broadcast_id == broadcast_id, Delivery.state == FAILED)
        .group_by(col(Delivery.last_error))
    )
    by_label: Counter[str] = Counter()
    for r, n in (await session.exec(stmt)).all():  # type: ignore[call-overload]
        by_label[reasons.label(FAILED, r) or "không rõ"] += int(n)
    return by_label.most_common(limit)


async def cancel_broadcast(session: AsyncSession, broadcast_id: int) -> int:
    """Cancel: queued deliveries become skipped; returns how many were still queued."""
    res: Any = await session.execute(
        update(Delivery)
        .where(col(Delivery.broadcast_id) == broadcast_id, col(Delivery.state) == QUEUED)
        .values(state=SKIPPED, last_error="cancelled")
    )
    await session.execute(
        update(Broadcast)
        .where(col(Broadcast.id) == broadcast_id)
        .values(status=BroadcastStatus.CANCELLED, finished_at=utcnow())
    )
    return int(res.rowcount or 0)


def broadcast_reply(b: Broadcast) -> Reply:
    """The message exactly as citizens receive it (used by the preview and by the pacer)."""
    choices = [Choice(b.button_label, b.button_data)] if b.button_data and b.button_label else []
    return Reply(text=b.text, image=b.photo or None, choices=choices)


async def report_text(session: AsyncSession, broadcast_id: int) -> str:
    """The officer's report: sent, failed (with reasons), blocked, unreachable, skipped."""
    c = await broadcast_counts(session, broadcast_id)
    lines = [f"📊 Kết quả thông báo #{broadcast_id}:", f"✅ Đã gửi: {c['sent']}"]
    lines.append(f"❌ Gửi lỗi: {c['failed']}")
    for reason, n in await failure_reasons(session, broadcast_id):
        lines.append(f"   • {reason}: {n}")
    lines.append(f"🚫 Đã chặn bot: {c['blocked']}")
    if c["gone"]:
        lines.append(f"🗑 Tài khoản đã bị xoá: {c['gone']}")
    if c["unreachable"]:
        lines.append(f"📵 Không liên lạc được: {c['unreachable']}")
        lines.append(f"   • {reasons.WINDOW}")
    if c["skipped"]:
        lines.append(f"⏭️ Bỏ qua (đã hủy nhận tin hoặc đã hủy gửi): {c['skipped']}")
    return "\n".join(lines)
