"""Foundation end to end: the real python-telegram-bot Application against the fake Bot API server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from sqlmodel import select

from bot.db.models import Group, Identity, InboundEvent, User
from tests.conftest import make_settings
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegram
from tests.harness import running_bot


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake
        fake.assert_clean()


def tg_settings(db_url: str, tg: FakeTelegram, **extra: Any) -> Any:
    return make_settings(db_url, telegram_bot_token=DEFAULT_TOKEN, telegram_api_base_url=tg.base_url, **extra)


async def says(user: Any, text: str, replies: int = 1) -> list[dict[str, Any]]:
    before = len(user.messages())
    await user.send(text)
    msgs = await user.wait_for(before + replies)
    return msgs[before:]


async def presses(user: Any, label_part: str, replies: int = 1) -> list[dict[str, Any]]:
    last = user.last()
    for row in (last or {}).get("reply_markup", {}).get("inline_keyboard", []):
        for button in row:
            if label_part.lower() in button["text"].lower():
                before = len(user.messages())
                await user.press(button["callback_data"])
                msgs = await user.wait_for(before + replies)
                return msgs[before:]
    raise AssertionError(f"no button {label_part!r} under {last}")


async def onboard(user: Any) -> None:
    welcome = await says(user, "/start", replies=2)
    assert "Hội Khuyến học" in welcome[0]["text"] and "tự động" in welcome[0]["text"]
    await presses(user, "Đồng ý")
    await presses(user, "Ninh Bình", replies=2)
    await says(user, "xã Hải Hậu", replies=2)


async def test_onboarding_by_polling_stores_consent_and_locality(db_url: str, tg: FakeTelegram) -> None:
    async with running_bot(tg_settings(db_url, tg)) as bot:
        lan = tg.user(5550001, first_name="Lan")
        await onboard(lan)
        assert "Xong rồi" in (lan.last_text() or "")
        assert "📚 Học AI" in lan.keyboard() and "⚙️ Cài đặt" in lan.keyboard()
        async with bot.runtime.services.db.session() as s:
            user = (await s.exec(select(User))).one()
        assert user.consent_version and user.consent_at is not None
        assert (user.province, user.commune) == ("Ninh Bình", "Hải Hậu")  # stored without “Xã”
    assert len(tg.calls("answerCallbackQuery")) == 2  # both presses answered: no spinner left


async def test_typed_consent_without_accents_and_old_province(db_url: str, tg: FakeTelegram) -> None:
    async with running_bot(tg_settings(db_url, tg)):
        an = tg.user(5550002, first_name="An")
        await says(an, "/start", replies=2)
        reply = await says(an, "dong y")
        assert "tỉnh/thành phố" in reply[0]["text"]
        reply = await says(an, "nam dinh", replies=2)
        assert "Nam Định nay thuộc Ninh Bình" in reply[0]["text"]
        reply = await says(an, "Bỏ qua")
        assert "Xong rồi" in reply[0]["text"]


async def test_agreeing_again_after_consent_is_acknowledged_not_answered_with_the_law(
        db_url: str, tg: FakeTelegram) -> None:
    """“đồng ý” typed by someone who already agreed got the FAQ's text on the personal data law (“ok đồng ý”:
    “Có phải bạn muốn hỏi…” its entries): now a short word that they already agreed, with the menu. Before consent,
    “ok đồng ý” answers the consent question as “đồng ý” does; after a “no”, it asks that question again."""
    async with running_bot(tg_settings(db_url, tg)) as bot:
        lan = tg.user(5550012, first_name="Lan")
        await onboard(lan)
        for text in ("đồng ý", "dong y", "ok đồng ý"):
            reply = (await says(lan, text))[0]
            assert reply["text"].startswith("✅ Bạn đã đồng ý cho bot lưu tiến độ học rồi"), reply["text"]
            assert "Luật" not in reply["text"] and "Nguồn" not in reply["text"] and "/xoadulieu" in reply["text"]
            assert "📚 Học AI" in lan.keyboard()
        an = tg.user(5550013, first_name="An")
        await says(an, "/start", replies=2)
        assert "tỉnh/thành phố" in (await says(an, "ok đồng ý"))[0]["text"]
        binh = tg.user(5550014, first_name="Bình")
        await says(binh, "/start", replies=2)
        await presses(binh, "Không đồng ý")
        assert "Bạn có đồng ý không?" in (await says(binh, "đồng ý"))[0]["text"]  # asked, not agreed unseen
        assert "tỉnh/thành phố" in (await says(binh, "đồng ý"))[0]["text"]
        async with bot.runtime.services.db.session() as s:
            users = (await s.exec(select(User))).all()
        assert sum(u.consent_at is not None for u in users) == 3


async def test_bad_input_gets_friendly_answers(db_url: str, tg: FakeTelegram) -> None:
    async with running_bot(tg_settings(db_url, tg)):
        u = tg.user(5550003, first_name="Ba")
        await onboard(u)
        assert "chưa hiểu lệnh" in (await says(u, "/khongcolenhnay"))[0]["text"]
        for action in (u.send_sticker, u.send_voice, u.send_photo):
            before = len(u.messages())
            await action()
            msgs = await u.wait_for(before + 1)
            assert "chỉ đọc được chữ" in msgs[-1]["text"]
        assert "dài quá" in (await says(u, "a" * 10_000))[0]["text"]
        assert "chưa gõ gì" in (await says(u, "   "))[0]["text"]


async def test_a_mistyped_command_offers_the_one_it_was_nearly(db_url: str, tg: FakeTelegram) -> None:
    """“/tiendoo”, “/kiem tra”, “/tiến độ” got only “Mình chưa hiểu lệnh”: now a button for the command they were
    nearly, which runs it (pressed on Telegram or answered “1” where numbered); a command near none, or as near
    two (“/hox”: /hoc or /hoi?), is not guessed."""
    async with running_bot(tg_settings(db_url, tg)):
        u = tg.user(5550015, first_name="Tư")
        await onboard(u)
        for typed, meant in (("/tiendoo", "/tiendo"), ("/kiem tra", "/kiemtra"), ("/tiến độ", "/tiendo"),
                             ("/Xoadulieuu", "/xoadulieu"), ("/ hoc", "/hoc")):
            reply = (await says(u, typed))[0]
            assert f"Mình chưa hiểu lệnh “{typed}”" in reply["text"] and f"gõ {meant}?" in reply["text"], reply
            labels = [b["text"] for row in reply["reply_markup"]["inline_keyboard"] for b in row]
            assert labels == [f"▶️ {meant}", "📖 Xem các lệnh"], labels
        assert "Chọn một mô-đun để học" in (await presses(u, "▶️ /hoc"))[0]["text"]  # the last offer runs
        await says(u, "/tiendoo")
        assert "📈 Tiến độ của bạn" in (await presses(u, "▶️ /tiendo"))[0]["text"]
        await says(u, "/tiendoo")
        assert "📈 Tiến độ của bạn" in (await says(u, "1"))[0]["text"]  # typed as a number, as on Zalo
        await says(u, "/hocc")
        assert "📖 Hướng dẫn" in (await presses(u, "Xem các lệnh"))[0]["text"]
        for far in ("/hox", "/abcxyz"):
            reply = (await says(u, far))[0]
            assert "chưa hiểu lệnh" in reply["text"] and "Có phải" not in reply["text"]
            assert "inline_keyboard" not in reply.get("reply_markup", {})


async def test_webhook_mode_checks_secret_and_ignores_repeats(db_url: str, tg: FakeTelegram) -> None:
    settings = tg_settings(
        db_url,
        tg,
        telegram_webhook_url="http://127.0.0.1:1/tg/hook",
        telegram_webhook_secret="s3cr3t_TOKEN-1",
    )
    async with running_bot(settings) as bot:
        assert tg.webhook is not None and tg.webhook["url"].endswith("/tg/hook")
        tg.webhook["url"] = f"{bot.url}/tg/hook"  # the reverse proxy would forward here
        u = tg.user(5550004, first_name="Cúc")
        await says(u, "/start", replies=2)
        async with aiohttp.ClientSession() as http:
            body = {
                "update_id": 42,
                "message": {
                    "message_id": 900,
                    "date": 1790000000,
                    "from": u.user_json(),
                    "chat": u.chat_json(),
                    "text": "/trogiup",
                    "entities": [{"type": "bot_command", "offset": 0, "length": 8}],
                },
            }
            headers = {"X-Telegram-Bot-Api-Secret-Token": "wrong"}
            async with http.post(f"{bot.url}/tg/hook", json=body, headers=headers) as resp:
                assert resp.status == 403
            headers["X-Telegram-Bot-Api-Secret-Token"] = "s3cr3t_TOKEN-1"
            before = len(u.messages())
            for _ in range(3):  # Telegram retries: the same update three times
                async with http.post(f"{bot.url}/tg/hook", json=body, headers=headers) as resp:
                    assert resp.status == 200
            async with http.post(f"{bot.url}/tg/hook", data=b"{not json", headers=headers) as resp:
                assert resp.status == 200
            await u.wait_for(before + 1)
            await asyncio.sleep(0.3)
            assert len(u.messages()) == before + 1  # handled once
            assert "Hướng dẫn" in (u.last_text() or "")
        async with bot.runtime.services.db.session() as s:
            events = (await s.exec(select(InboundEvent).where(InboundEvent.external_id == "42"))).all()
        assert len(events) == 1


async def test_blocking_marks_user_inactive_and_unparsable_update_does_not_stall(
    db_url: str, tg: FakeTelegram
) -> None:
    async with running_bot(tg_settings(db_url, tg)) as bot:
        u = tg.user(5550005, first_name="Dũng")
        await says(u, "/start", replies=2)
        await u.block()
        tg.emit("message", {"message_id": "not-a-number", "chat": "broken"})  # PTB cannot parse this
        v = tg.user(5550006, first_name="Em")
        await says(v, "/trogiup")  # the bot is still alive after the bad update

        async def inactive() -> bool:
            async with bot.runtime.services.db.session() as s:
                ident = (await s.exec(select(Identity).where(Identity.external_id == "5550005"))).one()
            return not ident.active

        for _ in range(50):
            if await inactive():
                break
            await asyncio.sleep(0.05)
        assert await inactive()


async def test_deep_link_joins_group(db_url: str, tg: FakeTelegram) -> None:
    async with running_bot(tg_settings(db_url, tg)) as bot:
        async with bot.runtime.services.db.session() as s:
            s.add(Group(name="clb-tin-hoc", title="CLB Tin học xã", kind="code", join_code="tinhoc2026"))
        u = tg.user(5550007, first_name="Giang")
        await says(u, "/start tinhoc2026", replies=2)
        joined = await presses(u, "Đồng ý", replies=2)
        assert "CLB Tin học xã" in joined[0]["text"]
        assert "mã nhóm" in (await says(u, "/start saima", replies=2))[0]["text"].lower()
