"""Telegram translations: Update → Inbound, Reply → markup, PTB errors → delivery outcomes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot

from bot.core import texts
from bot.core.delivery import Blocked, InDoubt, Permanent, RetryLater, Transient
from bot.core.messages import Inbound, Kind, Reply, parse_command, typed

log = logging.getLogger(__name__)
CHANNEL = "telegram"
T = TypeVar("T")
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None


class BoundedUpdateQueue(asyncio.Queue[object]):
    """python-telegram-bot's update queue with backpressure. PTB turns every update it takes from this queue into
    a task at once, so without a bound a backlog of 10,000 updates becomes 10,000 tasks in memory. Here at most
    `in_flight` updates are taken and not yet processed (PTB calls `task_done()` when one is), and at most
    `waiting` wait in the queue: `put()` then blocks, so long polling stops fetching (a webhook delivery waits)
    until hocbot catches up; the rest stays at Telegram."""

    def __init__(self, waiting: int = 100, in_flight: int = 32) -> None:
        super().__init__(maxsize=waiting)
        self.in_flight_max = in_flight
        self.in_flight = 0
        self._room = asyncio.Event()
        self._room.set()

    async def get(self) -> object:
        while self.in_flight >= self.in_flight_max:
            self._room.clear()
            await self._room.wait()
        return await super().get()

    def get_nowait(self) -> object:
        item = super().get_nowait()
        self.in_flight += 1
        return item

    def task_done(self) -> None:
        super().task_done()
        self.in_flight = max(0, self.in_flight - 1)
        if self.in_flight < self.in_flight_max:
            self._room.set()


class SafeBot(ExtBot[None]):
    """An ExtBot whose polling skips an update it cannot parse instead of stalling on it forever."""

    poll_failing = False  # /readyz: the last getUpdates failed (PTB retries it with back-off)

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        try:
            updates = await self._get_updates(args, kwargs)
        except Exception:
            object.__setattr__(self, "poll_failing", True)  # PTB freezes its objects' attributes
            raise
        object.__setattr__(self, "poll_failing", False)
        return updates

    async def _get_updates(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Update, ...]:
        try:
            return await super().get_updates(*args, **kwargs)
        except (NetworkError, RetryAfter, BadRequest, Forbidden):
            raise
        except Exception:
            raw = await self._post("getUpdates", _updates_params(args, kwargs))
            return tuple(_parse_each(raw or [], self))


def _updates_params(args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    names = ("offset", "limit", "timeout", "allowed_updates")
    params = dict(zip(names, args, strict=False))
    params.update({k: v for k, v in kwargs.items() if k in names})
    timeout = params.get("timeout")
    if timeout is not None and hasattr(timeout, "total_seconds"):
        params["timeout"] = int(timeout.total_seconds())
    return params


def _parse_each(raw: list[dict[str, Any]], bot: ExtBot[None]) -> list[Update]:
    out: list[Update] = []
    for item in raw:
        try:
            parsed = Update.de_json(item, bot)
        except Exception:
            log.error("skipping unparsable Telegram update %s", item.get("update_id"), exc_info=True)
            parsed = Update(update_id=int(item.get("update_id", 0)))
        if parsed is not None:
            out.append(parsed)
    return out


def to_inbound(update: Update, bot_username: str = "") -> Inbound | None:
    """Translate one update; None for updates hocbot does not act on (channel posts, another bot's command)."""
    raw = str(update.update_id)
    link = f"https://t.me/{bot_username}?start={texts.GROUP_START}" if bot_username else ""
    if update.poll_answer is not None:
        pa = update.poll_answer
        if pa.user is None:
            return None
        return Inbound(
            CHANNEL,
            str(pa.user.id),
            kind=Kind.POLL_ANSWER,
            poll_id=pa.poll_id,
            option_ids=tuple(pa.option_ids),
            raw_id=raw,
            display_name=pa.user.full_name,
        )
    if update.my_chat_member is not None:
        m = update.my_chat_member
        kind = Kind.BLOCKED if m.new_chat_member.status in ("kicked", "left") else Kind.UNBLOCKED
        return Inbound(
            CHANNEL, str(m.from_user.id), kind=kind, raw_id=raw, chat_key=str(m.chat.id),
            private=m.chat.type == "private",
        )
    if update.callback_query is not None:
        q = update.callback_query
        chat = q.message.chat if q.message is not None else None
        return Inbound(
            CHANNEL,
            str(q.from_user.id),
            kind=Kind.CALLBACK,
            choice=q.data or "",
            raw_id=raw,
            display_name=q.from_user.full_name,
            chat_key=str(chat.id if chat is not None else q.from_user.id),
            private=chat is None or chat.type == "private",
            private_url=link,
        )
    msg = update.message
    if msg is None or msg.from_user is None:
        return None
    base: dict[str, Any] = {
        "channel": CHANNEL,
        "user_key": str(msg.from_user.id),
        "raw_id": raw,
        "display_name": msg.from_user.full_name,
        "chat_key": str(msg.chat.id),
        "private": msg.chat.type == "private",
        "private_url": link,
    }
    if isinstance(msg.text, str):
        return _text_inbound(msg.text, base, bot_username)
    kind = Kind.STICKER if msg.sticker else Kind.VOICE if (msg.voice or msg.audio) else Kind.OTHER
    if msg.photo:
        kind = Kind.PHOTO
        base["photo"] = msg.photo[-1].file_id  # the largest size; kept as an id, re-sent by id
    return Inbound(kind=kind, text=msg.caption if isinstance(msg.caption, str) else "", **base)


def _text_inbound(text: str, base: dict[str, Any], bot_username: str) -> Inbound | None:
    command = parse_command(text)
    if command and command.addressee and bot_username and command.addressee.lower() != bot_username.lower():
        return None  # “/start@otherbot” in a group is for another bot
    return typed(text, **base)


def markup(reply: Reply) -> Markup:
    if reply.choices:
        buttons = [InlineKeyboardButton(c.label[:64], callback_data=c.data) for c in reply.choices]
        cols = max(1, reply.columns)
        return InlineKeyboardMarkup([buttons[i : i + cols] for i in range(0, len(buttons), cols)])
    if reply.keyboard:
        return ReplyKeyboardMarkup(reply.keyboard, resize_keyboard=True, is_persistent=True)
    if reply.remove_keyboard:
        return ReplyKeyboardRemove()
    return None


async def guarded(call: Callable[[], Awaitable[T]]) -> T:
    """Run one Bot API call and map its failure to a delivery outcome."""
    try:
        return await call()
    except RetryAfter as exc:
        raise RetryLater("429 flood control", _seconds(exc)) from exc
    except Forbidden as exc:
        raise Blocked(f"403 {exc.message}") from exc
    except BadRequest as exc:
        if "chat not found" in exc.message.lower() or "user is deactivated" in exc.message.lower():
            raise Blocked(f"400 {exc.message}") from exc
        raise Permanent(f"400 {exc.message}") from exc
    except TimedOut as exc:
        raise InDoubt(f"timed out: {exc.message}") from exc
    except NetworkError as exc:
        raise Transient(f"network: {exc.message}") from exc


def _seconds(exc: RetryAfter) -> float:
    value: Any = getattr(exc, "_retry_after", None) or exc.retry_after
    return float(value.total_seconds() if hasattr(value, "total_seconds") else value)
