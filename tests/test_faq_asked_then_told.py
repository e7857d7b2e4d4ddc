"""Issue 16, batch Q (Central Vietnam, many parents): a question asked first and then told about ("…, ở quê sóng
yếu lắm", "…? Ở xã cháu mới nghe nói.") is answered as asked; what follows it only says why it is asked. Through
AnswerService.plan (what the chat shows, no LLM)."""

from __future__ import annotations

import pytest

from handlers.answers.service import AnswerService


@pytest.mark.parametrize(("question", "faq_id"), [
    ("ko có 4G thì xài chatgpt đc ko, xóm tui sóng yếu lắm", "chatgpt_internet"),
    ("Phong trào Bình dân học AI là chi rứa? Hôm qua loa xã mới đọc.", "bdhai_what"),
])
def test_what_is_told_after_the_question_does_not_change_what_is_asked(svc: AnswerService, question: str,
                                                                         faq_id: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", faq_id), question


@pytest.mark.parametrize("question", [
    "Năm nay tuổi Dần có phải cúng sao giải hạn không?",
    "bà tui hỏi đi chùa dâng sao giải hạn có cần không",
])
def test_rites_against_a_bad_year_are_not_ours(svc: AnswerService, question: str) -> None:
    result = svc.plan(question).fallback
    assert result.refused and result.out_of_scope, question


@pytest.mark.parametrize("question", [
    "Mật khẩu gia đình có phải là mật khẩu Wi-Fi của nhà mình không?",
    "Mật khẩu gia đình có phải là mật khẩu Zalo của cả nhà không?",
])
def test_what_comes_before_is_it_is_what_is_asked_about(svc: AnswerService, question: str) -> None:
    # "X có phải là Y không" asks what X is: the entry on Y (Wi-Fi in public, Zalo's password) does not tell it
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", "family_password"), question


def test_an_entry_on_both_things_still_answers_is_it(svc: AnswerService) -> None:
    result = svc.plan("Bình dân học vụ số có phải là Bình dân học AI không").fallback
    assert (result.decision, result.faq_id) == ("answer", "bdhvs_vs_bdhai")


def test_central_words_for_which_thing_and_telling_someone_fold_as_said_elsewhere() -> None:
    from content.textnorm import fold
    assert fold("trí tuệ nhân tạo là cấy chi") == fold("trí tuệ nhân tạo là cái gì")
    assert fold("cứ biểu người già đi học") == fold("cứ bảo người già đi học")
    assert fold("học hành chi nữa") == fold("học hành gì nữa")
    assert "cay lua" in fold("cấy lúa xong rồi") and "bieu mau" in fold("biểu mẫu đăng ký")


def test_what_ai_is_asked_in_central_words_is_no_farming_question(svc: AnswerService) -> None:
    # Before: "cấy" (folded "cay", a plant) found AI for farming
    result = svc.plan("trí tuệ nhân tạo là cấy chi").fallback
    assert (result.decision, result.faq_id) == ("answer", "ai_what")


@pytest.mark.parametrize(("question", "faq_id"), [
    ("con tôi tiếng anh yếu lắm, học AI có nổi không", "ai_need_english"),  # weak at English: not knowing it
    ("gia đìng học tập với cộng đồng học tập khác nhau chỗ nào", "models_compare"),  # "đìng" for "đình", as heard
])
def test_weak_english_and_last_letters_as_heard(svc: AnswerService, question: str, faq_id: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", faq_id), question
