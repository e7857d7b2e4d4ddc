"""Remarks and insults aimed at the bot, and an old phone to sell (2026-12-02, seventeenth session)."""

from __future__ import annotations

import pytest

from content.catalog import load_catalog
from content.search import SearchIndex
from handlers.answers.service import AnswerService


@pytest.fixture(scope="module")
def svc() -> AnswerService:
    catalog = load_catalog()
    return AnswerService(catalog, SearchIndex.from_catalog(catalog))


@pytest.mark.parametrize("message", ["bot vô dụng quá", "vo dung", "app này vô ích quá"])
def test_calling_the_bot_useless_gets_an_apology_not_a_list_of_entries(svc: AnswerService, message: str) -> None:
    # Before: "Có phải bạn muốn hỏi…" with how to stop the bot's messages, or the entry on AI reading aloud.
    result = svc.plan(message).fallback
    assert result.decision == "smalltalk" and result.text.startswith("Xin lỗi bạn nhé")


@pytest.mark.parametrize("message", ["mày thằng ngu", "may thang ngu"])
def test_an_insult_is_not_answered_with_the_dates_of_the_week(svc: AnswerService, message: str) -> None:
    # Before: "mấy tháng" read in "may thang": when the Week is, offered first.
    result = svc.plan(message).fallback
    assert result.refused and not result.suggestions


def test_selling_an_old_phone_is_not_what_an_old_phone_can_run(svc: AnswerService) -> None:
    # Before: answered with "Dùng AI có cần máy tính không hay điện thoại là đủ?" (its "Điện thoại cũ có dùng được
    # ChatGPT không?"): selling is asked of no entry.
    assert svc.plan("điện thoại cũ vô dụng rồi bán đi được không").fallback.decision != "answer"
    result = svc.plan("điện thoại cũ có dùng chatgpt được không").fallback
    assert (result.decision, result.faq_id) == ("answer", "ai_device")


@pytest.mark.parametrize("message", ["ok cảm ơn cán bộ nhiều nhiều", "cam on can bo nhieu", "cám ơn các cán bộ hội"])
def test_thanking_the_officers_is_thanks(svc: AnswerService, message: str) -> None:
    # Before: "cán bộ" read as "cần" (a need) and more words: refused, or the entry on officers' training answered.
    assert svc.plan(message).fallback.decision == "smalltalk"
    result = svc.plan("cán bộ xã có dùng bot gửi tin được không").fallback
    # answered, or offered first when the asked questions doubt it: an entry on using the bot, not thanks
    assert result.decision in ("answer", "suggest") and (result.faq_id or "").startswith("bot_")


@pytest.mark.parametrize("message", ["giờ sao", "bây giờ làm sao", "giờ phải làm gì", "lam j bh"])
def test_what_now_said_alone_is_asked_again_not_answered(svc: AnswerService, message: str) -> None:
    # Before: "bây giờ làm sao" got the two-tier local government ("bây giờ còn huyện không") with its source line,
    # "giờ phải làm gì" what to do once scammed: nothing named, so no entry is the answer.
    result = svc.plan(message).fallback
    assert result.decision == "smalltalk" and result.text.startswith("Mình chưa hiểu ý bạn"), result.text


def test_a_story_asking_what_it_named_is_still_searched(svc: AnswerService) -> None:
    result = svc.plan("người ta cứ nói chuyển đổi số, rốt cuộc nó là gì vậy").fallback
    assert result.decision in ("answer", "suggest") and result.faq_id == "digital_transformation_what", result.faq_id
