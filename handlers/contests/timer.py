"""When a contest's quiz poll closes unanswered (Telegram closes it after `open_period`), the bot moves on by
itself: the question counts as unanswered and the next one is sent, as if “Câu tiếp” had been pressed.

The step goes through the dispatcher like any button press: the per-user lock keeps it in order with what the
person does, and its event id (one per attempt and question) makes it happen once even with several workers."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Mapping
from functools import partial
from typing import Any, Protocol

from sqlmodel import col, select

from bot.core.callback import pack
from bot.core.context import Services
from bot.core.delivery import SentInfo
from bot.core.dispatcher import Dispatcher
from bot.core.faults import log_failure
from bot.core.messages import Inbound, Kind, Reply
from bot.core.tasks import running
from bot.db.models import Identity
from bot.db.models_contests import Contest, ContestAttempt, ContestPoll
from handlers.contests import service
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


class Deliverer(Protocol):
    """What the timer needs of a channel: show one reply to one chat (bot/channels/base.OutputChannel)."""

    async def deliver(self, chat_key: str, reply: Reply) -> SentInfo: ...


async def step(services: Services, dispatcher: Dispatcher, channels: Mapping[str, Deliverer]) -> int:
    """Move every overdue poll on once; how many moved."""
    channel = channels.get(POLL_CHANNEL)
    if channel is None:
        return 0
    due = await overdue(services.db, services.now())
    for attempt_id, index, user_key, chat_key in due:
        msg = Inbound(POLL_CHANNEL, user_key, kind=Kind.CALLBACK, choice=pack("ctn", attempt_id, index),
                      chat_key=chat_key, raw_id=f"contest-timeout:{attempt_id}:{index}")  # fmt: skip
        await dispatcher.handle(msg, partial(channel.deliver, chat_key))
    return len(due)


async def close_left(services: Services) -> int:
    """Attempts left unfinished when their contest closed are scored as they stand (service.close_left); the
    write transaction is taken only when there is one."""
    now = services.now()
    async with services.db.read_session() as s:
        stmt = (select(ContestAttempt.id).join(Contest, col(Contest.id) == col(ContestAttempt.contest_id))
                .where(col(ContestAttempt.finished_at).is_(None), col(Contest.closes_at) <= now).limit(1))  # fmt: skip
        if (await s.exec(stmt)).first() is None:
            return 0
    async with services.db.session() as s:
        return await service.close_left(s, services.catalog, now)


async def _loop(services: Services, dispatcher: Dispatcher, channels: Mapping[str, Deliverer]) -> None:
    while True:
        await asyncio.sleep(EVERY_SECONDS)
        try:
            await step(services, dispatcher, channels)
            await close_left(services)
        except Exception as exc:  # the next round tries again; a contest must never stop the bot
            log_failure(log, "contest_timer", "contest timer step failed", exc)  # an outage: one line


def timer_work(
    services: Services, dispatcher: Dispatcher, channels: Mapping[str, Deliverer]
) -> contextlib.AbstractAsyncContextManager[None]:
    """Background work of `hocbot run` (bot/app.py): every second, contest questions whose time ran out move on."""
    return running(_loop(services, dispatcher, channels))
