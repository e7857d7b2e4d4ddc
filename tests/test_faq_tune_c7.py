"""Tuning round c7: answerable messages that were refused. Feelings shared with a cause that asks nothing (the
cold, rain or the sea keeping one from work, a crop eaten), an exclamation that it is hard, asking whether the
bot is free to chat: friendly small talk. Through AnswerService.plan (what the chat shows, no LLM)."""

from __future__ import annotations

import pytest

from handlers.answers.service import AnswerService


@pytest.mark.parametrize("q", [
    # Before: "không ra"/"không lên" read as a question ("… không?"), so "mình chưa chắc"
    "Chán ghê, gió mùa về cả tuần không ra biển được",
    "mưa suốt cả tuần không lên nương được, buồn quá",
    # Before: "ăn mất hết" read as money lost
    "Buồn lắm, vườn rau bị sâu ăn mất hết rồi",
    # Before: "sao mà khó thế" read as a question
    "trời đất ơi sao mà khó quá, tui chán học lắm rồi",
    # Before: the cold exclaimed was no small talk
    "ở Hà Giang nay rét cắt da luôn bot ơi",
    # Before: "rảnh không" asked the bot was no small talk
    "bot ơi, có rảnh không",
])
def test_small_talk(svc: AnswerService, q: str) -> None:
    assert svc.plan(q).fallback.decision == "smalltalk", q


@pytest.mark.parametrize("q", [
    # a problem told after a feeling is still asked about
    "chán quá, vneid không lên được",
    "buồn quá, tôi bị lừa mất hết tiền",
])
def test_trouble_after_a_feeling_is_no_small_talk(svc: AnswerService, q: str) -> None:
    assert svc.plan(q).fallback.decision != "smalltalk", q


@pytest.mark.parametrize(("q", "entry"), [
    # Before: refused ("mình chưa chắc"): the story's own words left the entry under the coverage asked of a
    # suggestion, though it scored far ahead of any other
    ("Có kẻ trộm bò ngoài chuồng thì gọi 113 hay 156?", "report_scam"),
    ("thằng con đi Nhật gọi video về xin tiền gấp mà hình cứ nhòe nhòe", "deepfake_video_call"),
    ("bot gửi tin nhiều quá, đang cắt lúa điện thoại reo hoài, muốn tắt", "bot_unsubscribe"),
])
def test_clear_winner_is_offered(svc: AnswerService, q: str, entry: str) -> None:
    result = svc.plan(q).fallback  # offered first, or answered (the emergency line: since T10 an entry's question)
    if result.decision == "answer":
        assert result.faq_id == entry, q
        return
    assert result.decision == "suggest", q
    assert result.suggestions[0][0] == entry, q
