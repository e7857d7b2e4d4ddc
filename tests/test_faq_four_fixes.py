"""Issue 16, confident wrong answers: enrolling to learn answered with a learning family's registration, a contest
("thi") read as "thì" (then), a contest of the Week asked where answered with its dates, a leaked password of no named
account answered with the Facebook steps. Through AnswerService.plan (what the chat shows, no LLM)."""

from __future__ import annotations

import pytest

from content.textnorm import fold
from handlers.answers.service import AnswerService


@pytest.mark.parametrize("question", [
    "muốn đăng ký lớp học thì vào đâu",
    "dang ky hoc o dau vay ad",
    "đăng ký học ở chỗ nào vậy bot",
])
def test_enrolling_to_learn_is_where_to_learn(svc: AnswerService, question: str) -> None:
    # "Đăng ký danh hiệu gia đình học tập ở đâu" (/mohinh) was answered: "học" of "học tập" is not learning
    assert (svc.plan(question).fallback.decision, svc.plan(question).fallback.faq_id) == ("answer", "ai_learn_where")


def test_a_learning_familys_registration_is_still_answered(svc: AnswerService) -> None:
    result = svc.plan("đăng ký danh hiệu gia đình học tập ở đâu").fallback
    assert (result.decision, result.faq_id) == ("answer", "models_recognition")


def test_a_contest_typed_with_accents_is_no_then() -> None:
    assert fold("muốn thi thì vào đâu") == "muon cuoc thi thi vao dau"
    assert fold("muon thi thi vao dau") == "muon thi thi vao dau"  # typed without accents: nothing tells them apart
    for word in ("phong trào thi đua", "thực thi pháp luật", "cuộc thi", "kỳ thi"):
        assert "cuoc cuoc" not in fold(word) and fold(word).count("cuoc") <= 1
    assert fold("phong trào thi đua") == "phong trao thi dua"


@pytest.mark.parametrize("question", [
    "em muốn thi thì bấm vào đâu",
    "tham gia thi tìm hiểu tuần lễ học tập ở chỗ nào",
    "thi tuần lễ học tập năm nay vào ở đâu vậy",
])
def test_a_contest_asked_gets_the_contest_entry(svc: AnswerService, question: str) -> None:
    # where to learn, or the Week's dates, were answered: "thi" folded as the "thì" of the question's form
    result = svc.plan(question).fallback
    assert result.decision in ("answer", "suggest")
    assert result.faq_id == "bot_contest"


def test_then_as_a_particle_asks_no_contest(svc: AnswerService) -> None:
    result = svc.plan("muốn học thì vào đâu").fallback
    assert (result.decision, result.faq_id) == ("answer", "ai_learn_where")


@pytest.mark.parametrize("question", [
    "lỡ để người ta biết mật khẩu rồi phải làm gì",
    "mật khẩu của tôi bị lộ rồi xử lý sao",
])
def test_a_leaked_password_of_no_named_account_gets_the_general_advice(svc: AnswerService, question: str) -> None:
    # the hacked-Facebook steps were answered for a password of no named account
    result = svc.plan(question).fallback
    assert result.decision in ("answer", "suggest")
    assert result.faq_id == "password_leaked"


def test_a_leaked_password_near_an_accounts_steps_is_asked_not_guessed(svc: AnswerService) -> None:
    result = svc.plan("tôi bị lộ pass rồi giờ sao").fallback
    assert result.decision == "suggest"
    assert {"password_leaked", "facebook_hacked"} <= {i for i, _ in result.suggestions}


def test_a_named_accounts_leaked_password_keeps_its_own_steps(svc: AnswerService) -> None:
    result = svc.plan("lỡ để lộ mật khẩu facebook rồi làm sao").fallback
    assert (result.decision, result.faq_id) == ("answer", "facebook_hacked")


def test_then_typed_without_its_tone_is_no_contest() -> None:
    assert "cuoc" not in fold("vneid bi quen mât khâu thi sao")
