"""Unsure questions that only share words with an entry: adding a paper to an app ("tích hợp"), booking a visit
("đặt lịch") and a name of letters and digits no entry knows ("vtv3", "a52") are not answered with a neighbour;
what a thing costs ("trả đồng nào") is a question of fees. Through AnswerService.plan (no LLM)."""

from __future__ import annotations

import pytest

from handlers.answers.service import AnswerService


@pytest.mark.parametrize("question", [
    "tích hợp thẻ bảo hiểm y tế lên VNeID ra sao",
    "muốn đặt lịch khám bệnh viện huyện bằng điện thoại được không",
    "xem phim trên kênh vtv3 bằng ứng dụng gì",
])
def test_not_answered_with_a_neighbouring_entry(svc: AnswerService, question: str) -> None:
    assert svc.plan(question).fallback.decision != "answer"
