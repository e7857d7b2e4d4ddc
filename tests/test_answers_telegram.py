"""FAQ answers on Telegram end to end: the real python-telegram-bot against the fake Bot API, the LLM
against the fake OpenAI server. Streaming drafts, one final message, and the 3-second fall-back."""

from __future__ import annotations

import itertools
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlmodel import select

from bot.db.models_faq import AnswerLog, Feedback
from handlers.answers.service import FIRST_TOKEN_TIMEOUT
from tests.conftest import make_settings
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegram
from tests.harness import running_bot

WEEK_Q = "tuan le hoc tap la gi"
LLM_WEEK = (
    "Tuần lễ hưởng ứng học tập suốt đời diễn ra từ ngày 1 đến ngày 7 tháng 10 hằng năm [1]. "
    "Trong tuần, các địa phương, trường học, thư viện và Hội Khuyến học tổ chức nhiều hoạt động "
    "đọc sách, học tập, tìm hiểu chuyển đổi số [1]."
)


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake
        fake.assert_clean()


@pytest.fixture
async def llm() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI() as fake:
        yield fake


def settings_for(db_url: str, tg: FakeTelegram, llm: FakeOpenAI) -> Any:
    return make_settings(
        db_url, telegram_bot_token=DEFAULT_TOKEN, telegram_api_base_url=tg.base_url,
        openai_api_key=llm.api_key, openai_base_url=llm.base_url,
    )


async def ask(tg: FakeTelegram, user: Any, text: str) -> tuple[dict[str, Any], float]:
    """Send a question; return the one new bot message and how long it took to arrive."""
    before = len(user.messages())
    start = time.monotonic()
    await user.send(text)
    msgs = await user.wait_for(before + 1, timeout=12)
    return msgs[before], time.monotonic() - start


async def test_llm_answer_streams_as_drafts_then_one_message_with_sources(
    db_url: str, tg: FakeTelegram, llm: FakeOpenAI
) -> None:
    answer = f"{LLM_WEEK} Ai cũng có thể tham gia [1]. Hãy hỏi Hội Khuyến học ở xã bạn [1]."
    llm.reply(answer, chunk_words=2)
    llm.slow(0.2, between_chunks=0.08)  # ~25 chunks over ~2 s
    async with running_bot(settings_for(db_url, tg, llm)) as bot:
        lan = tg.user(5551001, first_name="Lan")
        msg, elapsed = await ask(tg, lan, WEEK_Q)
        assert msg["text"].startswith(answer)
        assert "\n\nNguồn: Tuần lễ hưởng ứng học tập suốt đời" in msg["text"]
        assert lan.buttons() == ["👍 Hữu ích", "👎 Chưa đúng ý"]
        drafts = [c for c in tg.calls("sendMessageDraft") if c.chat_id == lan.id]
        assert 2 <= len(drafts) <= elapsed / 0.6 + 1, f"{len(drafts)} drafts in {elapsed:.2f}s"
        gaps = [b.time - a.time for a, b in itertools.pairwise(drafts)]
        assert min(gaps) >= 0.5  # no edit storm: at most ~2 updates a second
        # drafts show the growing text, whole sentences only
        assert all(answer.startswith(d["text"]) and d["text"].endswith("[1].") for d in tg.drafts(lan.id))
        assert tg.sent_to(lan.id) == 1  # exactly one final sendMessage
        print(f"streamed answer: {len(drafts)} drafts, final message after {elapsed:.2f}s")
        assert not tg.calls("editMessageText")
        async with bot.runtime.services.db.session() as s:
            row = (await s.exec(select(AnswerLog))).one()
        assert (row.mode, row.faq_id, row.refused) == ("llm", "week_what", False)


@pytest.mark.parametrize("trouble", ["slow", "fail"])
async def test_dead_or_slow_llm_gives_the_curated_answer_at_the_first_token_deadline(
    db_url: str, tg: FakeTelegram, llm: FakeOpenAI, trouble: str
) -> None:
    if trouble == "slow":
        llm.slow(10)
    else:
        llm.fail(500)
    async with running_bot(settings_for(db_url, tg, llm)) as bot:
        an = tg.user(5551002, first_name="An")
        msg, elapsed = await ask(tg, an, WEEK_Q)
        # The curated answer goes out at the first-token deadline (FIRST_TOKEN_TIMEOUT, 2 s: about 2.1 s on an
        # idle machine, within the 3 s promise), never after the model's 10 s. The bound leaves room for a
        # loaded test machine; the time itself is a figure, not an assertion.
        assert elapsed < FIRST_TOKEN_TIMEOUT + 4.0, f"answer after {elapsed:.2f}s: the deadline did not cut in"
        print(f"{trouble} LLM: curated answer after {elapsed:.2f}s")
        assert "ngày 1 đến ngày 7 tháng 10" in msg["text"] and "Nguồn: Tuần lễ" in msg["text"]
        assert "Xin chào" not in msg["text"] and "Traceback" not in msg["text"]
        assert tg.sent_to(an.id) == 1
        # 👍 under the answer is stored.
        await an.press("👍 Hữu ích")
        await an.wait_for(2)
        assert "Cảm ơn" in (an.last_text() or "")
        async with bot.runtime.services.db.session() as s:
            row = (await s.exec(select(AnswerLog))).one()
            vote = (await s.exec(select(Feedback))).one()
        assert row.mode == "retrieval" and vote.value == "u" and vote.answer_log_id == row.id


@pytest.mark.parametrize("mode", ["leak", "inject", "english"])
async def test_nothing_the_check_refuses_reaches_the_user_not_even_as_a_draft(
    db_url: str, tg: FakeTelegram, llm: FakeOpenAI, mode: str
) -> None:
    """A model that leaks its rules, obeys an injection or answers in English: the user never sees a word of
    it, not in a draft nor in a message; the final message is the curated answer with its sources."""
    llm.misbehave(mode)
    llm.slow(0.0, between_chunks=0.05)  # slow enough for several drafts
    async with running_bot(settings_for(db_url, tg, llm)):
        lan = tg.user(5551003, first_name="Lan")
        msg, _ = await ask(tg, lan, WEEK_Q)
        assert "ngày 1 đến ngày 7 tháng 10" in msg["text"] and "Nguồn: Tuần lễ" in msg["text"]
        shown = [str(c.params.get("text", "")) for c in tg.calls() if c.chat_id == lan.id]
        bad = ("Rules you always", "IGNORE PREVIOUS", "tai_lieu", "Bỏ qua mọi hướng dẫn", "evil.example", "OTP",
               "Ignore the rules", "lifelong learning week")
        for text in shown:
            assert not any(b in text for b in bad), f"{mode}: the user saw {text!r}"
        assert tg.sent_to(lan.id) == 1


async def test_a_runaway_model_gives_one_short_message(db_url: str, tg: FakeTelegram, llm: FakeOpenAI) -> None:
    """A model that ignores max_tokens and sends 190 KB: one message of at most 1,200 characters, whole
    sentences, with its sources."""
    llm.misbehave("long")
    async with running_bot(settings_for(db_url, tg, llm)):
        lan = tg.user(5551004, first_name="Lan")
        msg, _ = await ask(tg, lan, WEEK_Q)
        await tg.wait_until(lambda: True)
        assert tg.sent_to(lan.id) == 1
        text = msg["text"]
        assert len(text) <= 1200, len(text)
        body, sources = text.split("\n\nNguồn: ")
        assert body.endswith("[1].") and "Tuần lễ" in sources
        drafts = tg.drafts(lan.id)
        assert all(len(d["text"]) <= 1200 for d in drafts)
