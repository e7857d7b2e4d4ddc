"""Days kept each year are named things: "Ngày Sách" or "Ngày Nhà giáo" asked is not answered with what the content
says of "Ngày Khuyến học" (2/10), nor with the entry comparing that day with the Week."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize("question", [
    "ngày sách việt nam là ngày nào",
    "Ngày Nhà giáo với Tuần lễ học tập suốt đời khác nhau thế nào?",
    "ngay doc sach voi tuan le hoc tap co phai mot khong",
])
def test_a_day_the_content_does_not_tell_is_not_answered_with_another_day(svc: Any, question: str) -> None:
    assert svc.plan(question).decision != "answer"


@pytest.mark.parametrize(("question", "entry"), [
    ("ngày khuyến học việt nam là ngày mấy", "ngay_khuyen_hoc"),
    ("Ngày Khuyến học với Tuần lễ học tập khác nhau chỗ nào?", "week_vs_khuyen_hoc_day"),
])
def test_the_day_the_content_tells_is_still_answered(svc: Any, question: str, entry: str) -> None:
    plan = svc.plan(question)
    assert (plan.decision, plan.fallback.faq_id) == ("answer", entry)
