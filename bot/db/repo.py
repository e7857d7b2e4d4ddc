"""Small queries over the core tables, shared by the router and handlers."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, and_, bindparam, delete, func, inspect, join, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapper, Session, make_transient_to_detached
from sqlalchemy.orm.attributes import get_history, set_committed_value
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db import hot
from bot.db.engine import Database
from bot.db.models import AuditLog, Group, Identity, InboundEvent, Membership, User, utcnow
from bot.db.sqlite_onehop import inline

FORGOTTEN_ACTOR = "đã-xoá"  # what the audit log says instead of the account of someone who deleted their data
ACTIVITY_RESOLUTION = dt.timedelta(minutes=1)


INBOUND_KEEP = dt.timedelta(days=7)  # platforms retry for hours, not days; Telegram may reuse update_ids after 7


async def record_inbound(s: AsyncSession, channel: str, external_id: str, user_key: str, kind: str) -> bool:
    """Store the event id once in this transaction; False means we have seen it before (a repeat). An id
    last seen more than INBOUND_KEEP ago is a new event (an update_id sequence that started again)."""
    conn = await hot.connection(s)
    result = await hot.run(conn, _record_inbound(conn.dialect.name), _inbound(channel, external_id, user_key, kind))
    return bool(result.rowcount)


def _inbound(channel: str, external_id: str, user_key: str, kind: str) -> dict[str, Any]:
    """The parameters of _record_inbound's INSERT for an event arriving now."""
    now = utcnow()
    return {"channel": channel, "external_id": external_id, "user_key": user_key, "kind": str(kind),
            "now": now, "cutoff": now - INBOUND_KEEP}  # fmt: skip


@functools.cache
def _record_inbound(dialect: str) -> hot.Hot:
    """INSERT … ON CONFLICT DO UPDATE (only for an id older than INBOUND_KEEP) in the database's own dialect,
    built once: SQLAlchemy reuses its cache key and compiled form for every event."""
    return hot.Hot(_record_inbound_sql(dialect))


def _record_inbound_sql(dialect: str) -> Any:
    table: Table = InboundEvent.__table__  # type: ignore[attr-defined]
    stmt = _insert(dialect)(table).values(
        channel=bindparam("channel"), external_id=bindparam("external_id"), user_key=bindparam("user_key"),
        kind=bindparam("kind"), received_at=bindparam("now"),
    )  # fmt: skip
    return stmt.on_conflict_do_update(
        index_elements=["channel", "external_id"],
        set_={"user_key": stmt.excluded.user_key, "kind": stmt.excluded.kind, "received_at": stmt.excluded.received_at},
        where=table.c.received_at < bindparam("cutoff"),
    )


async def arrival(
    s: AsyncSession, channel: str, event_id: str | None, user_key: str, kind: str, chat_id: str, name: str,
    now: dt.datetime | None = None,
) -> tuple[User, Identity] | None:
    """An inbound event's start: `record_inbound` (None for a repeat), then `load_or_create` for its sender. On
    PostgreSQL, in a unit of work that holds no object yet, both are one statement (the INSERT a data-modifying
    CTE beside the account's read): one round trip fewer per message, same rows."""
    session = s.sync_session
    if event_id and not (session.identity_map or session.new or session.deleted):
        conn = await hot.connection(s)
        if conn.dialect.name == "postgresql":
            row = (await hot.run(conn, _arrival_sql(), _inbound(channel, event_id, user_key, kind))).first()
            assert row is not None  # one row always: the event's count, then the account (NULLs when none)
            if not row[0]:
                return None
            if row[1 + _IDENTITY_ID] is not None:
                return _arrived(*_loaded(session, row[1:]), chat_id, name, now)
            return await load_or_create(s, channel, user_key, chat_id, name, now)  # first contact: created
    if event_id and not await record_inbound(s, channel, event_id, user_key, kind):
        return None
    return await load_or_create(s, channel, user_key, chat_id, name, now)


@functools.cache
def _arrival_sql() -> hot.Hot:
    """PostgreSQL (built on first use): _record_inbound's INSERT as a CTE, its count of rows written (1: a new
    event, 0: a repeat) and _ACCOUNT_ROW's values for the sender (NULLs when there is no account yet)."""
    events: Table = InboundEvent.__table__  # type: ignore[attr-defined]
    recorded = _record_inbound_sql("postgresql").returning(events.c.id).cte("recorded")
    fresh = select(func.count().label("fresh")).select_from(recorded).subquery("fresh")
    account = join(Identity, User, col(User.id) == col(Identity.user_id))
    found = and_(col(Identity.channel) == bindparam("channel"), col(Identity.external_id) == bindparam("user_key"))
    return hot.Hot(select(fresh.c.fresh, *_ACCOUNT_COLUMNS).select_from(fresh.outerjoin(account, found)))


async def prune_inbound(db: Database, now: dt.datetime | None = None) -> int:
    """Forget inbound event ids older than INBOUND_KEEP (one indexed DELETE; the scheduler runs it hourly)."""
    cutoff = (now or utcnow()) - INBOUND_KEEP
    async with db.session() as s:
        result = await s.exec(  # type: ignore[call-overload]
            delete(InboundEvent).where(col(InboundEvent.received_at) < cutoff)
        )
    return int(result.rowcount or 0)


def _insert(dialect: str) -> Any:
    if dialect == "postgresql":  # imported here: SQLite's `hocbot run` starts without PostgreSQL's dialect
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    return sqlite_insert


async def find_identity(s: AsyncSession, channel: str, external_id: str) -> Identity | None:
    res = await s.exec(
        select(Identity).where(Identity.channel == channel, Identity.external_id == external_id)
    )
    return res.first()


_USER_BY_ACCOUNT = inline(
    select(Identity, User)
    .join(User, col(User.id) == col(Identity.user_id))
    .where(col(Identity.channel) == bindparam("channel"), col(Identity.external_id) == bindparam("external_id"))
)
_IDENTITY_MAPPER: Mapper[Identity] = inspect(Identity)
_USER_MAPPER: Mapper[User] = inspect(User)
_IDENTITY_KEYS = tuple(p.key for p in _IDENTITY_MAPPER.column_attrs)
_IDENTITY_ID = _IDENTITY_KEYS.index("id")
_USER_KEYS = tuple(p.key for p in _USER_MAPPER.column_attrs)
# The same row as plain values (one column per mapped attribute, labelled apart: both tables have `id`): the
# session then gets the two objects as the ORM would have loaded them, without its loading machinery (the ORM
# query cost more CPU than every other statement of a message together).
_ACCOUNT_COLUMNS = (*(p.columns[0].label(f"i_{p.key}") for p in _IDENTITY_MAPPER.column_attrs),
                    *(p.columns[0].label(f"u_{p.key}") for p in _USER_MAPPER.column_attrs))  # fmt: skip
_ACCOUNT_ROW = hot.Hot(
    select(*_ACCOUNT_COLUMNS)
    .join_from(Identity, User, col(User.id) == col(Identity.user_id))
    .where(col(Identity.channel) == bindparam("channel"), col(Identity.external_id) == bindparam("external_id"))
)  # fmt: skip


async def _account_and_user(s: AsyncSession, channel: str, external_id: str) -> tuple[User, Identity] | None:
    """The account and its user, in the session as if loaded by `_USER_BY_ACCOUNT`. A session already holding
    objects (its own may be among them, or unflushed ones the ORM query would flush first) asks the ORM."""
    session = s.sync_session
    if session.identity_map or session.new or session.deleted:
        res = await s.exec(_USER_BY_ACCOUNT, params={"channel": channel, "external_id": external_id})
        row = res.first()
        return (row[1], row[0]) if row is not None else None
    conn = await hot.connection(s)
    found = (await hot.run(conn, _ACCOUNT_ROW, {"channel": channel, "external_id": external_id})).first()
    return _loaded(session, found) if found is not None else None


def _loaded(session: Session, found: Sequence[Any]) -> tuple[User, Identity]:
    """The user and the account of one row of _ACCOUNT_COLUMNS, persistent in `session`."""
    n = len(_IDENTITY_KEYS)
    ident = _persistent(session, _IDENTITY_MAPPER, _IDENTITY_KEYS, found[:n])
    user = _persistent(session, _USER_MAPPER, _USER_KEYS, found[n:])
    return user, ident


def _persistent(session: Session, mapper: Mapper[Any], keys: tuple[str, ...], values: Sequence[Any]) -> Any:
    """A persistent object of `session` holding one row's values as loaded (no change to flush)."""
    obj = mapper.class_manager.new_instance()  # as the ORM makes it: no __init__, no defaults
    obj.__dict__.update(zip(keys, values, strict=True))
    make_transient_to_detached(obj)  # the values are its committed state, its identity key from its id
    session.add(obj)
    return obj


async def load_or_create(
    s: AsyncSession, channel: str, external_id: str, chat_id: str, name: str, now: dt.datetime | None = None
) -> tuple[User, Identity]:
    """The user behind a channel account (one query, built once), created on first contact."""
    row = await _account_and_user(s, channel, external_id)
    if row is not None:
        return _arrived(*row, chat_id, name, now)
    user = User(display_name=name, created_at=now or utcnow(), last_active_at=now or utcnow())
    s.add(user)
    await s.flush()
    assert user.id is not None
    ident = Identity(
        user_id=user.id, channel=channel, external_id=external_id, chat_id=chat_id or external_id
    )
    s.add(ident)
    await s.flush()
    return user, ident


def _arrived(user: User, ident: Identity, chat_id: str, name: str, now: dt.datetime | None) -> tuple[User, Identity]:
    """A known user wrote: when (to the minute), from which chat, reachable again, their name if none."""
    now = now or utcnow()
    if now - user.last_active_at > ACTIVITY_RESOLUTION:  # fewer writes for chatty users
        user.last_active_at = now
        ident.last_seen_at = now
    if chat_id and ident.chat_id != chat_id:
        ident.chat_id = chat_id
    if not ident.active:
        ident.active = True
    if name and not user.display_name:
        user.display_name = name
    return user, ident


async def set_pending(s: AsyncSession, user: User, pending: str | None) -> None:
    """The choices a user was last offered (User.pending, written after nearly every reply): one Core UPDATE built
    once, and the loaded user holds the value as stored, so the commit has no ORM flush for it. A value the
    handler itself changed in this unit of work is left to the ORM."""
    if pending == user.pending:
        return
    if get_history(user, "pending").has_changes():
        user.pending = pending
        return
    conn = await hot.connection(s)
    await hot.run(conn, _SET_PENDING, {"user": user.id, "pending": pending})
    set_committed_value(user, "pending", pending)


_SET_PENDING = hot.Hot(update(User).where(col(User.id) == bindparam("user")).values(pending=bindparam("pending")))


async def set_identity_active(db: Database, channel: str, external_id: str, active: bool) -> None:
    async with db.session() as s:
        ident = await find_identity(s, channel, external_id)
        if ident is not None:
            ident.active = active


async def group_by_code(s: AsyncSession, code: str) -> Group | None:
    res = await s.exec(select(Group).where(Group.join_code == code))
    return res.first()


async def join_group(s: AsyncSession, user_id: int, group_id: int) -> bool:
    """Add a membership; False if already a member."""
    res = await s.exec(
        select(Membership).where(Membership.user_id == user_id, Membership.group_id == group_id)
    )
    if res.first() is not None:
        return False
    s.add(Membership(user_id=user_id, group_id=group_id))
    return True


async def audit(s: AsyncSession, actor: str, action: str, detail: object = "", allowed: bool = True) -> None:
    text = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False, default=str)
    s.add(AuditLog(actor=actor, action=action, detail=text, allowed=allowed))


async def user_channels(s: AsyncSession, user_id: int) -> list[Identity]:
    res = await s.exec(select(Identity).where(Identity.user_id == user_id).order_by(col(Identity.id)))
    return list(res.all())
