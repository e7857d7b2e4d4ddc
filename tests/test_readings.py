"""The readings of a message after search (READINGS): one ordered table, and a plan says which of them changed it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.faq import rule_figures
from handlers.answers.service import READINGS, AnswerService


def test_each_reading_has_its_own_name() -> None:
    names = [rule.name for rule in READINGS]
    assert len(names) == len(set(names))
    assert all(rule.applies for rule in READINGS)


@pytest.mark.parametrize(("question", "entry", "rule"), [
    ("Hôm qua con gái tôi cài cái VNeID cho tôi rồi. Giờ quên mật khẩu thì lấy lại thế nào?",
     "vneid_forgot_password", "story tail"),
])
def test_a_story_answered_by_its_ending_names_the_reading(svc: AnswerService, question: str, entry: str,
                                                          rule: str) -> None:
    plan = svc.plan(question)
    assert (plan.decision, plan.fallback.faq_id) == ("answer", entry)
    assert rule in plan.rules


@pytest.mark.parametrize("question", ["AI là gì", "xin chào bot", "cho vay 10 triệu"])
def test_what_search_decided_alone_names_no_reading(svc: AnswerService, question: str) -> None:
    assert svc.plan(question).rules == []


def test_the_bench_counts_what_each_reading_changed(tmp_path: Path) -> None:
    batch = tmp_path / "batch.yaml"
    batch.write_text(
        '- {q: "Hôm qua con gái tôi cài cái VNeID cho tôi rồi. Giờ quên mật khẩu thì lấy lại thế nào?", cat: story, '
        'expect: answer, entry: vneid_forgot_password, keys: [VNeID]}\n'
        '- {q: "AI là gì vậy", cat: polite, expect: answer, entry: ai_what, keys: [trí tuệ nhân tạo]}\n',
        encoding="utf-8")
    figures = rule_figures([batch], tuning_files=False)
    assert set(figures) == {rule.name for rule in READINGS}
    assert figures["story tail"] == "right 1, offered 0, missed 0, wrong 0 of 1"
    assert sum(int(f.rsplit(" of ", 1)[1]) for f in figures.values()) == 1  # the short question took none


def test_the_bench_counts_the_asked_questions_checks_too(tmp_path: Path) -> None:
    # before: a plan naming "nearest asked" (no reading of READINGS) stopped the count with a KeyError
    batch = tmp_path / "batch.yaml"
    batch.write_text('- {q: "ad ơi chatgpt có free ko hay phải nạp tiền", cat: teencode, expect: answer, '
                     'entry: chatgpt_free, keys: [bản miễn phí]}\n', encoding="utf-8")
    figures = rule_figures([batch], tuning_files=False)
    assert list(figures)[:len(READINGS)] == [rule.name for rule in READINGS]
    assert figures["nearest asked"] == "right 0, offered 1, missed 0, wrong 0 of 1"


@pytest.mark.parametrize(("question", "lesson", "fact"), [
    # before: "Có phải bạn muốn hỏi…" with the family-password entry and the video-call entry, neither of which
    # tells the lesson's story
    ("Dạ cho tôi hỏi trong bài học về cuộc gọi giả giọng người thân, bác Năm bị đòi chuyển bao nhiêu tiền ạ",
     "m5l2", "20 triệu"),
    ("app ngân hàng tự cảnh báo giao dịch lạ cũng là AI hả, bài học có nói ko", "m1l2", "ngân hàng"),
])
def test_what_a_lesson_says_is_answered_from_the_lessons(svc: AnswerService, question: str, lesson: str,
                                                         fact: str) -> None:
    plan = svc.plan(question)
    assert plan.decision == "answer" and str(plan.fallback.faq_id).split("#")[0] == lesson
    assert fact in plan.fallback.text and "in the lessons" in plan.rules


def test_a_question_naming_no_lesson_is_not_searched_in_the_lessons_alone(svc: AnswerService) -> None:
    # the same question without "bài học": search among all documents decides, as before
    plan = svc.plan("app ngân hàng tự cảnh báo giao dịch lạ cũng là AI hả")
    assert "in the lessons" not in plan.rules
