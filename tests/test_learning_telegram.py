"""Learning end to end on Telegram: real python-telegram-bot against the fake Bot API, native quiz polls."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlmodel import select

from bot.db.models_learning import Certificate, QuizAnswer
from tests.conftest import make_settings
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegram
from tests.harness import running_bot
from tests.test_learning import CATALOG, seed_passed, user_id_of
from tests.test_telegram_e2e import onboard, presses, says


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake
        fake.assert_clean()


def tg_settings(db_url: str, tg: FakeTelegram) -> Any:
    return make_settings(db_url, telegram_bot_token=DEFAULT_TOKEN, telegram_api_base_url=tg.base_url)


def last_poll(user: Any) -> dict[str, Any]:
    polls = [m["poll"] for m in user.messages() if m.get("poll")]
    assert polls, "no quiz poll was sent"
    return dict(polls[-1])


def right_option(poll: dict[str, Any]) -> int:
    return int(poll["correct_option_ids"][0])


async def answer(user: Any, option: int, replies: int = 2, poll_id: str | None = None) -> list[dict[str, Any]]:
    before = len(user.messages())
    await user.answer_poll([option], poll_id=poll_id)
    msgs = await user.wait_for(before + replies)
    return msgs[before:]


async def start_last_module_quiz(user: Any) -> None:
    """/hoc → the last module → every lesson with “Tiếp” → “Làm bài kiểm tra” → the first quiz poll."""
    last = CATALOG.modules[-1]
    await says(user, "/hoc")
    assert len(user.buttons()) == len(CATALOG.modules)
    await presses(user, last.title)
    for i in range(2, len(last.lessons) + 1):
        shown = await presses(user, "Tiếp")
        assert f"Bài {i}/{len(last.lessons)}" in shown[0]["text"]
    assert "Quay lại" in " ".join(user.buttons()) and "Mục lục" in " ".join(user.buttons())
    shown = await presses(user, "Làm bài kiểm tra", replies=2)
    assert f"{len(last.quiz)} câu hỏi" in shown[0]["text"]
    poll = shown[1]["poll"]
    assert poll["type"] == "quiz" and poll["is_anonymous"] is False and poll["correct_option_ids"]
    assert poll["question"].startswith("Câu 1/")


async def test_learning_path_native_polls_progress_certificate(db_url: str, tg: FakeTelegram) -> None:
    async with running_bot(tg_settings(db_url, tg)) as bot:
        huong = tg.user(5551001, first_name="Nguyễn Thị Hương")
        await onboard(huong)
        uid = await user_id_of(bot.runtime.services.db, "telegram", str(huong.id))
        await seed_passed(bot.runtime.services.db, uid, [m.id for m in CATALOG.modules[:-1]])
        await start_last_module_quiz(huong)
        n = len(CATALOG.modules[-1].quiz)
        poll = last_poll(huong)
        wrong = next(i for i in range(len(poll["options"])) if i not in poll["correct_option_ids"])
        got = await answer(huong, wrong)
        assert "Chưa đúng" in got[0]["text"] and got[1]["poll"]["question"].startswith("Câu 2/")
        for _ in range(n - 2):
            got = await answer(huong, right_option(last_poll(huong)))
            assert "Đúng rồi" in got[0]["text"] and got[1]["poll"]
        got = await answer(huong, right_option(last_poll(huong)), replies=4)
        score = (n - 1) * 100 // n
        assert f"{n - 1}/{n} câu đúng ({score}%)" in got[1]["text"] and "đạt" in got[1]["text"]
        assert "hoàn thành tất cả" in got[2]["text"]
        assert "Tên in trên chứng nhận: “Nguyễn Thị Hương”" in got[3]["text"]  # asked before any PDF
        got = await presses(huong, "Đúng rồi", replies=2)
        assert "Nguyễn Thị Hương" in got[0]["text"]
        assert got[1]["document"].endswith(".pdf") and got[1]["file"].data.startswith(b"%PDF")
        progress = await says(huong, "/tiendo")
        total = len(CATALOG.modules)
        assert f"điểm cao nhất {score}%" in progress[0]["text"] and f"{total}/{total}" in progress[0]["text"]
        again = await says(huong, "/chungnhan", replies=2)
        assert again[1]["document"] == got[1]["document"]
        async with bot.runtime.services.db.session() as s:
            assert (await s.exec(select(Certificate))).one().name == "Nguyễn Thị Hương"
    assert len(tg.calls("sendPoll")) == n


async def test_another_command_in_the_middle_of_a_quiz_keeps_its_poll(db_url: str, tg: FakeTelegram) -> None:
    """The rule of every channel with native polls: /hoc leaves the question waiting with one line on how to come
    back, /kiemtra sends it again, and a number typed then answers it."""
    async with running_bot(tg_settings(db_url, tg)):
        lan = tg.user(5551010, first_name="Lan")
        await onboard(lan)
        await start_last_module_quiz(lan)
        got = await says(lan, "/hoc", replies=2)
        assert "Chọn một mô-đun" in got[0]["text"]
        assert got[1]["text"] == "📝 Bài kiểm tra đang làm dở: gõ /kiemtra để làm tiếp."
        got = await says(lan, "/kiemtra", replies=2)
        assert "tiếp tục từ câu 1/" in got[0]["text"] and got[1]["poll"]["question"].startswith("Câu 1/")
        got = await says(lan, str(right_option(last_poll(lan)) + 1), replies=2)
        assert "Đúng rồi" in got[0]["text"] and got[1]["poll"]["question"].startswith("Câu 2/")


async def test_small_talk_in_the_middle_of_a_quiz_points_at_the_poll_not_a_menu(db_url: str, tg: FakeTelegram) -> None:
    """A greeting or a thanks while a poll waits: a friendly word that says the question waits below and how to
    pause the quiz (it used to end “… hoặc chọn một mục bên dưới nhé”, a menu the quiz aside leaves off), then the
    poll again; a number typed next answers it."""
    async with running_bot(tg_settings(db_url, tg)):
        lan = tg.user(5551011, first_name="Lan")
        await onboard(lan)
        await start_last_module_quiz(lan)
        for chat, friendly in (("xin chào", "Xin chào!"), ("cảm ơn", "Không có gì ạ!"), ("chào bot", "Xin chào!")):
            got = await says(lan, chat, replies=2)
            assert got[0]["text"].startswith(friendly) and "bên dưới" not in got[0]["text"], got[0]["text"]
            assert "Câu hỏi kiểm tra vẫn chờ bạn" in got[0]["text"] and "/menu" in got[0]["text"]
            assert got[1]["poll"]["question"].startswith("Câu 1/")
        got = await says(lan, str(right_option(last_poll(lan)) + 1), replies=2)
        assert "Đúng rồi" in got[0]["text"] and got[1]["poll"]["question"].startswith("Câu 2/")


async def test_restart_in_the_middle_of_a_quiz_loses_nothing(db_url: str, tg: FakeTelegram) -> None:
    settings = tg_settings(db_url, tg)
    lan = tg.user(5551002, first_name="Lan")
    async with running_bot(settings):
        await onboard(lan)
        await start_last_module_quiz(lan)
        got = await answer(lan, right_option(last_poll(lan)))
        assert got[1]["poll"]["question"].startswith("Câu 2/")
    async with running_bot(settings) as bot:  # a new process on the same database
        got = await answer(lan, right_option(last_poll(lan)))
        assert "Đúng rồi" in got[0]["text"] and got[1]["poll"]["question"].startswith("Câu 3/")
        async with bot.runtime.services.db.session() as s:
            assert len((await s.exec(select(QuizAnswer))).all()) == 2


async def test_late_repeated_and_foreign_poll_answers_are_ignored(db_url: str, tg: FakeTelegram) -> None:
    async with running_bot(tg_settings(db_url, tg)) as bot:
        ba, cuc = tg.user(5551003, first_name="Ba"), tg.user(5551004, first_name="Cúc")
        await onboard(ba)
        await onboard(cuc)
        await start_last_module_quiz(ba)
        first = last_poll(ba)
        await answer(ba, right_option(first))
        before_ba, before_cuc = len(ba.messages()), len(cuc.messages())
        await ba.answer_poll([0], poll_id=first["id"])  # a late change of the first answer
        await cuc.answer_poll([right_option(last_poll(ba))], poll_id=last_poll(ba)["id"])  # not her poll
        await asyncio.sleep(0.4)
        assert len(ba.messages()) == before_ba and len(cuc.messages()) == before_cuc
        got = await answer(ba, right_option(last_poll(ba)))  # the awaited answer still counts
        assert got[1]["poll"]["question"].startswith("Câu 3/")
        async with bot.runtime.services.db.session() as s:
            assert len((await s.exec(select(QuizAnswer))).all()) == 2


async def test_a_vote_for_an_option_the_poll_does_not_have_is_ignored(db_url: str, tg: FakeTelegram) -> None:
    """A poll answer naming option 7 of a 3- or 4-option quiz (forged, or garbled on the way) is not an answer:
    no "❌ Chưa đúng", nothing stored, and the real vote afterwards is scored as usual."""
    async with running_bot(tg_settings(db_url, tg)) as bot:
        huong = tg.user(5552099, first_name="Hương")
        await onboard(huong)
        await start_last_module_quiz(huong)
        poll = last_poll(huong)
        before = len(huong.messages())
        tg.emit("poll_answer", {"poll_id": poll["id"], "user": huong.user_json(), "option_ids": [7],
                                "option_persistent_ids": ["x7"]})
        await tg.wait_until(lambda: not tg.pending_updates(), timeout=5)
        await asyncio.sleep(0.5)
        assert len(huong.messages()) == before
        async with bot.runtime.services.db.session() as s:
            assert (await s.exec(select(QuizAnswer))).all() == []
        got = await answer(huong, right_option(poll))
        assert "Đúng rồi" in got[0]["text"] and got[1]["poll"]["question"].startswith("Câu 2/")
