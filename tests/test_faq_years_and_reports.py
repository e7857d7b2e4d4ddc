"""Issue 16, known wrong answers: a year asked alone is not the period it opens; reporting a nuisance or scam
number is asked as such, however the story before it goes. Through AnswerService.plan (what the chat shows, no
LLM)."""

from __future__ import annotations

import pytest

from content.intents import out_of_scope
from content.search import numbers
from handlers.answers.service import AnswerService


def test_a_period_is_named_as_one() -> None:
    assert numbers("giai đoạn 2021–2030") == numbers("2021 đến 2030") == numbers("2021-2030") == {"2021-2030"}
    assert numbers("tuần lễ năm 2021 có gì") == {"2021"}
    assert numbers("Nghị quyết 57 năm 2024") == {"57", "2024"}


@pytest.mark.parametrize("question", [
    "Tuần lễ học tập suốt đời năm 2021 có chủ đề là gì vậy?",
    "năm 2030 chủ đề tuần lễ là gì",
])
def test_a_year_asked_alone_is_not_the_plan_of_the_period_it_opens_or_closes(svc: AnswerService,
                                                                             question: str) -> None:
    # Before: "2021" matched the Đề án's "2021–2030" and the plan for the decade was answered as that year's theme.
    result = svc.plan(question).fallback
    assert result.decision != "answer" or result.faq_id != "de_an_2021_2030", question


@pytest.mark.parametrize(("question", "faq_id"), [
    ("Tuần lễ năm 2023 có chủ đề gì?", "week_theme_2023"),
    ("năm 2022 chủ đề tuần lễ học tập suốt đời", "week_theme_2022"),
    ("đề án xã hội học tập giai đoạn 2021 đến 2030 nói gì", "de_an_2021_2030"),
    ("đề án xây dựng xã hội học tập tới năm 2030 nói những gì", "de_an_2021_2030"),  # the year that ends it, said so
])
def test_years_and_periods_the_content_holds_are_answered(svc: AnswerService, question: str, faq_id: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", faq_id), question


def test_reporting_a_number_is_no_storm() -> None:
    # "bão số 3" folds like "báo số": a storm only with its number (or the question for it) after
    assert out_of_scope("báo số điện thoại đó cho tổng đài") is None
    assert out_of_scope("bão số 3 đã vào đất liền chưa") == "other"
    assert out_of_scope("bão số mấy sắp vào") == "other"


@pytest.mark.parametrize("question", [
    "số lạ cứ nhắn tin quảng cáo suốt ngày, báo nhà mạng chặn giúp thế nào",
    "báo số gọi làm phiền ở đâu",
])
def test_a_nuisance_number_is_reported_through_156(svc: AnswerService, question: str) -> None:
    result = svc.plan(question).fallback
    assert result.decision == "answer" and "156" in result.text, (question, result.faq_id)


@pytest.mark.parametrize("question", [
    "hôm trước bị gọi mời mua nhà đất mãi, giờ tôi muốn báo số điện thoại đó cho nhà mạng thì làm sao",
    "Ông nhà tôi nhận tin nhắn báo trúng thưởng tivi, nghe người ta nói có tổng đài để báo số lừa đảo, vậy báo sao",
])
def test_a_story_that_asks_how_to_report_is_not_answered_by_what_it_told(svc: AnswerService, question: str) -> None:
    # Before: the land clause was left out as out of scope and the rest (read as "bão số", a storm) found the
    # shipper trick; the prize trick, told first, was answered though reporting the number is what is asked.
    result = svc.plan(question).fallback
    assert result.decision != "answer" or "156" in result.text, (question, result.faq_id)
    assert result.faq_id not in {"shipper_scam", "scam_prize"} or result.decision != "answer", question
