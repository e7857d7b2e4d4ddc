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
