"""Tuning round t3 (shop owners and market sellers: QR payments, bank apps, fake calls). Through AnswerService.plan
(what the chat shows, no LLM)."""

from __future__ import annotations

import pytest

from handlers.answers.service import AnswerService


def _answered(svc: AnswerService, question: str) -> str | None:
    result = svc.plan(question).fallback
    return result.faq_id if result.decision == "answer" else None


@pytest.mark.parametrize("question", [
    "sợ đứa nào dán chồng mã lên quầy nhà mình thì làm sao biết",
    "khách quét mã trả tiền mà tiền không về tài khoản tiệm em, có bị dán mã khác lên không",
])
def test_a_qr_code_stuck_over_at_the_shop(svc: AnswerService, question: str) -> None:
    assert _answered(svc, question) == "qr_swap"


def test_two_apps_listed_together_find_the_entry_about_both(svc: AnswerService) -> None:
    # Before: the VssID entry alone, while the asker weighs the two apps.
    assert _answered(svc, "VNeID với VssID thì tôi nên cài cái nào để coi sổ bảo hiểm?") == "vssid_vs_vneid"


def test_begins_typed_short(svc: AnswerService) -> None:
    assert _answered(svc, "tuần lễ học tập suốt đời năm nào cũng bđ từ ngày mấy") == "week_when"
