"""Batch dev_t2 (speakers of Vietnamese as a second language, commune officers): who one is ("tôi người Dao"), whom
one asks ("anh cán bộ ơi"), what was heard ("nghe nói có …"), a minority language no content speaks of, a payment
for farm goods, a hospital gone to, and chat that tells what one learnt. Through AnswerService.plan (no LLM)."""

from __future__ import annotations

import pytest

from handlers.answers.service import AnswerService


@pytest.mark.parametrize(("question", "entry"), [
    ("AI là cái gì vậy cháu, bà là người Tày, đọc chữ chưa giỏi", "ai_what"),
    ("Chú công an ơi, tôi nghe nói có Ngày Khuyến học, là ngày mấy", "ngay_khuyen_hoc"),
    ("dip phech là gì thế", "deepfake_what"),
    ("ra chợ bắt wifi miễn phí để chuyển tiền phân bón cho đại lý có sao không", "public_wifi"),
    ("sổ sức khỏe điện tử trên VNeID là gì, lên bệnh viện huyện có dùng được không", "so_suc_khoe"),
    ("ở bản tôi, tuần lễ học tập có mấy hoạt động gì hay không", "week_activities"),
    ("Con gái cài cho mẹ cái VNeID, mà lên mức 2 ở đâu?", "vneid_level2"),
])
def test_answered(svc: AnswerService, question: str, entry: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry)


def test_a_minority_language_is_not_answered_with_english_or_vietnamese(svc: AnswerService) -> None:
    # not the entries on ChatGPT's English or learning AI without English; the bot's own languages ("Chưa. Hiện bot
    # chỉ dùng tiếng Việt…", written after this test) is the answer
    result = svc.plan("Bot có dạy bằng tiếng Gia Rai không, người già trong làng chưa đọc được tiếng Việt").fallback
    assert result.decision != "answer" or (result.faq_id == "bot_language" and "chỉ dùng tiếng Việt" in result.text)


@pytest.mark.parametrize("question", [
    "Xin chào, tôi là cán bộ thôn Plei Ku, hôm nay mới dùng bot",
    "Tối nay tôi học xong bài về trí tuệ nhân tạo, hay lắm bot ạ",
    "Chào bot, tôi là Hờ A Sử ở bản Sín Chải, làm quen chút nhé",
])
def test_chat_that_tells_is_small_talk(svc: AnswerService, question: str) -> None:
    assert svc.plan(question).fallback.decision == "smalltalk"


@pytest.mark.parametrize("question", ["bón phân gì cho cà phê", "tôi là người chăm chỉ, học AI có khó không"])
def test_farming_and_words_like_a_people_stay_as_they_were(svc: AnswerService, question: str) -> None:
    result = svc.plan(question).fallback
    assert not (result.decision == "answer" and result.faq_id in ("ai_bias", "public_wifi"))
