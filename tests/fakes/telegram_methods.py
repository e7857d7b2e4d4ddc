"""Bot API method handlers of the fake Telegram server (the state a real chat would have)."""

from __future__ import annotations

import asyncio
import copy
import json
import random
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from tests.fakes.telegram_spec import Invalid, Upload, visible_text

if TYPE_CHECKING:
    from tests.fakes.telegram_server import FakeTelegram

Handler = Callable[[dict[str, Any]], Awaitable[Any]]

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
# method -> (Message field, upload parameter)
_MEDIA = {
    "sendPhoto": ("photo", "photo"),
    "sendDocument": ("document", "document"),
    "sendAudio": ("audio", "audio"),
    "sendVoice": ("voice", "voice"),
    "sendVideo": ("video", "video"),
    "sendAnimation": ("animation", "animation"),
    "sendSticker": ("sticker", "sticker"),
}


class ApiError(Exception):
    """A refusal answered with Telegram's envelope (not a protocol violation)."""

    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


class ChatState:
    """One chat as the fake sees it: fate, message ids, what the bot showed, drafts and chat actions."""

    def __init__(self, chat_json: dict[str, Any]) -> None:
        self.json = chat_json
        self.fate: str | None = None
        self.next_message_id = 1
        self.messages: dict[int, dict[str, Any]] = {}  # bot messages, current state
        self.outputs: list[dict[str, Any]] = []  # snapshots of every bot send/edit, in order
        self.drafts: list[dict[str, Any]] = []
        self.actions: list[str] = []
        self._cond: asyncio.Condition | None = None

    @property
    def id(self) -> int:
        return int(self.json["id"])

    @property
    def cond(self) -> asyncio.Condition:
        if self._cond is None:
            self._cond = asyncio.Condition()
        return self._cond

    def new_message_id(self) -> int:
        self.next_message_id += 1
        return self.next_message_id - 1

    async def notify(self) -> None:
        if self._cond is not None:
            async with self._cond:
                self._cond.notify_all()

    def output(self, record: dict[str, Any], event: str) -> None:
        snap = {k: _copy(v) for k, v in record.items() if k != "json"}
        snap["event"] = event
        self.outputs.append(snap)


def _copy(value: Any) -> Any:
    """copy.deepcopy for the JSON values a record holds (dicts, lists, strings, numbers), at a fraction of its
    cost; anything else still goes through deepcopy."""
    if value is None or isinstance(value, str | int | float):  # bool is an int
        return value
    if type(value) is dict:
        return {k: _copy(v) for k, v in value.items()}
    if type(value) is list:
        return [_copy(v) for v in value]
    return copy.deepcopy(value)


def new_file(upload: Upload) -> tuple[str, str]:
    """A (file_id, file_unique_id) pair for an upload."""
    n = random.getrandbits(48)
    return f"BQACAgIAAxkBAAI{n:012x}", f"AgAD{n:08x}"


class Methods:
    """Mixin with the handlers; FakeTelegram supplies chats, users, emit() and the webhook state."""

    def __init__(self) -> None:
        self.files_by_id: dict[str, Upload] = {}
        self.files_by_path: dict[str, Upload] = {}
        self.polls: dict[str, dict[str, Any]] = {}
        self.callbacks: dict[str, dict[str, Any]] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.menu_buttons: dict[Any, dict[str, Any]] = {}
        self.handlers: dict[str, Handler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "sendPoll": self._send_poll,
            "stopPoll": self._stop_poll,
            "answerCallbackQuery": self._answer_callback,
            "editMessageText": self._edit_text,
            "editMessageReplyMarkup": self._edit_markup,
            "deleteMessage": self._delete_message,
            "sendChatAction": self._chat_action,
            "sendMessageDraft": self._draft,
            "setMyCommands": self._set_commands,
            "deleteMyCommands": self._delete_commands,
            "getMyCommands": self._get_commands,
            "setChatMenuButton": self._set_menu,
            "getChatMenuButton": self._get_menu,
            "getFile": self._get_file,
            "close": self._true,
            "logOut": self._true,
        }
        for method in _MEDIA:
            self.handlers[method] = self._media_sender(method)

    # -- helpers ----------------------------------------------------------------------------------
    def _fake(self) -> FakeTelegram:
        return self  # type: ignore[return-value]

    def register_file(self, upload: Upload) -> dict[str, Any]:
        file_id, unique = new_file(upload)
        self.files_by_id[file_id] = upload
        self.files_by_path[f"files/{file_id}"] = upload
        return {"file_id": file_id, "file_unique_id": unique, "file_size": len(upload.data)}

    def chat_for(self, params: dict[str, Any]) -> ChatState:
        tg = self._fake()
        chat = tg.chats.get(params.get("chat_id"))  # type: ignore[arg-type]
        if chat is None or chat.fate == "not_found":
            raise ApiError(400, "Bad Request: chat not found")
        if chat.fate == "blocked":
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat.fate == "deactivated":
            raise ApiError(403, "Forbidden: user is deactivated")
        if chat.fate == "not_started":
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        return chat

    def _bot_message(self, chat: ChatState, method: str, p: dict[str, Any], **content: Any) -> dict[str, Any]:
        msg: dict[str, Any] = {
            "message_id": chat.new_message_id(),
            "date": int(time.time()),
            "chat": chat.json,
            "from": self._fake().bot_user,
            **content,
        }
        markup = p.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            msg["reply_markup"] = markup
        record: dict[str, Any] = {
            "message_id": msg["message_id"],
            "method": method,
            "text": content.get("text", content.get("caption")),
            "caption": content.get("caption"),
            "reply_markup": markup,
            "poll": content.get("poll"),
            "document": None,
            "edited": False,
            "json": msg,
        }
        chat.messages[msg["message_id"]] = record
        chat.output(record, "sent")
        return msg

    def _record_for(self, p: dict[str, Any], missing: str) -> tuple[ChatState, dict[str, Any]]:
        chat = self.chat_for(p)
        record = chat.messages.get(p.get("message_id"))  # type: ignore[arg-type]
        if record is None:
            raise ApiError(400, f"Bad Request: {missing}")
        return chat, record

    # -- bot identity / webhook -------------------------------------------------------------------
    async def _true(self, p: dict[str, Any]) -> bool:
        return True

    async def _get_me(self, p: dict[str, Any]) -> dict[str, Any]:
        me = dict(self._fake().bot_user)
        me.update(can_join_groups=True, can_read_all_group_messages=False, supports_inline_queries=False)
        return me

    async def _get_updates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        raise NotImplementedError  # FakeTelegram overrides

    async def _set_webhook(self, p: dict[str, Any]) -> bool:
        tg = self._fake()
        if not p.get("url"):
            tg.delete_webhook_state(bool(p.get("drop_pending_updates")))
            return True
        if "allowed_updates" in p:
            tg.allowed_updates = list(p["allowed_updates"] or [])
        tg.set_webhook_state(
            p["url"],
            p.get("secret_token"),
            int(p.get("max_connections") or 40),
            bool(p.get("drop_pending_updates")),
        )
        return True

    async def _delete_webhook(self, p: dict[str, Any]) -> bool:
        self._fake().delete_webhook_state(bool(p.get("drop_pending_updates")))
        return True

    async def _get_webhook_info(self, p: dict[str, Any]) -> dict[str, Any]:
        tg = self._fake()
        hook = tg.webhook or {}
        info: dict[str, Any] = {
            "url": hook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(tg.pending_updates()),
        }
        if hook:
            info["max_connections"] = hook["max_connections"]
        if tg.allowed_updates is not None:
            info["allowed_updates"] = tg.allowed_updates
        if hook.get("last_error"):
            info["last_error_date"] = hook["last_error_date"]
            info["last_error_message"] = hook["last_error"]
        return info

    # -- messages ---------------------------------------------------------------------------------
    async def _send_message(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self.chat_for(p)
        text = visible_text(p["text"], p.get("parse_mode"))
        content: dict[str, Any] = {"text": text}
        if p.get("entities"):
            content["entities"] = p["entities"]
        return self._bot_message(chat, "sendMessage", p, **content)

    def _media_sender(self, method: str) -> Handler:
        kind, param = _MEDIA[method]

        async def send(p: dict[str, Any]) -> dict[str, Any]:
            chat = self.chat_for(p)
            value = p[param]
            if isinstance(value, Upload):
                info = self.register_file(value)
                name = value.filename
            elif value in self.files_by_id:
                upload = self.files_by_id[value]
                info = {
                    "file_id": value,
                    "file_unique_id": "AgADre" + value[-6:],
                    "file_size": len(upload.data),
                }
                name = upload.filename
            else:
                info = {"file_id": str(value), "file_unique_id": "AgADurl" + str(abs(hash(value)))[:8]}
                name = str(value).rsplit("/", 1)[-1]
            shape = _media_shape(kind, info, name, value)
            content: dict[str, Any] = {kind: shape}
            if p.get("caption"):
                content["caption"] = visible_text(p["caption"], p.get("parse_mode"))
            msg = self._bot_message(chat, method, p, **content)
            record = chat.messages[msg["message_id"]]
            record["document"] = name if kind == "document" else None
            record["file"] = value
            record["file_name"] = name
            chat.outputs[-1].update(document=record["document"], file=value, file_name=name)
            return msg

        return send

    async def _edit_text(self, p: dict[str, Any]) -> dict[str, Any] | bool:
        if "inline_message_id" in p:
            return True
        chat, record = self._record_for(p, "message to edit not found")
        text = visible_text(p["text"], p.get("parse_mode"))
        markup = p.get("reply_markup")
        if text == record["text"] and markup == record["json"].get("reply_markup"):
            raise ApiError(400, NOT_MODIFIED)
        record["json"]["text"] = record["text"] = text
        return self._apply_edit(chat, record, markup)

    async def _edit_markup(self, p: dict[str, Any]) -> dict[str, Any] | bool:
        if "inline_message_id" in p:
            return True
        chat, record = self._record_for(p, "message to edit not found")
        markup = p.get("reply_markup")
        if markup == record["json"].get("reply_markup"):
            raise ApiError(400, NOT_MODIFIED)
        return self._apply_edit(chat, record, markup)

    def _apply_edit(self, chat: ChatState, record: dict[str, Any], markup: Any) -> dict[str, Any]:
        msg = record["json"]
        if markup:
            msg["reply_markup"] = markup
        else:
            msg.pop("reply_markup", None)
        record["reply_markup"] = markup
        record["edited"] = True
        msg["edit_date"] = int(time.time())
        chat.output(record, "edited")
        return msg

    async def _delete_message(self, p: dict[str, Any]) -> bool:
        chat, _record = self._record_for(p, "message to delete not found")
        del chat.messages[p["message_id"]]
        return True

    async def _chat_action(self, p: dict[str, Any]) -> bool:
        self.chat_for(p).actions.append(str(p.get("action")))
        return True

    async def _draft(self, p: dict[str, Any]) -> bool:
        chat = self.chat_for(p)
        if chat.json.get("type") != "private":
            raise Invalid(
                "Bad Request: drafts can be sent only to private chats",
                "sendMessageDraft in a non-private chat",
            )
        text = visible_text(p.get("text") or "", p.get("parse_mode"))
        chat.drafts.append({"draft_id": p["draft_id"], "text": text, "time": time.time()})
        return True

    # -- polls and callbacks ----------------------------------------------------------------------
    async def _send_poll(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self.chat_for(p)
        quiz = p.get("type") == "quiz"
        if "open_period" in p and not 5 <= int(p["open_period"]) <= 600:  # Bot API: 5-600, not with close_date
            raise Invalid("Bad Request: poll open period must be between 5 and 600",
                          f"sendPoll open_period={p['open_period']!r} outside 5..600")  # fmt: skip
        if "open_period" in p and "close_date" in p:
            raise Invalid("Bad Request: can't use both open_period and close_date",
                          "sendPoll with both open_period and close_date")  # fmt: skip
        poll_id = str(random.randint(10**17, 10**18))
        options = [
            {"persistent_id": f"o{i}", "text": o["text"] if isinstance(o, dict) else str(o), "voter_count": 0}
            for i, o in enumerate(p["options"])
        ]
        poll: dict[str, Any] = {
            "id": poll_id,
            "question": p["question"],
            "options": options,
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": p.get("is_anonymous", True),
            "type": "quiz" if quiz else "regular",
            "allows_multiple_answers": bool(p.get("allows_multiple_answers", False)),
            "allows_revoting": bool(p.get("allows_revoting", not quiz)),
            "members_only": bool(p.get("members_only", False)),
        }
        if quiz:
            poll["correct_option_ids"] = p["correct_option_ids"]
        for key in ("explanation", "open_period", "close_date"):
            if key in p:
                poll[key] = p[key]
        msg = self._bot_message(chat, "sendPoll", p, poll=poll)
        self.polls[poll_id] = {"poll": poll, "chat_id": chat.id, "message_id": msg["message_id"], "votes": {},
                               "sent": time.monotonic()}  # fmt: skip
        return msg

    async def _stop_poll(self, p: dict[str, Any]) -> dict[str, Any]:
        _chat, record = self._record_for(p, "message with poll to stop not found")
        poll = record.get("poll")
        if not poll:
            raise ApiError(400, "Bad Request: message with poll to stop not found")
        if poll["is_closed"]:
            raise ApiError(400, "Bad Request: poll has already been closed")
        poll["is_closed"] = True
        self._fake().emit("poll", copy.deepcopy(poll))
        return poll

    async def _answer_callback(self, p: dict[str, Any]) -> bool:
        query = self.callbacks.get(p["callback_query_id"])
        if query is None or query.get("answer") is not None:
            why = "answered twice" if query else "unknown id"
            raise Invalid(QUERY_TOO_OLD, f"answerCallbackQuery {p['callback_query_id']!r}: {why}")
        query["answer"] = p
        return True

    # -- commands, menu, files --------------------------------------------------------------------
    @staticmethod
    def _command_key(p: dict[str, Any]) -> tuple[str, str]:
        scope = p.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(p.get("language_code") or "")

    async def _set_commands(self, p: dict[str, Any]) -> bool:
        self.commands[self._command_key(p)] = list(p["commands"])
        return True

    async def _delete_commands(self, p: dict[str, Any]) -> bool:
        self.commands.pop(self._command_key(p), None)
        return True

    async def _get_commands(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        return self.commands.get(self._command_key(p), [])

    async def _set_menu(self, p: dict[str, Any]) -> bool:
        self.menu_buttons[p.get("chat_id")] = p.get("menu_button") or {"type": "default"}
        return True

    async def _get_menu(self, p: dict[str, Any]) -> dict[str, Any]:
        return self.menu_buttons.get(p.get("chat_id"), {"type": "commands"})

    async def _get_file(self, p: dict[str, Any]) -> dict[str, Any]:
        upload = self.files_by_id.get(p["file_id"])
        if upload is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        file_id = p["file_id"]
        return {
            "file_id": file_id,
            "file_unique_id": "AgAD" + file_id[-8:],
            "file_size": len(upload.data),
            "file_path": f"files/{file_id}",
        }


def _media_shape(kind: str, info: dict[str, Any], name: str, value: Any) -> Any:
    mime = value.content_type if isinstance(value, Upload) else "application/octet-stream"
    if kind == "photo":
        return [dict(info, width=320, height=240), dict(info, width=1280, height=960)]
    if kind == "document":
        return dict(info, file_name=name, mime_type=mime)
    if kind in ("audio", "voice"):
        return dict(info, duration=3, mime_type=mime)
    if kind == "sticker":
        return dict(info, type="regular", width=512, height=512, is_animated=False, is_video=False)
    return dict(info, width=640, height=480, duration=3)
