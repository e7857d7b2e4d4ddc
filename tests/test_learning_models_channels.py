"""/mohinh end to end on each platform, through the real adapters: Telegram (real python-telegram-bot against the
fake Bot API: inline buttons) and the Zalo Bot Platform (the fake Zalo server: numbered choices typed as
numbers). A family registers, a member joins with the invite code, the criteria are answered, the unit goes to
the commune, and the commune's officer decides on the same platform; the registrant hears back through the
outbox. (The web chat's numbered flow is in tests/test_learning_models.py.)"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlmodel import select

from bot.db.models_learning_models import LearningUnit
from bot.db.models_officers import Officer, OfficerScope
from tests.conftest import make_settings
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegram
from tests.fakes.zalo_bot_server import FakeBotUser, FakeZaloBot
from tests.harness import running_bot
from tests.test_telegram_e2e import onboard, presses, says

AN, BINH, OFFICER, GROUP = 7200001, 7200002, 7200003, -1007200009


async def add_officer(db: Any, channel: str, ext: str, commune: str, province: str = "Ninh Bình") -> None:
    async with db.session() as s:
        o = Officer(channel=channel, external_id=ext, name=f"Cán bộ xã {commune}")
        s.add(o)
        await s.flush()
        assert o.id is not None
        s.add(OfficerScope(officer_id=o.id, kind="commune", value=f"{commune}|{province}"))


async def the_unit(db: Any) -> LearningUnit:
    async with db.session() as s:
        return (await s.exec(select(LearningUnit))).one()


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


async def test_mohinh_on_telegram_with_buttons(db_url: str, tg: FakeTelegram) -> None:
    settings = make_settings(db_url, telegram_bot_token=DEFAULT_TOKEN, telegram_api_base_url=tg.base_url)
    async with running_bot(settings) as bot:
        db = bot.runtime.services.db
        await add_officer(db, "telegram", str(OFFICER), "Hải Hậu")
        an, binh = tg.user(AN, first_name="An"), tg.user(BINH, first_name="Bình")
        await onboard(an)  # Ninh Bình, xã Hải Hậu
        await onboard(binh)

        tg.add_chat(GROUP, "supergroup", "Hội Khuyến học xã Hải Hậu")
        await an.send_in_group(GROUP, "/mohinh")  # personal flows live in the private chat
        await tg.wait_until(lambda: len(tg.chats[GROUP].messages) >= 1)
        assert ["nhắn riêng" in (m["text"] or "") for m in tg.chats[GROUP].messages.values()] == [True]

        home = await says(an, "/mohinh")
        assert "Mô hình học tập năm" in home[0]["text"] and "chưa đăng ký mô hình nào" in home[0]["text"]
        assert {"➕ Gia đình học tập", "👤 Công dân học tập", "🔑 Nhập mã mời"} <= set(an.buttons())
        asked = await presses(an, "Gia đình học tập")
        assert "gõ tên gia đình" in asked[0]["text"]  # the commune is known from the profile: not asked again
        done = await says(an, "Gia đình ông Trần Văn An")
        assert "✅ Đã đăng ký “Gia đình ông Trần Văn An” (Gia đình học tập, Hải Hậu, Ninh Bình)" in done[0]["text"]
        assert an.buttons() == ["📝 Tự đánh giá"]
        code = (await the_unit(db)).invite_code
        assert code and f"/mohinh {code}" in done[0]["text"]

        joined = await says(binh, f"/mohinh {code.lower()}", replies=2)
        assert "Bạn đã tham gia “Gia đình ông Trần Văn An”" in joined[0]["text"] and "2 thành viên" in joined[1]["text"]

        q = await presses(an, "Tự đánh giá")
        assert "Tiêu chí 1/3" in q[0]["text"] and an.buttons() == ["✅ Đã đạt", "❌ Chưa đạt"]
        await presses(an, "Đã đạt")
        await presses(an, "Đã đạt")
        summary = await presses(an, "Chưa đạt")
        assert "Còn thiếu" in summary[0]["text"] and "• Gia đình có góc học tập" in summary[0]["text"]
        assert "📨 Gửi xã xác nhận" in an.buttons()
        sent = await presses(an, "Gửi xã xác nhận")
        assert "📨 Đã gửi xã xác nhận “Gia đình ông Trần Văn An”" in sent[0]["text"]

        officer = tg.user(OFFICER, first_name="Cán bộ")
        listing = await says(officer, "/duyetmohinh")
        assert "Chờ xác nhận (1):" in listing[0]["text"] and "Gia đình ông Trần Văn An" in listing[0]["text"]
        unit = await presses(officer, "Gia đình ông Trần Văn An")
        assert "❌ Gia đình có góc học tập" in unit[0]["text"] and officer.buttons() == ["✅ Xác nhận", "↩️ Trả lại"]
        await presses(officer, "Xác nhận")
        told = await an.wait_for(lambda m: "Xã đã xác nhận" in (m[-1]["text"] or ""))
        assert told[-1]["text"].startswith("✅ Xã đã xác nhận hồ sơ “Gia đình ông Trần Văn An”")
        assert told[-1]["reply_markup"]["inline_keyboard"][0][0]["text"] == "📋 Xem hồ sơ"  # a button, pushed
        assert (await the_unit(db)).status == "confirmed"


# --- Zalo: numbers ---------------------------------------------------------------------------------------


@pytest.fixture
async def zbot() -> AsyncIterator[FakeZaloBot]:
    async with FakeZaloBot(idle_timeout=0.2) as server:
        yield server


async def until(user: FakeBotUser, part: str, timeout: float = 15.0) -> str:  # noqa: ASYNC109
    """The next text the bot sends this user that contains `part` (earlier ones are read past)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        text = await user.wait_reply(max(0.1, deadline - loop.time()))
        if part in text:
            return text


def number_of(text: str, label: str) -> str:
    """The number a numbered list gives the choice whose label contains `label`."""
    found = re.search(rf"(\d+)\. [^\n]*{re.escape(label)}", text)
    assert found, f"no numbered choice {label!r} in {text!r}"
    return found.group(1)


async def test_mohinh_on_zalo_with_numbers(db_url: str, zbot: FakeZaloBot) -> None:
    settings = make_settings(db_url, zalo_bot_token=zbot.token, zalo_api_base_url=zbot.base_url,
                             zalo_broadcast_rate=50, hocbot_per_chat_interval=0)  # fmt: skip
    async with running_bot(settings) as bot:
        db = bot.runtime.services.db
        await add_officer(db, "zalo", "z-officer", "Gia Viễn")
        lan = zbot.user("7a1b2c3d4e5f60718293", "Lan")
        await lan.send("/start")
        await until(lan, "1. ✅ Đồng ý")
        await lan.send("1")
        await until(lan, "Hà Nội")
        await lan.send("ninh binh")
        await until(lan, "xã")
        await lan.send("Gia Viễn")
        await until(lan, "Gõ số hoặc tên mục")

        await lan.send("/mohinh")
        home = await until(lan, "Mô hình học tập năm")
        assert "1. ➕ Gia đình học tập" in home and "Trả lời 1, 2, 3, 4, 5 hoặc 6." in home  # buttons: numbers
        await lan.send(number_of(home, "Đơn vị học tập"))
        assert "gõ tên cơ quan" in await until(lan, "Đơn vị học tập")
        await lan.send("Trường THCS Gia Viễn")
        done = await until(lan, "Đã đăng ký")
        assert "1. 📝 Tự đánh giá" in done
        await lan.send("1")
        question = await until(lan, "Tiêu chí 1/2")
        assert "1. ✅ Đã đạt" in question and "2. ❌ Chưa đạt" in question
        await lan.send("1")
        await until(lan, "Tiêu chí 2/2")
        await lan.send("da dat")  # the label typed without accents picks it too
        summary = await until(lan, "Trường THCS Gia Viễn")
        await lan.send(number_of(summary, "Gửi xã xác nhận"))
        assert "Đã gửi xã xác nhận" in await until(lan, "Đã gửi")

        officer = zbot.user("z-officer", "Cán bộ")
        await officer.send("/duyetmohinh")
        listing = await until(officer, "Chờ xác nhận (1):")
        await officer.send(number_of(listing, "Trường THCS Gia Viễn"))
        view = await until(officer, "Trường THCS Gia Viễn")
        assert "1. ✅ Xác nhận" in view and "2. ↩️ Trả lại" in view
        await officer.send("2")
        await until(officer, "lý do trả lại")
        await officer.send("Cần danh sách giáo viên tham gia học tập")
        assert "Đã trả lại hồ sơ" in await until(officer, "Đã trả lại")
        told = await until(lan, "Xã trả lại hồ sơ")
        assert "“Trường THCS Gia Viễn” (Đơn vị học tập): Cần danh sách giáo viên tham gia học tập" in told
        assert "1. 📋 Xem hồ sơ" in told  # the pushed message's button, numbered
        await lan.send("1")
        assert "↩️ Xã trả lại: Cần danh sách giáo viên tham gia học tập" in await until(lan, "Xã trả lại:")
        assert (await the_unit(db)).status == "returned"
