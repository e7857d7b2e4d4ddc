"""Who receives officers' messages, and which groups an officer's “--to” means: ONE definition each.

A recipient (“người nhận tin”, “đang nhận tin” everywhere: the chat preview of /thongbao, /thongke, the dashboard
cards, group page and broadcast draft, `hocbot stats`, `hocbot group list`, `hocbot broadcast send`) is a
PERSON — a User, counted once however many channels they linked — who

  * consented, is subscribed and has not deleted their data                      (`person_ok()`), and
  * has at least one identity that can get a message we start: active (the bot was not blocked and the account
    was not deleted or deactivated: the pacer marks those inactive) on a channel that can push
    (`receives_pushed(channel)`)                                                  (`reachable_identity()`).

`recipient_filter()` is that rule as a WHERE clause on User (for bulk GROUP BY counts, e.g. the dashboard's per
unit numbers); `count_people(s, sel)` counts it for a group selection; `select_recipients(s, sel)` lists one
(user_id, channel, chat_id) per person — the identity they used last — which is what the outbox queues, so “Gửi
tới N người” and the report's total are the same N.

Channel capability: an adapter that keeps and shows pushed messages (broadcasts, reminders) can push; the console
never can. The web chat can: it keeps pushed messages in its session's inbox (web_inbox, bot/channels/webchat.py)
and the page shows them while open (it asks every ~20 s) and on the next visit.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from sqlalchemy import and_, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.places import covers_sql
from bot.db.engine import Database
from bot.db.models import Group, Identity, Membership, User

Recipient = tuple[int, str, str]  # (user_id, channel, chat_id)
GroupSel = Sequence[int] | Literal["all"]  # THE group selection: "all" subscribers, or these group ids

NOBODY = "Các nhóm đã chọn chưa có ai nhận tin. Chưa gửi gì cả."  # every surface refuses a send to nobody
PUSH_CAPABLE_WEB = True  # the web chat keeps pushed messages for its session and shows them (its inbox)
NO_PUSH_CHANNELS = frozenset({"console"} | (set() if PUSH_CAPABLE_WEB else {"web"}))


def dump_groups(sel: GroupSel) -> str:
    """THE stored form of a group selection (Broadcast.group_ids, Campaign.groups): JSON, `"all"` or the sorted
    group ids `[1, 2]`. Equal selections store equal text (a Week plan's duplicate check compares it)."""
    return json.dumps("all" if sel == "all" else sorted({int(i) for i in sel}))


def load_groups(stored: str | None) -> GroupSel:
    """A stored group selection back; also reads the bare `all` campaigns stored before migration 0b7e…"""
    raw = (stored or "").strip() or "[]"
    value = "all" if raw == "all" else json.loads(raw)
    return "all" if value == "all" else [int(v) for v in value]


def receives_pushed(channel: str) -> bool:
    """Can a message we start (a broadcast, a reminder) reach a user on this channel?"""
    return channel not in NO_PUSH_CHANNELS


def person_ok(*, subscribed: bool = True) -> Any:
    """Consented, subscribed, not deleted (a WHERE clause on User). `subscribed=False` leaves out the
    subscription test (a campaign counts who it skipped because they unsubscribed)."""
    cond = and_(col(User.deleted_at).is_(None), col(User.consent_at).is_not(None))
    return and_(col(User.subscribed).is_(True), cond) if subscribed else cond


def reachable_identity() -> Any:
    """An identity a pushed message can reach (a WHERE clause on Identity)."""
    return and_(col(Identity.active).is_(True), col(Identity.channel).not_in(sorted(NO_PUSH_CHANNELS)))


def recipient_filter(*, per_person: bool = False) -> Any:
    """THE rule, as a WHERE clause on User: a person who receives officers' messages. `per_person`: the same rule
    looked up per person (EXISTS), quicker when a few thousand people are counted (a group's members) than
    collecting every reachable identity first."""
    if per_person:
        mine = select(Identity.id).where(col(Identity.user_id) == col(User.id), reachable_identity())
        return and_(person_ok(), mine.exists())
    reachable = select(Identity.user_id).where(reachable_identity())
    return and_(person_ok(), col(User.id).in_(reachable))


async def groups_condition(session: AsyncSession, group_ids: GroupSel) -> Any:
    """A WHERE clause on User selecting members of the groups (locality by place, others by membership)."""
    if group_ids == "all":
        return True
    ids = list(group_ids)
    if not ids:
        return False
    groups = (await session.exec(select(Group).where(col(Group.id).in_(ids)))).all()
    clauses: list[Any] = []
    member_ids = [g.id for g in groups if g.kind != "locality"]
    if member_ids:
        sub = select(Membership.user_id).where(col(Membership.group_id).in_(member_ids))
        clauses.append(col(User.id).in_(sub))
    for g in groups:
        if g.kind == "locality" and g.province:
            clauses.append(covers_sql(g.province, g.commune, User.province, User.commune))
    return or_(*clauses) if clauses else False


async def count_people(session: AsyncSession, group_ids: GroupSel) -> int:
    """How many people a message to these groups reaches (the number every surface shows)."""
    cond = await groups_condition(session, group_ids)
    stmt = select(func.count()).select_from(User).where(recipient_filter(), cond)
    return int((await session.execute(stmt)).scalar_one())


async def count_per_group(session: AsyncSession, groups: Sequence[Group]) -> dict[int, int]:
    """`count_people` of each group on its own (for lists of groups)."""
    return {g.id: await count_people(session, [g.id]) for g in groups if g.id is not None}


def identity_order() -> tuple[Any, ...]:
    """Per person, the identity used last first: `first_per_person` keeps that one."""
    return col(Identity.user_id), col(Identity.last_seen_at).desc(), col(Identity.id).desc()


def first_per_person(rows: Iterable[Sequence[Any]]) -> list[Sequence[Any]]:
    """Rows starting (user_id, …) in `identity_order()`: the first row of each user."""
    out: list[Sequence[Any]] = []
    last = None
    for r in rows:
        if r[0] != last:
            out.append(r)
            last = r[0]
    return out


async def select_recipients(session: AsyncSession, group_ids: GroupSel) -> list[Recipient]:
    """One (user_id, channel, chat_id) per recipient in the groups: their most recently used reachable identity."""
    rows = await person_rows(session, await groups_condition(session, group_ids))
    return [(int(u), str(c), str(chat)) for u, c, chat in rows]


async def person_rows(session: AsyncSession, cond: Any, *extra: Any, subscribed: bool = True) -> list[Sequence[Any]]:
    """One row (user_id, channel, chat_id, *extra) per person matching `cond` whom a pushed message reaches, on
    the identity used last (`select_recipients`; a campaign adds columns to say why it skips someone, and
    `subscribed=False` keeps the unsubscribed in to count them)."""
    stmt: Any = (
        sa_select(col(Identity.user_id), col(Identity.channel), col(Identity.chat_id), *extra)
        .join(User, col(User.id) == col(Identity.user_id))
        .where(reachable_identity(), person_ok(subscribed=subscribed), cond)
        .order_by(*identity_order())
    )
    return first_per_person((await session.execute(stmt)).all())


async def reachable_identities(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, Recipient]:
    """For chosen users (nudges): the identity each one is reached on, as `select_recipients` picks it."""
    stmt = (
        select(Identity.user_id, Identity.channel, Identity.chat_id)
        .where(col(Identity.user_id).in_(list(user_ids)), reachable_identity())
        .order_by(*identity_order())
    )
    rows = (await session.exec(stmt)).all()  # type: ignore[call-overload]
    return {int(u): (int(u), str(c), str(chat)) for u, c, chat in first_per_person(rows)}


# ---- “--to”: which groups an officer means ----------------------------------------------------------------


class TargetError(ValueError):
    """Unknown groups in a “--to”; the message is Vietnamese and shown as is."""


async def _group(session: AsyncSession, token: str) -> Group | None:
    """A group by its exact name, or by id (“12” or “#12”)."""
    g = (await session.exec(select(Group).where(Group.name == token))).first()
    if g is None and token.lstrip("#").isdigit() and len(token) < 12:
        g = await session.get(Group, int(token.lstrip("#")))
    return g


async def parse_targets(session: AsyncSession, values: Sequence[str]) -> GroupSel:
    """Officers' “--to” values → "all" or group ids. Each value is `all`, a group id (12 or #12) or a group's
    exact name — names may contain commas (“Gia Viễn, Ninh Bình”). A value that is no group's name is read as
    several, separated by commas (“A,B”), each an id or an exact name."""
    tokens = [v.strip() for v in values if v.strip()]
    if not tokens or [t.lower() for t in tokens] == ["all"]:
        if not tokens:
            raise TargetError("Hãy chọn nhóm nhận (tên hoặc số nhóm, xem: hocbot group list), hoặc all.")
        return "all"
    ids: list[int] = []
    missing: list[str] = []
    for token in tokens:
        g = await _group(session, token)
        parts = [g] if g is not None else [await _group(session, p.strip()) for p in token.split(",") if p.strip()]
        if g is None and (len(parts) < 2 or None in parts):
            missing.append(token)
            continue
        ids += [p.id for p in parts if p is not None and p.id is not None and p.id not in ids]
    if missing:
        raise TargetError("Không có nhóm: " + "; ".join(f"“{m}”" for m in missing) + ". Xem: hocbot group list")
    return ids


async def db_gauges(db: Database) -> tuple[dict[str, int], dict[str, int]]:
    """(waiting deliveries per channel, recipients per channel: each person once, see people_per_channel)."""
    from bot.db.models_officers import QUEUED, SENDING, Delivery

    d: Any = Delivery.__table__  # type: ignore[attr-defined]
    async with db.read_session() as s:
        queued_rows = (await s.execute(
            sa_select(d.c.channel, func.count()).where(d.c.state.in_([QUEUED, SENDING])).group_by(d.c.channel)
        )).all()
        subs = await people_per_channel(s)
    queued = {str(c): int(n) for c, n in queued_rows}
    return queued, subs


async def people_per_channel(s: AsyncSession) -> dict[str, int]:
    """Every recipient counted ONCE, on the channel their messages go to (the identity `select_recipients`
    picks: the one used last): the per-channel numbers add up to `count_people(s, "all")`."""
    rank = func.row_number().over(partition_by=col(Identity.user_id), order_by=identity_order()[1:]).label("rank")
    picked = (
        sa_select(col(Identity.channel).label("channel"), rank)
        .join(User, col(User.id) == col(Identity.user_id))
        .where(reachable_identity(), person_ok())
        .subquery()
    )
    stmt = sa_select(picked.c.channel, func.count()).where(picked.c.rank == 1).group_by(picked.c.channel)
    return {str(c): int(n) for c, n in (await s.execute(stmt)).all()}
