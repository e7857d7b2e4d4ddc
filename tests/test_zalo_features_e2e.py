"""Every feature on Zalo, end to end: the real Zalo adapters against the fake Zalo servers, the real handlers.

A citizen with numbers only learns, takes a quiz and asks a question; an officer announces with /thongbao
to Zalo Bot and Zalo OA subscribers (one blocked the bot, one is outside the OA's interaction window) and
gets the report; a campaign fire reaches a Zalo subscriber; Telegram and Zalo are linked with /lienket.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from bench.broadcast import add_group
from bot.cli import main as hocbot
from bot.core import texts
from bot.core.payloads import button_of
from bot.db.engine import Database
from bot.db.models import Identity
from bot.db.models_officers import Broadcast, Delivery
from bot.settings import Settings
from content.textnorm import fold
from handlers.officers import outbox
from handlers.week import campaign_store
from handlers.week.campaigns import tick
from scheduler.lane import MAX_ATTEMPTS
from tests.conftest import make_settings
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegram
from tests.fakes.zalo_bot_server import FakeBotUser, FakeZaloBot
from tests.fakes.zalo_oa_server import FakeOAUser, FakeZaloOA
from tests.harness import running_bot
from tests.test_learning import CATALOG
from tests.test_telegram_e2e import onboard as onboard_telegram
from tests.test_telegram_e2e import presses
from tests.test_telegram_e2e import says as tg_says
from tests.test_zalo_oa_e2e import inbox

APP_SECRET = "app-secret-key-XyZ"
OA_SECRET = "oa-secret-key-QwE"  # “Khóa bí mật OA”: signs the webhook, differs from the app secret
OFFICER = "z-officer"
PROVINCE = "Ninh Bình"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
async def zbot() -> AsyncIterator[FakeZaloBot]:
    async with FakeZaloBot(idle_timeout=0.2) as server:
        yield server


@pytest.fixture
async def oa() -> AsyncIterator[FakeZaloOA]:
    async with FakeZaloOA(secret_key=APP_SECRET, oa_secret=OA_SECRET) as server:
        yield server


def zalo_settings(db_url: str, zbot: FakeZaloBot, oa: FakeZaloOA | None = None, **extra: Any) -> Settings:
    """Both Zalo channels (the OA when given); broadcasts fast enough for a test."""
    fields: dict[str, Any] = {"zalo_bot_token": zbot.token, "zalo_api_base_url": zbot.base_url}
    if oa is not None:
        fields |= {
            "zalo_oa_app_id": oa.app_id, "zalo_oa_secret_key": APP_SECRET, "zalo_oa_webhook_secret": OA_SECRET,
            "zalo_oa_refresh_token": oa.issue_pair().refresh_token,
            "zalo_oa_api_base_url": oa.base_url, "zalo_oa_oauth_base_url": oa.base_url,
        }
    return make_settings(
        db_url, zalo_broadcast_rate=50, hocbot_per_chat_interval=0, **fields, **extra
    )


async def says(user: FakeBotUser, text: str, n: int = 1) -> list[str]:
    """The user types `text`; returns the next `n` texts the bot sends her."""
    await user.send(text)
    return [await user.wait_reply() for _ in range(n)]


async def onboard(user: FakeBotUser, province: str = "ninh binh") -> None:
    """/start, “1” to consent, the province typed without accents, “bo qua” for the commune."""
    await says(user, "/start", 2)
    (ask,) = await says(user, "1")
    assert texts.ASK_PROVINCE in ask
    await says(user, province, 2)
    (ready,) = await says(user, "bo qua")
    assert texts.READY in ready


async def onboard_oa(user: FakeOAUser) -> None:
    """Follow the OA, tap “Đồng ý”, type the province, tap “Bỏ qua”."""
    await user.follow()
    await inbox(user, 2)
    await user.click(user.inbox[1].buttons[0][1])
    await inbox(user, 3)
    await user.send("ninh binh")
    await inbox(user, 5)
    await user.click(user.inbox[4].buttons[0][1])
    assert texts.READY in (await inbox(user, 6))[5]


def question_of(text: str) -> Any:
    """The catalog question shown in “Câu 2/7. …” (the text up to the numbered options)."""
    shown = text.split(". ", 1)[1].split("\n\n", 1)[0]
    return next(q for m in CATALOG.modules for q in m.quiz if q.question == shown)


async def wait_until(check: Any, timeout: float = 15.0) -> None:  # noqa: ASYNC109
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.05)


def sends_to(fake: FakeZaloBot, chat_id: str) -> list[Any]:
    return [c for c in fake.calls_to("sendMessage") if c.params.get("chat_id") == chat_id]


async def states(db: Database, broadcast_id: int) -> dict[str, str]:
    """chat id → delivery state of one broadcast."""
    async with db.session() as s:
        rows = await s.exec(select(Delivery).where(Delivery.broadcast_id == broadcast_id))
        return {d.chat_id: d.state for d in rows}


async def identity(db: Database, channel: str, external_id: str) -> Identity:
    async with db.session() as s:
        query = select(Identity).where(Identity.channel == channel, Identity.external_id == external_id)
        return (await s.exec(query)).one()


# ---------------------------------------------------------------- a citizen with numbers only


async def test_citizen_learns_quizzes_and_asks_with_numbers_only(db_url: str, zbot: FakeZaloBot) -> None:
    m1 = CATALOG.modules[0]
    n_lessons, n_questions = len(m1.lessons), len(m1.quiz)
    async with running_bot(zalo_settings(db_url, zbot)) as bot:
        lan = zbot.user("z-lan", "Lan")
        await onboard(lan)
        (nothing,) = await says(lan, "9")  # a number that is on no menu
        assert texts.NUMBER_NOTHING in nothing and "1 Học AI · 2 Kiểm tra" in nothing
        (modules,) = await says(lan, "1")  # with nothing else on offer, “1” is the menu's first item
        assert f"1. {m1.title}" in modules and texts.numbered_footer(len(CATALOG.modules)) in modules

        (modules,) = await says(lan, "hoc ai")  # the menu item "📚 Học AI", typed without accents
        assert f"1. {m1.title}" in modules and texts.numbered_footer(len(CATALOG.modules)) in modules
        (lesson,) = await says(lan, "1")
        assert f"Bài 1/{n_lessons}: {m1.lessons[0].title}" in lesson and "1. Tiếp ➡️" in lesson
        (lesson,) = await says(lan, "1")  # “1” is always the way forward
        assert f"Bài 2/{n_lessons}" in lesson and "1. Tiếp ➡️" in lesson and "2. ⬅️ Quay lại" in lesson
        (lesson,) = await says(lan, "tiep")
        assert f"Bài 3/{n_lessons}" in lesson
        (lesson,) = await says(lan, "quay lai")
        assert f"Bài 2/{n_lessons}" in lesson
        for i in range(3, n_lessons + 1):
            (lesson,) = await says(lan, "1")
            assert f"Bài {i}/{n_lessons}" in lesson
        assert "1. Tiếp ➡️ Làm bài kiểm tra" in lesson

        intro, question = await says(lan, "1", 2)
        assert f"{n_questions} câu hỏi" in intro and question.startswith(f"Câu 1/{n_questions}.")
        q = question_of(question)
        assert texts.numbered_footer(len(q.options)) in question  # “Trả lời 1, 2, 3 hoặc 4.”
        (hint,) = await says(lan, "9")  # a number that matches nothing
        assert texts.NUMBER_HINT.format(n=len(q.options)) in hint and f"1. {q.options[0]}" in hint

        wrong = next(i for i in range(len(q.options)) if i not in q.correct)
        feedback, question = await says(lan, str(wrong + 1), 2)
        assert "Chưa đúng" in feedback and q.options[q.correct[0]] in feedback and q.explanation in feedback
        q = question_of(question)
        feedback, question = await says(lan, fold(q.options[q.correct[0]]), 2)  # the answer's words, no accents
        assert "Đúng rồi" in feedback and q.explanation in feedback and question.startswith("Câu 3/")
        for _ in range(3, n_questions + 1):
            q = question_of(question)
            feedback, question = await says(lan, str(q.correct[0] + 1), 2)
            assert "Đúng rồi" in feedback
        score = (n_questions - 1) * 100 // n_questions
        assert f"{n_questions - 1}/{n_questions} câu đúng ({score}%)" in question and "đạt" in question

        (progress,) = await says(lan, "/tiendo")
        assert "Mô-đun đã xong: 1/" in progress and f"điểm cao nhất {score}%" in progress

        asked = "hoc ai o dau mien phi"
        (answer,) = await says(lan, asked)
        curated = await bot.runtime.services.answers.answer(asked)
        assert curated.mode == "retrieval" and not curated.refused
        assert curated.text in answer and curated.source_line in answer  # the answer with its source
        assert "miễn phí" in answer and "1. 👍" in answer  # feedback as numbers too


# ---------------------------------------------------------------- broadcasts on both Zalo products


async def test_broadcast_reaches_zalo_bot_and_oa_with_blocked_and_unreachable(
    db_url: str, zbot: FakeZaloBot, oa: FakeZaloOA, tmp_path: Any, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = zalo_settings(db_url, zbot, oa, hocbot_admins=f"zalo:{OFFICER}")
    async with running_bot(settings) as bot:
        db = bot.runtime.services.db
        oa.webhook_url = bot.url + "/zalo/oa/webhook"
        await add_group(db, PROVINCE, "locality", province=PROVINCE)
        lan, binh = zbot.user("z-lan", "Lan"), zbot.user("z-binh", "Bình")
        hoa, minh = oa.user("oa-hoa", "Hoa", following=False), oa.user("oa-minh", "Minh", following=False)
        for user in (lan, binh):
            await onboard(user)
        for follower in (hoa, minh):
            await onboard_oa(follower)
        binh.block()
        tries_to_binh = len(sends_to(zbot, "z-binh"))
        minh.go_silent(days=8)  # last wrote to the OA more than 7 days ago

        officer = zbot.user(OFFICER, "Cán bộ Hội")
        (ask,) = await says(officer, "/thongbao")
        assert "Soạn thông báo" in ask and "1. ❌ Hủy" in ask
        notice = "Tuần lễ học tập suốt đời bắt đầu ngày 1/10. Mời bà con tham gia!"
        (pick,) = await says(officer, notice)
        assert f"2. ⬜ {PROVINCE}" in pick
        (pick,) = await says(officer, "2")
        assert f"2. ✅ {PROVINCE}" in pick
        _head, preview, confirm = await says(officer, "xong", 3)
        assert preview == notice and "Gửi tới 4 người" in confirm and "1. ✅ Gửi" in confirm
        assert notice not in lan.texts()  # nothing goes out before the confirmation
        (queued,) = await says(officer, "1")
        assert "Đã xếp hàng" in queued

        report = await officer.wait_reply(timeout=5)
        lines = report.splitlines()
        assert "Kết quả thông báo" in lines[0]
        assert {"✅ Đã gửi: 2", "🚫 Đã chặn bot: 1", "📵 Không liên lạc được: 1"} <= set(lines), report
        assert lan.texts()[-1] == notice and hoa.texts()[-1] == notice
        assert notice not in binh.texts() and notice not in minh.texts()
        async with db.session() as s:
            first = (await s.exec(select(Broadcast))).one()
        assert first.id is not None and first.report_sent
        assert await states(db, first.id) == {
            "z-lan": "sent", "z-binh": "blocked", "oa-hoa": "sent", "oa-minh": "unreachable",
        }
        assert not (await identity(db, "zalo", "z-binh")).active  # the blocked one is inactive
        gone = await identity(db, "zalo_oa", "oa-minh")
        assert gone.active and not gone.reachable_free  # still a follower, only not reachable for free

        # The next broadcast, queued from the command line as an admin would, skips the blocked one.
        monkeypatch.setenv("DATABASE_URL", db_url)
        monkeypatch.chdir(tmp_path)
        capsys.readouterr()
        second = "Lớp học dùng điện thoại thông minh tối thứ Bảy tại nhà văn hóa."
        argv = ["broadcast", "send", "--to", PROVINCE, "--text", second, "--yes", "--json"]
        assert await asyncio.to_thread(hocbot, argv) == 0
        queued_cli = json.loads(capsys.readouterr().out)
        assert queued_cli["recipients"] == 3
        bid = int(queued_cli["broadcast_id"])
        bot.runtime.pacer.wake()

        async def finished() -> bool:
            return not {"queued", "sending"} & set((await states(db, bid)).values())

        await wait_until(finished)
        assert await states(db, bid) == {"z-lan": "sent", "oa-hoa": "sent", "oa-minh": "unreachable"}
        assert lan.texts()[-1] == second and hoa.texts()[-1] == second
        assert len(sends_to(zbot, "z-binh")) == tries_to_binh + 1  # only the first broadcast tried him
        assert await asyncio.to_thread(hocbot, ["broadcast", "status", str(bid), "--json"]) == 0
        status = json.loads(capsys.readouterr().out)
        assert (status["sent"], status["unreachable"], status["blocked"]) == (2, 1, 0)


# ---------------------------------------------------------------- a campaign fire


async def test_campaign_fire_reaches_a_zalo_subscriber(db_url: str, zbot: FakeZaloBot) -> None:
    m1 = CATALOG.modules[0]
    async with running_bot(zalo_settings(db_url, zbot)) as bot:
        services = bot.runtime.services
        start = dt.datetime(2026, 9, 24, 7, 30, tzinfo=TZ).astimezone(dt.UTC)
        services.clock = lambda: start
        await add_group(services.db, PROVINCE, "locality", province=PROVINCE)
        lan, other = zbot.user("z-lan", "Lan"), zbot.user("z-tuan", "Tuấn")
        await onboard(lan)
        await onboard(other, province="ha noi")  # not in the campaign's group

        at = dt.datetime(2026, 9, 24, 8, 0, tzinfo=TZ).astimezone(dt.UTC)
        text = "Sáng nay học một bài ngắn về AI nhé!"
        async with services.db.session() as s:
            c = await campaign_store.add_campaign(
                s, services.settings, start, name="nhac-hoc", to=PROVINCE, text=text, kind="once", at=at,
                button=f"module:{m1.id}",
            )
            cid = c.id
        assert await tick(services, at - dt.timedelta(minutes=1)) == []
        [fired] = await tick(services, at)
        assert (fired.campaign_id, fired.status, fired.queued) == (cid, "sent", 1)

        reminder = await lan.wait_reply(timeout=5)
        assert text in reminder and "1. 📚 Học ngay" in reminder and "Trả lời 1." in reminder
        (lesson,) = await says(lan, "1")  # the reminder's numbered button works like a tap
        assert f"Bài 1/{len(m1.lessons)}: {m1.lessons[0].title}" in lesson
        assert text not in other.texts()
        assert await tick(services, at + dt.timedelta(minutes=5)) == []  # fired once


async def test_a_pushed_message_that_never_arrived_does_not_change_what_1_means(
    db_url: str, zbot: FakeZaloBot
) -> None:
    """The reminder offering “1. Học ngay” fails for good (5xx on every try): Lan never saw it, so her “1” is
    still the menu's first item, not the lesson the lost message offered."""
    m1 = CATALOG.modules[0]
    async with running_bot(zalo_settings(db_url, zbot)) as bot:
        services = bot.runtime.services
        pacer = bot.runtime.pacer
        pacer.backoff = 0.01
        await add_group(services.db, PROVINCE, "locality", province=PROVINCE)
        lan = zbot.user("z-lan", "Lan")
        await onboard(lan)
        zbot.fail_next(500, count=MAX_ATTEMPTS, method="sendMessage")
        label, data = button_of(f"module:{m1.id}")
        async with services.db.session() as s:
            b = await outbox.create_broadcast(s, text="Học bài mới nhé!", created_by="cli", group_ids="all",
                                              button_label=label, button_data=data)  # fmt: skip
            await outbox.queue_broadcast(s, b)
        pacer.wake()
        assert b.id is not None
        bid = b.id

        async def failed() -> bool:
            return (await states(services.db, bid)).get("z-lan") == "failed"

        await wait_until(failed)
        assert "Học bài mới nhé!" not in lan.texts()
        (menu,) = await says(lan, "1")
        assert "Chọn một mô-đun" in menu and "Bài 1/" not in menu


# ---------------------------------------------------------------- Telegram and Zalo linked


async def test_telegram_learner_links_zalo_and_keeps_progress(db_url: str, zbot: FakeZaloBot) -> None:
    m1 = CATALOG.modules[0]
    async with FakeTelegram() as tg:
        settings = zalo_settings(
            db_url, zbot, telegram_bot_token=DEFAULT_TOKEN, telegram_api_base_url=tg.base_url
        )
        async with running_bot(settings) as bot:
            huong = tg.user(5552001, first_name="Hương")
            await onboard_telegram(huong)
            await tg_says(huong, "/hoc")
            await presses(huong, m1.title)
            await presses(huong, "Tiếp")  # read lessons 1 and 2 on Telegram
            (shown,) = await tg_says(huong, "/lienket")
            code = shown["text"].split("/lienket ", 1)[1].split()[0]

            lan = zbot.user("z-huong", "Hương")
            (done,) = await says(lan, f"/lienket {code}")
            assert "Đã liên kết" in done and "Telegram" in done and "Zalo" in done
            (progress,) = await says(lan, "/tiendo")
            assert f"▶️ 1. {m1.title} — đã đọc 2/{len(m1.lessons)} bài" in progress
            (modules,) = await says(lan, "hoc ai")
            assert f"1. ▶️ {m1.title}\n" in modules  # marked in progress, numbered once
            (lesson,) = await says(lan, "1")  # Zalo reopens the module where Telegram left it
            assert f"Bài 2/{len(m1.lessons)}" in lesson
            async with bot.runtime.services.db.session() as s:
                idents = (await s.exec(select(Identity).order_by(col(Identity.channel)))).all()
            assert [i.channel for i in idents] == ["telegram", "zalo"]
            assert idents[0].user_id == idents[1].user_id
        tg.assert_clean()
