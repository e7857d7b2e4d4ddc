"""Issue 16, how people really type: spellings typed as heard ("máy tín", "đặc mật khẩu", "an toàng", "in tờ nét",
"định dang điện tử", "sài"), Northern forms ("ối giời ơi", "là cái giống gì", "nhận ra kiểu gì"), the frames of a
voice-typed run-on ("nghe trên loa xã nói …", "… giải thích cho tôi với"), a goodbye with "lại" in it, elections, and
whether one's own family is on a list of the place. Through AnswerService.plan (what the chat shows, no LLM)."""

from __future__ import annotations

import pytest

from content.intents import out_of_scope, small_talk
from content.textnorm import fold, question_core
from handlers.answers.service import AnswerService


@pytest.mark.parametrize(("typed", "meant"), [
    ("không có máy tín bàn", "khong co may tinh ban"),
    ("đặc mật khẩu zalo", "dat mat khau zalo"),
    ("cho an toàng", "cho an toan"),
    ("mạng in tờ nét", "mang internet"),
    ("mang in-to-net", "mang internet"),
    ("tai khoan dinh dang dien tu", "tai khoan dinh danh dien tu"),
    ("sài điện thoại", "dung dien thoai"),
    ("cái deepfake là cái giống gì", "cai deepfake la gi"),
    ("nhận biết kiểu gì", "nhan biet the nao"),
    ("co may buoc", "co bao nhieu buoc"),
])
def test_spellings_typed_as_heard_fold_to_the_word(typed: str, meant: str) -> None:
    assert fold(typed) == meant


@pytest.mark.parametrize(("kept", "folded"), [
    ("đặc sản", "dac san"),
    ("ở Sài Gòn", "o sai gon"),
    ("định dạng file", "dinh dang file"),
    ("co may tinh khong", "co may tinh khong"),
    ("nó học kiểu gì mà giỏi thế", "no hoc kieu gi ma gioi the"),
])
def test_words_of_their_own_are_kept(kept: str, folded: str) -> None:
    assert fold(kept) == folded


def test_an_exclamation_and_a_request_to_explain_are_no_part_of_the_question() -> None:
    assert question_core("Ôi giời ơi cái AI là cái gì") == "cai ai la cai gi"
    assert question_core("giời ạ, vneid là gì bác giải thích cho cháu với") == "vneid la gi"
    assert question_core("tôi nghe qua đài nói có ngày khuyến học mà chẳng biết để làm gì") == \
        "ngay khuyen hoc de lam gi"


@pytest.mark.parametrize(("question", "entry"), [
    ("giời ơi cái deepfake là cái giống gì thế", "deepfake_what"),
    ("không có máy tín thì sài AI được không", "ai_device"),
    ("điện thoại không có in tờ nét thì hỏi chatgpt được không", "chatgpt_internet"),
    ("mật khẩu nên đặc sao cho an toàng", "password_safety"),
    ("tạo tài khoản định dang điện tử ở đâu", "vneid_level2"),
])
def test_a_question_typed_as_heard_is_answered(svc: AnswerService, question: str, entry: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry)


def test_a_goodbye_that_says_it_will_ask_again_is_small_talk(svc: AnswerService) -> None:
    assert small_talk("thôi chào nhé mai tui sẽ hỏi tiếp") == "bye"
    assert small_talk("hôm khác em lại học tiếp nha") == "bye"
    assert svc.plan("thôi chào nhé mai tui sẽ hỏi tiếp").fallback.decision == "smalltalk"


@pytest.mark.parametrize("question", [
    "nên bỏ phiếu cho ứng cử viên nào",
    "đại biểu quốc hội tỉnh mình là những người nào",
])
def test_elections_are_out_of_scope(svc: AnswerService, question: str) -> None:
    assert out_of_scope(question) == "other"
    result = svc.plan(question).fallback
    assert result.refused and result.out_of_scope


@pytest.mark.parametrize("question", [
    "danh sách gia đình học tập được khen năm nay có nhà tôi không",
    "con tôi có tên trong danh sách nhận học bổng không",
])
def test_whether_ones_family_is_on_a_list_is_not_answered(svc: AnswerService, question: str) -> None:
    # the /mohinh steps or the scholarship entry were answered as if they told it: only the place's officers know
    assert svc.plan(question).fallback.decision != "answer"


def test_where_to_learn_without_paying_is_where_to_learn_free(svc: AnswerService) -> None:
    # Before: "Học AI ở đâu mà không mất tiền?" got the entry on AI faking a relative's voice ("mất tiền": money lost
    # to a scam), Nghệ Tĩnh "nỏ mất tiền" the choices on money sent to scammers.
    for question in ("Học AI ở đâu mà không mất tiền?", "Muốn học dùng AI, chỗ mô mà nỏ tốn tiền rứa?"):
        plan = svc.plan(question)
        assert (plan.decision, plan.fallback.faq_id) == ("answer", "ai_learn_where"), question
    assert svc.plan("Bị lừa mất tiền rồi thì làm sao").fallback.faq_id != "ai_learn_where"


def test_not_knowing_how_to_do_a_procedure_online_gets_who_helps(svc: AnswerService) -> None:
    # Before: refused (no smartphone, doing it online safely and who helps nearly tied on "trên mạng").
    plan = svc.plan("tui không rành làm thủ tục trên mạng, giờ nhờ ai chỉ cho đây")
    assert (plan.decision, plan.fallback.faq_id) == ("answer", "dvc_help")


@pytest.mark.parametrize(("question", "entry"), [
    # Central "X mô" (which X) and "chu choa" (an exclamation): which news is true
    ("chu cha, răng mà phân biệt được tin mô thiệt tin mô giả hả bot", "fake_news"),
    # whether learning costs money is a fee, not money lost ("mất điện thoại" is not asked)
    ("ông muốn học AI trên điện thoại mà không biết đi học ở đâu, học có mất tiền không", "ai_learn_where"),
])
def test_central_forms_and_whether_learning_costs_money(svc: AnswerService, question: str, entry: str) -> None:
    result = svc.plan(question).fallback
    assert result.decision == "answer" and result.faq_id == entry, (question, result.text[:80])
