"""Group chats: personal flows stay in the private chat, a group never becomes anyone's address (real PTB)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlmodel import select

from bot.db.models import Identity
from tests.conftest import make_settings
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegram
from tests.harness import running_bot
from tests.test_telegram_e2e import onboard, says

GROUP = -100888  # a supergroup: negative id


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        fake.add_chat(GROUP, "supergroup", "Hội Khuyến học xã Gia Viễn")
        yield fake
        fake.assert_clean()


def group_texts(tg: FakeTelegram) -> list[str]:
    return [m.get("text", "") for m in tg.chats[GROUP].messages.values()]


async def group_reply(tg: FakeTelegram, n: int) -> list[str]:
    await tg.wait_until(lambda: len(tg.chats[GROUP].messages) >= n)
    return group_texts(tg)


async def identity(bot: Any, user_id: int) -> Identity:
    async with bot.runtime.services.db.session() as s:
        return (await s.exec(select(Identity).where(Identity.external_id == str(user_id)))).one()


async def test_group_gets_one_pointer_line_and_never_becomes_an_address(db_url: str, tg: FakeTelegram) -> None:
    settings = make_settings(
        db_url, telegram_bot_token=DEFAULT_TOKEN, telegram_api_base_url=tg.base_url, hocbot_admins="telegram:9000002"
    )
    async with running_bot(settings) as bot:
        citizen = tg.user(3001, first_name="Mai")
        await onboard(citizen)
        officer = tg.user(9000002, first_name="Cán bộ")

        await citizen.send_in_group(GROUP, "Chào cả nhà, mai họp mấy giờ ạ?")  # ordinary group talk
        await officer.send_in_group(GROUP, "/web")
        texts = await group_reply(tg, 1)
        assert len(texts) == 1, texts  # silence on the talk, one line for the command
        assert "nhắn riêng" in texts[0] and texts[0].endswith("https://t.me/hoctap_bot?start=tu_nhom")
        assert "dashboard/login" not in texts[0] and "\n" not in texts[0]
        assert not officer.messages()  # and nothing was sent to the officer either: no link anywhere

        for command in ("/xoadulieu", "/tiendo", "/lienket", "/start", "/kiemtra@hoctap_bot"):
            await citizen.send_in_group(GROUP, command)
        texts = await group_reply(tg, 6)
        assert len(texts) == 6 and all("nhắn riêng" in t for t in texts[1:]), texts
        await citizen.send_in_group(GROUP, "/start@another_bot")  # another bot's command: not ours
        await asyncio.sleep(0.3)
        assert len(group_texts(tg)) == 6
        assert tg.sent_to(GROUP, "sendPoll") == 0 and tg.sent_to(GROUP, "sendMessage") == 6

        ident = await identity(bot, 3001)
        assert ident.chat_id == "3001" and ident.active  # the group never became the delivery address

        # the deep link opens the private chat as a plain /start, not a group join code
        reply = await says(citizen, "/start tu_nhom")
        assert "không đúng" not in reply[0]["text"]
        assert tg.sent_to(3001, "sendMessage") > 0


async def test_bot_added_or_removed_in_a_group_leaves_the_members_subscription(
    db_url: str, tg: FakeTelegram
) -> None:
    settings = make_settings(db_url, telegram_bot_token=DEFAULT_TOKEN, telegram_api_base_url=tg.base_url)
    async with running_bot(settings) as bot:
        member = tg.user(3002, first_name="Hùng")
        await onboard(member)
        await member.changes_bot_in_group(GROUP, "left", "member")
        await member.changes_bot_in_group(GROUP, "member", "kicked")
        await tg.wait_until(lambda: not tg.pending_updates())
        await asyncio.sleep(0.5)  # both changes fetched and handled (nothing is expected to happen)
        ident = await identity(bot, 3002)
        assert ident.active and ident.chat_id == "3002"
