"""The officers' web dashboard over HTTP (aiohttp's client, no browser): one-time login links, CSRF, scope,
a broadcast composed and confirmed in the browser pages and delivered against the fake Telegram server,
report downloads, campaigns, and an officer's FAQ answer that becomes searchable once an admin approves it."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from openpyxl import load_workbook
from sqlmodel import col, select
from yarl import URL

from bench.broadcast import add_group, seed_subscribers
from bot.core.context import Services
from bot.db.engine import Database
from bot.db.models import AuditLog, Identity
from bot.db.models_campaigns import Campaign
from bot.db.models_dashboard import FaqProposal
from bot.db.models_faq import record_unanswered
from bot.db.models_officers import Broadcast, Officer, OfficerScope
from handlers.officers.login import create_login_link
from tests.conftest import make_settings
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegram
from tests.harness import RunningBot, WebUser, running_bot

ADMIN = 6660001
OFFICER_A = 6660002
OFFICER_B = 6660003
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Dash:
    """An officer's browser without JavaScript: a cookie jar, the last page and its CSRF token."""

    url: str
    http: aiohttp.ClientSession
    html: str = ""
    csrf: str = ""
    history: list[str] = field(default_factory=list)

    async def get(self, path: str, status: int = 200) -> str:
        async with self.http.get(self.url + path, allow_redirects=False) as resp:
            body = await resp.text()
            assert resp.status == status, (path, resp.status, body[:300])
        self._seen(body)
        return body

    async def post(self, path: str, data: dict[str, Any] | list[tuple[str, str]], *, csrf: bool = True,
                   status: int = 303) -> aiohttp.ClientResponse:  # fmt: skip
        pairs = list(data.items()) if isinstance(data, dict) else list(data)
        if csrf:
            pairs.append(("csrf", self.csrf))
        async with self.http.post(self.url + path, data=pairs, allow_redirects=False) as resp:
            body = await resp.text()
            assert resp.status == status, (path, resp.status, body[:300])
        self._seen(body)
        return resp

    def _seen(self, body: str) -> None:
        self.html = body
        m = CSRF.search(body)
        if m:
            self.csrf = m.group(1)

    async def login(self, link: str) -> None:
        path = link.split("/dashboard", 1)[1]
        page = await self.get("/dashboard" + path)
        assert 'id="login-form"' in page
        resp = await self.post("/dashboard" + path, {}, csrf=False)
        assert resp.headers["Location"] == "/dashboard/"
        cookie = resp.headers.get("Set-Cookie", "")
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        await self.get("/dashboard/")


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


def settings_for(db_url: str, tg: FakeTelegram | None = None) -> Any:
    extra: dict[str, Any] = {}
    if tg is not None:
        extra = {"telegram_bot_token": DEFAULT_TOKEN, "telegram_api_base_url": tg.base_url}
    return make_settings(db_url, hocbot_admins=f"telegram:{ADMIN}", **extra)


async def add_officer(db: Database, ext: int, commune: str, province: str = "Ninh Bình") -> int:
    async with db.session() as s:
        off = Officer(channel="telegram", external_id=str(ext), role="officer", name=f"Cán bộ {commune}")
        s.add(off)
        await s.flush()
        assert off.id is not None
        s.add(OfficerScope(officer_id=off.id, kind="commune", value=f"{commune}|{province}"))
        return off.id


async def seed_commune(db: Database, n: int, first_chat: int, commune: str, province: str = "Ninh Bình") -> list[int]:
    from sqlalchemy import update

    from bot.db.models import User

    chats = await seed_subscribers(db, n, first_chat=first_chat, province=province)
    async with db.session() as s:
        ids = select(Identity.user_id).where(col(Identity.chat_id).in_([str(c) for c in chats]))
        await s.exec(update(User).where(col(User.id).in_(ids)).values(commune=commune))  # type: ignore[call-overload]
    return chats


async def link_for(bot: RunningBot, ext: int, now: dt.datetime | None = None) -> str:
    services: Services = bot.runtime.services
    async with services.db.session() as s:
        return await create_login_link(s, services.settings, "telegram", str(ext), created_by="test",
                                       now=now or services.now())  # fmt: skip


def client() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def logged_in(bot: RunningBot, http: aiohttp.ClientSession, ext: int) -> Dash:
    d = Dash(bot.url, http)
    await d.login(await link_for(bot, ext))
    return d


async def audits(db: Database, **where: Any) -> list[AuditLog]:
    async with db.session() as s:
        stmt = select(AuditLog).order_by(col(AuditLog.id))
        for key, value in where.items():
            stmt = stmt.where(getattr(AuditLog, key) == value)
        return list((await s.exec(stmt)).all())


def ids_in(html: str, attr: str) -> set[int]:
    return {int(v) for v in re.findall(attr + r'="(\d+)"', html)}


# ---- login -------------------------------------------------------------------------------------------


async def test_login_link_works_once_then_logout(db_url: str, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    async with running_bot(settings_for(db_url)) as bot, client() as http, client() as other:
        db = bot.runtime.services.db
        officer_id = await add_officer(db, OFFICER_A, "Gia Viễn")
        link = await link_for(bot, OFFICER_A)
        d = Dash(bot.url, http)
        await d.login(link)
        assert 'data-page="overview"' in d.html and "Cán bộ Gia Viễn" in d.html

        again = Dash(bot.url, other)  # the same link a second time, from another browser
        path = "/dashboard" + link.split("/dashboard", 1)[1]
        assert 'id="login-invalid"' in await again.get(path, status=403)
        await again.post(path, {}, csrf=False, status=403)
        await again.get("/dashboard/", status=303)  # still not logged in

        copied = client()  # the cookie copied off this browser before the logout (a shared office PC)
        copied.cookie_jar.update_cookies({c.key: c.value for c in http.cookie_jar}, URL(bot.url))
        async with copied:
            await Dash(bot.url, copied).get("/dashboard/", status=200)
            await d.post("/dashboard/logout", {})
            await d.get("/dashboard/", status=303)
            await Dash(bot.url, copied).get("/dashboard/", status=303)  # ended on the server, not only here
        assert [a.allowed for a in await audits(db, action="dashboard.login")] == [True, False]

        citizen = WebUser(bot.url, other)  # /web is for officers only
        await citizen.says("/web")
        assert "chỉ dành cho cán bộ" in citizen.last_reply() and "/dashboard/login/" not in citizen.all_text()

        monkeypatch.setenv("DATABASE_URL", db_url)  # `hocbot officer login-link` prints a working link
        from bot.cli import main

        assert await asyncio.to_thread(main, ["officer", "login-link", str(officer_id)]) == 0
        printed = capsys.readouterr().out.strip().splitlines()[-1]
        assert "/dashboard/login/" in printed
        fresh = Dash(bot.url, other)
        await fresh.login(printed)
        assert "Cán bộ Gia Viễn" in fresh.html
        assert await asyncio.to_thread(main, ["officer", "login-link", "telegram:42"]) == 1


async def test_expired_link_is_refused(db_url: str) -> None:
    async with running_bot(settings_for(db_url)) as bot, client() as http:
        services = bot.runtime.services
        start = dt.datetime(2026, 9, 20, 8, 0, tzinfo=dt.UTC)
        services.clock = lambda: start
        old = await link_for(bot, ADMIN)
        fresh = await link_for(bot, ADMIN)
        services.clock = lambda: start + dt.timedelta(minutes=11)
        d = Dash(bot.url, http)
        path = "/dashboard" + old.split("/dashboard", 1)[1]
        assert 'id="login-invalid"' in await d.get(path, status=403)
        await d.post(path, {}, csrf=False, status=403)
        await d.get("/dashboard/", status=303)
        services.clock = lambda: start + dt.timedelta(minutes=9)  # within 10 minutes it works
        await d.login(fresh)


async def test_post_without_csrf_is_refused(db_url: str) -> None:
    async with running_bot(settings_for(db_url)) as bot, client() as http, client() as anon:
        db = bot.runtime.services.db
        nb = await add_group(db, "Ninh Bình", "locality", province="Ninh Bình")
        await seed_subscribers(db, 2, first_chat=810_000)
        d = await logged_in(bot, http, ADMIN)
        form = {"text": "Họp chi hội tối nay", "group": str(nb)}
        await d.post("/dashboard/broadcasts/new", form, csrf=False, status=403)
        await d.post("/dashboard/broadcasts/new", [*form.items(), ("csrf", "forged")], csrf=False, status=403)
        await Dash(bot.url, anon).post("/dashboard/broadcasts/new", form, csrf=False, status=401)
        async with db.session() as s:
            assert (await s.exec(select(Broadcast))).all() == []
        assert len(await audits(db, action="dashboard.csrf", allowed=False)) == 2
        await d.get("/dashboard/broadcasts/new")
        resp = await d.post("/dashboard/broadcasts/new", form)  # with the token it goes through
        assert re.fullmatch(r"/dashboard/broadcasts/\d+", resp.headers["Location"])


async def test_a_broadcast_typed_in_the_browser_keeps_plain_line_breaks(db_url: str) -> None:
    """Browsers send a textarea's line breaks as CR LF; citizens' apps must get plain new lines."""
    async with running_bot(settings_for(db_url)) as bot, client() as http:
        db = bot.runtime.services.db
        nb = await add_group(db, "Ninh Bình", "locality", province="Ninh Bình")
        await seed_subscribers(db, 1, first_chat=811_000)
        d = await logged_in(bot, http, ADMIN)
        await d.get("/dashboard/broadcasts/new")
        form = {"text": "Họp chi hội\r\nTối nay 19 giờ\rNhà văn hoá", "group": str(nb)}
        await d.post("/dashboard/broadcasts/new", form)
        async with db.session() as s:
            [b] = (await s.exec(select(Broadcast))).all()
        assert b.text == "Họp chi hội\nTối nay 19 giờ\nNhà văn hoá"


async def test_an_admin_from_the_settings_is_named_by_their_chat_account(db_url: str) -> None:
    """HOCBOT_ADMINS gives rights, not a name: the header shows the Telegram name, not “telegram:6660001”."""
    from bot.db import repo

    async with running_bot(settings_for(db_url)) as bot, client() as http:
        async with bot.runtime.services.db.session() as s:
            await repo.load_or_create(s, "telegram", str(ADMIN), str(ADMIN), "Trần Thị Hoa")
        page = await (await logged_in(bot, http, ADMIN)).get("/dashboard/")
        assert "Trần Thị Hoa · Quản trị" in page and f"telegram:{ADMIN} · Quản trị" not in page


# ---- scope -------------------------------------------------------------------------------------------


async def test_officer_is_kept_out_of_another_communes_pages(db_url: str) -> None:
    async with running_bot(settings_for(db_url)) as bot, client() as http_a, client() as http_b:
        db = bot.runtime.services.db
        mine = await add_group(db, "Xã Gia Viễn", "locality", province="Ninh Bình", commune="Gia Viễn")
        theirs = await add_group(db, "Xã Hoa Lư", "locality", province="Ninh Bình", commune="Hoa Lư")
        await seed_commune(db, 3, 820_000, "Gia Viễn")
        await seed_commune(db, 4, 821_000, "Hoa Lư")
        await add_officer(db, OFFICER_A, "Gia Viễn")
        await add_officer(db, OFFICER_B, "Hoa Lư")
        a = await logged_in(bot, http_a, OFFICER_A)
        b = await logged_in(bot, http_b, OFFICER_B)
        assert ids_in(a.html, "data-group-id") == {mine}  # the overview lists only the own commune
        assert 'id="stat-subscribers"' in a.html and ">3<" in a.html.split('id="stat-subscribers"')[1][:200]

        await b.get("/dashboard/broadcasts/new")
        resp = await b.post("/dashboard/broadcasts/new", {"text": "Họp chi hội Hoa Lư", "group": str(theirs)})
        bid = int(resp.headers["Location"].rsplit("/", 1)[1])
        assert ">4<" in await b.get(f"/dashboard/broadcasts/{bid}")  # recipient count of the draft
        await b.post(f"/dashboard/broadcasts/{bid}/send", {})
        await b.get("/dashboard/campaigns/new")
        at = (bot.runtime.services.now() + dt.timedelta(days=3)).astimezone(bot.runtime.settings.tz)
        await b.post("/dashboard/campaigns/new", {"name": "Nhắc Hoa Lư", "text": "Nhớ đến lớp", "kind": "once",
                                                  "at": at.strftime("%Y-%m-%dT%H:%M"), "group": str(theirs)})
        async with db.session() as s:
            camp = (await s.exec(select(Campaign))).one()

        await a.get(f"/dashboard/groups/{mine}")
        assert 'id="forbidden"' in await a.get(f"/dashboard/groups/{theirs}", status=403)
        await a.get(f"/dashboard/broadcasts/{bid}", status=403)
        await a.get(f"/dashboard/broadcasts/{bid}/progress.json", status=403)
        await a.get(f"/dashboard/broadcasts/{bid}/report.csv", status=403)
        assert f"group-{theirs}" not in await a.get("/dashboard/broadcasts/new")
        await a.post("/dashboard/broadcasts/new", {"text": "Tin lạ", "group": str(theirs)}, status=403)
        await a.post(f"/dashboard/broadcasts/{bid}/cancel", {}, status=403)
        assert bid not in ids_in(await a.get("/dashboard/broadcasts"), "data-broadcast-id")
        assert camp.id not in ids_in(await a.get("/dashboard/campaigns"), "data-campaign-id")
        await a.post(f"/dashboard/campaigns/{camp.id}/delete", {}, status=403)
        await a.post("/dashboard/campaigns/week-plan", {"group": str(theirs)}, status=403)

        refused = await audits(db, actor=f"web:telegram:{OFFICER_A}", allowed=False)
        assert {r.action for r in refused} == {
            "dashboard.group", "dashboard.broadcast", "dashboard.export", "dashboard.broadcast.draft",
            "dashboard.broadcast.cancel", "dashboard.campaign.delete", "dashboard.campaign.week_plan",
        }
        async with db.session() as s:
            assert len((await s.exec(select(Broadcast))).all()) == 1
            assert (await s.get(Campaign, camp.id)) is not None
        assert bid in ids_in(await b.get("/dashboard/broadcasts"), "data-broadcast-id")  # B still sees its own
        sent = await audits(db, action="dashboard.broadcast.send", allowed=True)
        assert [r.actor for r in sent] == [f"web:telegram:{OFFICER_B}"]


# ---- broadcast end to end ----------------------------------------------------------------------------


async def progress_until_done(d: Dash, bid: int, seconds: float = 20.0) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while loop.time() < end:
        async with d.http.get(f"{d.url}/dashboard/broadcasts/{bid}/progress.json") as resp:
            assert resp.status == 200
            seen.append(await resp.json())
        if seen[-1]["finished"]:
            return seen
        await asyncio.sleep(0.1)
    raise AssertionError(f"broadcast {bid} not finished: {seen[-1]}")


async def test_broadcast_composed_in_the_dashboard_is_delivered_and_reported(db_url: str, tg: FakeTelegram) -> None:
    from bot.web.dashboard.exports import HEADER

    async with running_bot(settings_for(db_url, tg)) as bot, client() as http:
        db = bot.runtime.services.db
        bot.runtime.pacer.backoff = 0.05
        module = bot.runtime.services.catalog.modules[0]
        nb = await add_group(db, "Ninh Bình", "locality", province="Ninh Bình")
        club = await add_group(db, "CLB Tin học", "code", join_code="clbtin")
        await add_group(db, "Hà Nội", "locality", province="Hà Nội")
        in_nb = await seed_subscribers(db, 8, first_chat=830_000)
        in_club = await seed_subscribers(db, 5, first_chat=831_000, province="Huế", group_id=club)
        outside = await seed_subscribers(db, 3, first_chat=832_000, province="Hà Nội")
        for c in [*in_nb, *in_club, *outside]:
            tg.set_fate(c, None)
        tg.set_fate(in_club[1], "blocked")

        admin = tg.user(ADMIN, "Quản trị")  # the login link comes from the chat command
        await admin.send("/web")
        await admin.wait_for(lambda m: bool(m) and "/dashboard/login/" in (m[-1]["text"] or ""))
        link = re.search(r"\S+/dashboard/login/\S+", admin.messages()[-1]["text"])
        assert link is not None
        d = Dash(bot.url, http)
        await d.login(link.group(0))

        page = await d.get("/dashboard/broadcasts/new")
        boxes = set(re.findall(r'id="group-[^"]+"', page))
        assert {f'id="group-{nb}"', f'id="group-{club}"', 'id="group-all"'} <= boxes
        text = "Tuần lễ học tập suốt đời bắt đầu ngày 1/10. Mời bà con tham gia!"
        resp = await d.post("/dashboard/broadcasts/new", [("text", text), ("button", f"quiz:{module.id}"),
                                                          ("group", str(nb)), ("group", str(club))])  # fmt: skip
        bid = int(resp.headers["Location"].rsplit("/", 1)[1])
        draft = await d.get(f"/dashboard/broadcasts/{bid}")
        assert re.search(r'id="recipient-count">13<', draft)
        zalo = draft.split('id="preview-zalo"')[1]
        assert text in zalo and "1. 📝 Làm bài kiểm tra" in zalo and "Trả lời" in zalo  # numbered on Zalo
        assert text in draft.split('id="preview-telegram"')[1].split('id="preview-zalo"')[0]
        assert all(tg.sent_to(c) == 0 for c in [*in_nb, *in_club])  # nothing before the confirmation

        await d.post(f"/dashboard/broadcasts/{bid}/send", {})
        seen = await progress_until_done(d, bid)
        last = seen[-1]
        assert (last["percent"], last["total"], last["sent"], last["blocked"], last["queued"]) == (100, 13, 12, 1, 0)
        assert [p["percent"] for p in seen] == sorted(p["percent"] for p in seen)
        delivered = set(in_nb + in_club) - {in_club[1]}
        assert all(tg.sent_to(c) == 1 for c in delivered) and all(tg.sent_to(c) == 0 for c in outside)
        msg = next(c.params for c in tg.calls("sendMessage") if str(c.params.get("chat_id")) == str(in_club[0]))
        assert "Làm bài kiểm tra" in str(msg.get("reply_markup"))

        report = await d.get(f"/dashboard/broadcasts/{bid}")
        assert 'data-finished="1"' in report and report.count('data-testid="report-row"') == 13

        async with http.get(f"{bot.url}/dashboard/broadcasts/{bid}/report.csv") as r:
            assert r.status == 200 and "attachment" in r.headers["Content-Disposition"]
            rows = list(csv.reader(io.StringIO((await r.read()).decode("utf-8-sig"))))
        assert rows[0] == HEADER and len(rows) == 14
        by_name = {row[1]: row[3] for row in rows[1:]}
        assert by_name[f"U{in_club[1]}"] == "Đã chặn bot" and by_name[f"U{in_nb[0]}"] == "Đã gửi"
        assert sorted(by_name.values()).count("Đã gửi") == 12
        async with http.get(f"{bot.url}/dashboard/broadcasts/{bid}/report.xlsx") as r:
            assert r.status == 200
            sheet = load_workbook(io.BytesIO(await r.read()), read_only=True).active
            assert sheet is not None
            xrows = [list(row) for row in sheet.iter_rows(values_only=True)]
        assert xrows[0] == HEADER and len(xrows) == 14
        assert {row[1]: row[3] for row in xrows[1:]} == by_name
        assert [a.actor for a in await audits(db, action="dashboard.broadcast.send")] == [f"web:telegram:{ADMIN}"]
        assert len(await audits(db, action="dashboard.export")) == 2

        for _ in range(100):  # the pacer marks it done; the next view keeps its final counts on the row
            async with db.session() as s:
                if (row := await s.get(Broadcast, bid)) is not None and row.status == "done":
                    break
            await asyncio.sleep(0.05)
        for _ in range(2):  # counted from the deliveries, then read from the row: the same numbers
            listing = (await d.get("/dashboard/broadcasts")).split(f'data-broadcast-id="{bid}"')[1].split("</tr>")[0]
            assert re.findall(r'<td class="num">(\d+)</td>', listing) == ["12", "0", "1", "0"]
        async with db.session() as s:
            row = await s.get(Broadcast, bid)
            assert row is not None and json.loads(row.final_counts or "{}") == {"sent": 12, "blocked": 1}
    tg.assert_clean()


# ---- questions → FAQ ---------------------------------------------------------------------------------


async def test_officer_answer_becomes_searchable_once_approved(db_url: str) -> None:
    settings = settings_for(db_url)
    question = "Thư viện xã mở cửa mấy giờ?"
    answer = "Thư viện xã mở cửa từ 7 giờ đến 17 giờ, từ thứ Hai đến thứ Bảy."
    async with running_bot(settings) as bot, client() as http_a, client() as http_admin, client() as chat:
        db = bot.runtime.services.db
        citizen = WebUser(bot.url, chat)
        await citizen.says("thu vien xa mo cua may gio vay")
        assert "chưa có câu trả lời" in citizen.last_reply()  # recorded as unanswered
        here = {"province": "Ninh Bình", "commune": "Gia Viễn"}  # asked by people of officer A's commune
        async with db.session() as s:
            await record_unanswered(s, "thu vien xa mo cua may gio vay", "unknown", **here)
            same = await record_unanswered(s, question, "unknown", **here)
            other = await record_unanswered(s, "Làm sao học tiếng Anh miễn phí?", "unknown", **here)
        await add_officer(db, OFFICER_A, "Gia Viễn")
        a = await logged_in(bot, http_a, OFFICER_A)
        page = await a.get("/dashboard/questions")
        clusters = re.findall(r'data-testid="question-cluster" data-ids="([\d,]+)"', page)
        grouped = next(c for c in clusters if str(same.id) in c.split(","))
        assert len(grouped.split(",")) == 2 and str(other.id) not in grouped.split(",")

        await a.post("/dashboard/questions/propose", {"question": question, "answer": "x" * 700, "ids": grouped},
                     status=400)  # fmt: skip
        assert 'id="form-errors"' in a.html
        ids = [("ids", i) for i in grouped.split(",")]
        await a.post("/dashboard/questions/propose", [("question", question), ("answer", answer), *ids])
        async with db.session() as s:
            p = (await s.exec(select(FaqProposal))).one()
        assert p.status == "pending"
        await a.post(f"/dashboard/questions/proposals/{p.id}/approve", {}, status=403)  # officers cannot approve
        await citizen.says("thu vien xa mo cua may gio vay")
        assert answer not in citizen.all_text()

        admin = await logged_in(bot, http_admin, ADMIN)
        await admin.get("/dashboard/questions")
        assert f'id="approve-{p.id}"' in admin.html
        await admin.post(f"/dashboard/questions/proposals/{p.id}/approve", {"scope": "all"})  # for everyone
        await citizen.says("thu vien xa mo cua may gio vay")  # answered at once, no restart
        assert answer in citizen.all_text()
        page = await admin.get("/dashboard/questions")
        assert grouped not in re.findall(r'data-testid="question-cluster" data-ids="([\d,]+)"', page)
        assert f'data-faq-id="web-{p.id}"' in await admin.get("/dashboard/content")
        assert [r.allowed for r in await audits(db, action="dashboard.faq.approve")] == [False, True]

    async with running_bot(settings) as bot, client() as chat:  # after a restart it is still known
        citizen = WebUser(bot.url, chat)
        await citizen.says("Thư viện xã mở cửa lúc mấy giờ ạ")
        assert answer in citizen.all_text()


# ---- campaigns and content ---------------------------------------------------------------------------


async def test_campaigns_created_paused_planned_and_deleted(db_url: str) -> None:
    async with running_bot(settings_for(db_url)) as bot, client() as http:
        db, settings = bot.runtime.services.db, bot.runtime.settings
        nb = await add_group(db, "Ninh Bình", "locality", province="Ninh Bình")
        d = await logged_in(bot, http, ADMIN)
        await d.get("/dashboard/campaigns/new")
        at = (bot.runtime.services.now() + dt.timedelta(days=2)).astimezone(settings.tz).replace(hour=9, minute=30)
        base = {"name": "Nhắc họp", "text": "Họp chi hội lúc 9:30", "group": str(nb)}
        await d.post("/dashboard/campaigns/new", {**base, "kind": "cron", "cron": "mỗi sáng"}, status=400)
        assert 'id="form-errors"' in d.html and "Họp chi hội lúc 9:30" in d.html  # the text is kept
        await d.post("/dashboard/campaigns/new", {**base, "kind": "once", "at": at.strftime("%Y-%m-%dT%H:%M")})
        await d.post("/dashboard/campaigns/new", {**base, "name": "Người mới", "kind": "joined",
                                                  "offset_days": "3", "hour": "8", "minute": "0"})  # fmt: skip
        page = await d.get("/dashboard/campaigns")
        async with db.session() as s:
            once, joined = (await s.exec(select(Campaign).order_by(col(Campaign.id)))).all()
        row = page.split(f'data-campaign-id="{once.id}"')[1].split("</tr>")[0]
        assert at.strftime("%Y-%m-%d 09:30") in row and "Nhắc họp" in row
        assert "3 ngày sau khi đăng ký" in page.split(f'data-campaign-id="{joined.id}"')[1].split("</tr>")[0]

        await d.post(f"/dashboard/campaigns/{once.id}/pause", {})
        row = (await d.get("/dashboard/campaigns")).split(f'data-campaign-id="{once.id}"')[1].split("</tr>")[0]
        assert "tạm dừng" in row and at.strftime("%Y-%m-%d 09:30") not in row and f'id="resume-{once.id}"' in row
        await d.post(f"/dashboard/campaigns/{once.id}/resume", {})
        row = (await d.get("/dashboard/campaigns")).split(f'data-campaign-id="{once.id}"')[1].split("</tr>")[0]
        assert at.strftime("%Y-%m-%d 09:30") in row

        year = re.search(r'name="year" value="(\d{4})"', d.html)
        assert year is not None
        await d.post("/dashboard/campaigns/week-plan", {"year": year.group(1), "group": str(nb)})
        page = await d.get("/dashboard/campaigns")
        assert page.count(f"Tuần lễ {year.group(1)} — ") == 9
        await d.post("/dashboard/campaigns/week-plan", {"year": year.group(1), "group": str(nb)}, status=400)
        assert "đã có rồi" in d.html
        await d.get("/dashboard/campaigns")
        await d.post(f"/dashboard/campaigns/{joined.id}/delete", {})
        assert joined.id not in ids_in(await d.get("/dashboard/campaigns"), "data-campaign-id")
        actions = [a.action for a in await audits(db, actor=f"web:telegram:{ADMIN}")]
        for action in ("add", "pause", "resume", "week_plan", "delete"):
            assert f"dashboard.campaign.{action}" in actions


async def test_content_pages_show_what_citizens_see(db_url: str) -> None:
    async with running_bot(settings_for(db_url)) as bot, client() as http:
        catalog = bot.runtime.services.catalog
        d = await logged_in(bot, http, ADMIN)
        page = await d.get("/dashboard/content")
        assert 'id="validation-status" data-ok="1"' in page
        assert all(m.title in page for m in catalog.modules)
        assert page.count('data-testid="faq-entry"') == len(catalog.faq)
        m = catalog.modules[0]
        page = await d.get(f"/dashboard/content/modules/{m.id}")
        assert page.count('data-testid="lesson"') == len(m.lessons)
        assert page.count('data-testid="quiz-question"') == len(m.quiz)
        assert f"Bài 1/{len(m.lessons)}: {m.lessons[0].title}" in page
        await d.get("/dashboard/content/modules/nope", status=404)
        for path in ("/dashboard/", "/dashboard/broadcasts", "/dashboard/questions", "/dashboard/campaigns/new"):
            assert 'id="nav"' in await d.get(path)
        async with http.get(f"{bot.url}/static/dashboard/dashboard.css") as r:
            assert r.status == 200 and r.headers["Content-Type"].startswith("text/css")


async def test_commune_starting_with_a_vietnamese_capital_is_counted(db_url: str) -> None:
    """“Đồng Tâm”: SQLite's lower() leaves “Đ” alone, so the unit's numbers and its recipients must still match."""
    async with running_bot(settings_for(db_url)) as bot, client() as http:
        db = bot.runtime.services.db
        gid = await add_group(db, "Xã Đồng Tâm", "locality", province="Ninh Bình", commune="Đồng Tâm")
        await seed_commune(db, 3, 840_000, "Đồng Tâm")
        await add_officer(db, OFFICER_A, "Đồng Tâm")
        d = await logged_in(bot, http, OFFICER_A)
        row = d.html.split(f'data-group-id="{gid}"')[1].split("</tr>")[0]
        assert re.search(r'<td class="num">3</td>', row)
        assert re.search(r'id="recipient-count">3<', await d.get(f"/dashboard/groups/{gid}"))
        await d.get("/dashboard/broadcasts/new")
        resp = await d.post("/dashboard/broadcasts/new", {"text": "Họp thôn", "group": str(gid)})
        assert re.search(r'id="recipient-count">3<', await d.get(resp.headers["Location"]))


async def test_content_page_shows_framework_coverage_and_an_admin_sets_the_coming_week(db_url: str) -> None:
    from bot.db.models_campaigns import WeekEvent, WeekOverride

    async with running_bot(settings_for(db_url)) as bot, client() as http:
        catalog = bot.runtime.services.catalog
        db = bot.runtime.services.db
        await add_officer(db, OFFICER_A, "Xã A")
        d = await logged_in(bot, http, ADMIN)
        page = await d.get("/dashboard/content")
        # the six domains of the digital-competence framework, each with the modules that teach it
        assert page.count('data-testid="domain"') == 6 and "Ứng dụng trí tuệ nhân tạo" in page
        safety = [m for m in catalog.modules if "an-toan" in m.domains]
        assert f'data-domain="an-toan" data-count="{len(safety)}"' in page and len(safety) >= 3
        assert "báo chí" in page and "hướng dẫn của bot" in page  # sources counted by kind
        assert 'data-year="2023"' in page and "2/10 – 8/10" in page  # the year that was not 1–7 October
        await d.post("/dashboard/content/week", {"year": "2027", "start": "2027-10-04", "end": "2027-10-10",
                                                 "theme": "  Học tập  suốt đời trong kỷ nguyên số  "})  # fmt: skip
        page = await d.get("/dashboard/content")
        assert 'data-year="2027"' in page and "4/10 – 10/10" in page and "cán bộ đặt" in page
        assert "Học tập suốt đời trong kỷ nguyên số" in page
        await d.post("/dashboard/content/week", {"year": "2027", "start": "2027-10-20", "end": "2027-09-01",
                                                 "theme": ""}, status=400)  # fmt: skip
        assert "Ngày bắt đầu và kết thúc" in d.html
        async with db.session() as s:
            rows = list((await s.exec(select(WeekOverride))).all())
        assert [(r.year, r.start, r.end) for r in rows] == [(2027, dt.date(2027, 10, 4), dt.date(2027, 10, 10))]
        [log] = await audits(db, action="week.set")
        assert log.allowed and '"year": 2027' in log.detail and log.actor.startswith("web:")

    async with running_bot(settings_for(db_url)) as bot, client() as http:
        o = await logged_in(bot, http, OFFICER_A)
        assert 'id="week-form"' not in await o.get("/dashboard/content")  # only admins see the form
        await o.post("/dashboard/content/week", {"year": "2027", "start": "2027-10-01", "end": "2027-10-07"},
                     status=403)  # fmt: skip
        refused = await audits(bot.runtime.services.db, action="dashboard.week.set")
        assert len(refused) == 1 and not refused[0].allowed
        # any officer posts a local event; it is shown in the officer's own commune only
        await o.post("/dashboard/content/week/events", {"title": "Ngày hội đọc sách", "date": "2027-10-05",
                                                        "place": "Nhà văn hóa thôn 2"})  # fmt: skip
        await o.post("/dashboard/content/week/events", {"title": "x", "date": "2027-10-05"}, status=400)
        assert "Tên hoạt động" in o.html
        assert "Ngày hội đọc sách — Nhà văn hóa thôn 2" in await o.get("/dashboard/content")
        async with bot.runtime.services.db.session() as s:
            [ev] = (await s.exec(select(WeekEvent))).all()
        assert (ev.province, ev.commune, ev.date) == ("Ninh Bình", "Xã A", dt.date(2027, 10, 5))
        [log] = await audits(bot.runtime.services.db, action="week.event.add")
        assert log.allowed and log.actor.startswith("web:")
