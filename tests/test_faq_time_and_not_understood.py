"""Short everyday messages that ask nothing of the content: the time, a match's score, "I don't understand"."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize("message", ["mấy giờ rồi", "bay gio la may gio vay bot", "trận Việt Nam tối qua tỷ số mấy"])
def test_the_time_and_a_match_s_score_are_out_of_scope(svc: Any, message: str) -> None:
    plan = svc.plan(message)
    assert plan.fallback.refused and plan.fallback.out_of_scope


@pytest.mark.parametrize("message", ["tôi không hiểu", "chua hieu lam", "khó hiểu quá bot ơi"])
def test_not_understanding_the_answer_gets_how_to_ask_again(svc: Any, message: str) -> None:
    plan = svc.plan(message)
    assert plan.decision == "smalltalk"
    assert "gõ lại câu hỏi" in plan.fallback.text


def test_not_understanding_a_thing_is_still_a_question(svc: Any) -> None:
    plan = svc.plan("tôi không hiểu AI là gì")
    assert (plan.decision, plan.fallback.faq_id) == ("answer", "ai_what")
