"""What the chat does with an entry search found with a weak score (AnswerService._unconfirmed, WEAK_ANSWER): the
answer, or, when the nearest asked questions name another entry with confidence, that entry offered first."""

from __future__ import annotations

from handlers.answers.service import AnswerService

WEAK_RULE = "asked disagrees, weak answer"


def answered_or_offered_first(svc: AnswerService, question: str, entry: str) -> bool:
    plan = svc.plan(question)
    result = plan.fallback
    if result.decision == "answer":
        return result.faq_id == entry
    return (result.decision == "suggest" and WEAK_RULE in plan.rules and bool(result.suggestions)
            and result.suggestions[0][0] == entry)
