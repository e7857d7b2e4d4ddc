"""Issue 16, long stories and voice-typed run-ons (dev_story): what a story asks once it is told. Through
AnswerService.plan (what the chat shows, no LLM)."""

from __future__ import annotations

import pytest

from content.textnorm import actions
from handlers.answers.service import AnswerService


@pytest.mark.parametrize("question", [
    "toi hay bi goi lua dao, chan hoai khong het, nghe noi bao so lua dao cho nha nuoc duoc, lam the nao",
    "muốn tố giác số điện thoại lừa đảo thì gọi đâu",
])
def test_reporting_a_scam_number_is_asked_as_such(svc: AnswerService, question: str) -> None:
    # Before: without accents, "báo số lừa đảo cho nhà nước" found the entry on how crooks use AI (its question
    # names "giả nhà nước") and answered it: reporting is an action of its own, asked only of the entries on it.
    result = svc.plan(question).fallback
    if result.decision == "suggest":  # offered first: the nearest asked questions name the 156 line's own entry
        assert result.faq_id == "report_scam" and "report_156" in [d for d, _ in result.suggestions], question
        return
    assert result.decision == "answer" and "156" in result.text, (question, result.faq_id)


def test_reporting_said_in_several_ways_is_one_action() -> None:
    report = actions("báo số lừa đảo ở đâu")
    for said in ("bao so lua dao o dau", "tố giác kẻ lừa đảo", "trình báo công an", "báo tin nhắn lừa đảo"):
        assert report <= actions(said) | {"lua"}, said
    assert not {"bao so lua dao"} & actions("con tôi bảo số này lạ lắm")


def test_a_story_that_tips_the_whole_message_to_a_neighbour_is_answered_by_what_its_ending_asks(
        svc: AnswerService) -> None:
    # Before: refused. The story's words (micro, voice typing) put the entry on voice typing first for the whole
    # message, AI's bias a close second; the ending alone asks for the bias, clearly.
    result = svc.plan("Bà nhà tôi người Huế, nói giọng nặng. Bấm nút micro nói thì máy ghi ra toàn chữ sai, con trai "
                      "tôi nói thì nó hiểu ngay. Sao máy lại phân biệt vậy?").fallback
    assert (result.decision, result.faq_id) == ("answer", "ai_bias")
    # An ending of one word of its own ("thuê") tells too little to overrule the whole message.
    short = svc.plan("bị lừa r, thấy có dv đòi lại tiền trên zalo, có nên thuê ko").fallback
    assert short.decision != "answer" or short.faq_id == "scam_victim", short.faq_id


@pytest.mark.parametrize("question", [
    "Chồng tôi mất rồi, ở nhà một mình buồn, thấy hội khuyến học xã năm nào cũng trao học bổng cho các cháu nhà nghèo "
    "học giỏi nên tôi muốn đóng góp. Vào hội thì làm thế nào hả bot?",
    "Tôi về hưu được mấy năm, rảnh rỗi, hay thấy hội khuyến học trao phần thưởng cho học sinh nghèo vượt khó ở thôn. "
    "Vào hội thì phải làm gì?",
])
def test_a_story_s_clear_winner_that_does_not_cover_its_ending_is_not_answered(svc: AnswerService,
                                                                               question: str) -> None:
    # Before: the scholarships entry, far ahead on the story's words, was answered though joining the association
    # is what the ending asks (and another entry's question asks that).
    result = svc.plan(question).fallback
    assert result.decision != "answer" or result.faq_id == "khuyen_hoc_join", result.faq_id


def test_how_one_feels_said_of_oneself_after_the_question_is_not_asked(svc: AnswerService) -> None:
    # Before: "… có nên cài không hay sao tôi thấy nghi nghi nói chung là sợ" was refused: "tôi thấy … sợ" after the
    # question was searched as what is asked ("…, sợ quá" alone already was not).
    from content.textnorm import question_core

    assert question_core("có nên cài không tôi sợ quá") == question_core("có nên cài không")
    assert question_core("giờ phải làm gì nói chung tôi lo quá") == question_core("giờ phải làm gì")
    assert question_core("có bị lộ không tôi thấy lo lo là sợ") == question_core("có bị lộ không")
    result = svc.plan("ờ có đứa nhắn tin xưng bên bảo hiểm xã hội bảo tôi cài cái ứng dụng qua đường link để nhận "
                      "tiền hỗ trợ thì là có nên cài không hay sao tôi thấy lo lo là sợ").fallback
    assert (result.decision, result.faq_id) == ("answer", "fake_app_install")


def test_a_password_forgotten_after_a_long_while_told_without_a_question_is_answered(svc: AnswerService) -> None:
    # Before (dev_story): "… có cài VssID để xem, mà lâu không vào quên mật khẩu mất" (told, not asked) was refused:
    # the entry had no way of saying it as a citizen tells it.
    result = svc.plan("Bố tôi cài cái VssID từ năm ngoái, lâu không dùng nên giờ không nhớ mật khẩu.").fallback
    assert (result.decision, result.faq_id) == ("answer", "vssid_forgot_password")
    assert "8079" in result.text
