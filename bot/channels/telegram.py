"""Telegram adapter on python-telegram-bot 22.8: long polling or webhook, replies, drafts, quiz polls."""

from __future__ import annotations

import asyncio
import hmac
import html
import itertools
import json
import logging
import time
from functools import partial
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

from aiohttp import web
from telegram import BotCommand, InputFile, Message, Poll, Update
from telegram.constants import ParseMode
from telegram.ext import Application, ContextTypes, TypeHandler
from telegram.request import HTTPXRequest

from bot.channels.base import ChannelState, SentInfo
from bot.channels.telegram_io import CHANNEL, BoundedUpdateQueue, SafeBot, guarded, markup, to_inbound
from bot.dispatcher import Dispatcher
from bot.messages import Reply
from bot.render import split_text
from bot.settings import Settings

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
    ("caidat", "Cài đặt"),
    ("trogiup", "Hướng dẫn"),
    ("huy", "Ngừng nhận thông báo"),
]


class TelegramChannel:
    """Holds the PTB Application; translates updates in and replies out, nothing else."""

    name = CHANNEL

    def __init__(self, settings: Settings, dispatcher: Dispatcher, *, concurrency: int = 16) -> None:
        assert settings.telegram_bot_token is not None
        self.settings = settings
        self.dispatcher = dispatcher
        self.webhook_url = settings.telegram_webhook_url
        secret = settings.telegram_webhook_secret
        self._secret = secret.get_secret_value().encode() if secret else b""
        self._draft_ids = itertools.count(1)
        self._tasks: set[asyncio.Task[None]] = set()
        bot = SafeBot(
            settings.telegram_bot_token.get_secret_value(),
            base_url=settings.telegram_api_base_url,
            request=HTTPXRequest(connection_pool_size=32, pool_timeout=30.0),
            get_updates_request=HTTPXRequest(connection_pool_size=2, read_timeout=20.0),
        )
        self.intake = BoundedUpdateQueue(waiting=100, in_flight=2 * concurrency)
        builder = Application.builder().bot(bot).concurrent_updates(concurrency).update_queue(self.intake)
        if self.webhook_url:
            builder = builder.updater(None)
        self.app = builder.build()
        self.app.add_handler(TypeHandler(Update, self._on_update))
        self.app.add_error_handler(self._on_error)

    @property
    def state(self) -> ChannelState:
        """/readyz: "retrying" while long polling fails (PTB keeps retrying), else "ok"."""
        bot = self.app.bot
        return "retrying" if isinstance(bot, SafeBot) and bot.poll_failing else "ok"

    @property
    def webhook_path(self) -> str | None:
        return urlsplit(self.webhook_url).path or "/" if self.webhook_url else None

    async def start(self) -> None:
        await self.app.initialize()
        if self.webhook_url:
            await self.app.bot.set_webhook(
                self.webhook_url, secret_token=self._secret.decode() or None, allowed_updates=Update.ALL_TYPES
            )
        else:
            assert self.app.updater is not None
            await self.app.updater.start_polling(
                poll_interval=0.0, timeout=10, allowed_updates=Update.ALL_TYPES, drop_pending_updates=False
            )
        await self.app.start()
        try:
            await self.app.bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS])
        except Exception:  # commands are cosmetic; never block start-up on them
            log.warning("setMyCommands failed", exc_info=True)

    async def stop(self) -> None:
        if self.app.updater is not None and self.app.updater.running:
            await self.app.updater.stop()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.app.running:
            await self.app.stop()
        await self.app.shutdown()

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
            payload = json.loads(await request.read())
            update = Update.de_json(payload, self.app.bot)
        except Exception:
            log.error("malformed telegram webhook body ignored", exc_info=True)
            return web.Response(status=200)
        if update is not None:
            await self.app.update_queue.put(update)
        return web.Response(status=200)

    async def _on_update(self, update: Update, _ctx: ContextTypes.DEFAULT_TYPE) -> None:
        if update.callback_query is not None:
            try:
                await update.callback_query.answer()
            except Exception:  # an old query can't be answered; the press still counts
                log.info("callback query %s not answerable", update.callback_query.id)
        inbound = to_inbound(update, self.app.bot.username or "")
        if inbound is None:
            return
        await self.dispatcher.handle(inbound, partial(self.send, inbound.reply_to))

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("telegram update %s failed", getattr(update, "update_id", "?"), exc_info=context.error)

    async def send(self, chat_key: str, reply: Reply) -> SentInfo:
        """Send one reply; drafts first if it streams, a native quiz poll in private chats."""
        chat_id = int(chat_key)
        bot = self.app.bot
        if reply.stream is not None:
            await self._stream(chat_id, reply)
        if reply.document is not None:
            doc = reply.document
            msg = await guarded(
                lambda: bot.send_document(
                    chat_id,
                    InputFile(doc.content, filename=doc.filename),
                    caption=html.escape(doc.caption[:CAPTION_LIMIT]) or None,
                    parse_mode=ParseMode.HTML,
                )
            )
            return SentInfo(str(msg.message_id))
        if reply.quiz is not None and chat_id > 0:
            return await self._quiz(chat_id, reply)
        if reply.image is not None:
            return await self._photo(chat_id, reply)
        return await self._text(chat_id, reply.text, reply)

    async def _text(self, chat_id: int, text: str, reply: Reply) -> SentInfo:
        parts = split_text(text, TEXT_LIMIT) or ["…"]
        msg: Message | None = None
        for i, part in enumerate(parts):
            mk = markup(reply) if i == len(parts) - 1 else None
            msg = await guarded(
                partial(
                    self.app.bot.send_message, chat_id, html.escape(part), parse_mode=ParseMode.HTML, reply_markup=mk
                )
            )
        return SentInfo(str(msg.message_id) if msg else None)

    async def _photo(self, chat_id: int, reply: Reply) -> SentInfo:
        image = reply.image or ""
        photo: str | InputFile = image
        if not image.startswith(("http://", "https://")):
            photo = await asyncio.to_thread(_local_photo, image)
        fits = len(reply.text) <= CAPTION_LIMIT
        msg = await guarded(
            lambda: self.app.bot.send_photo(
                chat_id,
                photo,
                caption=html.escape(reply.text) if fits else None,
                parse_mode=ParseMode.HTML,
                reply_markup=markup(reply) if fits else None,
            )
        )
        if not fits:
            return await self._text(chat_id, reply.text, reply)
        return SentInfo(str(msg.message_id))

    async def _quiz(self, chat_id: int, reply: Reply) -> SentInfo:
        quiz = reply.quiz
        assert quiz is not None
        if reply.text and reply.text != quiz.question:
            await guarded(lambda: self.app.bot.send_message(chat_id, html.escape(reply.text)))
        msg = await guarded(
            lambda: self.app.bot.send_poll(
                chat_id,
                quiz.question[:300],
                [o[:100] for o in quiz.options],
                type=Poll.QUIZ,
                is_anonymous=False,
                correct_option_ids=cast(list[Any], list(quiz.correct)),
                explanation=quiz.explanation[:200] or None,
            )
        )
        return SentInfo(str(msg.message_id), msg.poll.id if msg.poll else None)

    async def _stream(self, chat_id: int, reply: Reply) -> None:
        """Show the answer as it grows as a draft (private chats), at most one update per DRAFT_INTERVAL.
        The stream yields only text that already passed the answer check, never raw model output."""
        assert reply.stream is not None
        draft_id = next(self._draft_ids)
        shown, text, last = "", "", 0.0
        async for preview in reply.stream:
            text = preview
            now = time.monotonic()
            if chat_id > 0 and text.strip() and text != shown and now - last >= DRAFT_INTERVAL:
                shown, last = text, now
                try:
                    await self.app.bot.send_message_draft(chat_id, draft_id, text[:TEXT_LIMIT])
                except Exception:  # a draft is only a preview; the final message still goes out
                    log.info("draft update failed for chat %s", chat_id)
        reply.stream = None  # consumed: a retried send goes straight to the final text
        if not reply.text:
            reply.text = text


def _local_photo(path: str) -> str | InputFile:
    """A photo shipped with the content: upload its bytes; an unknown path is sent as given."""
    file = Path(path)
    return InputFile(file.read_bytes(), filename=file.name) if file.is_file() else path
