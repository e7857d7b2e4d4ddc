"""The Zalo Bot Platform and Official Account clients against local fake Zalo servers."""

from __future__ import annotations

import asyncio
import json
import logging
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

from bot.channels.zalo_bot_client import (
    ZaloBotClient,
    parse_bot_update,
    split_text,
    verify_bot_webhook,
)
from bot.channels.zalo_common import (
    ZaloAuthError,
    ZaloBlocked,
    ZaloError,
    ZaloNotFound,
    ZaloOutsideWindow,
    ZaloRateLimited,
    ZaloServerError,
)
from bot.channels.zalo_oa_client import (
    MemoryTokenStore,
    TokenPair,
    ZaloOAClient,
    parse_oa_event,
    verify_oa_signature,
    verify_oa_webhook,
)
from bot.core.render import utf16_len
from tests.fakes.zalo_server import FakeZaloBot, FakeZaloOA

SECRET = "webhook-secret-123"
LESSON = "\n\n".join(
    " ".join([f"Bài {i}: Trí tuệ nhân tạo (AI) là khả năng của máy tính học hỏi và giúp con người."] * 6)
    for i in range(1, 12)
)


@dataclass
class Receiver:
    """Our side of the webhooks: verifies like production code will, records parsed events."""

    url: str = ""
    oa: tuple[str, str] = ("", "")  # app_id, OA secret
    bot_events: list[Any] = field(default_factory=list)
    oa_events: list[Any] = field(default_factory=list)

    async def bot(self, request: web.Request) -> web.Response:
        if not verify_bot_webhook(request.headers, SECRET):
            return web.Response(status=403)
        self.bot_events.append(parse_bot_update(await request.json()))
        return web.Response(text="ok")

    async def oa_hook(self, request: web.Request) -> web.Response:
        body = await request.read()
        if not verify_oa_webhook(self.oa[0], body, self.oa[1], request.headers):
            return web.Response(status=403)
        self.oa_events.append(parse_oa_event(json.loads(body)))
        return web.Response(text="ok")


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    rec = Receiver()
    app = web.Application()
    app.router.add_post("/zalo/bot", rec.bot)
    app.router.add_post("/zalo/oa", rec.oa_hook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    rec.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    yield rec
    await runner.cleanup()


@pytest.fixture
async def zbot() -> AsyncIterator[tuple[FakeZaloBot, ZaloBotClient]]:
    async with FakeZaloBot(idle_timeout=0.2) as fake, ZaloBotClient(fake.token, fake.base_url) as client:
        yield fake, client


@pytest.fixture
async def zoa() -> AsyncIterator[FakeZaloOA]:
    async with FakeZaloOA() as fake:
        yield fake


def oa_client(fake: FakeZaloOA, store: MemoryTokenStore, **kw: Any) -> ZaloOAClient:
    return ZaloOAClient(fake.app_id, fake.secret_key, store, fake.base_url, fake.base_url, **kw)


def store_for(fake: FakeZaloOA, expires_in: int = 3600) -> MemoryTokenStore:
    issued = fake.issue_pair(expires_in=expires_in)
    pair = TokenPair(issued.access_token, issued.refresh_token, issued.access_expires_at)
    return MemoryTokenStore(pair)


# ---------------------------------------------------------------- Bot Platform


async def test_get_me_shows_the_bot_account(zbot: tuple[FakeZaloBot, ZaloBotClient]) -> None:
    fake, client = zbot
    me = await client.get_me()
    assert me["account_type"] == "BASIC" and me["id"] == fake.token.split(":")[0]


async def test_polling_receives_a_user_text_and_the_reply_reaches_her(
    zbot: tuple[FakeZaloBot, ZaloBotClient],
) -> None:
    fake, client = zbot
    lan = fake.user("u1", name="Lan")
    await lan.send("xin chào")
    [raw] = await client.get_updates(timeout=30)
    event = parse_bot_update(raw)
    assert event is not None
    assert (event.kind, event.text, event.display_name, event.chat_id) == ("text", "xin chào", "Lan", "u1")
    await client.send_chat_action(event.chat_id, "typing")
    await client.send_message(event.chat_id, "Chào Lan! Gõ 1 để học bài đầu tiên.")
    assert await lan.wait_reply() == "Chào Lan! Gõ 1 để học bài đầu tiên."
    assert lan.actions == ["typing"]


async def test_idle_long_poll_is_an_empty_list_not_an_error(zbot: tuple[FakeZaloBot, ZaloBotClient]) -> None:
    _, client = zbot
    assert await client.get_updates(timeout=30) == []


async def test_long_lesson_is_split_at_paragraphs_under_the_limit(
    zbot: tuple[FakeZaloBot, ZaloBotClient],
) -> None:
    fake, client = zbot
    lan = fake.user("u1", name="Lan")
    ids = await client.send_message("u1", LESSON)
    texts = lan.texts()
    assert len(texts) == len(ids) >= 2
    assert all(len(t) <= 2000 for t in texts)
    assert all(t.startswith("Bài ") and t.endswith("con người.") for t in texts)  # whole paragraphs
    assert "\n\n".join(texts) == LESSON.strip()


async def test_webhook_secret_is_checked(zbot: tuple[FakeZaloBot, ZaloBotClient], receiver: Receiver) -> None:
    fake, client = zbot
    assert (await client.get_webhook_info())["url"] == ""
    await client.set_webhook(f"{receiver.url}/zalo/bot", SECRET)
    assert (await client.get_webhook_info())["url"] == f"{receiver.url}/zalo/bot"
    assert await fake.user("u1", name="Lan").send("chào bot") == 200
    body = {"event_name": "message.text.received", "message": {"from": {"id": "x"}, "text": "giả"}}
    assert await fake.post_webhook(body, "wrong-secret") == 403
    assert await fake.post_webhook(body, None) == 403
    assert [e.text for e in receiver.bot_events] == ["chào bot"]
    with pytest.raises(ZaloError, match=r"[Ww]ebhook"):
        await client.get_updates(timeout=1)  # polling is off while a webhook is set
    await client.delete_webhook()
    assert await client.get_updates(timeout=1) == []


async def test_unreachable_users_and_faults_map_to_typed_errors(
    zbot: tuple[FakeZaloBot, ZaloBotClient],
) -> None:
    fake, client = zbot
    fake.user("blocked", fate="blocked")
    fake.user("ok")
    with pytest.raises(ZaloBlocked):
        await client.send_message("blocked", "chào")
    with pytest.raises(ZaloNotFound):
        await client.send_message("nobody", "chào")
    fake.fail_next(502)
    with pytest.raises(ZaloServerError):
        await client.send_message("ok", "chào")
    fake.rate_limit_next()
    with pytest.raises(ZaloRateLimited) as info:
        await client.send_message("ok", "chào")
    assert info.value.retry_after > 0
    assert await client.send_message("ok", "chào") and fake.users["ok"].texts() == ["chào"]


async def test_photo_with_a_long_caption_continues_as_text(zbot: tuple[FakeZaloBot, ZaloBotClient]) -> None:
    fake, client = zbot
    lan = fake.user("u1")
    ids = await client.send_photo("u1", "https://example.invalid/tuan-le.jpg", LESSON)
    assert lan.inbox[0].kind == "photo" and lan.inbox[0].photo.endswith("tuan-le.jpg")
    assert len(ids) == len(lan.inbox) >= 2 and all(m.kind == "text" for m in lan.inbox[1:])


async def test_token_never_shows_in_logs_or_errors(
    zbot: tuple[FakeZaloBot, ZaloBotClient], caplog: pytest.LogCaptureFixture
) -> None:
    fake, client = zbot
    caplog.set_level(logging.DEBUG)
    errors: list[str] = []
    for arm in (lambda: fake.fail_next(500), lambda: None):
        arm()
        try:
            await client.send_message("nobody", "chào")
        except ZaloError as exc:
            errors.append(f"{exc!s} {exc!r} {exc.description}")
    dead = ZaloBotClient(fake.token, "http://127.0.0.1:9")  # nothing listens there
    with pytest.raises(ZaloServerError) as info:
        await dead.get_me()
    await dead.close()
    errors.append(str(info.value))
    secret_part = fake.token.split(":")[1]
    assert len(errors) == 3
    assert all(secret_part not in e for e in errors)
    assert secret_part not in caplog.text


def test_parser_accepts_flat_wrapped_stickers_and_never_raises() -> None:
    msg = {"from": {"id": "a1", "first_name": "Hùng"}, "chat": {"id": "a1"}, "message_id": "m1", "date": 1}
    flat = parse_bot_update({"event_name": "message.sticker.received", "message": {**msg, "sticker": "s"}})
    text_event = {"event_name": "message.text.received", "message": msg}
    wrapped = parse_bot_update({"ok": True, "result": text_event})
    odd = parse_bot_update({"event_name": "message.unsupported.received", "message": msg})
    assert flat is not None and (flat.kind, flat.display_name) == ("sticker", "Hùng")
    assert wrapped is not None and wrapped.event_id == "m1"
    assert odd is not None and odd.kind == "other"
    junks: list[object] = [None, [], "x", {}, {"message": "x"}, {"result": None}, {"message": {"from": {}}}]
    for junk in junks:
        assert parse_bot_update(junk) is None


# ---------------------------------------------------------------- Official Account


async def test_oa_webhook_signature_good_and_forged(zoa: FakeZaloOA, receiver: Receiver) -> None:
    zoa.webhook_url, receiver.oa = f"{receiver.url}/zalo/oa", (zoa.app_id, zoa.oa_secret)
    lan = zoa.user("u1", name="Lan")
    assert await lan.follow() == 200
    assert await lan.send("tuần lễ học tập là gì") == 200
    assert await lan.click("#q:12:2") == 200
    assert await zoa.push_forged(sender={"id": "u1"}, message={"text": "giả mạo", "msg_id": "f1"}) == 403
    assert [(e.kind, e.text) for e in receiver.oa_events] == [
        ("follow", ""),
        ("text", "tuần lễ học tập là gì"),
        ("text", "#q:12:2"),
    ]
    body, ts = b'{"timestamp":"1"}', "1"
    good = zoa.sign(body, ts)
    assert verify_oa_signature(zoa.app_id, body, ts, zoa.oa_secret, good)
    assert verify_oa_signature(zoa.app_id, body, ts, zoa.oa_secret, good.removeprefix("mac="))
    assert not verify_oa_signature(zoa.app_id, body + b" ", ts, zoa.oa_secret, good)
    assert not verify_oa_signature(zoa.app_id, body, ts, zoa.oa_secret, "")


async def test_oa_refreshes_ahead_of_expiry_and_stores_the_pair_atomically(zoa: FakeZaloOA) -> None:
    store = store_for(zoa, expires_in=300)  # 5 min left < 10 min margin
    old = store.pair
    assert old is not None
    lan = zoa.user("u1", name="Lan")
    async with oa_client(zoa, store) as client:
        await asyncio.gather(*(client.send_text("u1", f"Tin {i}") for i in range(5)))
    assert sorted(lan.texts()) == [f"Tin {i}" for i in range(5)]
    assert zoa.refresh_calls == 1 and store.saves == 1  # one refresh despite five concurrent sends
    assert store.pair is not None and store.pair.refresh_token != old.refresh_token
    assert not await store.save(TokenPair("x", "y", 0), old_refresh=old.refresh_token)  # CAS rejects stale
    # The old refresh token is single-use: a worker still holding it fails and alerts admins.
    alerts: list[ZaloAuthError] = []

    async def alert(err: ZaloAuthError) -> None:
        alerts.append(err)

    stale = MemoryTokenStore(TokenPair("", old.refresh_token, 0))
    async with oa_client(zoa, stale, on_auth_failure=alert) as other:
        with pytest.raises(ZaloAuthError, match="refresh"):
            await other.send_text("u1", "chào")
    assert len(alerts) == 1 and len(lan.texts()) == 5  # nothing reached Lan from the failed worker


async def test_oa_fresh_token_is_not_refreshed(zoa: FakeZaloOA) -> None:
    zoa.user("u1")
    async with oa_client(zoa, store_for(zoa, expires_in=7200)) as client:
        await client.send_text("u1", "chào")
    assert zoa.refresh_calls == 0


async def test_oa_expired_token_mid_send_refreshes_and_retries_once(zoa: FakeZaloOA) -> None:
    lan = zoa.user("u1", name="Lan")
    store = store_for(zoa, expires_in=7200)
    async with oa_client(zoa, store) as client:
        await client.send_text("u1", "tin thứ nhất")
        zoa.expire_access_tokens()  # Zalo revoked it early
        await client.send_text("u1", "tin thứ hai")
    assert lan.texts() == ["tin thứ nhất", "tin thứ hai"]
    assert zoa.refresh_calls == 1 and store.saves == 1


async def test_oa_window_blocked_and_unknown_users(zoa: FakeZaloOA) -> None:
    zoa.user("silent").go_silent(days=8)
    zoa.user("blocked").blocked = True
    zoa.user("left").following = False
    async with oa_client(zoa, store_for(zoa)) as client:
        with pytest.raises(ZaloOutsideWindow):
            await client.send_text("silent", "nhắc học")
        with pytest.raises(ZaloOutsideWindow):
            await client.send_text("left", "nhắc học")
        with pytest.raises(ZaloBlocked):
            await client.send_text("blocked", "nhắc học")
        with pytest.raises(ZaloBlocked):  # ZaloNotFound is a ZaloBlocked
            await client.send_text("nobody", "nhắc học")
    assert zoa.users["silent"].texts() == []


async def test_oa_http_200_errors_are_mapped(zoa: FakeZaloOA) -> None:
    zoa.user("u1")
    async with oa_client(zoa, store_for(zoa)) as client:
        zoa.error_next(-32, "application reached limit call api")
        with pytest.raises(ZaloRateLimited):
            await client.send_text("u1", "a")
        zoa.error_next(-224, "OA needs tier package upgrade")
        with pytest.raises(ZaloError) as info:
            await client.send_text("u1", "a")
        assert info.value.code == -224 and type(info.value) is ZaloError
        zoa.fail_next(503)
        with pytest.raises(ZaloServerError):
            await client.send_text("u1", "a")


async def test_oa_buttons_reach_the_user_and_come_back_as_text(zoa: FakeZaloOA) -> None:
    lan = zoa.user("u1", name="Lan")
    buttons = [("Học tiếp", "#learn:2"), ("Làm bài kiểm tra", "#quiz:1")]
    async with oa_client(zoa, store_for(zoa)) as client:
        await client.send_text("u1", "Bạn muốn làm gì tiếp theo?", buttons)
        await client.send_text("u1", LESSON)
        with pytest.raises(ValueError):
            await client.send_text("u1", "nhiều quá", [("x", "y")] * 6)
    assert lan.inbox[0].text == "Bạn muốn làm gì tiếp theo?" and lan.inbox[0].buttons == buttons
    assert lan.inbox[0].button_types == ["oa.query.hide"] * 2
    assert len(lan.texts()) >= 3 and all(len(t) <= 2000 for t in lan.texts())


async def test_oa_secrets_never_in_errors_or_logs(zoa: FakeZaloOA, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    store = store_for(zoa, expires_in=300)
    assert store.pair is not None
    old = store.pair
    zoa.user("u1")
    async with oa_client(zoa, store) as client:
        await client.send_text("u1", "chào")
        zoa.error_next(-230, "User has not interacted with the OA in the past 7 days")
        with pytest.raises(ZaloOutsideWindow) as info:
            await client.send_text("u1", "chào")
    new = store.pair
    assert new is not None
    for secret in (old.access_token, old.refresh_token, new.access_token, new.refresh_token, zoa.secret_key):
        assert secret not in caplog.text and secret not in repr(info.value) and secret not in repr(new)


def test_oa_event_parser() -> None:
    follow = parse_oa_event({"event_name": "follow", "follower": {"id": "9"}, "timestamp": "5"})
    again = parse_oa_event({"event_name": "follow", "follower": {"id": "9"}, "timestamp": "5"})
    echo = parse_oa_event({"event_name": "oa_send_text", "sender": {"id": "oa"}, "message": {"text": "x"}})
    sticker = parse_oa_event({"event_name": "user_send_sticker", "sender": {"id": "9"}, "message": {}})
    assert follow is not None and again is not None and follow.event_id == again.event_id
    assert follow.kind == "follow" and follow.user_id == "9" and echo is None
    assert sticker is not None and sticker.kind == "sticker"
    for junk in (None, "x", {}, {"event_name": "user_send_text"}, {"event_name": "x", "sender": "y"}):
        assert parse_oa_event(junk) is None


def test_splitter_handles_lines_words_and_emoji() -> None:
    lines = "\n".join(["Một dòng rất dài về học tập suốt đời."] * 120)  # no blank lines
    assert all(len(c) <= 2000 and not c.startswith("\n") for c in split_text(lines))
    assert "\n".join(split_text(lines)) == lines
    assert [len(c) for c in split_text("x" * 4500)] == [2000, 2000, 500]  # one huge "word"
    emoji = split_text("🎓" * 1500)  # 2 UTF-16 units each
    assert len(emoji) == 2 and all(utf16_len(c) <= 2000 for c in emoji)
    nfd = unicodedata.normalize("NFD", "Học tập")
    assert split_text(nfd) == ["Học tập"] and split_text("  \n ") == []
