"""The real ZaloOAChannel against the fake Zalo OA: signed webhooks, buttons, tokens, windows."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlmodel import select

from bot.channels.zalo_oa import WEBHOOK_PATH
from bot.channels.zalo_oa_client import TokenPair
from bot.channels.zalo_oa_tokens import DbTokenStore
from bot.core import texts
from bot.core.delivery import Blocked, OutsideWindow
from bot.core.messages import Reply
from bot.db.engine import Database
from bot.db.models import Identity
from bot.db.models_zalo import ZaloToken
from bot.settings import Settings, SettingsError, load_settings
from tests.conftest import make_settings
from tests.fakes.zalo_bot_server import FakeZaloBot
from tests.fakes.zalo_oa_server import FakeOAUser, FakeZaloOA
from tests.harness import running_bot

APP_SECRET = "app-secret-key-XyZ"
OA_SECRET = "oa-secret-key-QwE"  # “Khóa bí mật OA”: signs the webhook, differs from the app secret


@pytest.fixture
async def fake() -> AsyncIterator[FakeZaloOA]:
    async with FakeZaloOA(secret_key=APP_SECRET, oa_secret=OA_SECRET) as server:
        yield server


def oa_settings(db_url: str, fake: FakeZaloOA, refresh: str, **extra: Any) -> Settings:
    return make_settings(
        db_url, zalo_oa_app_id=fake.app_id, zalo_oa_secret_key=APP_SECRET, zalo_oa_webhook_secret=OA_SECRET,
        zalo_oa_refresh_token=refresh,
        zalo_oa_api_base_url=fake.base_url, zalo_oa_oauth_base_url=fake.base_url, **extra,
    )


async def inbox(user: FakeOAUser, n: int, timeout: float = 15.0) -> list[str]:  # noqa: ASYNC109
    """Wait until the OA has sent `n` messages to the user; returns their texts."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while len(user.inbox) < n:
        assert loop.time() < deadline, f"only {user.texts()} arrived"
        await asyncio.sleep(0.02)
    return user.texts()


async def identity(db_url: str, user_id: str) -> Identity | None:
    db = Database(db_url)
    try:
        async with db.session() as s:
            query = select(Identity).where(Identity.channel == "zalo_oa", Identity.external_id == user_id)
            res = await s.exec(query)
            return res.first()
    finally:
        await db.dispose()


async def stored_pair(db_url: str, app_id: str) -> ZaloToken | None:
    db = Database(db_url)
    try:
        async with db.session() as s:
            return await s.get(ZaloToken, app_id)
    finally:
        await db.dispose()


async def test_follow_welcome_buttons_and_numbered_lists(db_url: str, fake: FakeZaloOA) -> None:
    seed = fake.issue_pair()
    async with running_bot(oa_settings(db_url, fake, seed.refresh_token)) as bot:
        fake.webhook_url = bot.url + WEBHOOK_PATH
        lan = fake.user("6142494823001234567", "Lan", following=False)
        assert await lan.follow() == 200
        welcome, consent = await inbox(lan, 2)
        assert "tự động" in welcome  # Zalo's first contact says the answers are automated
        assert [t for t, _ in lan.inbox[1].buttons] == [texts.CONSENT_YES, texts.CONSENT_NO]
        assert "1." not in consent

        await lan.click(lan.inbox[1].buttons[0][1])  # "Đồng ý" comes back as the payload text
        province = (await inbox(lan, 3))[2]
        assert lan.inbox[2].buttons == []  # 35 provinces: numbered text, not buttons
        assert "Hà Nội" in province and "Trả lời một số từ 1 đến" in province

        await lan.send("ha noi")
        saved, _commune = (await inbox(lan, 5))[3:]
        assert "Hà Nội" in saved and [t for t, _ in lan.inbox[4].buttons] == [texts.SKIP]
        await lan.click(lan.inbox[4].buttons[0][1])
        ready = (await inbox(lan, 6))[5]
        assert texts.READY in ready and "1 Học AI" in ready


async def test_forged_or_unsigned_webhooks_are_rejected(db_url: str, fake: FakeZaloOA) -> None:
    seed = fake.issue_pair()
    async with running_bot(oa_settings(db_url, fake, seed.refresh_token)) as bot:
        fake.webhook_url = bot.url + WEBHOOK_PATH
        mallory = fake.user("666", "Mallory")
        message = {"text": "/start", "msg_id": "f0f0f0f0f0f0f0f0f0f0"}
        status = await fake.push_forged(sender={"id": "666"}, recipient={"id": fake.oa_id}, message=message)
        assert status == 403
        body = json.dumps({"app_id": fake.app_id, "event_name": "follow", "follower": {"id": "666"},
                           "timestamp": "1699003881354"}).encode()
        assert await fake.post_raw(body, None) == 401
        await asyncio.sleep(0.3)
        assert mallory.inbox == [] and await identity(db_url, "666") is None


async def test_signed_events_outside_ten_minutes_are_refused(db_url: str, fake: FakeZaloOA) -> None:
    """A captured, correctly signed event replayed later (or stamped in the future) is refused."""
    seed = fake.issue_pair()
    async with running_bot(oa_settings(db_url, fake, seed.refresh_token)) as bot:
        fake.webhook_url = bot.url + WEBHOOK_PATH
        now_ms = int(time.time() * 1000)
        for at_ms in (1500000000000, now_ms - 11 * 60_000, now_ms + 11 * 60_000):
            message = {"text": "/start", "msg_id": f"replay{at_ms}"}
            status = await fake.push("user_send_text", at_ms=at_ms, sender={"id": "667"}, message=message)
            assert status == 403
        await asyncio.sleep(0.3)
        assert fake.user("667", "Replay").inbox == [] and await identity(db_url, "667") is None
        fresh = {"text": "/start", "msg_id": "fresh0001"}
        assert await fake.push("user_send_text", at_ms=now_ms - 60_000, sender={"id": "667"}, message=fresh) == 200
        assert await inbox(fake.user("667", "Replay"), 1)


def test_oa_webhook_secret_is_its_own_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZALO_OA_APP_ID", "2553928453557884079")
    monkeypatch.setenv("ZALO_OA_SECRET_KEY", APP_SECRET)
    with pytest.raises(SettingsError, match="ZALO_OA_WEBHOOK_SECRET"):
        load_settings(_env_file=None)
    monkeypatch.setenv("ZALO_OA_WEBHOOK_SECRET", OA_SECRET)
    settings = load_settings(_env_file=None)
    assert settings.zalo_oa_webhook_secret is not None
    assert settings.zalo_oa_webhook_secret.get_secret_value() == OA_SECRET


async def test_token_pair_is_stored_atomically_and_reused_after_restart(
    db_url: str, fake: FakeZaloOA
) -> None:
    seed = fake.issue_pair()
    settings = oa_settings(db_url, fake, seed.refresh_token)
    lan = fake.user("u-lan", "Lan")
    async with running_bot(settings) as bot:
        fake.webhook_url = bot.url + WEBHOOK_PATH
        await lan.send("/trogiup")
        await inbox(lan, 1)
    assert fake.refresh_calls == 1 and seed.refresh_token in fake.used_refresh
    row = await stored_pair(db_url, fake.app_id)
    assert row is not None and row.refresh_token == fake.issued[-1].refresh_token
    assert row.access_token == fake.issued[-1].access_token

    async with running_bot(settings) as bot:  # ZALO_OA_REFRESH_TOKEN still holds the used seed
        fake.webhook_url = bot.url + WEBHOOK_PATH
        await lan.send("/trogiup")
        await inbox(lan, 2)
        assert fake.refresh_calls == 1  # the stored pair was used

        store = DbTokenStore(bot.runtime.services.db, fake.app_id)
        assert not await store.save(TokenPair("x", "y", 0), old_refresh=seed.refresh_token)  # stale CAS
        kept = await store.load()
        assert kept is not None and kept.refresh_token == row.refresh_token


async def test_expired_token_mid_send_is_refreshed_and_retried(db_url: str, fake: FakeZaloOA) -> None:
    seed = fake.issue_pair()
    async with running_bot(oa_settings(db_url, fake, seed.refresh_token)) as bot:
        fake.webhook_url = bot.url + WEBHOOK_PATH
        lan = fake.user("u-lan", "Lan")
        await lan.send("/trogiup")
        await inbox(lan, 1)
        calls = fake.refresh_calls
        fake.expire_access_tokens()
        await lan.send("/trogiup")
        assert texts.HELP.splitlines()[0] in (await inbox(lan, 2))[1]
        assert fake.refresh_calls == calls + 1
        row = await stored_pair(db_url, fake.app_id)
        assert row is not None and row.refresh_token == fake.issued[-1].refresh_token


async def test_window_blocked_and_unfollow(db_url: str, fake: FakeZaloOA) -> None:
    seed = fake.issue_pair()
    async with running_bot(oa_settings(db_url, fake, seed.refresh_token)) as bot:
        fake.webhook_url = bot.url + WEBHOOK_PATH
        oa = bot.runtime.channels["zalo_oa"]
        lan, binh = fake.user("u-lan", "Lan"), fake.user("u-binh", "Bình")
        await lan.send("/trogiup")
        await binh.send("/trogiup")
        await inbox(lan, 1)
        await inbox(binh, 1)

        lan.go_silent(days=8)
        with pytest.raises(OutsideWindow):
            await oa.send("u-lan", Reply("Thông báo Tuần lễ học tập"))
        ident = await identity(db_url, "u-lan")
        assert ident is not None and ident.reachable_free is False and ident.active is True

        await lan.send("/trogiup")  # she writes again: the window reopens
        await inbox(lan, 2)
        ident = await identity(db_url, "u-lan")
        assert ident is not None and ident.reachable_free is True

        binh.blocked = True
        with pytest.raises(Blocked):
            await oa.send("u-binh", Reply("Thông báo"))
        await binh.unfollow()
        await asyncio.sleep(0.3)
        ident = await identity(db_url, "u-binh")
        assert ident is not None and ident.active is False


async def test_failed_refresh_alerts_the_admin(db_url: str, fake: FakeZaloOA) -> None:
    async with FakeZaloBot(idle_timeout=0.2) as zbot:
        admin = zbot.user("admin-1", "Cán bộ")
        settings = oa_settings(
            db_url, fake, "dead-refresh-token", zalo_bot_token=zbot.token, zalo_api_base_url=zbot.base_url,
            hocbot_admins="zalo:admin-1",
        )
        async with running_bot(settings):
            alert = await admin.wait_reply(timeout=3)
            assert "Zalo OA" in alert and "ZALO_OA_REFRESH_TOKEN" in alert
            assert "dead-refresh-token" not in alert
