"""A search answer with a weak score (below WEAK_ANSWER) stands only when the nearest asked questions (content.asked)
do not name another entry, or an out-of-scope request, with confidence: then the search's entry is offered first
beside theirs, or the message is refused as out of scope. Through AnswerService.plan (what the chat shows)."""

from __future__ import annotations

from typing import Any

import pytest

from handlers.answers import service
from handlers.answers.service import AnswerService
from tests.weak import WEAK_RULE


def test_doubted_weak_answer_is_offered_with_the_search_entry_first(svc: AnswerService) -> None:
    # Before: answered with "Chatbot là gì?" alone, with its source line; the asked questions name ChatGPT's entry
    plan = svc.plan("hocbot với chatgpt là một à")
    result = plan.fallback
    assert result.decision == "suggest" and WEAK_RULE in plan.rules
    assert [d for d, _ in result.suggestions][:2] == ["chatbot_what", "chatgpt_what"]
    assert result.text.startswith("Mình chưa có câu trả lời chắc chắn") and not result.sources


def test_a_weak_answer_the_asked_questions_call_out_of_scope_is_refused(svc: AnswerService) -> None:
    # Before: the OTP warning ("dưa", "cải", "muối" folded into "đưa", "cài", "mười"), with its source line
    result = svc.plan("Cho tôi công thức muối dưa cải").fallback
    assert result.refused and result.out_of_scope and "ngoài phạm vi" in result.text


@pytest.mark.parametrize(("question", "entry"), [
    ("vneid la gi", "vneid_what"),  # weak, but the asked questions agree
    ("dùng chatgpt thế nào", "chatgpt_what"),  # weak, the asked questions disagree but are split among entries
])
def test_a_weak_answer_stands_unless_doubted_with_confidence(svc: AnswerService, question: str, entry: str) -> None:
    plan = svc.plan(question)
    assert plan.hits[0].score < service.WEAK_ANSWER  # what makes the test about weak answers
    assert (plan.fallback.decision, plan.fallback.faq_id) == ("answer", entry)


def test_a_strong_answer_is_not_doubted(svc: AnswerService, monkeypatch: pytest.MonkeyPatch) -> None:
    question = "hocbot với chatgpt là một à"
    monkeypatch.setattr(service, "WEAK_ANSWER", 0.0)  # no answer is weak: search's answer stands
    result: Any = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", "chatbot_what")
