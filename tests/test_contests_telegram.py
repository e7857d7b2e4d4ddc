"""/thi on Telegram: real python-telegram-bot against the fake Bot API; each question is a native quiz poll that
closes after the contest's seconds (open_period, checked against the Bot API schema); when it closes unanswered
the bot moves on by itself (“Câu tiếp” under the poll does the same at once)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlmodel import select

from bot.db.models_contests import ContestAnswer, ContestAttempt
from tests.conftest import make_settings
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegram
from tests.harness import running_bot
from tests.test_contests import local, make_contest
from tests.test_telegram_e2e import onboard, presses, says


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake
        fake.assert_clean()


async def vote(user: Any, option: int, replies: int = 2) -> list[dict[str, Any]]:
    before = len(user.messages())
    await user.answer_poll([option])
    msgs = await user.wait_for(before + replies)
    return msgs[before:]


def wrong(poll: dict[str, Any]) -> int:
    return next(i for i in range(len(poll["options"])) if i not in poll["correct_option_ids"])


async def test_contest_questions_are_native_quiz_polls_with_a_timer(db_url: str, tg: FakeTelegram) -> None:
    settings = make_settings(db_url, telegram_bot_token=DEFAULT_TOKEN, telegram_api_base_url=tg.base_url)
    now = [local(3, 9)]
    async with running_bot(settings) as bot:
        services = bot.runtime.services
        services.clock = lambda: now[0]
        await make_contest(services, seconds=15)
        hoa = tg.user(5552001, first_name="Phạm Thị Hoa")
        await onboard(hoa)  # Ninh Bình, xã Hải Hậu

        shown = await says(hoa, "/thi")
        assert "Rung chuông vàng số" in shown[0]["text"] and "mỗi câu 15 giây" in shown[0]["text"]
        shown = await presses(hoa, "Bắt đầu thi")
        assert shown[0]["text"] == "Hiện tên bạn trên bảng xếp hạng?"
        shown = await presses(hoa, "Có, hiện tên", replies=2)
        assert "Tên bạn sẽ hiện trên bảng xếp hạng" in shown[0]["text"]
        poll = shown[1]["poll"]
        assert poll["type"] == "quiz" and poll["is_anonymous"] is False and poll["open_period"] == 15
        assert poll["question"].startswith("Câu 1/3 (15 giây).") and poll["correct_option_ids"]
        buttons = [b["text"] for row in shown[1]["reply_markup"]["inline_keyboard"] for b in row]
        assert buttons == ["⏭ Câu tiếp"]  # only the way on once the poll closes; the options are the poll's

        now[0] += dt.timedelta(seconds=4)
        got = await vote(hoa, poll["correct_option_ids"][0])
        assert got[0]["text"] == "✅ Đúng!" and got[1]["poll"]["question"].startswith("Câu 2/3")

        before = len(hoa.messages())
        now[0] += dt.timedelta(seconds=40)  # the poll closed unanswered: the bot moves on by itself
        got = (await hoa.wait_for(before + 2, timeout=10.0))[before:]
        assert got[0]["text"] == "⏰ Hết giờ: câu 2 tính là chưa trả lời."
        third = got[1]["poll"]
        assert third["question"].startswith("Câu 3/3") and third["open_period"] == 15

        now[0] += dt.timedelta(seconds=2)
        got = await vote(hoa, wrong(third))
        assert len(hoa.messages()) == before + 4  # the closed poll was moved on once, not every second
        assert got[0]["text"] == "❌ Chưa đúng." and "🏁 Xong! Bạn đúng 1/3 câu, thời gian 21,0 giây." in got[1]["text"]

        got = await says(hoa, "/thi")
        assert "Mỗi người chỉ thi một lần" in got[0]["text"]
        got = await presses(hoa, "Bảng xếp hạng")
        assert "1. Phạm Thị Hoa (bạn) — 1/3 câu, 21,0 giây" in got[0]["text"]

        async with services.db.session() as s:
            attempt = (await s.exec(select(ContestAttempt))).one()
            answers = (await s.exec(select(ContestAnswer))).all()
        assert (attempt.correct, attempt.total_ms, attempt.commune) == (1, 21000, "Hải Hậu")
        assert sorted(a.ms for a in answers) == [2000, 4000, 15000]
