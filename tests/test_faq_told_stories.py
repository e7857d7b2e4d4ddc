"""Issue 16, long stories and voice-typed run-ons (dev_story): what a story asks once it is told. Through
AnswerService.plan (what the chat shows, no LLM)."""

from __future__ import annotations

import pytest

from content.textnorm import actions
from handlers.answers.service import AnswerService


@pytest.mark.parametrize("question", [
    "toi hay bi goi lua dao, chan hoai khong het, nghe noi bao so lua dao cho nha nuoc duoc, lam the nao",
    "muốn tố giác số điện thoại lừa đảo thì gọi đâu",
])
def test_reporting_a_scam_number_is_asked_as_such(svc: AnswerService, question: str) -> None:
    # Before: without accents, "báo số lừa đảo cho nhà nước" found the entry on how crooks use AI (its question
    # names "giả nhà nước") and answered it: reporting is an action of its own, asked only of the entries on it.
    result = svc.plan(question).fallback
    assert result.decision == "answer" and "156" in result.text, (question, result.faq_id)


def test_reporting_said_in_several_ways_is_one_action() -> None:
    report = actions("báo số lừa đảo ở đâu")
    for said in ("bao so lua dao o dau", "tố giác kẻ lừa đảo", "trình báo công an", "báo tin nhắn lừa đảo"):
        assert report <= actions(said) | {"lua"}, said
    assert not {"bao so lua dao"} & actions("con tôi bảo số này lạ lắm")
