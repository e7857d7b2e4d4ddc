"""Messages the bot starts (broadcasts, reminders, reports): the numbered choices they offer are remembered here,
in the core, under the same per-user lock as the user's own messages; channels only show them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import AsyncExitStack
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlmodel import col

from bot.core.delivery import OutsideWindow, SentInfo
from bot.core.locks import KeyedLocks
from bot.core.messages import Choice, Reply
from bot.db.engine import Database
from bot.db.models import Identity, User

if TYPE_CHECKING:
    from bot.channels.base import OutputChannel


def pending_json(choices: Sequence[Choice]) -> str:
    """The stored form of offered choices (User.pending): a JSON list of [label, data]."""
    return json.dumps([[c.label, c.data] for c in choices], ensure_ascii=False)


async def push(db: Database, locks: KeyedLocks, channel: OutputChannel, chat_key: str, reply: Reply) -> SentInfo:
    """Send a message the bot starts. When its choices reach the user as numbers, “1” means its first choice
    from the moment it arrives, so they are remembered before sending, while no message of the user is being
    handled (that handling could otherwise overwrite them). If the send fails for good the user never saw
    them: what “1” meant before comes back, unless the user has chosen something since."""
    if not reply.choices or not channel.shows_numbers(reply):
        return await deliver(db, channel, chat_key, reply)
    async with db.session() as s:
        owners = (await s.execute(
            select(col(Identity.user_id), col(Identity.external_id))
            .where(col(Identity.channel) == channel.name, col(Identity.chat_id) == chat_key)
        )).all()  # fmt: skip
    async with AsyncExitStack() as held:
        for user_key in sorted({key for _, key in owners}):
            await held.enter_async_context(locks.hold((channel.name, user_key)))
        ours = pending_json(reply.choices)
        user_ids = [user_id for user_id, _ in owners]
        async with db.session() as s:
            before = (await s.execute(select(col(User.id), col(User.pending)).where(col(User.id).in_(user_ids)))).all()
            await s.execute(update(User).where(col(User.id).in_(user_ids)).values(pending=ours))
        try:
            return await deliver(db, channel, chat_key, reply)
        except Exception:
            async with db.session() as s:
                for user_id, pending in before:
                    await s.execute(update(User).where(col(User.id) == user_id, col(User.pending) == ours)
                                    .values(pending=pending))  # fmt: skip
            raise


async def deliver(db: Database, channel: OutputChannel, chat_key: str, reply: Reply) -> SentInfo:
    """`channel.deliver`; a chat the platform says is outside its free window (Zalo OA) is marked so."""
    try:
        return await channel.deliver(chat_key, reply)
    except OutsideWindow:
        await set_reachable(db, channel.name, chat_key, False)
        raise


async def set_reachable(db: Database, channel: str, chat_key: str, value: bool) -> None:
    """Identity.reachable_free: False when Zalo OA refused a free message, True again once the user writes."""
    async with db.session() as s:
        await s.execute(
            update(Identity)
            .where(col(Identity.channel) == channel, col(Identity.chat_id) == chat_key)
            .values(reachable_free=value)
        )
