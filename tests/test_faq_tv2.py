"""Issue 16, Hà Nội and Hải Phòng retirees and office workers: what a question says is NOT the trouble is not
answered, through AnswerService.plan (what the chat shows, no LLM)."""

from __future__ import annotations

from content.search import without_asides
from handlers.answers.service import AnswerService


def test_trouble_said_not_to_be_had_is_left_out() -> None:
    assert without_asides("Bác không quên mật khẩu đâu, bác muốn đổi số điện thoại trên VNeID") == (
        "bác muốn đổi số điện thoại trên VNeID")
    assert without_asides("tôi quên mật khẩu VNeID") == "tôi quên mật khẩu VNeID"


def test_not_forgotten_password_is_not_answered_with_password_recovery(svc: AnswerService) -> None:
    # Before: "không quên mật khẩu" was answered with how to get the VNeID password back
    result = svc.plan("mình không bị quên pass, muốn đổi sđt vneid").fallback
    assert result.faq_id != "vneid_forgot_password"
    assert svc.plan("tôi quên mật khẩu VNeID").fallback.faq_id == "vneid_forgot_password"
