"""Telegram translations: an update's JSON → Inbound, Reply → markup, PTB errors → delivery outcomes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import ExtBot

from bot.core import texts
from bot.core.delivery import Blocked, InDoubt, Permanent, RetryLater, Transient
from bot.core.messages import Inbound, Kind, Reply, parse_command, typed

log = logging.getLogger(__name__)
CHANNEL = "telegram"
T = TypeVar("T")
POLL_RETRY_FIRST = 1.0  # seconds before getUpdates is tried again after a failure (as PTB does)
POLL_RETRY_CAP = 30.0  # the wait grows 1.5 times per failure up to this
CONFIRM_SECONDS = 2.0  # the last getUpdates, when polling stops, waits at most this long


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


@dataclass(frozen=True, slots=True)
class RawUpdate:
    """One Telegram update as the JSON Telegram sent: read once, straight into our `Inbound` (`to_inbound`),
    never built into PTB's Update/Message/User objects (which cost more CPU than the rest of a message's way
    in). PTB's polling loop and Application take it as a custom update type: they only read `update_id`."""

    update_id: int
    data: dict[str, Any]

    @classmethod
    def of(cls, data: Any) -> RawUpdate:
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            raise TypeError("a Telegram update is an object with an integer update_id")
        return cls(data["update_id"], data)


class SafeBot(ExtBot[None]):
    """An ExtBot whose polling gives `RawUpdate`s: an update of a shape we do not know is skipped later (by
    `to_inbound`), never stalls polling. Polling stops at once whatever the Bot API does (see `get_updates`)."""

    poll_failing = False  # /readyz: the last getUpdates failed (polling retries it with back-off)

    def __init__(self, *args: Any, on_poll_error: Callable[[TelegramError], None] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._on_poll_error = on_poll_error  # one log line per failed getUpdates (PTB's error_callback)
        self._poll_delay = 0.0
        self._stopping = False

    def stop_polling(self) -> None:
        """Polling stops now: PTB's next getUpdates is its last, which only confirms the updates fetched."""
        self._stopping = True

    async def get_updates(  # type: ignore[override]  # RawUpdate, not Update: see RawUpdate
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: Any = None,  # noqa: ASYNC109  # PTB's parameter: the long poll's seconds
        allowed_updates: Any = None,
        *,
        read_timeout: Any = None,
        **_ignored: Any,
    ) -> tuple[RawUpdate, ...]:
        """PTB's `Bot.get_updates` (same request, same long-poll read timeout), without parsing the answer.

        A failure is waited out HERE, with PTB's own back-off (1 s, then 1.5 times longer up to 30 s; a 429's
        retry_after), and answered as "no updates": PTB's polling loop would sleep instead, and `Updater.stop()`
        cannot interrupt that sleep, so `hocbot run` took up to 30 s to stop after Telegram had been unreachable
        for a while. Here the wait is part of the call PTB cancels the moment polling stops. A timed-out long
        poll (PTB retries it at once) and a rejected token (PTB ends polling) still go to PTB."""
        if self._stopping:
            return await self._confirm(offset, allowed_updates)
        seconds = int(timeout.total_seconds()) if hasattr(timeout, "total_seconds") else timeout
        read = (self._request[0].read_timeout or 0) if not isinstance(read_timeout, (int, float)) else read_timeout
        data = {"timeout": seconds, "offset": offset, "limit": limit, "allowed_updates": allowed_updates}
        try:
            raw = await self._post("getUpdates", data, read_timeout=read + (seconds or 0))
        except (TimedOut, InvalidToken):
            object.__setattr__(self, "poll_failing", True)  # PTB freezes its objects' public attributes
            raise
        except TelegramError as exc:
            object.__setattr__(self, "poll_failing", True)
            await self._back_off(exc)
            return ()
        except Exception:
            object.__setattr__(self, "poll_failing", True)
            raise
        object.__setattr__(self, "poll_failing", False)
        self._poll_delay = 0.0
        return tuple(_each(raw if isinstance(raw, list) else []))

    async def _back_off(self, exc: TelegramError) -> None:
        if isinstance(exc, RetryAfter):
            await asyncio.sleep(_seconds(exc) + 0.5)
            return
        if self._on_poll_error is not None:
            self._on_poll_error(exc)
        self._poll_delay = min(POLL_RETRY_CAP, self._poll_delay * 1.5) if self._poll_delay else POLL_RETRY_FIRST
        await asyncio.sleep(self._poll_delay)

    async def _confirm(self, offset: int | None, allowed_updates: Any) -> tuple[RawUpdate, ...]:
        """PTB's last getUpdates when polling stops: it tells Telegram the updates fetched so far were received.
        A Bot API that does not answer gets CONFIRM_SECONDS, not the long poll's 30 s: those updates then come
        again after a restart and are recognised as repeats (their update_id is kept)."""
        data = {"timeout": 0, "offset": offset, "limit": 1, "allowed_updates": allowed_updates}
        try:
            async with asyncio.timeout(CONFIRM_SECONDS):
                await self._post("getUpdates", data, read_timeout=CONFIRM_SECONDS, connect_timeout=CONFIRM_SECONDS)
        except (TelegramError, TimeoutError) as exc:
            log.warning("Telegram did not confirm the last updates received (%s): they may come again at the "
                        "next start, and are then ignored as repeats", type(exc).__name__)  # fmt: skip
        return ()


def _each(raw: list[Any]) -> list[RawUpdate]:
    out: list[RawUpdate] = []
    for item in raw:
        try:
            out.append(RawUpdate.of(item))
        except TypeError:
            log.error("skipping a Telegram update without an update_id: %.200r", item)
    return out


def _full_name(user: dict[str, Any]) -> str:
    """PTB's `User.full_name`: first name, then the last name when there is one."""
    first, last = user.get("first_name") or "", user.get("last_name") or ""
    return f"{first} {last}" if first and last else first


def to_inbound(update: RawUpdate | dict[str, Any], bot_username: str = "") -> Inbound | None:
    """Translate one update (its JSON); None for updates hocbot does not act on (channel posts, another bot's
    command). A shape Telegram does not send raises (KeyError, TypeError…): the caller skips it."""
    data = update.data if isinstance(update, RawUpdate) else update
    raw = str(data["update_id"])
    link = f"https://t.me/{bot_username}?start={texts.GROUP_START}" if bot_username else ""
    if (pa := data.get("poll_answer")) is not None:
        user = pa.get("user")
        if user is None:
            return None
        return Inbound(
            CHANNEL,
            str(user["id"]),
            kind=Kind.POLL_ANSWER,
            poll_id=pa["poll_id"],
            option_ids=tuple(int(i) for i in pa["option_ids"]),
            raw_id=raw,
            display_name=_full_name(user),
        )
    if (m := data.get("my_chat_member")) is not None:
        kind = Kind.BLOCKED if m["new_chat_member"]["status"] in ("kicked", "left") else Kind.UNBLOCKED
        return Inbound(
            CHANNEL, str(m["from"]["id"]), kind=kind, raw_id=raw, chat_key=str(m["chat"]["id"]),
            private=m["chat"]["type"] == "private",
        )
    if (q := data.get("callback_query")) is not None:
        sender = q["from"]
        chat = q["message"]["chat"] if q.get("message") is not None else None
        return Inbound(
            CHANNEL,
            str(sender["id"]),
            kind=Kind.CALLBACK,
            choice=q.get("data") or "",
            raw_id=raw,
            display_name=_full_name(sender),
            chat_key=str(chat["id"] if chat is not None else sender["id"]),
            private=chat is None or chat["type"] == "private",
            private_url=link,
        )
    msg = data.get("message")
    if msg is None:
        return None
    chat, sender = msg["chat"], msg.get("from")
    chat_key, private = str(chat["id"]), chat["type"] == "private"
    if sender is None:  # a channel post or an anonymous group admin
        return None
    base: dict[str, Any] = {
        "channel": CHANNEL,
        "user_key": str(sender["id"]),
        "raw_id": raw,
        "display_name": _full_name(sender),
        "chat_key": chat_key,
        "private": private,
        "private_url": link,
    }
    if isinstance(msg.get("text"), str):
        return _text_inbound(msg["text"], base, bot_username)
    kind = Kind.STICKER if msg.get("sticker") else Kind.VOICE if (msg.get("voice") or msg.get("audio")) else Kind.OTHER
    if msg.get("photo"):
        kind = Kind.PHOTO
        base["photo"] = msg["photo"][-1]["file_id"]  # the largest size; kept as an id, re-sent by id
    caption = msg.get("caption")
    return Inbound(kind=kind, text=caption if isinstance(caption, str) else "", **base)


def _text_inbound(text: str, base: dict[str, Any], bot_username: str) -> Inbound | None:
    command = parse_command(text)
    if command and command.addressee and bot_username and command.addressee.lower() != bot_username.lower():
        return None  # “/start@otherbot” in a group is for another bot
    return typed(text, **base)


def markup(reply: Reply) -> dict[str, Any] | None:
    """The reply's keyboard as the Bot API's JSON (what PTB's InlineKeyboardMarkup/ReplyKeyboardMarkup/
    ReplyKeyboardRemove objects would serialise to, without building them)."""
    if reply.choices:
        buttons = [{"text": c.label[:64], "callback_data": c.data} for c in reply.choices]
        cols = max(1, reply.columns)
        return {"inline_keyboard": [buttons[i : i + cols] for i in range(0, len(buttons), cols)]}
    if reply.keyboard:
        rows = [[{"text": label} for label in row] for row in reply.keyboard]
        return {"keyboard": rows, "resize_keyboard": True, "is_persistent": True}
    if reply.remove_keyboard:
        return {"remove_keyboard": True}
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
