"""Tuning round a8 (confident wrong answers): a voice-typed run-on whose story pulls to another entry while its
question clause asks just what one entry asks; an amount asked that the answer does not tell (a lesson passage whose
only number is of something else, an answer whose "một số" is no number). Through AnswerService.plan (what the chat
shows, no LLM)."""

from __future__ import annotations

import pytest

from handlers.answers.service import AnswerService


@pytest.mark.parametrize("q", [
    # Before: what to do once scammed ("đi làm", "chưa kịp" of the story), offered first
    "ờ cháu tôi cài cho tôi cái bot này rồi đi làm luôn chưa kịp chỉ thì là cái bot này dùng để làm gì vậy",
    # Before: how to start, offered
    "à con gái tôi cài cho tôi cái bot này rồi lên tỉnh đi làm luôn thì là cái bot này dùng để làm gì vậy",
])
def test_a_run_on_is_answered_by_its_question_clause_not_its_story(svc: AnswerService, q: str) -> None:
    result = svc.plan(q).fallback
    assert (result.decision, result.faq_id) == ("answer", "bot_what")
    assert "/hoc" in result.text


@pytest.mark.parametrize("q", [
    # Before: the lesson on VssID, whose only amount is the limit on a bank transfer
    "Bố tôi ở Hà Giang 68 tuổi, muốn gia hạn thẻ bảo hiểm y tế qua VssID thì mức đóng năm nay bao nhiêu?",
    # Before: what VssID is ("một số dịch vụ công" read as a number)
    "tôi muốn đóng bảo hiểm xã hội tự nguyện trên VssID, mỗi tháng đóng bao nhiêu",
])
def test_an_amount_no_answer_tells_is_not_answered_with_the_topic(svc: AnswerService, q: str) -> None:
    result = svc.plan(q).fallback
    assert result.decision != "answer", (q, result.faq_id)


def test_a_lesson_number_that_is_of_what_is_asked_still_answers(svc: AnswerService) -> None:
    result = svc.plan("chuyển khoản trên bao nhiêu tiền thì phải xác thực khuôn mặt").fallback
    assert result.decision == "answer" and "10 triệu" in result.text
