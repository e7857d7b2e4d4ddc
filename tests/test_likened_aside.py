"""A named account another is likened to, after what is asked of that other ("Quên mật khẩu VssID có phải ra công an
xã như VNeID không"), is what the asker knows, not what is asked: VNeID's steps are not the answer. The likening
asked itself ("VssID có giống VNeID không") stays asked. Through AnswerService.plan (what the chat shows)."""

from __future__ import annotations

import pytest

from content.search import without_asides
from handlers.answers.service import AnswerService


@pytest.mark.parametrize(("question", "entry"), [
    ("Quên pass Gmail có nhắn tin 8079 như VssID được không", "gmail_forgot_password"),  # before: VNeID's steps offered
    ("Đổi số điện thoại gắn với VNeID có nhắn tin tới 8079 như lấy mật khẩu VssID không?", "vneid_change_phone"),
    ("Quên mật khẩu app ngân hàng thì có phải lên công an xã như cái VNeID không", "bank_app_password"),
])
def test_what_is_asked_of_the_one_is_answered_not_the_other(svc: AnswerService, question: str, entry: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry)


@pytest.mark.parametrize("question", [
    "mật khẩu VssID của bố em quên rồi, có phải ra công an xã như VNeID không",  # before: VNeID's steps answered
    "Quên mật khẩu VssID thì có lấy lại giống VNeID không, hay phải nhắn tin gì đó",
])
def test_the_likened_account_is_never_the_answer(svc: AnswerService, question: str) -> None:
    result = svc.plan(question).fallback
    assert result.faq_id != "vneid_forgot_password"
    assert result.faq_id == "vssid_forgot_password" or result.suggestions[0][0] == "vssid_forgot_password"


@pytest.mark.parametrize(("question", "entry"), [
    ("VssID có giống VNeID không", "vssid_vs_vneid"),  # the likening is what is asked
    ("vssid giong vneid ko", "vssid_vs_vneid"),
])
def test_a_likening_asked_stays_asked(svc: AnswerService, question: str, entry: str) -> None:
    assert without_asides(question) == question
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry)
