"""When a contest's quiz poll closes unanswered (Telegram closes it after `open_period`), the bot moves on by
itself: the question counts as unanswered and the next one is sent, as if “Câu tiếp” had been pressed.

The step goes through the dispatcher like any button press: the per-user lock keeps it in order with what the
person does, and its event id (one per attempt and question) makes it happen once even with several workers."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator
from functools import partial
from typing import Any

from sqlmodel import col, select

from bot.core.callback import pack
from bot.core.messages import Inbound, Kind
from bot.core.tasks import running
from bot.db.models import Identity
from bot.db.models_contests import Contest, ContestAttempt, ContestPoll
from handlers.contests.service import GRACE, MIN_SECONDS

log = logging.getLogger(__name__)
EVERY_SECONDS = 1.0
POLL_CHANNEL = "telegram"


async def overdue(db: Any, now: dt.datetime) -> list[tuple[int, int, str, str]]:
    """(attempt id, question index, user key, chat key) of each poll whose time ran out unanswered."""
    async with db.read_session() as s:
        stmt = (select(ContestAttempt, Contest, Identity)
                .join(ContestPoll, (col(ContestPoll.attempt_id) == col(ContestAttempt.id))
                      & (col(ContestPoll.index) == col(ContestAttempt.index)))
                .join(Contest, col(Contest.id) == col(ContestAttempt.contest_id))
                .join(Identity, (col(Identity.user_id) == col(ContestAttempt.user_id))
                      & (col(Identity.channel) == POLL_CHANNEL))
                .where(col(ContestAttempt.finished_at).is_(None),
                       col(ContestAttempt.asked_at) < now - GRACE - dt.timedelta(seconds=MIN_SECONDS)))  # fmt: skip
        rows = (await s.exec(stmt)).all()
    out = []
    for attempt, contest, ident in rows:
        assert attempt.id is not None and attempt.asked_at is not None
        if now > attempt.asked_at + dt.timedelta(seconds=contest.seconds) + GRACE and ident.active:
            out.append((attempt.id, attempt.index, ident.external_id, ident.chat_id))
    return out


async def step(rt: Any) -> int:
    """Move every overdue poll on once; how many moved."""
    channel = rt.channels.get(POLL_CHANNEL)
    if channel is None:
        return 0
    due = await overdue(rt.services.db, rt.services.now())
    for attempt_id, index, user_key, chat_key in due:
        msg = Inbound(POLL_CHANNEL, user_key, kind=Kind.CALLBACK, choice=pack("ctn", attempt_id, index),
                      chat_key=chat_key, raw_id=f"contest-timeout:{attempt_id}:{index}")  # fmt: skip
        await rt.dispatcher.handle(msg, partial(channel.deliver, chat_key))
    return len(due)


async def _loop(rt: Any) -> None:
    while True:
        await asyncio.sleep(EVERY_SECONDS)
        try:
            await step(rt)
        except Exception:  # the next round tries again; a contest must never stop the bot
            log.exception("contest timer step failed")


@contextlib.asynccontextmanager
async def timer_background(rt: Any) -> AsyncIterator[None]:
    async with running(_loop(rt)):
        yield
