"""Simulated Telegram users: they create updates and read what the bot showed them."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.fakes.telegram_spec import Upload

if TYPE_CHECKING:
    from tests.fakes.telegram_methods import ChatState
    from tests.fakes.telegram_server import FakeTelegram

Messages = list[dict[str, Any]]


class SimUser:
    """A private-chat user. Actions are async (they queue updates); readers are plain methods."""

    def __init__(
        self,
        tg: FakeTelegram,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "vi",
    ) -> None:
        self.tg = tg
        self.id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code
        self._mark = 0  # index into chat.outputs where the next wait_reply looks

    # -- identity ---------------------------------------------------------------------------------
    def user_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data

    def chat_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        return data

    @property
    def chat(self) -> ChatState:
        return self.tg.chats[self.id]

    # -- actions ----------------------------------------------------------------------------------
    def _message(self, **content: Any) -> dict[str, Any]:
        if self.chat.fate == "deactivated":
            raise AssertionError(f"user {self.id} is deactivated and cannot send anything")
        if self.chat.fate == "blocked":
            self._member_change("kicked", "member")  # Telegram's "Restart" button unblocks
        self._mark = len(self.chat.outputs)
        msg = {
            "message_id": self.chat.new_message_id(),
            "date": int(time.time()),
            "from": self.user_json(),
            "chat": self.chat_json(),
            **content,
        }
        return self.tg.emit("message", msg)

    async def send(self, text: str) -> dict[str, Any]:
        """The user types `text`; a leading "/command" gets a bot_command entity."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/") and len(text) > 1:
            length = len(text.split(maxsplit=1)[0])
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": _utf16_len(text[:length])}]
        return self._message(**content)

    async def send_in_group(self, chat_id: int, text: str) -> dict[str, Any]:
        """The user writes `text` in the group `chat_id` (created with tg.add_chat) where the bot is a member."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/") and len(text) > 1:
            length = len(text.split(maxsplit=1)[0])
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": _utf16_len(text[:length])}]
        group = self.tg.chats[chat_id]
        msg = {
            "message_id": group.new_message_id(),
            "date": int(time.time()),
            "from": self.user_json(),
            "chat": dict(group.json),
            **content,
        }
        return self.tg.emit("message", msg)

    async def changes_bot_in_group(self, chat_id: int, old: str, new: str) -> dict[str, Any]:
        """The user adds (member) or removes (kicked/left) the bot in the group `chat_id`."""
        member: dict[str, Any] = {"status": new, "user": self.tg.bot_user}
        if new == "kicked":
            member["until_date"] = 0
        return self.tg.emit(
            "my_chat_member",
            {
                "chat": dict(self.tg.chats[chat_id].json),
                "from": self.user_json(),
                "date": int(time.time()),
                "old_chat_member": {"status": old, "user": self.tg.bot_user},
                "new_chat_member": member,
            },
        )

    async def send_sticker(self, emoji: str = "👍") -> dict[str, Any]:
        info = self.tg.register_file(Upload("sticker.webp", b"RIFF\x00\x00\x00\x00WEBP", "image/webp"))
        sticker = dict(
            info, type="regular", width=512, height=512, is_animated=False, is_video=False, emoji=emoji
        )
        return self._message(sticker=sticker)

    async def send_voice(self, data: bytes = b"OggS\x00fake-voice", duration: int = 3) -> dict[str, Any]:
        info = self.tg.register_file(Upload("voice.ogg", data, "audio/ogg"))
        return self._message(voice=dict(info, duration=duration, mime_type="audio/ogg"))

    async def send_photo(
        self, data: bytes = b"\xff\xd8\xff\xe0fake-jpeg", caption: str | None = None
    ) -> dict[str, Any]:
        info = self.tg.register_file(Upload("photo.jpg", data, "image/jpeg"))
        content: dict[str, Any] = {
            "photo": [dict(info, width=90, height=90), dict(info, width=800, height=800)]
        }
        if caption:
            content["caption"] = caption
        return self._message(**content)

    async def press(self, data: str, message_id: int | None = None) -> str:
        """Tap the button whose callback_data (or label) is `data`; returns the callback query id."""
        record = self._find_button_message(data, message_id)
        buttons = _inline_buttons(record["json"].get("reply_markup"))
        button = next((b for b in buttons if b.get("callback_data") == data), None)
        button = button or next(b for b in buttons if b.get("text") == data)
        query_id = str(random.getrandbits(62))
        self.tg.callbacks[query_id] = {"user_id": self.id, "data": button["callback_data"], "answer": None}
        self._mark = len(self.chat.outputs)
        self.tg.emit(
            "callback_query",
            {
                "id": query_id,
                "from": self.user_json(),
                "message": record["json"],
                "chat_instance": str(-(10**18) - self.id),
                "data": button["callback_data"],
            },
        )
        return query_id

    async def forge_press(self, data: str) -> str:
        """A callback whose data no button carried (a modified client), on the last bot message."""
        record = list(self.chat.messages.values())[-1]
        query_id = str(random.getrandbits(62))
        self.tg.callbacks[query_id] = {"user_id": self.id, "data": data, "answer": None}
        self._mark = len(self.chat.outputs)
        self.tg.emit("callback_query", {"id": query_id, "from": self.user_json(), "message": record["json"],
                                        "chat_instance": str(-(10**18) - self.id), "data": data})
        return query_id

    def _find_button_message(self, data: str, message_id: int | None) -> dict[str, Any]:
        records = [self.chat.messages[message_id]] if message_id in self.chat.messages else []
        if message_id is None:
            records = list(reversed(self.chat.messages.values()))
        for record in records:
            buttons = _inline_buttons(record["json"].get("reply_markup"))
            if any(b.get("callback_data") == data for b in buttons):
                return record
            if any(b.get("text") == data and "callback_data" in b for b in buttons):
                return record
        raise AssertionError(f"user {self.id} sees no button {data!r} (buttons now: {self.buttons()})")

    def callback_answer(self, query_id: str) -> dict[str, Any] | None:
        """The bot's answerCallbackQuery parameters for that press, or None if not answered (yet)."""
        return self.tg.callbacks[query_id]["answer"]

    async def answer_poll(self, option_ids: list[int], poll_id: str | None = None) -> dict[str, Any]:
        """Vote in the last poll the bot sent to this user (or `poll_id`); returns the poll_answer update."""
        entry = self.tg.polls.get(poll_id) if poll_id else None
        if entry is None:
            mine = [e for e in self.tg.polls.values() if e["chat_id"] == self.id]
            if not mine:
                raise AssertionError(f"no poll was sent to user {self.id}")
            entry = mine[-1]
        poll = entry["poll"]
        if poll.get("open_period") and time.monotonic() - entry.get("sent", 0.0) > poll["open_period"]:
            poll["is_closed"] = True  # the open period ran out: Telegram closes the poll by itself
        if poll["is_closed"]:
            raise AssertionError(f"poll {poll['id']} is closed; Telegram does not accept votes")
        if poll["is_anonymous"]:
            self.tg.violations.append(
                f"poll {poll['id']} is anonymous: the bot can never see this user's answer"
            )
            raise AssertionError("anonymous poll: Telegram sends no poll_answer to the bot")
        for i in entry["votes"].get(self.id, []):
            poll["options"][i]["voter_count"] -= 1
        for i in option_ids:
            poll["options"][i]["voter_count"] += 1
        poll["total_voter_count"] += 0 if self.id in entry["votes"] else 1
        entry["votes"][self.id] = list(option_ids)
        update = self.tg.emit(
            "poll_answer",
            {
                "poll_id": poll["id"],
                "user": self.user_json(),
                "option_ids": list(option_ids),
                "option_persistent_ids": [poll["options"][i]["persistent_id"] for i in option_ids],
            },
        )
        self.tg.emit("poll", dict(poll, options=[dict(o) for o in poll["options"]]))
        return update

    def _member_change(self, old: str, new: str) -> dict[str, Any]:
        def member(status: str) -> dict[str, Any]:
            data: dict[str, Any] = {"status": status, "user": self.tg.bot_user}
            if status == "kicked":
                data["until_date"] = 0
            return data

        self.chat.fate = "blocked" if new == "kicked" else None
        return self.tg.emit(
            "my_chat_member",
            {
                "chat": self.chat_json(),
                "from": self.user_json(),
                "date": int(time.time()),
                "old_chat_member": member(old),
                "new_chat_member": member(new),
            },
        )

    async def block(self) -> dict[str, Any]:
        return self._member_change("member", "kicked")

    async def unblock(self) -> dict[str, Any]:
        return self._member_change("kicked", "member")

    async def deactivate(self) -> None:
        self.chat.fate = "deactivated"

    # -- reading ----------------------------------------------------------------------------------
    def messages(self) -> Messages:
        """Bot messages still in this chat (current state): text, caption, reply_markup, poll, document."""
        return [{k: v for k, v in r.items() if k != "json"} for r in self.chat.messages.values()]

    def last(self) -> dict[str, Any] | None:
        msgs = self.messages()
        return msgs[-1] if msgs else None

    def last_text(self) -> str | None:
        last = self.last()
        return last["text"] if last else None

    def buttons(self) -> list[str]:
        """Labels of the inline keyboard under the last bot message, row by row, flattened."""
        last = self.last()
        return [b.get("text", "") for b in _inline_buttons(last["reply_markup"] if last else None)]

    def keyboard(self) -> list[str]:
        """Labels of the reply keyboard currently shown (the last one sent, unless removed since)."""
        for record in reversed(self.chat.messages.values()):
            markup = record.get("reply_markup") or {}
            if markup.get("remove_keyboard"):
                return []
            if "keyboard" in markup:
                return [
                    b if isinstance(b, str) else b.get("text", "") for row in markup["keyboard"] for b in row
                ]
        return []

    async def wait_for(self, what: int | Callable[[Messages], bool], timeout: float = 15.0) -> Messages:  # noqa: ASYNC109
        """Wait until messages() has `what` items, or `what(messages())` is true. The default deadline is generous:
        it is reached only when the test fails, and a busy machine (other test workers) can take seconds."""

        def ready() -> bool:
            msgs = self.messages()
            return len(msgs) >= what if isinstance(what, int) else bool(what(msgs))

        await self._wait(ready, timeout, f"wait_for({what!r})")
        return self.messages()

    async def wait_reply(self, timeout: float = 15.0) -> dict[str, Any]:  # noqa: ASYNC109
        """Wait for the next thing the bot sends or edits in this chat after the user's last action."""
        await self._wait(lambda: len(self.chat.outputs) > self._mark, timeout, "wait_reply()")
        reply = self.chat.outputs[self._mark]
        self._mark += 1
        return reply

    async def _wait(self, ready: Callable[[], bool], timeout: float, what: str) -> None:  # noqa: ASYNC109
        cond = self.chat.cond
        async with cond:
            try:
                await asyncio.wait_for(cond.wait_for(ready), timeout)
            except TimeoutError:
                calls = ", ".join(f"{c.method}:{c.status}" for c in self.tg.transcript[-6:])
                raise AssertionError(
                    f"user {self.id}: {what} timed out after {timeout}s; last bot text {self.last_text()!r}; "
                    f"recent calls: {calls}; violations: {self.tg.violations}"
                ) from None


def _inline_buttons(markup: Any) -> list[dict[str, Any]]:
    if not isinstance(markup, dict):
        return []
    return [b for row in markup.get("inline_keyboard") or [] for b in row if isinstance(b, dict)]


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
