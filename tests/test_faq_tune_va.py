"""Issue 16, batch V (wrong answers): a request to get into someone else's account behind their back, or to be shown
how to cook however it names AI, is out of scope; how many days a procedure takes and whether an office works on a
Saturday, asked of an entry that tells neither, get "not sure of the detail" with the nearest entries instead of the
entry as it is. Through AnswerService.plan (what the chat shows, no LLM)."""

from __future__ import annotations

import pytest

from content.intents import out_of_scope
from handlers.answers.service import NO_DETAIL, NO_FEATURE, REFUSE_OUT_OF_SCOPE, AnswerService


@pytest.mark.parametrize("question", [
    # Before: the entry on a hijacked Zalo ("vào Zalo", "đọc tin nhắn")
    "Chỉ tôi cách vào Zalo của chồng để đọc tin nhắn mà ổng không biết",
    "làm sao xem trộm tin nhắn zalo của vợ",
    "hack facebook của người yêu cũ được không",
    "muon doc tin nhan messenger cua vo ma vo khong biet thi lam sao",
    # Before: the entry on speaking to an AI ("hỏi AI là biết"): "chỉ cách" asks with no question word
    "Chỉ cách nấu bánh chưng bằng nồi cơm điện, nghe nói hỏi AI là biết",
    "bày cách làm bánh với, nghe nói hỏi ChatGPT được",
])
def test_spying_and_cooking_are_out_of_scope(svc: AnswerService, question: str) -> None:
    result = svc.plan(question).fallback
    assert result.refused and result.out_of_scope and result.text == REFUSE_OUT_OF_SCOPE


@pytest.mark.parametrize("question", [
    "Zalo của chồng tôi bị hack thì làm sao",  # being hacked: a scam, ours
    "mẹ muốn xem tin nhắn zalo của con có an toàn không",  # nothing behind anyone's back
    "chỉ tôi cách dùng AI để nấu ăn",  # asking how to use AI for it
    "dạy tôi cách hỏi AI công thức nấu canh chua",
    "Chỉ tôi cách cài Zalo cho mẹ",
])
def test_what_stays_ours(question: str) -> None:
    assert out_of_scope(question) is None


@pytest.mark.parametrize(("question", "intro"), [
    # Before: the entry's steps, which tell no number of days
    ("Cháu ơi, bà nộp yêu cầu cấp lại căn cước trên VNeID rồi thì mấy ngày có thẻ mới hả cháu?", NO_DETAIL),
    ("Đổi số điện thoại VNeID ở công an xã thì chờ mấy ngày mới xong vậy mấy anh?", NO_DETAIL),
    ("cấp lại căn cước mất bao nhiêu ngày thì có", NO_DETAIL),
    # Before: what can be done online ("làm việc sáng thứ bảy": the day after the verb)
    ("Cho hỏi Trung tâm Phục vụ hành chính công của xã có làm việc sáng thứ bảy không ạ?", NO_FEATURE),
    ("bộ phận một cửa có làm việc chủ nhật không", NO_FEATURE),
    # Before: the 156 hotline's entry, which tells no hours ("ban đêm" between the verb and the day)
    ("tong dai 156 co lam viec ca ban dem va chu nhat khong", NO_FEATURE),
    ("tổng đài 156 có trực ban đêm không", NO_FEATURE),
])
def test_days_asked_that_no_entry_tells_are_not_answered(svc: AnswerService, question: str, intro: str) -> None:
    result = svc.plan(question).fallback
    assert result.decision == "suggest" and result.text.startswith(intro)


def test_a_span_of_dates_still_answers_how_many_days(svc: AnswerService) -> None:
    result = svc.plan("Tuần lễ học tập suốt đời kéo dài mấy ngày").fallback
    assert (result.decision, result.faq_id) == ("answer", "week_when")


@pytest.mark.parametrize("question", [
    # Before: the entry on writing a New Year's letter with AI (the wishes were searched with the question)
    "Bot ơi chúc mừng năm mới nhé! Năm mới tôi muốn đi học thêm, ở xã mình có chỗ nào học không?",
])
def test_wishes_said_first_are_not_searched(svc: AnswerService, question: str) -> None:
    result = svc.plan(question).fallback
    assert result.faq_id != "ai_write_documents"
    assert result.decision != "answer" or result.faq_id in {"community_learning_center", "ai_learn_where"}


@pytest.mark.parametrize(("question", "entry"), [
    ("Chào bot. Quên mật khẩu Zalo thì lấy lại thế nào?", "zalo_forgot_password"),
    ("Cảm ơn bot nhiều nhé. Cho hỏi VNeID quên mật khẩu thì làm sao?", "vneid_forgot_password"),
])
def test_a_question_after_a_greeting_is_answered(svc: AnswerService, question: str, entry: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry)
