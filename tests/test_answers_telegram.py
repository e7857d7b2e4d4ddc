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
    llm.reply(LLM_WEEK, chunk_words=2)
    llm.slow(0.2, between_chunks=0.06)  # ~25 chunks over ~1.7 s
    async with running_bot(settings_for(db_url, tg, llm)) as bot:
        lan = tg.user(5551001, first_name="Lan")
        msg, elapsed = await ask(tg, lan, WEEK_Q)
        assert msg["text"].startswith(LLM_WEEK)
        assert "\n\nNguồn: Tuần lễ hưởng ứng học tập suốt đời" in msg["text"]
        assert lan.buttons() == ["👍 Hữu ích", "👎 Chưa đúng ý"]
        drafts = [c for c in tg.calls("sendMessageDraft") if c.chat_id == lan.id]
        assert 2 <= len(drafts) <= elapsed / 0.6 + 1, f"{len(drafts)} drafts in {elapsed:.2f}s"
        gaps = [b.time - a.time for a, b in itertools.pairwise(drafts)]
        assert min(gaps) >= 0.5  # no edit storm: at most ~2 updates a second
        assert LLM_WEEK.startswith(tg.drafts(lan.id)[-1]["text"].strip())  # drafts show the growing text
        assert tg.sent_to(lan.id) == 1  # exactly one final sendMessage
        print(f"streamed answer: {len(drafts)} drafts, final message after {elapsed:.2f}s")
        assert not tg.calls("editMessageText")
        async with bot.runtime.services.db.session() as s:
            row = (await s.exec(select(AnswerLog))).one()
        assert (row.mode, row.faq_id, row.refused) == ("llm", "week_what", False)


@pytest.mark.parametrize("trouble", ["slow", "fail"])
async def test_dead_or_slow_llm_gives_the_curated_answer_within_3_seconds(
    db_url: str, tg: FakeTelegram, llm: FakeOpenAI, trouble: str
) -> None:
    if trouble == "slow":
        llm.slow(10)
    else:
        llm.fail(500)
    async with running_bot(settings_for(db_url, tg, llm)) as bot:
        an = tg.user(5551002, first_name="An")
        msg, elapsed = await ask(tg, an, WEEK_Q)
        assert elapsed < 3.0, f"answer after {elapsed:.2f}s"
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
