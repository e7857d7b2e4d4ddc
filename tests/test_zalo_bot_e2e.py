"""The real ZaloBotChannel against the fake Zalo Bot Platform: a citizen onboarding with numbered answers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest

from bot.core import texts
from bot.core.delivery import Blocked, RetryLater, Transient
from bot.core.messages import Choice, Document, QuizSpec, Reply
from bot.settings import Settings
from tests.conftest import make_settings
from tests.fakes.zalo_bot_server import FakeBotUser, FakeZaloBot
from tests.harness import running_bot

HOOK_PATH = "/zalo/bot/webhook"
SECRET = "s3cret-webhook-123"


@pytest.fixture
async def fake() -> AsyncIterator[FakeZaloBot]:
    async with FakeZaloBot(idle_timeout=0.2) as server:
        yield server


def zalo_settings(db_url: str, fake: FakeZaloBot, **extra: object) -> Settings:
    return make_settings(db_url, zalo_bot_token=fake.token, zalo_api_base_url=fake.base_url, **extra)


async def says(user: FakeBotUser, text: str, n: int = 1) -> list[str]:
    """The user types `text`; returns the next `n` texts the bot sends her."""
    await user.send(text)
    return [await user.wait_reply() for _ in range(n)]


async def stays_quiet(user: FakeBotUser, seconds: float = 0.4) -> bool:
    before = len(user.inbox)
    await asyncio.sleep(seconds)
    return len(user.inbox) == before


async def test_onboarding_with_numbers_and_words(db_url: str, fake: FakeZaloBot) -> None:
    async with running_bot(zalo_settings(db_url, fake)):
        lan = fake.user("6ede9afa66b88fe6d6a9", "Lan")
        welcome, consent = await says(lan, "/start", 2)
        assert "Xin chào Lan" in welcome and "tự động" in welcome  # told the answers are automated
        assert "1. ✅ Đồng ý" in consent and "2. ❌ Không đồng ý" in consent
        assert "Trả lời 1 hoặc 2" in consent

        (hint,) = await says(lan, "7")
        assert "từ 1 đến 2" in hint and "1. ✅ Đồng ý" in hint

        (province,) = await says(lan, "1")
        assert texts.ASK_PROVINCE in province and "Hà Nội" in province
        assert "Trả lời một số từ 1 đến" in province

        saved, commune = await says(lan, "ha noi", 2)
        assert "Hà Nội" in saved
        assert "1. ⏭ Bỏ qua" in commune

        (ready,) = await says(lan, "bo qua")
        assert texts.READY in ready
        menu = "Gõ số hoặc tên mục: 1 Học AI · 2 Kiểm tra · 3 Hỏi đáp · 4 Tuần lễ học tập · 5 Tiến độ · 6 Cài đặt"
        assert menu in ready
        (quiz_menu,) = await says(lan, "2")  # the menu's second item, by its number
        assert "📝 Bài kiểm tra" in quiz_menu and "1. " in quiz_menu

        (settings_text,) = await says(lan, "cai dat")  # a menu item typed without accents
        assert "Nơi ở: Hà Nội" in settings_text and "1. 📍 Đổi nơi ở" in settings_text


async def test_another_command_in_the_middle_of_a_quiz_keeps_it_for_kiemtra(db_url: str, fake: FakeZaloBot) -> None:
    """The same rule with numbered answers: after /hoc its numbers pick modules, /kiemtra resumes the quiz at its
    question, and a number then answers the quiz."""
    from tests.test_learning import CATALOG

    def right(shown: str) -> str:
        question = shown.split("\n")[0].split(". ", 1)[1]
        q = next(q for m in CATALOG.modules for q in m.quiz if q.question == question)
        return str(q.correct[0] + 1)

    async with running_bot(zalo_settings(db_url, fake)):
        lan = fake.user("u-quiz", "Lan")
        await says(lan, "/start", 2)
        await says(lan, "1")
        await says(lan, "ha noi", 2)
        await says(lan, "bo qua")
        await says(lan, "/kiemtra")
        _, first = await says(lan, "2", 2)  # the first module's quiz
        assert first.startswith("Câu 1/")
        _, second = await says(lan, right(first), 2)
        assert second.startswith("Câu 2/")
        modules, note = await says(lan, "/hoc", 2)
        assert "Chọn một mô-đun" in modules and note == "📝 Bài kiểm tra đang làm dở: gõ /kiemtra để làm tiếp."
        (lesson,) = await says(lan, "2")  # the list's second module: not an answer
        assert "Bài 1/" in lesson
        resumed, again = await says(lan, "/kiemtra", 2)
        assert "tiếp tục từ câu 2/" in resumed and again.startswith("Câu 2/")
        right_answer, third = await says(lan, right(again), 2)
        assert "Đúng rồi" in right_answer and third.startswith("Câu 3/")
        # A greeting is an aside: a friendly reply without the numbered main menu (its “1 Học AI” would sit
        # right above answers numbered 1, 2, 3), then the question; a number answers it.
        hello, asked = await says(lan, "xin chào", 2)
        assert "Gõ số hoặc tên mục" not in hello and "1 Học AI" not in hello
        assert asked == third
        # … and its words do not point at that menu (“… hoặc chọn một mục bên dưới nhé” before): they point at
        # the question's numbers, and say how to pause the quiz.
        assert hello.startswith("Xin chào!") and "bên dưới" not in hello
        assert "gõ số của đáp án" in hello and "/menu" in hello
        thanks, asked = await says(lan, "cảm ơn", 2)
        assert thanks.startswith("Không có gì ạ!") and "bên dưới" not in thanks and "gõ số của đáp án" in thanks
        assert asked == third
        right_answer, fourth = await says(lan, right(asked), 2)
        assert "Đúng rồi" in right_answer and fourth.startswith("Câu 4/")


async def test_a_number_means_the_same_after_a_restart(db_url: str, fake: FakeZaloBot) -> None:
    settings = zalo_settings(db_url, fake)
    lan, binh = fake.user("u-lan", "Lan"), fake.user("u-binh", "Bình")
    async with running_bot(settings):
        await says(lan, "/start", 2)
        await says(binh, "/start", 2)
    await asyncio.sleep(0.3)  # the stopped bot's last long poll ends
    async with running_bot(settings):
        (declined,) = await says(lan, "2")
        assert texts.CONSENT_DECLINED in declined
        (province,) = await says(binh, "Đồng ý")  # the option's words work as well as its number
        assert texts.ASK_PROVINCE in province


async def test_repeated_event_sticker_and_question(db_url: str, fake: FakeZaloBot) -> None:
    async with running_bot(zalo_settings(db_url, fake)) as bot:
        lan = fake.user("u1", "Lan")
        update = lan._message("message.text.received", text="/trogiup")
        await fake.deliver(update)
        await fake.deliver(update)  # the platform replays the same message id
        assert texts.HELP.splitlines()[0] in await lan.wait_reply()
        assert await stays_quiet(lan)

        await lan.send_sticker()
        assert texts.UNSUPPORTED_MEDIA in await lan.wait_reply()
        await lan.send_image()
        assert texts.UNSUPPORTED_MEDIA in await lan.wait_reply()

        (answer,) = await says(lan, "AI là gì?")
        if bot.runtime.dispatcher.router.text is None:
            assert texts.COMING_SOON in answer
        else:
            assert "AI" in answer and texts.ERROR not in answer


async def test_long_text_photo_quiz_and_file_are_degraded(db_url: str, fake: FakeZaloBot) -> None:
    async with running_bot(zalo_settings(db_url, fake)) as bot:
        zalo = bot.runtime.channels["zalo"]
        lan = fake.user("u1", "Lan")
        sentence = "Trí tuệ nhân tạo giúp con người học tập. "
        lesson = "\n\n".join(f"Đoạn {i}: " + sentence * 12 for i in range(12))
        await zalo.send(lan.user_id, Reply(lesson))
        parts = lan.texts()
        assert len(parts) >= 3 and all(len(p) <= 2000 for p in parts)
        assert "Đoạn 0:" in parts[0] and "Đoạn 11:" in parts[-1]

        quiz = QuizSpec("AI là gì?", ("Máy biết học", "Một loại cây", "Một con vật"), (0,))
        choices = [Choice(o, f"qa|{i}") for i, o in enumerate(quiz.options)]
        await zalo.send(lan.user_id, Reply("Câu 1/3", quiz=quiz, choices=choices))
        assert "2. Một loại cây" in lan.texts()[-1] and "Trả lời 1, 2 hoặc 3" in lan.texts()[-1]

        await zalo.send(lan.user_id, Reply("Hình minh hoạ", image="https://example.invalid/ai.png"))
        assert fake.calls_to("sendPhoto")[-1].params["caption"] == "Hình minh hoạ"

        certificate = Document("chung-nhan.pdf", b"%PDF-1.4", "Chứng nhận")
        await zalo.send(lan.user_id, Reply("", document=certificate))
        note = lan.texts()[-1]
        assert "chung-nhan.pdf" in note and "Chứng nhận" in note and "http" in note


async def test_send_errors_are_typed_for_the_pacer(
    db_url: str, fake: FakeZaloBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with running_bot(zalo_settings(db_url, fake)) as bot:
        zalo = bot.runtime.channels["zalo"]
        fake.user("gone", fate="blocked")
        fake.user("u1")
        with pytest.raises(Blocked):
            await zalo.send("gone", Reply("Thông báo"))
        with pytest.raises(Blocked):
            await zalo.send("never-wrote", Reply("Thông báo"))
        fake.rate_limit_next(method="sendMessage")
        with pytest.raises(RetryLater) as late:
            await zalo.send("u1", Reply("Thông báo"))
        assert late.value.retry_after > 0
        fake.fail_next(500, method="sendMessage")
        with pytest.raises(Transient):
            await zalo.send("u1", Reply("Thông báo"))
        assert (await zalo.send("u1", Reply("Thông báo"))).message_id
    assert fake.token not in caplog.text and fake.token.split(":")[1] not in caplog.text


async def test_webhook_mode_checks_the_secret(db_url: str, fake: FakeZaloBot) -> None:
    settings = zalo_settings(
        db_url, fake, zalo_webhook_url=f"https://bot.example.vn{HOOK_PATH}", zalo_webhook_secret=SECRET
    )
    async with running_bot(settings) as bot:
        assert fake.webhook is not None and fake.webhook["secret_token"] == SECRET
        fake.webhook["url"] = bot.url + HOOK_PATH  # the reverse proxy in front of us
        fake.duplicate_deliveries = True
        lan = fake.user("u1", "Lan")
        assert await lan.send("/trogiup") == 200
        assert texts.HELP.splitlines()[0] in await lan.wait_reply()
        assert await stays_quiet(lan)  # the duplicate delivery was ignored

        forged = {"ok": True, "result": lan._message("message.text.received", text="/trogiup")}
        assert await fake.post_webhook(forged, "not-the-secret") == 403
        assert await fake.post_webhook(forged, None) == 403
        assert await stays_quiet(lan)
        assert not fake.calls_to("getUpdates")
