"""Telegram adapter on python-telegram-bot 22.8: long polling or webhook, replies, drafts, quiz polls."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import html
import itertools
import json
import logging
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import BotCommand, InputFile, Poll, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, InvalidToken, NetworkError, TelegramError
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.channels.base import ChannelState, OutputChannel
from bot.channels.telegram_http import AiohttpRequest, post_json
from bot.channels.telegram_io import CHANNEL, BoundedUpdateQueue, RawUpdate, SafeBot, guarded, markup, to_inbound
from bot.core.delivery import Preview, SentInfo, Stopped, Transient
from bot.core.dispatcher import Dispatcher
from bot.core.messages import Reply
from bot.core.render import split_text
from bot.core.tasks import cancel_and_wait
from bot.settings import Settings
from bot.startup import StartupError

log = logging.getLogger(__name__)
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
DRAFT_INTERVAL = 0.6  # seconds between draft updates: a preview, never an edit storm
COMMANDS = [
    ("hoc", "Học AI"),
    ("kiemtra", "Làm bài kiểm tra"),
    ("hoi", "Hỏi đáp"),
    ("tuanle", "Tuần lễ học tập"),
    ("tiendo", "Tiến độ"),
    ("chungnhan", "Chứng nhận"),
    ("mohinh", "Mô hình học tập"),
    ("thi", "Cuộc thi Tuần lễ"),
    ("sangkien", "Gửi sáng kiến"),
    ("caidat", "Cài đặt"),
    ("trogiup", "Hướng dẫn"),
    ("huy", "Ngừng nhận thông báo"),
]
RETRY_FIRST = 2.0  # seconds before the first retry when Telegram does not answer at start
RETRY_CAP = 60.0  # the back-off doubles up to this
CONFLICT_WINDOW = 60.0  # a 409 this soon after our polling began: another hocbot was polling first
CONFLICT_LOG_EVERY = 60.0  # the running instance says so at most once a minute
STOP_GRACE = 3.0  # seconds the updates in hand get to finish when hocbot stops; then their sends are cut
SECOND_INSTANCE = (
    "Một chương trình khác (có thể là một hocbot khác) đang nhận tin của cùng bot Telegram này (409 Conflict): "
    "mỗi TELEGRAM_BOT_TOKEN chỉ chạy một `hocbot run`; dừng tiến trình kia hoặc dùng token khác."
)


class TelegramChannel(OutputChannel):
    """Holds the PTB Application; translates updates in and replies out (buttons, quiz polls, files, photos
    natively), nothing else."""

    name = CHANNEL

    def __init__(
        self,
        settings: Settings,
        dispatcher: Dispatcher,
        *,
        concurrency: int = 16,
        on_fatal: Callable[[str], None] | None = None,
    ) -> None:
        assert settings.telegram_bot_token is not None
        self.settings = settings
        self.dispatcher = dispatcher
        self.on_fatal = on_fatal  # `hocbot run` exits with this one line (another instance, a revoked token)
        self._token = settings.telegram_bot_token.get_secret_value()
        self._connected = False
        self._connector: asyncio.Task[None] | None = None
        self._polling_since = 0.0
        self._conflict_logged = -CONFLICT_LOG_EVERY
        self.webhook_url = settings.telegram_webhook_url
        secret = settings.telegram_webhook_secret
        self._secret = secret.get_secret_value().encode() if secret else b""
        self._draft_ids = itertools.count(1)
        self._tasks: set[asyncio.Task[None]] = set()
        self._cut = False  # hocbot is stopping and gave up waiting for Telegram's answers
        bot = SafeBot(
            settings.telegram_bot_token.get_secret_value(),
            base_url=settings.telegram_api_base_url,
            request=AiohttpRequest(connection_pool_size=32, pool_timeout=30.0),
            get_updates_request=AiohttpRequest(connection_pool_size=2, read_timeout=20.0),
            on_poll_error=self._on_poll_error,
        )
        self.intake = BoundedUpdateQueue(waiting=100, in_flight=2 * concurrency)
        builder = Application.builder().bot(bot).concurrent_updates(concurrency).update_queue(self.intake)
        if self.webhook_url:
            builder = builder.updater(None)
        self.app = builder.build()
        self.app.add_handler(TypeHandler(RawUpdate, self._on_update))
        self.app.add_error_handler(self._on_error)

    @property
    def state(self) -> ChannelState:
        """/readyz: "retrying" while Telegram has not answered yet or long polling fails, else "ok"."""
        if not self._connected:
            return "retrying"
        bot = self.app.bot
        return "retrying" if isinstance(bot, SafeBot) and bot.poll_failing else "ok"

    @property
    def webhook_path(self) -> str | None:
        return urlsplit(self.webhook_url).path or "/" if self.webhook_url else None

    async def start(self) -> None:
        """Connect now; if Telegram does not answer, return anyway (the web chat and dashboard serve) and keep
        retrying in the background. A token Telegram rejects is a StartupError: one line, exit."""
        try:
            await self._connect()
        except NetworkError as exc:
            if isinstance(exc, BadRequest):
                raise StartupError(self._refused(exc)) from None
            self._connector = asyncio.create_task(self._reconnect(exc))
        except InvalidToken:
            raise StartupError(self._token_rejected()) from None

    async def _connect(self) -> None:
        try:
            await self.app.initialize()  # getMe: InvalidToken (401/404) or NetworkError when unreachable
        except BaseException:
            await self.app.bot.shutdown()  # PTB leaves its HTTP sessions open when getMe fails; a retry reopens them
            raise
        if self.webhook_url:
            await self.app.bot.set_webhook(
                self.webhook_url, secret_token=self._secret.decode() or None, allowed_updates=Update.ALL_TYPES
            )
        else:
            assert self.app.updater is not None
            self._polling_since = time.monotonic()
            await self.app.updater.start_polling(
                poll_interval=0.0,
                timeout=10,
                allowed_updates=Update.ALL_TYPES,
                drop_pending_updates=False,
                error_callback=self._on_poll_error,
            )
        await self.app.start()
        self._connected = True
        try:
            await self.app.bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS])
        except Exception as exc:  # commands are cosmetic; never block start-up on them
            log.warning("setMyCommands failed: %s", self._scrub(str(exc)))

    async def _reconnect(self, error: Exception) -> None:
        """Retry with a doubling back-off (capped), one log line per try, until Telegram answers."""
        delay = RETRY_FIRST
        while True:
            log.warning(
                "Chưa kết nối được Telegram tại %s (%s); web chat vẫn chạy, thử lại sau %.0f giây "
                "(kiểm tra mạng hoặc TELEGRAM_API_BASE_URL).",
                self._server(), self._scrub(str(error)), delay,
            )  # fmt: skip
            await asyncio.sleep(delay)
            try:
                await self._connect()
            except InvalidToken:
                return self._fatal(self._token_rejected())
            except BadRequest as exc:
                return self._fatal(self._refused(exc))
            except NetworkError as exc:
                error, delay = exc, min(delay * 2, RETRY_CAP)
                continue
            log.warning("Đã kết nối được Telegram tại %s.", self._server())
            return

    def _on_poll_error(self, exc: TelegramError) -> None:
        """Polling retries by itself (back-off up to 30 s, SafeBot.get_updates); we log one line per failure, no
        traceback. A 409 soon after we began polling means another instance was polling first: we stop."""
        if isinstance(exc, Conflict):
            if time.monotonic() - self._polling_since < CONFLICT_WINDOW:
                self._fatal(SECOND_INSTANCE)
            elif time.monotonic() - self._conflict_logged >= CONFLICT_LOG_EVERY:
                self._conflict_logged = time.monotonic()
                log.warning("Telegram: một chương trình khác vừa nhận tin thay hocbot này (409 Conflict).")
            return
        log.warning("Telegram không trả lời khi nhận tin (%s); đang thử lại.", self._scrub(str(exc)))

    def _fatal(self, message: str) -> None:
        log.error(message)
        if self.on_fatal is not None:
            self.on_fatal(message)
            self._track(self._stop_polling())  # no more polling while hocbot shuts down

    def _track(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _server(self) -> str:
        return urlsplit(self.settings.telegram_api_base_url).netloc or self.settings.telegram_api_base_url

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token else text

    def _token_rejected(self) -> str:
        hint = "" if self._server() == "api.telegram.org" else f" (hoặc TELEGRAM_API_BASE_URL={self._server()} sai)"
        return (f"Telegram từ chối TELEGRAM_BOT_TOKEN (401 Unauthorized){hint}: lấy đúng token từ @BotFather "
                "rồi sửa TELEGRAM_BOT_TOKEN.")  # fmt: skip

    def _refused(self, exc: BadRequest) -> str:
        what = "TELEGRAM_WEBHOOK_URL" if self.webhook_url else "TELEGRAM_BOT_TOKEN"
        return f"Telegram từ chối khi khởi động ({self._scrub(exc.message)}): kiểm tra {what}."

    async def stop(self) -> None:
        """Within a few seconds whatever Telegram does (answers, refuses connections, or never answers): polling
        stops at once, and the updates already taken are handled (see `_finish_updates`)."""
        if self._connector is not None:
            with contextlib.suppress(Exception):
                await cancel_and_wait(self._connector)
        await self._stop_polling()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.app.running:
            await self._finish_updates()
        await self.app.shutdown()

    async def _stop_polling(self) -> None:
        updater = self.app.updater
        if updater is not None and updater.running:
            if isinstance(self.app.bot, SafeBot):
                self.app.bot.stop_polling()  # its last getUpdates waits 2 s at most
            await updater.stop()

    async def _finish_updates(self) -> None:
        """PTB's `Application.stop()` handles every update already taken from Telegram before it returns. They
        get STOP_GRACE seconds; then the Bot API's connections are closed, so a reply still waiting for Telegram's
        answer (5 s a try, tried three times) fails at once, and the rest of each update runs without sending.
        Nothing is lost but those replies: what an update changes is committed before its replies are sent."""
        stopping = asyncio.create_task(self.app.stop())
        done, _ = await asyncio.wait({stopping}, timeout=STOP_GRACE)
        if not done:
            self._cut = True
            log.warning("Telegram chưa trả lời sau %.0f giây khi dừng: các tin trả lời còn đang gửi bị bỏ.", STOP_GRACE)
            await self.app.bot.request.shutdown()
        await stopping

    async def ping(self) -> None:
        """One cheap Bot API call (getMe): raises while Telegram does not answer."""
        await self.app.bot.get_me()

    async def webhook(self, request: web.Request) -> web.Response:
        """Telegram's webhook: check the secret in constant time, queue the update, answer 200 at once."""
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "").encode()
        if not self._secret or not hmac.compare_digest(given, self._secret):
            log.warning("telegram webhook with a wrong secret from %s", request.remote)
            return web.Response(status=403)
        try:
            update = RawUpdate.of(json.loads(await request.read()))
        except Exception:
            log.error("malformed telegram webhook body ignored", exc_info=True)
            return web.Response(status=200)
        await self.app.update_queue.put(update)
        return web.Response(status=200)

    async def _on_update(self, update: RawUpdate, _ctx: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.data.get("callback_query")
        press = query["id"] if isinstance(query, dict) and "id" in query else None
        answered = asyncio.create_task(self._answer(press)) if press is not None else None  # meanwhile: the reply
        try:
            await self._handle(update)
        finally:
            if answered is not None:
                await answered

    async def _answer(self, query_id: str) -> None:
        """Stop the button's spinner (at once, while the press is handled)."""
        try:
            await self._post("answerCallbackQuery", {"callback_query_id": query_id})
        except Exception:  # an old query can't be answered; the press still counts
            log.info("callback query %s not answerable", query_id)

    async def _handle(self, update: RawUpdate) -> None:
        try:
            inbound = to_inbound(update, self.app.bot.username or "")
        except Exception as exc:  # a shape Telegram does not send (a broken or forged update): skip it
            log.warning("skipping unparsable Telegram update %s (%s)", update.update_id, type(exc).__name__)
            return
        if inbound is None:
            return
        await self.dispatcher.handle(
            inbound, partial(self.deliver, inbound.reply_to), preview=partial(self.preview, inbound.reply_to)
        )

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("telegram update %s failed", getattr(update, "update_id", "?"), exc_info=context.error)

    def shows_numbers(self, reply: Reply) -> bool:
        return False  # buttons and quiz polls

    async def deliver(self, chat_key: str, reply: Reply) -> SentInfo:
        """Send one reply: a file, a native quiz poll in private chats, a photo, buttons or text."""
        if not self._connected:
            raise Transient("telegram: not connected yet")  # the pacer retries later
        if self._cut:
            raise Stopped("telegram: hocbot is stopping")  # not tried again: Telegram did not answer in time
        return await super().deliver(chat_key, reply)

    async def send_text(self, chat_key: str, text: str) -> SentInfo:
        return await self._text(int(chat_key), text, None)

    async def send_buttons(self, chat_key: str, reply: Reply) -> SentInfo:
        return await self._text(int(chat_key), reply.text, reply)

    async def send_document(self, chat_key: str, reply: Reply) -> SentInfo:
        doc = reply.document
        assert doc is not None
        msg = await guarded(
            lambda: self.app.bot.send_document(
                int(chat_key),
                InputFile(doc.content, filename=doc.filename),
                caption=html.escape(doc.caption[:CAPTION_LIMIT]) or None,
                parse_mode=ParseMode.HTML,
            )
        )
        return SentInfo(str(msg.message_id))

    async def send_quiz(self, chat_key: str, reply: Reply) -> SentInfo:
        chat_id = int(chat_key)
        if chat_id < 0:  # a group: no personal quiz poll there
            return await super().send_quiz(chat_key, reply)
        return await self._quiz(chat_id, reply)

    async def send_image(self, chat_key: str, reply: Reply) -> SentInfo:
        return await self._photo(int(chat_key), reply)

    async def _text(self, chat_id: int, text: str, reply: Reply | None) -> SentInfo:
        parts = split_text(text, TEXT_LIMIT) or ["…"]
        sent: dict[str, Any] | None = None
        for i, part in enumerate(parts):
            mk = markup(reply) if reply is not None and i == len(parts) - 1 else None
            sent = await self._raw_send(
                "sendMessage",
                {"chat_id": chat_id, "text": html.escape(part), "parse_mode": ParseMode.HTML, "reply_markup": mk},
            )
        return SentInfo(str(sent["message_id"]) if sent else None)

    async def _raw_send(self, method: str, data: dict[str, Any]) -> dict[str, Any]:
        """A send whose answer we read as JSON (the message id, a poll's id) instead of letting PTB build a whole
        Message object from it: the same request, defaults and errors as `bot.send_message`, less CPU per reply."""
        result = await guarded(lambda: self._post(method, data))
        if not isinstance(result, dict) or "message_id" not in result:
            raise TypeError(f"telegram {method}: unexpected answer")  # the dispatcher logs it, the next reply goes
        return result

    async def _post(self, method: str, data: dict[str, Any]) -> Any:
        """`bot._post(method, data)`; parameters without a file go as the JSON they already are (post_json)."""
        bot = self.app.bot
        if any(isinstance(v, InputFile) for v in data.values()):
            return await bot._post(method, data)
        return await post_json(bot.request, f"{bot.base_url}/{method}", data)

    async def _photo(self, chat_id: int, reply: Reply) -> SentInfo:
        image = reply.image or ""
        photo: str | InputFile = image
        if not image.startswith(("http://", "https://")):
            photo = await asyncio.to_thread(_local_photo, image)
        fits = len(reply.text) <= CAPTION_LIMIT
        sent = await self._raw_send(
            "sendPhoto",
            {
                "chat_id": chat_id,
                "photo": photo,
                "caption": html.escape(reply.text) if fits else None,
                "parse_mode": ParseMode.HTML,
                "reply_markup": markup(reply) if fits else None,
            },
        )
        if not fits:
            return await self._text(chat_id, reply.text, reply)
        return SentInfo(str(sent["message_id"]))

    async def _quiz(self, chat_id: int, reply: Reply) -> SentInfo:
        quiz = reply.quiz
        assert quiz is not None
        if reply.text and reply.text != quiz.question:
            await self._raw_send("sendMessage", {"chat_id": chat_id, "text": html.escape(reply.text)})
        sent = await self._raw_send(
            "sendPoll",
            {
                "chat_id": chat_id,
                "question": quiz.question[:300],
                "options": [{"text": o[:100]} for o in quiz.options],
                "type": Poll.QUIZ,
                "is_anonymous": False,
                "correct_option_ids": list(quiz.correct),
                "explanation": quiz.explanation[:200] or None,
                "open_period": quiz.open_period,
                "reply_markup": markup(Reply("", choices=list(quiz.buttons))) if quiz.buttons else None,
            },
        )
        poll = sent.get("poll")
        return SentInfo(str(sent["message_id"]), str(poll["id"]) if isinstance(poll, dict) and "id" in poll else None)

    def preview(self, chat_key: str) -> Preview:
        """One answer as it grows, shown as a draft in a private chat (the final message replaces it)."""
        return _Draft(self, int(chat_key), next(self._draft_ids))


class _Draft:
    """One answer's draft: at most one update per DRAFT_INTERVAL, never an edit storm. The dispatcher passes
    only text that already passed the answer check, never raw model output."""

    def __init__(self, channel: TelegramChannel, chat_id: int, draft_id: int) -> None:
        self.channel, self.chat_id, self.draft_id = channel, chat_id, draft_id
        self.shown, self.last = "", 0.0

    async def __call__(self, text: str) -> None:
        now = time.monotonic()
        if self.chat_id <= 0 or not text.strip() or text == self.shown or now - self.last < DRAFT_INTERVAL:
            return
        self.shown, self.last = text, now
        try:
            await self.channel.app.bot.send_message_draft(self.chat_id, self.draft_id, text[:TEXT_LIMIT])
        except Exception:  # a draft is only a preview; the final message still goes out
            log.info("draft update failed for chat %s", self.chat_id)


def _local_photo(path: str) -> str | InputFile:
    """A photo shipped with the content: upload its bytes; an unknown path is sent as given."""
    file = Path(path)
    return InputFile(file.read_bytes(), filename=file.name) if file.is_file() else path
