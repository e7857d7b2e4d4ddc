# mypy: disable-error-code="union-attr"
"""Self-tests of the fake Telegram Bot API server, driven by the real python-telegram-bot 22.8."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from aiohttp import ClientSession, web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup, Update
from telegram.error import BadRequest, Conflict, Forbidden, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    PollAnswerHandler,
    filters,
)

from tests.fakes.telegram_server import FakeTelegram

TOKEN = "7000000001:TEST-token_for-hocbot"
Ctx = ContextTypes.DEFAULT_TYPE


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(token=TOKEN) as fake:
        yield fake


@asynccontextmanager
async def bot_for(tg: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=tg.base_url, base_file_url=tg.base_file_url) as bot:
        yield bot


@asynccontextmanager
async def running(tg: FakeTelegram, *handlers: Any) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    app = Application.builder().token(TOKEN).base_url(tg.base_url).build()
    for handler in handlers:
        app.add_handler(handler)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


def _no_unknown_fields(obj: Any) -> None:
    """PTB keeps fields it does not know in api_kwargs: the fake must emit none."""
    assert not getattr(obj, "api_kwargs", {}), obj.api_kwargs
    for value in getattr(obj, "__dict__", {}).values():
        if hasattr(value, "api_kwargs"):
            _no_unknown_fields(value)


async def test_every_update_the_fake_emits_parses_in_ptb(tg: FakeTelegram) -> None:
    lan = tg.user(5550001, first_name="Lan")
    async with bot_for(tg) as bot:
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("Tiếp", callback_data="l:1:next")]])
        await bot.send_message(lan.id, "Bài 1: Học suốt đời", reply_markup=markup)
        await bot.send_poll(
            lan.id,
            "Thủ đô Việt Nam?",
            ["Huế", "Hà Nội"],
            type="quiz",
            correct_option_ids=[1],
            is_anonymous=False,
            explanation="Hà Nội là thủ đô.",
        )
        await lan.send("xin chào")
        await lan.send("/start hoc_tap_2026")
        await lan.press("l:1:next")
        await lan.answer_poll([1])
        await lan.send_sticker()
        await lan.send_voice()
        await lan.send_photo(caption="Ảnh bài tập")
        await lan.block()
        await lan.unblock()
        raw = tg.pending_updates()
        updates = [Update.de_json(u, bot) for u in raw]
    kinds = [next(k for k in u if k != "update_id") for u in raw]
    assert kinds == [
        "message",
        "message",
        "callback_query",
        "poll_answer",
        "poll",
        "message",
        "message",
        "message",
        "my_chat_member",
        "my_chat_member",
    ]
    ids = [u.update_id for u in updates]
    assert ids == sorted(set(ids)) and ids[0] > 10_000_000
    for update in updates:
        _no_unknown_fields(update)
    assert updates[1].message.text == "/start hoc_tap_2026"
    assert updates[1].message.entities[0].type == "bot_command" and updates[1].message.entities[0].length == 6
    assert updates[2].callback_query.data == "l:1:next"
    assert updates[2].callback_query.message.text == "Bài 1: Học suốt đời"
    assert updates[3].poll_answer.option_ids == (1,) and updates[3].poll_answer.user.id == lan.id
    assert updates[4].poll.options[1].voter_count == 1
    assert updates[5].message.sticker and updates[6].message.voice and updates[7].message.photo
    assert updates[8].my_chat_member.new_chat_member.status == "kicked"
    assert updates[9].my_chat_member.new_chat_member.status == "member"
    tg.assert_clean()


async def test_echo_buttons_and_callback_with_real_application(tg: FakeTelegram) -> None:
    async def echo(update: Update, context: Ctx) -> None:
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("Tiếp", callback_data="next")]])
        await update.effective_chat.send_message(f"Bạn nói: {update.message.text}", reply_markup=markup)

    async def on_press(update: Update, context: Ctx) -> None:
        await update.callback_query.answer("Đã nhận")
        await update.callback_query.edit_message_text("Bài tiếp theo")

    lan = tg.user(5550001, first_name="Lan")
    async with running(tg, MessageHandler(filters.TEXT, echo), CallbackQueryHandler(on_press)):
        await lan.send("xin chào")
        reply = await lan.wait_reply()
        assert reply["text"] == "Bạn nói: xin chào" and lan.buttons() == ["Tiếp"]
        query_id = await lan.press("Tiếp")
        edited = await lan.wait_reply()
        assert edited["event"] == "edited" and lan.last_text() == "Bài tiếp theo"
        assert lan.callback_answer(query_id) is not None and lan.buttons() == []
    assert tg.sent_to(lan.id) == 1
    tg.assert_clean()


async def test_quiz_poll_answer_reaches_handler(tg: FakeTelegram) -> None:
    answers: list[tuple[int, tuple[int, ...]]] = []

    async def quiz(update: Update, context: Ctx) -> None:
        await update.effective_chat.send_poll(
            "2 + 2 = ?",
            ["3", "4"],
            type="quiz",
            correct_option_ids=[1],
            is_anonymous=False,
            explanation="2 + 2 = 4",
        )

    async def on_answer(update: Update, context: Ctx) -> None:
        answers.append((update.poll_answer.user.id, update.poll_answer.option_ids))

    lan = tg.user(5550001, first_name="Lan")
    async with running(tg, CommandHandler("quiz", quiz), PollAnswerHandler(on_answer)):
        await lan.send("/quiz")
        sent = await lan.wait_reply()
        assert sent["poll"]["question"] == "2 + 2 = ?" and sent["poll"]["correct_option_ids"] == [1]
        await lan.answer_poll([1])
        await tg.wait_until(lambda: bool(answers), timeout=2)
    assert answers == [(lan.id, (1,))]
    tg.assert_clean()


async def test_anonymous_poll_cannot_be_answered(tg: FakeTelegram) -> None:
    lan = tg.user(5550001)
    async with bot_for(tg) as bot:
        await bot.send_poll(lan.id, "Bạn thích học gì?", ["AI", "Tiếng Anh"])
    with pytest.raises(AssertionError, match="anonymous"):
        await lan.answer_poll([0])
    assert "anonymous" in tg.violations[0]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBUserWarning")
async def test_protocol_violations_are_recorded(tg: FakeTelegram) -> None:
    lan = tg.user(5550001)
    async with bot_for(tg) as bot:
        with pytest.raises(TelegramError):
            await bot.do_api_request("noSuchMethod")
        with pytest.raises(BadRequest):
            await bot.do_api_request("sendMessage", api_kwargs={"text": "thiếu chat_id"})
        with pytest.raises(BadRequest):
            await bot.do_api_request(
                "sendMessage", api_kwargs={"chat_id": lan.id, "text": "x", "colour": "red"}
            )
        with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
            markup = InlineKeyboardMarkup([[InlineKeyboardButton("Dài", callback_data="đ" * 40)]])
            await bot.send_message(lan.id, "Chọn bài", reply_markup=markup)
        with pytest.raises(BadRequest, match="too long"):
            await bot.send_message(lan.id, "a" * 4097)
        with pytest.raises(BadRequest):
            await bot.send_poll(lan.id, "Câu hỏi?", [str(i) for i in range(13)])
        with pytest.raises(BadRequest):
            await bot.send_message(lan.id, "<b>đậm<i>nghiêng</b>", parse_mode="HTML")
        with pytest.raises(BadRequest, match="open period"):
            await bot.send_poll(lan.id, "Câu hỏi?", ["A", "B"], type="quiz", correct_option_ids=[0], open_period=3)
    assert len(tg.violations) == 8
    assert (
        "noSuchMethod" in tg.violations[0] and "chat_id" in tg.violations[1] and "colour" in tg.violations[2]
    )
    with pytest.raises(AssertionError, match="8 Bot API protocol violation"):
        tg.assert_clean()
    assert tg.calls("noSuchMethod")[0].status == 404


async def test_callback_answered_once_and_not_modified_edit(tg: FakeTelegram) -> None:
    lan = tg.user(5550001)
    async with bot_for(tg) as bot:
        msg = await bot.send_message(
            lan.id,
            "Chọn",
            reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]]),
        )
        query_id = await lan.press("a")
        assert await bot.answer_callback_query(query_id, text="Đúng rồi!")
        with pytest.raises(BadRequest, match=r"(?i)query is too old"):
            await bot.answer_callback_query(query_id)
        with pytest.raises(BadRequest, match="not modified"):
            await bot.edit_message_text("Chọn", lan.id, msg.message_id, reply_markup=msg.reply_markup)
        with pytest.raises(BadRequest, match="not found"):
            await bot.edit_message_text("Mới", lan.id, 999)
    assert len(tg.violations) == 1 and "answered twice" in tg.violations[0]


async def test_retry_after_faults_and_rate_limit(tg: FakeTelegram) -> None:
    lan = tg.user(5550001)
    async with bot_for(tg) as bot:
        tg.fail_next("sendMessage", retry_after=1)
        with pytest.raises(RetryAfter):
            await bot.send_message(lan.id, "Chào")
        tg.fail_next("sendMessage", status=502)
        with pytest.raises(TelegramError):
            await bot.send_message(lan.id, "Chào")
        await bot.send_message(lan.id, "Chào")
        tg.rate_limit(global_per_sec=30, per_chat_per_sec=1.0, burst=2, retry_after=1)
        await bot.send_message(lan.id, "1")
        await bot.send_message(lan.id, "2")
        with pytest.raises(RetryAfter):
            await bot.send_message(lan.id, "3")
        tg.rate_limit(None)
        await bot.send_message(lan.id, "4")
    limited = tg.calls("sendMessage", status=429)
    assert len(limited) == 2 and limited[0].description == "Too Many Requests: retry after 1"
    assert tg.sent_to(lan.id) == 4 and lan.last_text() == "4"
    tg.assert_clean()


async def test_blocked_deactivated_and_unknown_chats(tg: FakeTelegram) -> None:
    lan, minh, hoa = tg.user(5550001, first_name="Lan"), tg.user(5550002), tg.user(5550003)
    left: list[int] = []

    async def on_member(update: Update, context: Ctx) -> None:
        if update.my_chat_member.new_chat_member.status == "kicked":
            left.append(update.effective_user.id)

    async with running(tg, ChatMemberHandler(on_member, ChatMemberHandler.MY_CHAT_MEMBER)) as app:
        await lan.block()
        await tg.wait_until(lambda: left == [lan.id], timeout=2)
        with pytest.raises(Forbidden, match="blocked by the user"):
            await app.bot.send_message(lan.id, "Chào")
        await minh.deactivate()
        with pytest.raises(Forbidden, match="user is deactivated"):
            await app.bot.send_message(minh.id, "Chào")
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await app.bot.send_message(123, "Chào")
        tg.set_fate(hoa.id, "not_found")
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await app.bot.send_chat_action(hoa.id, "typing")
        await lan.unblock()
        await app.bot.send_message(lan.id, "Chào lại")
    assert tg.sent_to(lan.id) == 1 and tg.pending_updates() == []
    tg.assert_clean()


async def test_webhook_delivery_with_secret_and_retry(tg: FakeTelegram) -> None:
    received: list[tuple[str | None, dict[str, Any]]] = []
    failures = [1]

    async def hook(request: web.Request) -> web.Response:
        if failures:
            failures.pop()
            return web.Response(status=500)
        received.append((request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json()))
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/telegram/webhook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    lan = tg.user(5550001)
    try:
        async with bot_for(tg) as bot:
            url = f"http://127.0.0.1:{port}/telegram/webhook"
            assert await bot.set_webhook(url, secret_token="s3cr3t_TOKEN-1")
            with pytest.raises(Conflict):
                await bot.get_updates()
            update = await lan.send("xin chào")
            await tg.wait_until(lambda: bool(received), timeout=2)
            info = await bot.get_webhook_info()
            assert info.url == url and info.pending_update_count == 0
            assert await bot.delete_webhook()
    finally:
        await runner.cleanup()
    assert received == [("s3cr3t_TOKEN-1", update)]
    tg.assert_clean()


async def test_get_updates_offset_limit_and_instant_wakeup(tg: FakeTelegram) -> None:
    lan = tg.user(5550001)
    url = f"{tg.base_url}{TOKEN}/getUpdates"
    async with ClientSession() as http:
        for i in range(3):
            await lan.send(f"tin {i}")
        first = (await (await http.post(url, data={"limit": "2"})).json())["result"]
        assert [u["message"]["text"] for u in first] == ["tin 0", "tin 1"]
        rest = await (await http.post(url, json={"offset": first[-1]["update_id"] + 1})).json()
        assert [u["message"]["text"] for u in rest["result"]] == ["tin 2"]
        confirm = rest["result"][-1]["update_id"] + 1
        started = time.monotonic()
        waiter = asyncio.create_task(http.post(url, json={"offset": confirm, "timeout": 30}))
        await asyncio.sleep(0.05)
        await lan.send("mới")
        woke = (await (await waiter).json())["result"]
        assert woke[0]["message"]["text"] == "mới" and time.monotonic() - started < 0.5
        assert woke[0]["update_id"] == confirm
        tg.poll_timeout_cap = 0.2
        empty_started = time.monotonic()
        empty = await (await http.post(url, json={"offset": confirm + 1, "timeout": 30})).json()
        assert empty["result"] == [] and 0.15 < time.monotonic() - empty_started < 0.5
        await lan.send("một")
        await lan.send("hai")
        last = await (await http.post(url, json={"offset": -1})).json()
        assert [u["message"]["text"] for u in last["result"]] == ["hai"]
        await http.post(url, json={"offset": last["result"][0]["update_id"] + 1, "allowed_updates": ["poll"]})
        await lan.send("bị lọc")
        assert (await (await http.post(url, data={"timeout": "0"})).json())["result"] == []
        bad = await http.post(f"{tg.base_url}123:WRONG/getMe")
        assert bad.status == 401 and (await bad.json())["description"] == "Unauthorized"
    tg.assert_clean()


async def test_documents_drafts_commands_and_keyboards(tg: FakeTelegram) -> None:
    lan = tg.user(5550001)
    async with bot_for(tg) as bot:
        await bot.send_document(lan.id, b"%PDF-1.4 chung chi", filename="chung-chi.pdf", caption="Chứng chỉ")
        assert lan.messages()[-1]["document"] == "chung-chi.pdf" and lan.last_text() == "Chứng chỉ"
        assert tg.calls("sendDocument")[0].params["document"].data == b"%PDF-1.4 chung chi"
        await lan.send_voice(b"OggS-giong-noi")
        voice_id = tg.pending_updates()[-1]["message"]["voice"]["file_id"]
        assert bytes(await (await bot.get_file(voice_id)).download_as_bytearray()) == b"OggS-giong-noi"
        assert await bot.send_message_draft(lan.id, draft_id=7, text="Đang trả lời")
        assert tg.drafts(lan.id)[0]["text"] == "Đang trả lời"
        await bot.set_my_commands([("start", "Bắt đầu"), ("hoc", "Học bài mới")])
        assert [c.command for c in await bot.get_my_commands()] == ["start", "hoc"]
        await bot.send_message(lan.id, "Chọn", reply_markup=ReplyKeyboardMarkup([["Học", "Hỏi"]]))
        assert lan.keyboard() == ["Học", "Hỏi"]
        poll_msg = await bot.send_poll(lan.id, "Bạn có rảnh không?", ["Có", "Không"], is_anonymous=False)
        assert (await bot.stop_poll(lan.id, poll_msg.message_id)).is_closed
        assert await bot.delete_message(lan.id, poll_msg.message_id)
        assert await bot.set_my_description("Trợ lý học tập suốt đời")
    assert tg.calls("setMyDescription")[0].generic and lan.messages()[-1]["text"] == "Chọn"
    tg.assert_clean()


async def test_many_users_throughput(tg: FakeTelegram) -> None:
    async def echo(update: Update, context: Ctx) -> None:
        await update.effective_chat.send_message(str(update.message.text))

    users = [tg.user(6000000 + i, first_name=f"U{i}") for i in range(50)]
    done: Callable[[], bool] = lambda: sum(tg.sent_to(u.id) for u in users) == 200  # noqa: E731
    async with running(tg, MessageHandler(filters.TEXT, echo)):
        for round_ in range(4):
            for user in users:
                await user.send(f"tin {round_}")
        await tg.wait_until(done, timeout=15)  # speed is measured in bench/inbound.py, not here
    assert users[0].messages()[-1]["text"] == "tin 3"
    tg.assert_clean()


async def test_http_poster_keeps_connections_and_reads_every_body_kind() -> None:
    """The bench's webhook sender: one kept-alive connection for requests in turn, Content-Length and chunked
    bodies read whole, a connection the server closed replaced by a new one, a refused port an OSError."""
    from aiohttp.test_utils import unused_port

    from tests.fakes.http_poster import HttpPoster

    peers: list[Any] = []

    async def hook(request: web.Request) -> web.StreamResponse:
        peers.append(request.transport.get_extra_info("peername") if request.transport else None)
        assert request.headers["X-Telegram-Bot-Api-Secret-Token"] == "s3"
        body = await request.read()
        if request.query.get("kind") == "chunked":
            resp = web.StreamResponse(status=201)
            resp.enable_chunked_encoding()
            await resp.prepare(request)
            await resp.write(body)
            await resp.write_eof()
            return resp
        if request.query.get("kind") == "close":
            return web.Response(status=502, text="bye", headers={"Connection": "close"})
        return web.Response(status=200, body=body)

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = unused_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    poster = HttpPoster(timeout=5)
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "s3"}
    try:
        base = f"http://127.0.0.1:{port}/hook"
        assert await poster.post(base, b'{"update_id": 1}', headers) == (200, "OK")
        assert await poster.post(base + "?kind=chunked", b"x" * 10_000, headers) == (201, "Created")
        assert await poster.post(base, b"{}", headers) == (200, "OK")
        assert len(set(peers)) == 1  # the same connection all along
        assert await poster.post(base + "?kind=close", b"{}", headers) == (502, "Bad Gateway")
        assert await poster.post(base, b"{}", headers) == (200, "OK")
        assert len(set(peers)) == 2  # the server closed it: a new one
        with pytest.raises(OSError):
            await poster.post(f"http://127.0.0.1:{unused_port()}/hook", b"{}", headers)
        await runner.cleanup()
        runner = web.AppRunner(app, access_log=None, keepalive_timeout=0.05)  # idle connections closed quietly
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        assert await poster.post(base, b"{}", headers) == (200, "OK")
        await asyncio.sleep(0.3)
        assert await poster.post(base, b"{}", headers) == (200, "OK")
    finally:
        await poster.close()
        await runner.cleanup()
