"""Issue 16, confident wrong answers (batch tv1): a message asking one year's theme and whether it is like another
year's was answered with the other year's theme. Through AnswerService.plan (what the chat shows, no LLM)."""

from __future__ import annotations

import pytest

from content.search import years_asked
from handlers.answers.service import AnswerService


def test_years_asked_in_the_order_typed() -> None:
    assert years_asked("chủ đề năm 2024 là gì, có khác năm 2020 không") == ["2024", "2020"]
    assert years_asked("chiến lược giai đoạn đến năm 2030") == []  # the bound of a period is not asked


@pytest.mark.parametrize(("question", "compared"), [
    ("Tuần lễ học tập năm 2022 chủ đề là gì thế, có trùng với năm 2020 không ạ", "week_theme_2020"),
    ("chủ đề năm 2024 là gì, có khác năm 2020 không", "week_theme_2020"),
    ("chủ đề tuần lễ năm 2024 là gì, có giống năm 2023 không vậy", "week_theme_2023"),
])
def test_the_year_compared_with_is_not_answered(svc: AnswerService, question: str, compared: str) -> None:
    result = svc.plan(question).fallback
    assert not (result.decision == "answer" and result.faq_id == compared)


def test_the_year_asked_first_is_answered(svc: AnswerService) -> None:
    result = svc.plan("Tuần lễ học tập năm 2022 chủ đề là gì thế, có trùng với năm 2020 không ạ").fallback
    assert (result.decision, result.faq_id) == ("answer", "week_theme_2022")


def test_one_year_asked_is_still_answered(svc: AnswerService) -> None:
    result = svc.plan("chủ đề tuần lễ học tập năm 2020 là gì").fallback
    assert (result.decision, result.faq_id) == ("answer", "week_theme_2020")


@pytest.mark.parametrize("question", [
    "máy bà ngoại em hỏng sim rồi, cài đặt esim thay được không ạ",
    "cho hỏi cài esim trên điện thoại thì làm thế nào",
])
def test_installing_a_thing_no_entry_knows_is_not_answered(svc: AnswerService, question: str) -> None:
    # "cài esim" was answered with what to do when a phone is lost: no entry tells how to install an eSIM
    assert svc.plan(question).fallback.decision != "answer"


@pytest.mark.parametrize(("question", "entry"), [
    ("cài chatgbt thế nào", "chatgpt_install"),  # a typo the index repairs is still the app it knows
    ("cài vneid ở đâu", "vneid_install"),
])
def test_installing_a_known_app_is_still_answered(svc: AnswerService, question: str, entry: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry)
