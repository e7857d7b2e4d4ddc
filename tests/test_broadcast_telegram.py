"""End to end through the real python-telegram-bot and the fake Bot API with its rate limit on:
an admin announces with /thongbao to two groups; blocked users, a 429 storm and 5xx errors on the way."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import select

from bench.broadcast import add_group, seed_subscribers
from bot.db.models import AuditLog, Identity, User
from bot.db.models_officers import Broadcast
from tests.conftest import make_settings
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegram
from tests.harness import running_bot

ADMIN = 5550001
OFFICER = 5550002


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


def settings_for(db_url: str, tg: FakeTelegram, **extra: Any) -> Any:
    return make_settings(
        db_url, telegram_bot_token=DEFAULT_TOKEN, telegram_api_base_url=tg.base_url,
        hocbot_admins=f"telegram:{ADMIN}", hocbot_broadcast_rate=25, **extra,
    )


def _labels(msgs: list[dict[str, Any]]) -> list[str]:
    return [b.get("text", "") for m in msgs for row in (m.get("reply_markup") or {}).get("inline_keyboard", [])
            for b in row]


def _datas(msgs: list[dict[str, Any]]) -> list[str]:
    return [b.get("callback_data", "") for m in msgs
            for row in (m.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


async def test_announce_to_groups_reaches_everyone_once_and_reports(db_url: str, tg: FakeTelegram) -> None:
    tg.rate_limit(global_per_sec=30, per_chat_per_sec=1.0, burst=12, retry_after=1)
    async with running_bot(settings_for(db_url, tg)) as bot:
        db = bot.runtime.services.db
        pacer = bot.runtime.pacer
        pacer.backoff = 0.05
        nb = await add_group(db, "Ninh Bình", "locality", province="Ninh Bình")
        club = await add_group(db, "CLB Tin học", "code", join_code="clbtin")
        other = await add_group(db, "Hà Nội", "locality", province="Hà Nội")
        in_nb = await seed_subscribers(db, 14, first_chat=700_000)  # Ninh Bình by locality
        in_club = await seed_subscribers(db, 10, first_chat=710_000, province="Huế", group_id=club)
        outside = await seed_subscribers(db, 5, first_chat=720_000, province="Hà Nội")
        both = in_nb[:3]
        async with db.session() as s:  # three Ninh Bình users are also club members
            from bot.db.models import Membership

            for c in both:
                ident = (await s.exec(select(Identity).where(Identity.chat_id == str(c)))).one()
                s.add(Membership(user_id=ident.user_id, group_id=club))
            quiet = (await s.exec(select(Identity).where(Identity.chat_id == str(in_nb[4])))).one()
            await s.exec(update(User).where(User.id == quiet.user_id).values(subscribed=False))  # type: ignore
        for c in [*in_nb, *in_club, *outside]:
            tg.set_fate(c, None)
        blocked = [in_nb[5], in_club[2]]
        tg.set_fate(blocked[0], "blocked")
        tg.set_fate(blocked[1], "not_found")

        admin = tg.user(ADMIN, "Cán bộ")
        await admin.send("/thongbao")
        await admin.wait_for(lambda m: "Soạn thông báo" in (m[-1]["text"] or "") if m else False)
        await admin.send("Tuần lễ học tập suốt đời bắt đầu ngày 1/10. Mời bà con tham gia!")
        await admin.wait_for(lambda m: f"bcg|{nb}" in _datas(m[-1:]))
        assert f"bcg|{other}" in _datas(admin.messages()[-1:])
        await admin.press(f"bcg|{nb}")
        await admin.wait_for(lambda m: "✅ Ninh Bình" in _labels(m[-1:]))
        await admin.press(f"bcg|{club}")
        await admin.wait_for(lambda m: "✅ CLB Tin học" in _labels(m[-1:]))
        await admin.press("bcg|done")
        await admin.wait_for(lambda m: any("bcok|" in d for d in _datas(m[-1:])))
        texts = [m["text"] for m in admin.messages()[-3:]]
        assert texts[1] == "Tuần lễ học tập suốt đời bắt đầu ngày 1/10. Mời bà con tham gia!"  # the preview
        expected = set(in_nb + in_club) - {in_nb[4]}
        assert f"Gửi tới {len(expected)} người" in texts[2]
        assert all(tg.sent_to(c) == 0 for c in expected)  # nothing before the confirmation

        confirm = next(d for d in _datas(admin.messages()[-1:]) if d.startswith("bcok|"))
        await admin.press(confirm)
        await admin.wait_for(lambda m: "Đã xếp hàng" in (m[-1]["text"] or ""))
        tg.fail_next("sendMessage", 429, count=3, retry_after=1)
        tg.fail_next("sendMessage", 502, count=3)
        await admin.wait_for(lambda m: "Kết quả thông báo" in (m[-1]["text"] or ""), timeout=20)

        report = admin.messages()[-1]["text"]
        delivered = expected - set(blocked)
        assert all(tg.sent_to(c) == 1 for c in delivered), {c: tg.sent_to(c) for c in delivered}
        assert all(tg.sent_to(c) == 0 for c in [*outside, in_nb[4], *blocked])
        assert f"Đã gửi: {len(delivered)}" in report
        assert "Đã chặn bot: 1" in report and "Tài khoản đã bị xoá: 1" in report and "Gửi lỗi: 0" in report
        assert tg.calls("sendMessage", status=429)  # the storm happened and was ridden out
        async with db.session() as s:
            b = (await s.exec(select(Broadcast))).one()
            assert b.status == "done" and b.report_sent
            idents = (await s.exec(select(Identity).where(Identity.chat_id.in_([str(c) for c in blocked])))).all()  # type: ignore
            assert [i.active for i in idents] == [False, False]
    tg.assert_clean()


async def test_officer_outside_scope_is_refused_and_audited(db_url: str, tg: FakeTelegram) -> None:
    async with running_bot(settings_for(db_url, tg)) as bot:
        db = bot.runtime.services.db
        mine = await add_group(db, "Xã Gia Viễn", "locality", province="Ninh Bình", commune="Gia Viễn")
        theirs = await add_group(db, "Hà Nội", "locality", province="Hà Nội")
        await seed_subscribers(db, 3, first_chat=730_000, province="Hà Nội")
        from bot.db.models_officers import Officer, OfficerScope

        async with db.session() as s:
            off = Officer(channel="telegram", external_id=str(OFFICER), role="officer", name="Cán bộ xã")
            s.add(off)
            await s.flush()
            assert off.id is not None
            s.add(OfficerScope(officer_id=off.id, kind="commune", value="Gia Viễn|Ninh Bình"))
        officer = tg.user(OFFICER, "Cán bộ xã")
        await officer.send("/thongbao")
        await officer.wait_for(1)
        await officer.send("Họp chi hội tối nay")
        await officer.wait_for(lambda m: f"bcg|{mine}" in _datas(m[-1:]))
        assert f"bcg|{theirs}" not in _datas(officer.messages()[-1:])  # sees only the own scope
        # a forged press outside the scope (e.g. an old button) is refused and audited
        tg.emit("callback_query", {
            "id": "99", "from": officer.user_json(), "chat_instance": "1", "data": f"bcg|{theirs}",
            "message": officer.chat.messages[max(officer.chat.messages)]["json"],
        })
        await officer.wait_for(lambda m: "ngoài phạm vi" in (m[-1]["text"] or ""))
        citizen = tg.user(5550003, "Dân")
        await citizen.send("/thongbao")
        await citizen.wait_for(lambda m: "chỉ dành cho cán bộ" in (m[-1]["text"] or "") if m else False)
        async with db.session() as s:
            refusals = (await s.exec(select(AuditLog).where(AuditLog.allowed == False))).all()  # noqa: E712
        assert {r.actor for r in refusals} == {f"telegram:{OFFICER}", "telegram:5550003"}
        assert tg.sent_to(730_000) == 0
