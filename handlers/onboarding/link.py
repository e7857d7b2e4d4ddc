"""/lienket: link a Telegram, Zalo and web account into one learner, so progress follows them."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import Table, and_, delete, exists, update
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core import texts
from bot.core.context import Ctx
from bot.core.messages import Inbound, Reply
from bot.core.router import Router
from bot.db import repo
from bot.db.models import User
from bot.db.models_zalo import LinkCode
from handlers.officers.scope import find_officer

router = Router("link")

CODE_TTL = dt.timedelta(minutes=10)
CODE_LENGTH = 8  # 32⁸ ≈ 10¹²: with the guess throttles, far out of reach in 10 minutes
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read off a phone screen
CHANNEL_NAMES = {
    "telegram": "Telegram", "zalo": "Zalo", "zalo_oa": "Zalo", "web": "web", "console": "máy tính",
}


@router.command("lienket", "link")
async def link(ctx: Ctx, msg: Inbound) -> list[Reply]:
    """Without a code: show a one-time code. With one: join this account to the code's owner (citizens only)."""
    code = "".join(msg.args.split()).upper()[:16]
    if code:
        return await _redeem(ctx, msg, code)
    if not ctx.consented:
        return [Reply(texts.CONSENT_NEEDED)]
    if await has_rights(ctx, ctx.user_id):
        return [Reply(texts.LINK_OFFICER)]
    return [Reply(texts.LINK_CODE.format(code=await _new_code(ctx)))]


async def has_rights(ctx: Ctx, user_id: int) -> bool:
    """True if any account of that user is an officer or admin: such accounts are never linked."""
    for ident in await repo.user_channels(ctx.session, user_id):
        if await find_officer(ctx.session, ctx.settings, ident.channel, ident.external_id) is not None:
            return True
    return False


async def _new_code(ctx: Ctx) -> str:
    s = ctx.session
    await s.execute(delete(LinkCode).where(col(LinkCode.user_id) == ctx.user_id))
    await s.execute(delete(LinkCode).where(col(LinkCode.expires_at) < ctx.now()))
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    s.add(LinkCode(code=code, user_id=ctx.user_id, channel=ctx.channel, expires_at=ctx.now() + CODE_TTL))
    return code


async def _redeem(ctx: Ctx, msg: Inbound, code: str) -> list[Reply]:
    s, throttles = ctx.session, ctx.services.throttles
    if not throttles.link_user.allow(f"{ctx.channel}:{msg.user_key}") or (
        msg.origin and not throttles.link_ip.allow(msg.origin)
    ):
        return [Reply(texts.LINK_TOO_MANY)]
    found = (await s.exec(select(LinkCode).where(LinkCode.code == code))).first()
    if found is None or found.expires_at <= ctx.now():
        return [Reply(texts.LINK_BAD_CODE.format(code=code))]
    if found.user_id == ctx.user_id:
        return [Reply(texts.LINK_SAME)]
    other = await s.get(User, found.user_id)
    if other is None or other.deleted_at is not None:
        return [Reply(texts.LINK_BAD_CODE.format(code=code))]
    await s.delete(found)  # single use, whatever happens next
    if await has_rights(ctx, ctx.user_id) or await has_rights(ctx, other.id or 0):
        await repo.audit(s, f"user:{ctx.user_id}", "link.officer", {"other": other.id}, allowed=False)
        return [Reply(texts.LINK_OFFICER)]
    keep, drop = sorted((ctx.user, other), key=lambda u: (u.created_at, u.id or 0))
    await merge_users(s, keep, drop)
    if ctx.user is drop:
        ctx.user = keep
    await s.refresh(ctx.identity)
    channels = {CHANNEL_NAMES.get(i.channel, i.channel) for i in await repo.user_channels(s, ctx.user_id)}
    return [Reply(texts.LINK_DONE.format(channels=", ".join(sorted(channels))))]


async def merge_users(s: AsyncSession, keep: User, drop: User) -> None:
    """Move every row that points at `drop` to `keep` (rows `keep` already has win), then delete `drop`."""
    assert keep.id is not None and drop.id is not None
    await s.flush()
    for table in SQLModel.metadata.sorted_tables:
        if table.name == User.__tablename__:
            continue
        for column in _user_columns(table):
            for others in _unique_sets(table, column):
                twin = table.alias()
                same = and_(twin.c[column] == keep.id, *(twin.c[o] == table.c[o] for o in others))
                await s.execute(delete(table).where(table.c[column] == drop.id, exists().where(same)))
            await s.execute(update(table).where(table.c[column] == drop.id).values({column: keep.id}))
    _merge_profile(keep, drop)
    await s.delete(drop)
    await s.flush()


def _user_columns(table: Table) -> list[str]:
    """Columns named user_id or referencing users.id."""
    return [
        c.name for c in table.columns
        if c.name == "user_id" or any(fk.target_fullname == "users.id" for fk in c.foreign_keys)
    ]


def _unique_sets(table: Table, column: str) -> list[list[str]]:
    """For each unique key containing `column`: its other columns (a conflict means a duplicate row)."""
    keys: list[list[str]] = []
    for cons in table.constraints:
        names = [c.name for c in getattr(cons, "columns", [])]
        if cons.__class__.__name__ in ("UniqueConstraint", "PrimaryKeyConstraint") and column in names:
            keys.append([n for n in names if n != column])
    for index in table.indexes:
        names = [c.name for c in index.columns]
        if index.unique and column in names:
            keys.append([n for n in names if n != column])
    if table.c[column].unique:
        keys.append([])
    return keys


def _merge_profile(keep: User, drop: User) -> None:
    """Fill what the kept account lacks (consent, place, name) from the other one."""
    for attr in ("display_name", "province", "commune"):
        if not getattr(keep, attr) and getattr(drop, attr):
            setattr(keep, attr, getattr(drop, attr))
    if keep.consent_at is None and drop.consent_at is not None:
        keep.consent_at, keep.consent_version = drop.consent_at, drop.consent_version
