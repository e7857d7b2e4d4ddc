"""Initiatives (“sáng kiến”): a citizen sends one with a photo on Telegram (kept as its file id), an officer of
the place shortlists and praises it (the sender is told; audited) and publishes it in an announcement that
carries the same photo; other officers neither see nor decide; the dashboard does the same; /xoadulieu
deletes it and takes it out of the announcement."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlmodel import col, select

from bench.broadcast import add_group
from bot.db.models import AuditLog, User
from bot.db.models_initiatives import Initiative
from bot.db.models_learning_models import LearningUnit
from bot.db.models_officers import Broadcast, Officer, OfficerScope
from tests.conftest import make_settings
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegram
from tests.harness import WebUser, running_bot
from tests.test_telegram_e2e import onboard, presses, says

MAI, LAN, OFFICER, OTHER = 7100001, 7100002, 7100003, 7100004
IDEA = "Thôn em lập nhóm Zalo, chiều thứ Bảy các cháu sinh viên hướng dẫn ông bà cài và dùng VNeID."


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


async def add_officer(db: Any, ext: int, kind: str, value: str) -> None:
    async with db.session() as s:
        o = Officer(channel="telegram", external_id=str(ext), name=f"Cán bộ {ext}")
        s.add(o)
        await s.flush()
        assert o.id is not None
        s.add(OfficerScope(officer_id=o.id, kind=kind, value=value))


async def actions(db: Any, prefix: str) -> list[tuple[str, str, bool]]:
    async with db.session() as s:
        rows = (await s.exec(select(AuditLog).order_by(col(AuditLog.id)))).all()
    return [(a.actor, a.action, a.allowed) for a in rows if a.action.startswith(prefix)]


async def test_telegram_photo_initiative_is_praised_and_published_with_its_photo(db_url: str, tg: FakeTelegram) -> None:
    settings = make_settings(db_url, telegram_bot_token=DEFAULT_TOKEN, telegram_api_base_url=tg.base_url)
    async with running_bot(settings) as bot:
        db = bot.runtime.services.db
        group = await add_group(db, "Ninh Bình", "locality", province="Ninh Bình")
        await add_officer(db, OFFICER, "province", "Ninh Bình")
        await add_officer(db, OTHER, "province", "Hà Nội")
        mai, lan = tg.user(MAI, first_name="Mai"), tg.user(LAN, first_name="Lan")
        await onboard(mai)
        await onboard(lan)

        intro = await says(mai, "/sangkien")
        assert "💡 Sáng kiến" in intro[0]["text"] and mai.buttons() == ["✍️ Gửi sáng kiến"]
        asked = await presses(mai, "Gửi sáng kiến")
        assert "gõ sáng kiến" in asked[0]["text"] and "gửi ảnh kèm chú thích" in asked[0]["text"]
        assert "từ 20 đến 1500 ký tự" in (await says(mai, "hay lắm"))[0]["text"]  # too short: asked again
        assert "Gửi kèm 1 ảnh" in (await says(mai, IDEA))[0]["text"] and mai.buttons() == ["➡️ Không có ảnh"]
        assert "chỉ nhận ảnh" in (await says(mai, "ảnh đây"))[0]["text"]
        before = len(mai.messages())
        sent = await mai.send_photo(caption="ảnh nhóm Zalo")
        file_id = sent["message"]["photo"][-1]["file_id"]
        await mai.wait_for(before + 1)
        assert "✅ Đã gửi sáng kiến #1 (kèm ảnh)" in (mai.last_text() or "")
        async with db.session() as s:
            row = (await s.exec(select(Initiative))).one()
        assert (row.text, row.photo, row.author, row.province, row.status) == (IDEA, file_id, "Mai", "Ninh Bình", "new")

        # a photo outside the flow is still “words only”
        assert "chỉ đọc được chữ" in ((await mai.send_photo()) and (await mai.wait_for(before + 2))[-1]["text"])

        # an officer of another province sees nothing and cannot decide (audited)
        other = tg.user(OTHER, first_name="Khác")
        assert "Chưa có sáng kiến nào" in (await says(other, "/duyetsangkien"))[0]["text"]
        before = len(other.messages())
        await other.forge_press("skd|1|praise")  # a button it was never shown
        assert "ngoài phạm vi" in (await other.wait_for(before + 1))[-1]["text"]
        assert "chỉ dành cho cán bộ" in (await says(lan, "/duyetsangkien"))[0]["text"]

        officer = tg.user(OFFICER, first_name="Cán bộ")
        listing = await says(officer, "/duyetsangkien")
        assert f"#1 Mai, Hải Hậu, Ninh Bình · có ảnh: chờ cán bộ xem\n   {IDEA[:120]}" in listing[0]["text"]
        view = await presses(officer, "#1 Mai")
        assert view[0]["method"] == "sendPhoto" and view[0]["file"] == file_id  # the same photo, by its id
        assert IDEA in view[0]["caption"] and officer.buttons() == ["⭐ Chọn", "🏅 Biểu dương"]
        done = await presses(officer, "Chọn", replies=2)
        assert "⭐ Đã chọn sáng kiến #1." in done[0]["text"] and officer.buttons() == ["↩️ Bỏ chọn", "🏅 Biểu dương"]
        done = await presses(officer, "Biểu dương", replies=2)
        assert "Người gửi đã được báo" in done[0]["text"] and officer.buttons() == ["📢 Đăng thông báo"]
        told = await mai.wait_for(lambda m: "Chúc mừng" in (m[-1]["text"] or ""))
        today = dt.datetime.now(settings.tz).strftime("%d/%m/%Y")
        assert told[-1]["text"] == f"🏅 Chúc mừng! Sáng kiến #1 bạn gửi ngày {today} đã được Hội Khuyến học biểu dương."

        preview = await presses(officer, "Đăng thông báo", replies=3)
        assert "Xem trước" in preview[0]["text"]
        assert preview[1]["method"] == "sendPhoto" and preview[1]["file"] == file_id
        assert "biểu dương sáng kiến" in preview[1]["caption"] and f"💡 Mai (Hải Hậu, Ninh Bình):\n{IDEA}" in \
            preview[1]["caption"]  # fmt: skip
        assert "Gửi tới 2 người trong: Ninh Bình" in preview[2]["text"]
        lan_before = len(lan.messages())
        await presses(officer, "Gửi")
        got = await lan.wait_for(lambda m: len(m) > lan_before and m[-1]["method"] == "sendPhoto")
        assert got[-1]["file"] == file_id and IDEA in got[-1]["caption"]
        async with db.session() as s:
            row = (await s.exec(select(Initiative))).one()
            b = await s.get(Broadcast, row.broadcast_id)
        assert row.status == "praised" and b is not None and b.status in ("queued", "sending", "done")
        assert f"[{group}]" == b.group_ids.replace(" ", "")

        mine = await says(mai, "/sangkien")
        assert f"• #1 ngày {today}: 🏅 được biểu dương" in mine[0]["text"]
        log = await actions(db, "sangkien")
        assert ("user:1", "sangkien.submit", True) in log
        assert (f"telegram:{OTHER}", "sangkien.praise", False) in log
        assert [x[1] for x in log if x[0] == f"telegram:{OFFICER}"] == [
            "sangkien.shortlist", "sangkien.praise", "sangkien.publish"]  # fmt: skip


async def test_web_chat_sends_for_a_unit_the_dashboard_praises_publishes_and_forget_removes_it(db_url: str) -> None:
    from tests.test_dashboard_http import Dash, client, link_for, settings_for
    from tests.test_dashboard_http import add_officer as add_commune_officer

    async with running_bot(settings_for(db_url)) as bot, client() as http:
        db = bot.runtime.services.db
        gv = await add_group(db, "Gia Viễn", "locality", province="Ninh Bình", commune="Gia Viễn")
        await add_commune_officer(db, 7770001, "Gia Viễn")
        an = WebUser(bot.url, http)
        for text in ("/start", "1", "ninh binh", "Gia Viễn", "/mohinh"):
            await an.says(text)
        await an.press("Gia đình học tập")
        await an.says("Gia đình bà Trần Thị An")
        await an.says("/sangkien")
        assert an.buttons() == ["✍️ Gửi sáng kiến"]
        await an.says("1")  # a typed number picks the button, as where there are no buttons
        assert an.buttons() == ["👤 Của tôi", "🏡 Của Gia đình bà Trần Thị An"]
        await an.says("2")
        assert "gõ sáng kiến" in an.all_text() and "ảnh" not in an.all_text()  # no photo step off Telegram
        await an.says(IDEA)
        assert "✅ Đã gửi sáng kiến #1. Cán bộ Hội Khuyến học sẽ xem" in an.all_text()
        async with db.session() as s:
            row = (await s.exec(select(Initiative))).one()
            unit = (await s.exec(select(LearningUnit))).one()
            someone = User(display_name="Người xã khác")
            s.add(someone)
            await s.flush()
            assert someone.id is not None
            s.add(Initiative(user_id=someone.id, author="Hoa Lư", province="Ninh Bình", commune="Hoa Lư",
                             text="Một sáng kiến ở xã khác, ngoài phạm vi cán bộ Gia Viễn."))  # fmt: skip
        assert (row.author, row.unit_id, row.commune, row.photo, row.channel) == (
            "Gia đình bà Trần Thị An",
            unit.id,
            "Gia Viễn",
            None,
            "web",
        )

        dash = Dash(bot.url, http)
        await dash.login(await link_for(bot, 7770001))
        html = await dash.get("/dashboard/initiatives")
        assert 'id="nav-initiatives"' in html and 'data-page="initiatives"' in html
        assert 'data-initiative-id="1"' in html and 'data-initiative-id="2"' not in html  # scope
        assert 'id="publish-none"' in html
        await dash.post("/dashboard/initiatives/2/praise", {}, status=403)
        await dash.get("/dashboard/initiatives")
        await dash.post("/dashboard/initiatives/1/shortlist", {})
        html = await dash.get("/dashboard/initiatives")
        assert 'data-status="shortlisted"' in html and 'id="unshortlist-1"' in html
        await dash.post("/dashboard/initiatives/1/praise", {})
        html = await dash.get("/dashboard/initiatives")
        assert 'data-status="praised"' in html and 'id="publish-1"' in html and f'id="group-{gv}"' in html

        await dash.post("/dashboard/initiatives/publish", [("initiative", "1")], status=400)
        assert "Hãy chọn ít nhất một nhóm" in dash.html
        await dash.get("/dashboard/initiatives")
        await dash.post("/dashboard/initiatives/publish", [("initiative", "2"), ("group", str(gv))], status=403)
        await dash.get("/dashboard/initiatives")
        resp = await dash.post("/dashboard/initiatives/publish", [("initiative", "1"), ("group", str(gv))])
        draft = resp.headers["Location"]
        html = await dash.get(draft)
        assert "biểu dương sáng kiến" in html and "💡 Gia đình bà Trần Thị An (Gia Viễn, Ninh Bình):" in html
        await dash.post(draft + "/send", {})
        html = await dash.get("/dashboard/initiatives")
        assert 'data-testid="published-in"' in html and 'id="publish-none"' in html
        await an.says("/sangkien")
        assert "🏅 được biểu dương" in an.all_text()
        async with db.session() as s:
            told = (await s.exec(select(Broadcast.text).where(Broadcast.created_by == "sangkien"))).all()
            assert len(told) == 1 and told[0].startswith("🏅 Chúc mừng! Sáng kiến #1 bạn gửi ngày")
            b = (await s.exec(select(Broadcast).where(Broadcast.created_by == "telegram:7770001"))).one()
            assert IDEA in b.text
        log = [x for x in await actions(db, "") if "sangkien" in x[1]]
        assert [x[1:] for x in log if x[0] == "web:telegram:7770001"] == [
            ("dashboard.sangkien.praise", False), ("sangkien.shortlist", True), ("sangkien.praise", True),
            ("dashboard.sangkien.publish", False), ("sangkien.publish", True)]  # fmt: skip

        await an.says("/xoadulieu")
        await an.says("1")
        async with db.session() as s:
            left = (await s.exec(select(Initiative))).all()
            b2 = await s.get(Broadcast, b.id)
        assert [r.id for r in left] == [2] and b2 is not None  # only the other person's is left
        assert IDEA not in b2.text and "Trần Thị An" not in b2.text
        assert "(Sáng kiến này đã được xoá theo yêu cầu của người gửi.)" in b2.text
