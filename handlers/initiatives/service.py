"""Platform-free service of the initiatives (“sáng kiến”): it owns every query on the initiatives table.

A citizen (or the registrant of a learning unit, for the unit) sends a short text and, on Telegram, a photo kept
as its file_id. Officers whose places cover the initiative's commune shortlist and praise it (audited; the sender
is told through the outbox) and publish praised ones as a broadcast draft to their groups: the same outbox, the
same preview and “Gửi” as every announcement."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db import repo
from bot.db.models import Identity
from bot.db.models_initiatives import NEW, PRAISED, SHORTLISTED, Initiative
from bot.db.models_officers import Broadcast
from bot.db.repo import FORGOTTEN_ACTOR
from handlers.initiatives import texts as t
from handlers.officers import audience, outbox
from handlers.officers.scope import OfficerInfo, place_condition, place_in_scope

TEXT_MIN, TEXT_MAX = 20, 1500
PUBLISH_MAX = 5  # initiatives in one announcement: it stays readable on a phone
# action → (states it applies to, the state it leads to)
DECISIONS = {
    "shortlist": ((NEW,), SHORTLISTED),
    "unshortlist": ((SHORTLISTED,), NEW),
    "praise": ((NEW, SHORTLISTED), PRAISED),
}


async def submit(
    s: AsyncSession, *, user_id: int, author: str, text: str, province: str | None, commune: str | None,
    channel: str, photo: str | None = None, unit_id: int | None = None,
) -> Initiative:  # fmt: skip
    row = Initiative(user_id=user_id, unit_id=unit_id, author=author[:160], province=province, commune=commune,
                     text=text[:TEXT_MAX], channel=channel, photo=(photo or None) and photo[:300])  # fmt: skip
    s.add(row)
    await s.flush()
    await repo.audit(s, f"user:{user_id}", "sangkien.submit", {"initiative": row.id, "photo": bool(photo)})
    return row


async def mine(s: AsyncSession, user_id: int, limit: int = 10) -> list[Initiative]:
    stmt = select(Initiative).where(Initiative.user_id == user_id).order_by(col(Initiative.id).desc())
    return list((await s.exec(stmt.limit(limit))).all())


async def in_scope(
    s: AsyncSession, officer: OfficerInfo, statuses: tuple[str, ...] = (), limit: int = 50
) -> list[Initiative]:
    """The initiatives from the officer's places, newest first."""
    stmt = select(Initiative)
    cond = place_condition(officer, col(Initiative.province), col(Initiative.commune))
    if cond is not None:
        stmt = stmt.where(cond)
    if statuses:
        stmt = stmt.where(col(Initiative.status).in_(statuses))
    return list((await s.exec(stmt.order_by(col(Initiative.id).desc()).limit(limit))).all())


async def for_officer(s: AsyncSession, officer: OfficerInfo, initiative_id: int | None, action: str) -> Initiative:
    """The initiative if it is in the officer's scope; otherwise the refusal is audited and ScopeError raised."""
    from handlers.officers.scope import refuse

    row = await s.get(Initiative, initiative_id) if initiative_id is not None else None
    if row is None or not place_in_scope(officer, row.province, row.commune):
        await refuse(s, officer, action, {"initiative": initiative_id})
    assert row is not None
    return row


async def decide(
    s: AsyncSession, officer: OfficerInfo, row: Initiative, action: str, now: dt.datetime, *,
    actor: str | None = None, tz: Any = dt.UTC,
) -> bool:  # fmt: skip
    """shortlist | unshortlist | praise: False when the initiative is not in a state for it. Audited (as
    `actor`, default the officer's chat account); a praised sender is told through the outbox (the caller
    wakes the pacer after its commit)."""
    allowed, to = DECISIONS.get(action, ((), ""))
    if row.status not in allowed:
        return False
    row.status, row.decided_at, row.decided_by = to, now, officer.actor
    s.add(row)
    await repo.audit(s, actor or officer.actor, f"sangkien.{action}", {"initiative": row.id})
    if action == "praise":
        day = row.created_at.astimezone(tz).strftime("%d/%m/%Y")
        await _tell(s, row.user_id, t.TELL_PRAISED.format(id=row.id, day=day))
    return True


async def _tell(s: AsyncSession, user_id: int, text: str) -> int:
    """One message to the sender through the outbox (quiet hours apply); it names no personal data."""
    reach = await audience.reachable_identities(s, [user_id])
    if not reach:
        return 0
    b = await outbox.create_broadcast(s, text=text, created_by="sangkien", group_ids=[], kind="campaign")
    assert b.id is not None
    return await outbox.enqueue_broadcast(s, broadcast_id=b.id, recipients=list(reach.values()))


def block(row: Initiative) -> str:
    """One initiative as it reads in the announcement (also how it is found again when its sender leaves)."""
    place = ", ".join(p for p in (row.commune, row.province) if p)
    who = f"{row.author} ({place})" if place else row.author
    return t.PUBLISH_ITEM.format(who=who, text=row.text)


def publish_text(rows: list[Initiative]) -> str:
    return "\n\n".join([t.PUBLISH_HEAD, *(block(r) for r in rows), t.PUBLISH_TAIL])


def publish_photo(rows: list[Initiative]) -> str | None:
    """The photo of a single initiative goes with the announcement; with several, none is picked over another."""
    return rows[0].photo if len(rows) == 1 else None


async def publish(
    s: AsyncSession, officer: OfficerInfo, rows: list[Initiative], group_ids: outbox.GroupSel, *,
    actor: str | None = None, report: tuple[str, str | None] | None = None,
) -> Broadcast:  # fmt: skip
    """A broadcast DRAFT with the praised initiatives (the caller checked the groups): the officer previews it
    and presses “Gửi” as for any announcement. Audited; the initiatives remember the broadcast."""
    b = await outbox.create_broadcast(
        s, text=publish_text(rows), photo=publish_photo(rows), created_by=officer.actor, group_ids=group_ids,
        officer_id=officer.officer_id, report_channel=report[0] if report else None,
        report_chat_id=report[1] if report else None,
    )  # fmt: skip
    for row in rows:
        row.broadcast_id = b.id
        s.add(row)
    await repo.audit(s, actor or officer.actor, "sangkien.publish",
                     {"broadcast_id": b.id, "initiatives": [r.id for r in rows]})  # fmt: skip
    return b


async def forget(s: AsyncSession, user_id: int) -> None:
    """/xoadulieu: the person's initiatives are deleted, and taken out of the announcements that published them."""
    rows = list((await s.exec(select(Initiative).where(Initiative.user_id == user_id))).all())
    for row in rows:
        if row.broadcast_id is None:
            continue
        # every announcement that carried it, a cancelled earlier draft too (the text is the same)
        stmt = select(Broadcast).where(col(Broadcast.created_at) >= row.created_at,
                                       col(Broadcast.text).contains(block(row), autoescape=True))  # fmt: skip
        for b in (await s.exec(stmt)).all():
            b.text = b.text.replace(block(row), t.PUBLISH_REMOVED)
            if row.photo and b.photo == row.photo:
                b.photo = None
            s.add(b)
    if rows:
        await s.exec(delete(Initiative).where(col(Initiative.user_id) == user_id))  # type: ignore[call-overload]
    accounts = (await s.exec(select(Identity).where(Identity.user_id == user_id))).all()
    actors = [f"{a.channel}:{a.external_id}" for a in accounts]
    if actors:  # an officer who leaves: their decisions stay, their account is not named
        await s.exec(update(Initiative).where(col(Initiative.decided_by).in_(actors))  # type: ignore[call-overload]
                     .values(decided_by=FORGOTTEN_ACTOR))  # fmt: skip
