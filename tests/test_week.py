"""/tuanle: countdown, theme, local events and the “Nhắc tôi” button; the Week plan from the command line."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from bot.app import build_runtime
from bot.core.context import Services
from bot.core.delivery import SentInfo
from bot.core.messages import Inbound, Kind, Reply
from bot.db.models import Group, Membership
from bot.db.models_campaigns import Campaign, WeekEvent
from content.provinces import provinces
from tests.conftest import make_settings
from tests.test_campaigns import cli

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class Chat:
    """A citizen talking to the real dispatcher (web chat channel), with a movable clock."""

    def __init__(self, services: Services, now: dt.datetime, channel: str = "web") -> None:
        self.now = now
        self.channel = channel
        services.clock = lambda: self.now
        self.rt = build_runtime(services, with_platforms=False)
        self.replies: list[Reply] = []
        self.n = 0

    async def _send(self, msg: Inbound) -> list[Reply]:
        async def send(reply: Reply) -> SentInfo:
            return SentInfo()

        self.n += 1
        self.replies = await self.rt.dispatcher.handle(msg, send)
        return self.replies

    async def says(self, text: str) -> str:
        command, args = None, ""
        if text.startswith("/"):
            command, _, args = text[1:].partition(" ")
        await self._send(Inbound(self.channel, "u1", text=text, command=command, args=args, raw_id=f"e{self.n}"))
        return self.text()

    async def press(self, data: str) -> str:
        await self._send(Inbound(self.channel, "u1", kind=Kind.CALLBACK, choice=data, raw_id=f"e{self.n}"))
        return self.text()

    def text(self) -> str:
        return "\n".join(r.text for r in self.replies)

    def buttons(self) -> dict[str, str]:
        return {c.label: c.data for r in self.replies for c in r.choices}

    async def onboard(self, province: str) -> None:
        await self.says("/start")
        await self.press("consent|y")
        idx = next(i for i, p in enumerate(provinces()) if p.name == province)
        await self.press(f"prov|{idx}")
        await self.press("commune|-")


def local(y: int, m: int, d: int, h: int = 9) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=TZ).astimezone(dt.UTC)


async def test_week_shows_countdown_theme_and_purpose(services: Services) -> None:
    chat = Chat(services, local(2026, 9, 24))
    text = await chat.says("/tuanle")
    assert "Còn 7 ngày nữa" in text and "1/10/2026" in text and "7/10/2026" in text
    assert "Chủ đề năm 2026 sẽ được công bố sau" in text
    assert "học tập suốt đời" in text.lower()
    chat.now = local(2022, 9, 30)
    text = await chat.says("tuan le hoc tap")  # the menu label typed without accents
    assert "Ngày mai bắt đầu" in text
    assert "Thúc đẩy chuyển đổi số phục vụ học tập suốt đời sau đại dịch COVID-19" in text
    chat.now = local(2020, 10, 3)
    text = await chat.says("/week")
    assert "ngày thứ 3" in text and "Chuyển đổi số thúc đẩy học tập suốt đời" in text
    chat.now = local(2026, 10, 8)  # just after: the next year's Week
    assert "1/10/2027" in await chat.says("/tuanle")


async def test_local_events_and_remind_me(services: Services) -> None:
    here, there = provinces()[0].name, provinces()[1].name
    async with services.db.session() as s:
        s.add(WeekEvent(title="Ngày hội đọc sách", date=dt.date(2026, 10, 2), place="Nhà văn hóa", province=here))
        s.add(WeekEvent(title="Hội thi tin học", date=dt.date(2026, 10, 3), province=there))
        s.add(WeekEvent(title="Lễ khai mạc toàn quốc", date=dt.date(2026, 10, 1)))
        s.add(WeekEvent(title="Năm ngoái", date=dt.date(2025, 10, 1)))
    chat = Chat(services, local(2026, 9, 28))
    await chat.onboard(here)
    text = await chat.says("/tuanle")
    assert "Ngày hội đọc sách — Nhà văn hóa" in text and "Lễ khai mạc toàn quốc" in text
    assert "Hội thi tin học" not in text and "Năm ngoái" not in text
    assert "Còn 3 ngày nữa" in text
    assert (await chat.press(chat.buttons()["🔔 Nhắc tôi"])).startswith("🔔 Đã xong")
    async with services.db.session() as s:
        group = (await s.exec(select(Group).where(Group.name == "tuanle"))).one()
        members = (await s.exec(select(Membership).where(Membership.group_id == group.id))).all()
    assert len(members) == 1
    await chat.says("/tuanle")
    assert "🔕 Thôi nhắc" in chat.buttons()
    assert "Đã thôi nhắc" in await chat.press(chat.buttons()["🔕 Thôi nhắc"])


def test_week_plan_and_event_from_the_command_line(tmp_path: Any, capsys: Any) -> None:
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'w.db'}")
    main = cli(settings)
    assert main(["campaign", "week-plan", "--year", "2027"]) == 0
    out = capsys.readouterr().out
    assert "Đã tạo 9 lời nhắc cho Tuần lễ 2027" in out and "7 ngày trước Tuần lễ 2027, 08:00" in out
    assert main(["week", "event", "add", "--title", "Ngày hội", "--date", "2027-10-02", "--province", "Hà Nội",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["event_id"] == 1
    assert main(["week", "event", "add", "--title", "x", "--date", "2/10"]) == 2
    plan, group, reminders = asyncio.run(_stored_plan(settings))
    assert [c.text for c in plan] == [
        reminders[k] for k in ["before_7", "before_1"] + [f"day_{i}" for i in range(1, 8)]
    ]
    assert all(c.groups == json.dumps([group.id]) and c.year == 2027 for c in plan)


async def _stored_plan(settings: Any) -> tuple[list[Campaign], Group, dict[str, str]]:
    from bot.app import build_services

    svc = await build_services(settings)
    async with svc.db.session() as s:
        plan = list((await s.exec(select(Campaign).order_by(col(Campaign.id)))).all())
        group = (await s.exec(select(Group).where(Group.name == "tuanle"))).one()
    await svc.db.dispose()
    return plan, group, svc.catalog.week.reminders


async def test_officer_campaigns_in_chat_within_scope(services: Services) -> None:
    from bot.db.models import AuditLog
    from bot.db.models_officers import Officer, OfficerScope

    async with services.db.session() as s:
        s.add(Group(name="Xã A, Ninh Bình", kind="code"))
        s.add(Group(name="xa_b", kind="code"))
        officer = Officer(channel="telegram", external_id="u1", role="officer", name="Cán bộ A")
        s.add(officer)
        await s.flush()
        assert officer.id is not None
        s.add(OfficerScope(officer_id=officer.id, kind="group", value="Xã A, Ninh Bình"))
    chat = Chat(services, local(2026, 9, 20), channel="telegram")  # web chat accounts cannot be officers
    await chat.onboard(provinces()[0].name)
    text = await chat.says("/chiendich them Xã A, Ninh Bình | 2026-09-24 08:00 | Mai học bài mới nhé!")
    assert "Đã thêm lịch nhắc #1" in text and "2026-09-24 08:00" in text
    text = await chat.says("/chiendich them Xã A, Ninh Bình | tuanle-1 19:30 | Mai khai mạc Tuần lễ!")
    assert "2026-09-30 19:30" in text
    assert "ngoài phạm vi" in await chat.says("/chiendich them xa_b | 2026-09-24 08:00 | Không được")
    assert "ngoài phạm vi" in await chat.says("/chiendich them all | 2026-09-24 08:00 | Không được")
    text = await chat.says("/chiendich")
    assert "#1" in text and "#2" in text and "lần tới: 2026-09-24 08:00" in text
    assert "chưa đúng" in await chat.says("/chiendich them Xã A, Ninh Bình | mai | x")
    assert "Đã xoá lịch nhắc #1" in await chat.says("/chiendich xoa 1")
    async with services.db.session() as s:
        left = (await s.exec(select(Campaign))).all()
        refused = (await s.exec(select(AuditLog).where(col(AuditLog.allowed).is_(False)))).all()
    assert [c.id for c in left] == [2] and len(refused) == 2
    chat2 = Chat(services, local(2026, 9, 20))
    # a citizen on another account is refused
    await chat2._send(Inbound("web", "u2", text="/chiendich", command="chiendich", raw_id="x1"))
    assert "#2" not in chat2.text()


async def test_an_officer_sets_the_coming_week_and_tuanle_shows_it(services: Services) -> None:
    from bot.db.models import AuditLog
    from handlers.week.service import set_week

    chat = Chat(services, local(2027, 9, 20))
    assert "Chủ đề năm 2027 sẽ được công bố sau" in await chat.says("/tuanle")
    async with services.db.session() as s:
        await set_week(s, "cli", 2027, dt.date(2027, 10, 5), dt.date(2027, 10, 11), "Học để làm chủ công nghệ")
    text = await chat.says("/tuanle")
    assert "5/10/2027" in text and "11/10/2027" in text and "Còn 15 ngày nữa" in text
    assert "Chủ đề năm 2027: “Học để làm chủ công nghệ”" in text
    chat.now = local(2027, 10, 10)
    assert "ngày thứ 6" in await chat.says("/tuanle")  # still running on 10/10 that year, not over on 7/10
    chat.now = local(2025, 9, 28)  # a curated year shows the theme the sources confirm
    assert "Học để phát triển bản thân, làm chủ tri thức và công nghệ" in await chat.says("/tuanle")
    async with services.db.session() as s:
        [log] = (await s.exec(select(AuditLog).where(AuditLog.action == "week.set"))).all()
    assert log.actor == "cli" and '"theme": "Học để làm chủ công nghệ"' in log.detail


def test_week_set_and_show_from_the_command_line(tmp_path: Any, capsys: Any) -> None:
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'w.db'}")
    main = cli(settings)
    args = ["week", "set", "--year", "2027", "--start", "2027-10-01", "--end", "2027-10-07", "--theme", "Chủ đề 2027"]
    assert main([*args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"year": 2027, "start": "2027-10-01", "end": "2027-10-07",
                                                   "theme": "Chủ đề 2027"}  # fmt: skip
    assert main(["week", "set", "--year", "2027", "--start", "2028-10-01", "--end", "2028-10-07"]) == 2
    assert "phải thuộc năm 2027" in capsys.readouterr().err
    assert main(["week", "set", "--year", "2027", "--start", "1/10", "--end", "7/10"]) == 2
    assert main(["week", "show", "--json"]) == 0
    shown = {d["year"]: d for d in json.loads(capsys.readouterr().out)}
    assert shown[2027]["set_by_officer"] and shown[2027]["theme"] == "Chủ đề 2027"
    assert shown[2023]["start"] == "2023-10-02" and not shown[2023]["set_by_officer"]
