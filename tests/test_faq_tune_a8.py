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


@pytest.mark.parametrize("q", [
    # Before: organising a group class ("bài dạy … vs" of the group's learning together)
    "bot có bài dạy dùng Excel với Word không, em cần cho công việc văn phòng",
    # Before: how to report a number to 156 (the hours asked before the ending)
    "tổng đài 156 làm việc mấy giờ, chủ nhật có nghe máy không",
])
def test_what_no_entry_tells_is_not_answered_with_a_neighbour(svc: AnswerService, q: str) -> None:
    result = svc.plan(q).fallback
    assert result.decision != "answer", (q, result.faq_id)


@pytest.mark.parametrize(("q", "faq_id"), [
    ("dùng Copilot trong Word, Excel có được không", "copilot_what"),  # its answer tells it (Copilot Pro)
])
def test_the_entries_that_tell_it_still_answer(svc: AnswerService, q: str, faq_id: str) -> None:
    result = svc.plan(q).fallback
    assert (result.decision, result.faq_id) == ("answer", faq_id)


def test_every_year_asks_no_year() -> None:
    from handlers.answers.gaps import _typed_details
    assert not _typed_details("nam nao xa cung treo bang ron")
    assert _typed_details("phong trao ket thuc nam nao")


@pytest.mark.parametrize("q", [
    # Before: ChatGPT's free version ("miễn phí" read as the price of the paid one)
    "Con tôi bảo ChatGPT có gói trả tiền xịn hơn, tôi muốn mua cho nó thì mỗi tháng giá bao nhiêu",
    # Before: how to see the leaderboard (no weekday in it)
    "bảng xếp hạng trên bot mỗi tuần tính lại từ thứ mấy",
    # Before: what the bot does not answer (no time in it)
    "câu hỏi bot chuyển cho cán bộ thì bao lâu cán bộ mới trả lời",
])
def test_a_detail_the_answer_does_not_give_is_not_answered(svc: AnswerService, q: str) -> None:
    result = svc.plan(q).fallback
    assert result.decision != "answer", (q, result.faq_id)


@pytest.mark.parametrize(("q", "faq_id"), [
    ("Bảng xếp hạng ở đâu, tui muốn coi tui đứng thứ mấy trong ấp", "bot_leaderboard"),  # a rank, no weekday
    ("lam sao xem minh dong bao hiem xa hoi duoc bao lau tren dien thoai", "vssid_what"),  # one's own record
])
def test_a_rank_or_ones_own_record_is_no_detail_asked(svc: AnswerService, q: str, faq_id: str) -> None:
    result = svc.plan(q).fallback
    assert (result.decision, result.faq_id) == ("answer", faq_id)
