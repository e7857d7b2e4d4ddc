"""A commune officer's first day (issue 15): set up the documented way (`hocbot officer add … --province …
--commune …`), they plan reminders and the Week from the dashboard and the CLI, and every surface gives the same
number of people who receive messages."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
from typing import Any

import aiohttp
import pytest
from sqlmodel import col, select

from bot.cli import main
from bot.core.delivery import SentInfo
from bot.core.messages import Inbound, Kind, Reply
from bot.db.engine import Database
from bot.db.models import Group, Identity, User, utcnow
from bot.db.models_campaigns import Campaign
from bot.db.models_officers import Broadcast, Delivery
from bot.web.dashboard.cache import cache_of
from bot.web.dashboard.summary import keeper_of
from tests.conftest import make_settings
from tests.harness import running_bot
from tests.test_dashboard_http import Dash, client, link_for

OFFICER = 7770111
UNIT = "Gia Viễn, Ninh Bình"  # the unit group `officer add --commune` makes: a comma in its name


@pytest.fixture
def cli(db_url: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Any:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.chdir(tmp_path)

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


async def acli(cli: Any, *argv: str) -> tuple[int, str, str]:
    """The CLI from inside a running bot's test (it runs its own event loop)."""
    return await asyncio.to_thread(cli, *argv)  # type: ignore[no-any-return]


class OfficerChat:
    """The officer on Telegram, talking to the running bot's dispatcher (no platform in between)."""

    def __init__(self, bot: Any) -> None:
        self.dispatcher = bot.runtime.dispatcher
        self.replies: list[Reply] = []
        self.n = 0

    async def _send(self, **fields: Any) -> str:
        async def send(reply: Reply) -> SentInfo:
            return SentInfo()

        self.n += 1
        msg = Inbound("telegram", str(OFFICER), raw_id=f"o{self.n}", **fields)
        self.replies = await self.dispatcher.handle(msg, send)
        return "\n".join(r.text for r in self.replies)

    async def says(self, text: str) -> str:
        if text.startswith("/"):
            command, _, args = text[1:].partition(" ")
            return await self._send(text=text, command=command, args=args)
        return await self._send(text=text)

    async def press(self, label_part: str) -> str:
        data = next(c.data for r in self.replies for c in r.choices if label_part in c.label)
        return await self._send(kind=Kind.CALLBACK, choice=data)


async def officer_dash(bot: Any, http: aiohttp.ClientSession) -> Dash:
    d = Dash(bot.url, http)
    await d.login(await link_for(bot, OFFICER))
    return d


async def unit_id(db: Database) -> int:
    async with db.session() as s:
        gid = (await s.exec(select(Group.id).where(Group.name == UNIT))).one()
    assert gid is not None
    return gid


async def test_commune_officer_plans_the_week_and_reminders_in_dashboard_and_cli(db_url: str, cli: Any) -> None:
    code, out, _ = await acli(cli, "officer", "add", f"telegram:{OFFICER}", "--name", "Nguyễn Văn Cán",
                              "--province", "Ninh Bình", "--commune", "Gia Viễn")  # fmt: skip
    assert code == 0
    assert out.startswith("Đã thêm cán bộ #1 Nguyễn Văn Cán (telegram:7770111), phụ trách xã/phường Gia Viễn, ")
    async with running_bot(make_settings(db_url)) as bot, client() as http:
        db = bot.runtime.services.db
        gid = await unit_id(db)
        d = await officer_dash(bot, http)
        page = await d.get("/dashboard/campaigns")
        year = re.search(r'name="year" value="(\d{4})"', page)
        assert year is not None and f'<option value="{gid}">{UNIT}</option>' in page
        await d.post("/dashboard/campaigns/week-plan", {"year": year.group(1), "group": str(gid)})  # was 400
        page = await d.get("/dashboard/campaigns")
        assert page.count('data-testid="campaign-row"') == 9
        assert f"Tuần lễ {year.group(1)} — 7 ngày trước" in page and "before_7" not in page and "day_7" not in page
        reminders = bot.runtime.services.catalog.week.reminders
        assert reminders["before_7"] in page and reminders["day_7"] in page  # each reminder's text is shown
        await d.post("/dashboard/campaigns/week-plan", {"year": year.group(1), "group": str(gid)}, status=400)
        assert "đã có rồi" in d.html

        await d.get("/dashboard/campaigns/new")
        await d.post("/dashboard/campaigns/new", {"name": "Họp chi hội", "text": "Họp chi hội sáng thứ Hai",
                                                  "group": str(gid), "kind": "cron", "cron": "0 8 * * 1"})  # fmt: skip
        async with db.session() as s:
            mine = (await s.exec(select(Campaign).where(Campaign.name == "Họp chi hội"))).one()
        assert json.loads(mine.groups) == [gid]

        # m10: a reminder's text can be changed (dashboard) …
        async with db.session() as s:
            first = (await s.exec(select(Campaign).order_by(col(Campaign.id)))).first()
        assert first is not None
        page = await d.get(f"/dashboard/campaigns/{first.id}/edit")
        assert reminders["before_7"] in page
        await d.post(f"/dashboard/campaigns/{first.id}/edit", {"name": first.name, "text": "", "hour": "8",
                                                                "minute": "0"}, status=400)  # fmt: skip
        await d.post(f"/dashboard/campaigns/{first.id}/edit", {"name": first.name, "text": "Còn 7 ngày nữa!",
                                                                "hour": "19", "minute": "30"})  # fmt: skip
        page = await d.get("/dashboard/campaigns")
        assert "Còn 7 ngày nữa!" in page and "7 ngày trước Tuần lễ " + year.group(1) + ", 19:30" in page

        # … and the CLI: the same unit by its exact name (with its comma) or by its id
        code, _, err = await acli(cli, "campaign", "week-plan", "--year", year.group(1), "--to", UNIT)
        assert code == 2 and "đã có rồi" in err  # refused in the CLI too (m9)
        code, out, err = await acli(cli, "campaign", "week-plan", "--year", str(int(year.group(1)) + 1), "--to", UNIT)
        assert code == 0, err
        assert "Đã tạo 9 lời nhắc" in out and reminders["day_1"] in out
        code, out, err = await acli(cli, "campaign", "add", "--name", "Nhắc học", "--to", str(gid), "--text",
                                    "Học bài mới nhé", "--cron", "0 19 * * 5")  # fmt: skip
        assert code == 0, err
        code, _, err = await acli(cli, "campaign", "add", "--name", "x", "--to", "Gia Viễn", "--text", "t",
                                  "--cron", "0 19 * * 5")  # fmt: skip
        assert code == 2 and "Không có nhóm" in err and "Gia Viễn" in err
        code, out, _ = await acli(cli, "campaign", "edit", str(first.id), "--text", "Một tuần nữa là Tuần lễ!")
        assert code == 0 and "Một tuần nữa là Tuần lễ!" in out
        code, out, _ = await acli(cli, "campaign", "list")
        assert "Một tuần nữa là Tuần lễ!" in out and reminders["day_7"] in out and "before_7" not in out
        async with db.session() as s:
            rows = (await s.exec(select(Campaign))).all()
        assert len(rows) == 9 + 1 + 9 + 1 and all(json.loads(c.groups) == [gid] for c in rows)


async def seed_audience(db: Database) -> dict[str, int]:
    """Gia Viễn: 3 Telegram users, one person with Telegram AND Zalo, one who blocked the bot, one whose account
    was deleted (the pacer marks it inactive), one who deleted their data, one unsubscribed, one who never
    consented, one web-chat-only user; and one Telegram user in another commune."""
    now = utcnow()
    plan = [("tg", 3), ("linked", 1), ("blocked", 1), ("gone", 1), ("deleted", 1), ("unsub", 1), ("noconsent", 1),
            ("web", 1), ("other", 1)]  # fmt: skip
    made: dict[str, int] = {}
    n = 0
    async with db.session() as s:
        for kind, count in plan:
            made[kind] = count
            for _ in range(count):
                n += 1
                u = User(display_name=f"U{n}", consent_at=None if kind == "noconsent" else now, province="Ninh Bình",
                         commune="Gia Hưng" if kind == "other" else "Gia Viễn", subscribed=kind != "unsub",
                         deleted_at=now if kind == "deleted" else None)  # fmt: skip
                s.add(u)
                await s.flush()
                assert u.id is not None
                channel = "web" if kind == "web" else "telegram"
                s.add(Identity(user_id=u.id, channel=channel, external_id=f"x{n}", chat_id=f"{900_000 + n}",
                               active=kind not in ("blocked", "gone")))  # fmt: skip
                if kind == "linked":
                    s.add(Identity(user_id=u.id, channel="zalo_bot", external_id=f"z{n}", chat_id=f"z{n}"))
    return made


async def test_every_surface_counts_the_same_people(db_url: str, cli: Any) -> None:
    """3 + the linked person + the web-chat user (the page shows pushed messages) = 5 receive messages; blocked,
    gone, deleted, unsubscribed, unconsented and the other commune do not. The chat preview, /thongke, the
    dashboard cards, unit row, group page and draft, `hocbot stats`, `hocbot group list`, `hocbot export
    subscribers`, the queued deliveries and /metrics (each person once, on the channel they get messages on) all
    say 5."""
    want = 5
    async with running_bot(make_settings(db_url)) as bot, client() as http:
        db = bot.runtime.services.db
        officer_chat = OfficerChat(bot)
        code, _, err = await acli(cli, "officer", "add", f"telegram:{OFFICER}", "--province", "Ninh Bình",
                                  "--commune", "Gia Viễn")  # fmt: skip
        assert code == 0, err
        await seed_audience(db)
        gid = await unit_id(db)
        cache_of(bot.runtime.services).clear()

        assert f"• {UNIT}: {want}" in await officer_chat.says("/thongke")
        await officer_chat.says("/thongbao")
        await officer_chat.says("Họp chi hội tối nay")
        await officer_chat.press(UNIT)
        assert f"Gửi tới {want} người" in await officer_chat.press("Xong")

        d = await officer_dash(bot, http)
        overview = await d.get("/dashboard/")
        assert re.search(r'id="stat-subscribers".*?>\s*' + str(want) + r"\s*<", overview, re.S)
        row = overview.split(f'data-group-id="{gid}"')[1].split("</tr>")[0]
        assert re.search(rf'<td class="num">{want}</td>', row)
        page = await d.get(f"/dashboard/groups/{gid}")
        assert f'id="recipient-count">{want}<' in page
        assert re.search(r'id="stat-subscribers".*?>\s*' + str(want) + r"\s*<", page, re.S)
        await d.get("/dashboard/broadcasts/new")
        resp = await d.post("/dashboard/broadcasts/new", {"text": "Họp thôn", "group": str(gid)})
        assert f'id="recipient-count">{want}<' in await d.get(resp.headers["Location"])

        code, out, _ = await acli(cli, "stats", "--json")
        stats = json.loads(out)
        assert stats["subscribers"] == want + 1  # and the Telegram user of the other commune
        assert {g["name"]: g["subscribers"] for g in stats["groups"]}[UNIT] == want
        code, out, _ = await acli(cli, "group", "list", "--json")
        assert {g["name"]: g["subscribers"] for g in json.loads(out)}[UNIT] == want
        code, out, _ = await acli(cli, "export", "subscribers")
        assert len(list(csv.reader(io.StringIO(out)))) == 1 + want + 1
        code, out, err = await acli(cli, "broadcast", "send", "--to", UNIT, "--text", "Họp", "--yes", "--json")
        assert code == 0, err
        bid = json.loads(out)["broadcast_id"]
        assert json.loads(out)["recipients"] == want
        async with db.session() as s:
            rows = (await s.exec(select(Delivery.user_id).where(Delivery.broadcast_id == bid))).all()
            b = await s.get(Broadcast, bid)
        assert len(rows) == len(set(rows)) == want and b is not None and b.recipients == want  # one per person

        from functools import partial

        from handlers.officers.audience import db_gauges
        from tests.test_ops_metrics import scrape

        await bot.runtime.services.metrics.refresh(partial(db_gauges, db), force=True)
        m = await scrape(bot.url)
        per_channel = {dict(labels)["channel"]: n for (name, labels), n in m.items() if name == "hocbot_subscribers"}
        assert sum(per_channel.values()) == want + 1, per_channel  # the linked person counts once, not twice


def test_a_broadcast_to_nobody_is_refused_by_the_cli_as_by_the_dashboard(db_url: str, cli: Any) -> None:
    code, _, _ = cli("group", "add", "Xã Gia Viễn", "--kind", "locality", "--province", "Ninh Bình",
                     "--commune", "Gia Viễn")  # fmt: skip
    assert code == 0
    code, out, err = cli("broadcast", "send", "--to", "Xã Gia Viễn", "--text", "Họp", "--yes")
    assert code == 1 and "chưa có ai nhận tin" in err and "Chưa gửi gì cả" in err
    code, out, _ = cli("stats", "--json")
    assert json.loads(out)["broadcasts"] == []  # nothing was created


def stat(page: str, card: str) -> int:
    m = re.search(rf'id="{card}".*?>\s*([\d.]+)\s*<', page, re.S)
    assert m is not None, card
    return int(m.group(1).replace(".", ""))


async def test_learned_and_answered_numbers_mean_what_the_citizen_sees_and_a_thumbs_down_stays_open(
    db_url: str, cli: Any
) -> None:
    """“Học xong” on the dashboard is /tiendo's “Mô-đun đã xong” (lessons read AND quiz passed); “Đã trả lời”
    leaves out an answer the citizen marked 👎; `hocbot faq unanswered` lists that 👎 every time and closes
    nothing (M5, m7)."""
    from bot.db.models_faq import UnansweredQuestion
    from bot.db.models_learning import LessonProgress, QuizAttempt
    from tests.harness import WebUser
    from tests.test_dashboard_http import ADMIN, logged_in, settings_for

    async with running_bot(settings_for(db_url)) as bot, client() as http, aiohttp.ClientSession() as chat:
        services = bot.runtime.services
        citizen = WebUser(bot.url, chat)
        for text in ("/start", "dong y", "ninh binh", "gia vien"):
            await citizen.says(text)
        await citizen.says("tuan le hoc tap la gi")
        await citizen.press("👍")
        await citizen.says("/hoi hoc AI o dau mien phi")
        assert "Nguồn:" in citizen.last_reply()
        await citizen.press("👎")
        async with services.db.session() as s:
            uid = (await s.exec(select(User.id).where(col(User.consent_at).is_not(None)))).one()
            m1 = services.catalog.modules[0]
            s.add(LessonProgress(user_id=uid, module_id=m1.id, seen=len(m1.lessons), completed_at=services.now()))
        d = await logged_in(bot, http, ADMIN)
        await keeper_of(services).refresh(due_after=0)  # what the background step does within the minute
        page = await d.get("/dashboard/")
        await citizen.says("/tiendo")
        assert f"Mô-đun đã xong: 0/{len(services.catalog.modules)}" in citizen.last_reply()
        assert stat(page, "stat-completed") == 0  # every lesson read, the quiz not passed: not done in /tiendo
        assert (stat(page, "stat-answered"), stat(page, "stat-unanswered")) == (1, 1)

        async with services.db.session() as s:
            s.add(QuizAttempt(user_id=uid, module_id=m1.id, question_ids="[]", total=5, correct=5, score=100,
                              finished_at=services.now()))  # fmt: skip
        await keeper_of(services).refresh(due_after=0)
        page = await d.get("/dashboard/")
        await citizen.says("/tiendo")
        assert f"Mô-đun đã xong: 1/{len(services.catalog.modules)}" in citizen.last_reply()
        assert stat(page, "stat-completed") == 1

        for _ in range(2):  # a listing, twice: the 👎 is listed both times and stays open
            code, out, _ = await acli(cli, "faq", "unanswered")
            assert code == 0 and "hoc AI o dau mien phi" in out and "👎" in out
        async with services.db.session() as s:
            row = (await s.exec(select(UnansweredQuestion).where(UnansweredQuestion.reason == "disliked"))).one()
        assert row.status == "open"
        assert "hoc AI o dau mien phi" in await d.get("/dashboard/questions")


def test_delivery_reasons_are_classified_once_in_vietnamese() -> None:
    from handlers.officers.reasons import classify, refused_state

    assert refused_state("403 Forbidden: user is deactivated") == "gone"
    assert refused_state("403 Forbidden: bot was blocked by the user") == "blocked"
    assert refused_state("400 Bad Request: chat not found") == "gone"
    assert classify("gone", "403 Forbidden: user is deactivated").label == "tài khoản đã bị xoá"
    assert classify("blocked", "403 Forbidden: bot was blocked by the user").label == "đã chặn bot"
    assert classify("failed", "network: Timed out").label == "lỗi mạng hoặc máy chủ của nền tảng"
    assert classify("skipped", "cancelled").label == "cán bộ đã dừng gửi"
    from handlers.officers.reasons import skip_label

    assert skip_label("daily cap") == "đã nhận đủ tin nhắc trong ngày"  # a campaign's skips, in Vietnamese too
    assert skip_label("missed: 7.0 h late (grace 6 h)") == "quá giờ gửi (máy chủ không chạy lúc đó)"


async def test_a_deleted_account_is_reported_as_deleted_not_as_blocked(db_url: str) -> None:
    """m8: “403 Forbidden: user is deactivated” is “Tài khoản đã bị xoá” in the chat report, the dashboard page and
    the CSV; “bot was blocked” stays “Đã chặn bot”; no English reaches officers."""
    from bench.broadcast import add_group, seed_subscribers
    from handlers.officers import outbox
    from tests.fakes.telegram_server import FakeTelegram
    from tests.test_dashboard_http import ADMIN, logged_in, settings_for

    async with FakeTelegram() as tg, running_bot(settings_for(db_url, tg)) as bot, client() as http:
        db = bot.runtime.services.db
        await add_group(db, "Ninh Bình", "locality", province="Ninh Bình")
        ok, blocked, gone = await seed_subscribers(db, 3, first_chat=880_000)
        for chat, fate in ((ok, None), (blocked, "blocked"), (gone, "deactivated")):
            tg.set_fate(chat, fate)
        admin = tg.user(ADMIN, "Quản trị")
        async with db.session() as s:
            b = await outbox.create_broadcast(s, text="Họp", created_by=f"telegram:{ADMIN}", group_ids="all",
                                              report_channel="telegram", report_chat_id=str(ADMIN))  # fmt: skip
            await outbox.queue_broadcast(s, b)
        bot.runtime.pacer.wake()
        await admin.wait_for(lambda m: "Kết quả thông báo" in (m[-1]["text"] or "") if m else False, timeout=15)
        report = admin.messages()[-1]["text"]
        assert "🚫 Đã chặn bot: 1" in report and "🗑 Tài khoản đã bị xoá: 1" in report and "Forbidden" not in report
        d = await logged_in(bot, http, ADMIN)
        page = await d.get(f"/dashboard/broadcasts/{b.id}")
        assert 'id="count-blocked">1<' in page and 'id="count-gone">1<' in page
        table = page.split('id="report-table"')[1].split("</table>")[0]
        assert "Tài khoản đã bị xoá" in table and "tài khoản đã bị xoá" in table and "đã chặn bot" in table
        assert "Forbidden" not in table and "deactivated" not in table
        async with http.get(f"{bot.url}/dashboard/broadcasts/{b.id}/report.csv") as resp:
            body = (await resp.read()).decode("utf-8-sig")
        gone_row = next(r for r in csv.reader(io.StringIO(body)) if r[1] == f"U{gone}")
        assert gone_row[3:6] == ["Tài khoản đã bị xoá", "1", "tài khoản đã bị xoá"]


LOCAL_Q = "Lớp học AI ở nhà văn hoá xã mở lúc mấy giờ?"
LOCAL_A = "Lớp Bình dân học AI ở Nhà văn hoá xã Gia Viễn học 8 giờ sáng Chủ nhật; gọi chị Hoa, chi hội thôn Đông."


async def test_an_approved_commune_answer_is_served_only_in_that_commune(db_url: str) -> None:
    """M4: the Gia Viễn officer's answer, approved as proposed, reaches Gia Viễn and not Ba Đình (Hà Nội); an admin
    can widen an answer to everyone when approving."""
    from bot.db.models_dashboard import FaqProposal
    from bot.db.models_faq import record_unanswered
    from tests.harness import WebUser
    from tests.test_dashboard_http import ADMIN, add_officer, logged_in, settings_for

    async def citizen(http: aiohttp.ClientSession, province: str, commune: str) -> WebUser:
        u = WebUser(bot.url, http)
        for text in ("/start", "dong y", province, commune):
            await u.says(text)
        return u

    async with running_bot(settings_for(db_url)) as bot, client() as h1, client() as h2, \
            aiohttp.ClientSession() as chat:  # fmt: skip
        db = bot.runtime.services.db
        async with db.session() as s:
            q = await record_unanswered(s, LOCAL_Q, "unknown")
        await add_officer(db, OFFICER, "Gia Viễn")
        officer = await logged_in(bot, h1, OFFICER)
        await officer.get("/dashboard/questions")
        await officer.post("/dashboard/questions/propose", [("question", LOCAL_Q), ("answer", LOCAL_A),
                                                            ("ids", str(q.id))])  # fmt: skip
        async with db.session() as s:
            p = (await s.exec(select(FaqProposal))).one()
        assert (p.scope_province, p.scope_commune) == ("Ninh Bình", "Gia Viễn")
        admin = await logged_in(bot, h2, ADMIN)
        page = await admin.get("/dashboard/questions")
        assert "xã/phường Gia Viễn, Ninh Bình" in page and f'id="scope-{p.id}"' in page
        row = page.split(f'data-proposal-id="{p.id}"')[1].split("</tr>")[0]
        assert '<td data-testid="proposal-writer">Cán bộ Gia Viễn</td>' in row  # the officer's name, not an id
        await admin.post(f"/dashboard/questions/proposals/{p.id}/approve", {"scope": "unit"})

        gia_vien, ba_dinh = await citizen(chat, "ninh binh", "Gia Viễn"), await citizen(chat, "ha noi", "Ba Đình")
        await gia_vien.says("lop hoc AI o nha van hoa xa mo luc may gio")
        assert LOCAL_A in gia_vien.all_text()
        await gia_vien.says("lớp học AI ở xã mình mở lúc mấy giờ vậy")  # "our commune's": the place's own answer
        assert LOCAL_A in gia_vien.all_text() and "mình chưa có" not in gia_vien.all_text()
        await ba_dinh.says("lop hoc AI o nha van hoa xa mo luc may gio")
        assert LOCAL_A not in ba_dinh.all_text() and "Gia Viễn" not in ba_dinh.all_text()

        async with db.session() as s:  # an answer good for everyone: the admin widens it when approving
            q2 = await record_unanswered(s, "Thẻ thư viện xã có mất phí không?", "unknown")
        await officer.get("/dashboard/questions")
        await officer.post("/dashboard/questions/propose", [("question", "Thẻ thư viện xã có mất phí không?"),
                                                            ("answer", "Không mất phí: thẻ thư viện xã miễn phí."),
                                                            ("ids", str(q2.id))])  # fmt: skip
        async with db.session() as s:
            p2 = (await s.exec(select(FaqProposal).where(FaqProposal.id != p.id))).one()
        await admin.get("/dashboard/questions")
        await admin.post(f"/dashboard/questions/proposals/{p2.id}/approve", {"scope": "all"})
        await ba_dinh.says("the thu vien xa co mat phi khong")
        assert "thẻ thư viện xã miễn phí" in ba_dinh.all_text()


async def test_existing_answers_get_their_writers_unit_when_migrated(empty_db_url: str) -> None:
    """The migration scopes answers approved before it: a commune officer's to that commune, an admin's stays for
    everyone."""
    from sqlalchemy import text

    from bot.db.migrate import upgrade

    db = Database(empty_db_url)
    try:
        await upgrade(db, "9e3a5f0c7b21")
        async with db.engine.begin() as conn:
            await conn.execute(text("INSERT INTO officers (id, channel, external_id, role, name, created_at) VALUES "
                                    "(1, 'telegram', '111', 'officer', 'Cán', '2026-01-01'),"
                                    "(2, 'telegram', '222', 'admin', 'QTV', '2026-01-01')"))
            await conn.execute(text("INSERT INTO officer_scopes (officer_id, kind, value) VALUES "
                                    "(1, 'commune', 'Gia Viễn|Ninh Bình')"))
            for pid, actor in ((1, "telegram:111"), (2, "telegram:222")):
                await conn.execute(text(
                    "INSERT INTO faq_proposals (id, question, answer, unanswered_ids, proposed_by, status, created_at) "
                    f"VALUES ({pid}, 'q', 'a', '[]', '{actor}', 'approved', '2026-01-01')"))
        await upgrade(db)
        async with db.engine.connect() as conn:
            rows = (await conn.execute(text(
                "SELECT id, scope_province, scope_commune FROM faq_proposals ORDER BY id"))).all()
        assert [tuple(r) for r in rows] == [(1, "Ninh Bình", "Gia Viễn"), (2, None, None)]
    finally:
        await db.dispose()


async def test_old_week_plan_reminders_get_readable_names(empty_db_url: str) -> None:
    """m10: reminders a Week plan made before this change are renamed (“Tuần lễ 2027: before_7” → “… — 7 ngày
    trước”), so no list shows slug names."""
    from sqlalchemy import text

    from bot.db.migrate import upgrade
    from handlers.week.campaign_store import WEEK_PLAN, plan_label

    db = Database(empty_db_url)
    try:
        await upgrade(db, "a7c4e2f81d30")
        async with db.engine.begin() as conn:
            for i, (key, _) in enumerate(WEEK_PLAN, 1):
                await conn.execute(text(
                    "INSERT INTO campaigns (id, name, groups, text, kind, offset_days, hour, minute, year, paused, "
                    f"created_by, created_at) VALUES ({i}, 'Tuần lễ 2027: {key}', 'all', 't', 'week', 0, 8, 0, 2027, "
                    "false, 'cli', '2026-01-01')"))
        await upgrade(db)
        async with db.engine.connect() as conn:
            names = (await conn.execute(text("SELECT name FROM campaigns ORDER BY id"))).scalars().all()
        assert names == [f"Tuần lễ 2027 — {plan_label(offset)}" for _, offset in WEEK_PLAN]
    finally:
        await db.dispose()
