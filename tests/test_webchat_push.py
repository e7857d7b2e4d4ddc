"""The web chat receives what the bot pushes: an officer's broadcast and a reminder land in the session's inbox,
the page fetches them (what arrived since the last visit), and web users count as recipients."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
from sqlmodel import select

from bot.channels import webchat
from bot.core.messages import Reply
from bot.db.models_campaigns import CampaignFire
from bot.db.models_web import WebInbox
from bot.settings import Settings
from handlers.officers import outbox
from handlers.officers.audience import count_people
from handlers.week import campaign_store
from handlers.week.campaigns import tick
from tests.harness import WebUser, running_bot

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


async def onboard(u: WebUser) -> None:
    for text in ("/start", "dong y", "ninh binh", "gia vien"):
        await u.says(text)


async def inbox(u: WebUser, since: int = 0) -> dict[str, Any]:
    async with u.http.get(f"{u.url}/api/chat/inbox", params={"session": u.session, "since": str(since)}) as resp:
        assert resp.status == 200, await resp.text()
        return dict(await resp.json())


async def wait_for_inbox(u: WebUser, since: int = 0, n: int = 1) -> dict[str, Any]:
    for _ in range(200):
        got = await inbox(u, since)
        if len(got["messages"]) >= n:
            return got
        await asyncio.sleep(0.05)
    raise AssertionError(f"nothing arrived in the inbox of {u.session}")


async def test_broadcast_and_reminder_reach_the_web_chat(settings: Settings) -> None:
    async with running_bot(settings) as bot, aiohttp.ClientSession() as http:
        services = bot.runtime.services
        lan, binh = WebUser(bot.url, http), WebUser(bot.url, http)
        await onboard(lan)
        await onboard(binh)
        assert (await inbox(lan))["messages"] == []  # nothing pushed yet
        async with services.db.session() as s:
            assert await count_people(s, "all") == 2  # web users are recipients now
            b = await outbox.create_broadcast(s, text="📣 Lớp Bình dân học AI tối thứ Bảy ở nhà văn hoá.",
                                              created_by="test", group_ids="all", button_label="📚 Học AI",
                                              button_data="toc")  # fmt: skip
            assert await outbox.queue_broadcast(s, b) == 2
        services.wake_outbox()
        got = await wait_for_inbox(lan)
        [msg] = got["messages"]
        assert msg["text"].startswith("📣 Lớp Bình dân học AI") and msg["choices"][0]["label"] == "📚 Học AI"
        await wait_for_inbox(binh)
        for _ in range(100):  # the outcomes are written back within ~50 ms
            async with services.db.session() as s:
                counts = await outbox.broadcast_counts(s, b.id or 0)
            if counts["sent"] == 2:
                break
            await asyncio.sleep(0.05)
        assert counts.pop("sent") == 2 and set(counts.values()) == {0}
        # the page asks again from the last id it saw: nothing new
        assert (await inbox(lan, got["last"]))["messages"] == []
        # the button of a pushed message works like any other
        await lan._post({"choice": msg["choices"][0]["data"]})
        assert "Chọn một mô-đun" in lan.all_text()

        # a reminder (a campaign firing at 08:00 local) goes the same way
        eight = dt.datetime(2026, 9, 24, 8, 0, tzinfo=TZ).astimezone(dt.UTC)
        services.clock = lambda: eight
        async with services.db.session() as s:
            await campaign_store.add_campaign(s, services.settings, eight - dt.timedelta(days=1), name="nhắc",
                                              to="all", text="🔔 Sắp đến Tuần lễ học tập suốt đời!", kind="once",
                                              at=eight)  # fmt: skip
        await tick(services, eight)  # (the bot's own scheduler may fire it first: once either way)
        async with services.db.session() as s:
            [fire] = (await s.exec(select(CampaignFire))).all()
        assert fire.queued == 2
        services.wake_outbox()
        later = await wait_for_inbox(binh, since=(await inbox(binh))["messages"][0]["id"])
        assert later["messages"][0]["text"] == "🔔 Sắp đến Tuần lễ học tập suốt đời!"


async def test_inbox_is_private_to_its_session_bounded_and_forgotten(settings: Settings) -> None:
    async with running_bot(settings) as bot, aiohttp.ClientSession() as http:
        services = bot.runtime.services
        web = bot.runtime.channels["web"]
        lan, binh = WebUser(bot.url, http), WebUser(bot.url, http)
        await onboard(lan)
        await onboard(binh)
        for i in range(webchat.INBOX_BATCH + 3):
            await web.send(lan.session, Reply(f"tin {i}"))
        first = await inbox(lan)
        assert len(first["messages"]) == webchat.INBOX_BATCH and first["more"] is True
        rest = await inbox(lan, first["last"])
        assert [m["text"] for m in rest["messages"]] == ["tin 50", "tin 51", "tin 52"] and rest["more"] is False
        assert (await inbox(binh))["messages"] == []  # another session sees nothing of Lan's
        async with http.get(f"{bot.url}/api/chat/inbox", params={"session": lan.session, "since": "9" * 15}) as resp:
            assert resp.status == 200 and (await resp.json())["messages"] == []  # past every id: nothing, no error
        for bad in ({"session": "x", "since": "0"}, {"session": lan.session, "since": "-1"}, {},
                    {"session": lan.session, "since": "9" * 40}):
            async with http.get(f"{bot.url}/api/chat/inbox", params=bad) as resp:
                assert resp.status == 400 and "không hợp lệ" in (await resp.json())["error"]
        # old messages are pruned after INBOX_DAYS
        assert await web.prune(dt.datetime.now(dt.UTC) + dt.timedelta(days=webchat.INBOX_DAYS + 1)) == 53
        await web.send(lan.session, Reply("tin mới"))
        # /xoadulieu: Lan's pushed messages go with her data
        await lan.says("/xoadulieu")
        assert "(Telegram, Zalo, web chat)" in lan.last_reply()  # the web account is named too, not only apps
        await lan.press("Có, xoá")
        async with services.db.session() as s:
            assert (await s.exec(select(WebInbox).where(WebInbox.chat_id == lan.session))).all() == []


async def test_week_reminder_on_the_web_promises_only_what_the_page_can_do(settings: Settings) -> None:
    """“Nhắc tôi” in the web chat: the page cannot ring, so the bot says where the reminder will appear."""
    async with running_bot(settings) as bot, aiohttp.ClientSession() as http:
        lan = WebUser(bot.url, http)
        await onboard(lan)
        await lan.says("/tuanle")
        await lan.press("Nhắc tôi")
        said = lan.last_reply()
        assert said.startswith("🔔 Đã xong!")
        assert "tin bot gửi sẽ hiện ở mục “🔔 Tin mới” khi bạn mở lại trang" in said
