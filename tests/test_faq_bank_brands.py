"""A bank named by its brand ("Vietcombank", "app Agribank") is a bank: the entries about banks answer it."""

from __future__ import annotations

from typing import Any

import pytest

from content.search import entities


@pytest.mark.parametrize("said", ["app Vietcombank", "tin nhắn đứng tên BIDV", "tài khoản agribank", "MB Bank"])
def test_a_bank_s_brand_names_a_bank(said: str) -> None:
    assert "ngan hang" in entities(said)


@pytest.mark.parametrize(("question", "entry"), [
    ("quên mật khẩu app vietcombank thì lấy lại sao", "bank_app_password"),
    ("tin nhắn mang tên Techcombank nằm chung với tin báo số dư, bảo bấm link xác minh, tin được không",
     "brandname_sms"),
])
def test_a_question_naming_a_bank_s_brand_gets_the_bank_entry(svc: Any, question: str, entry: str) -> None:
    plan = svc.plan(question)
    assert (plan.decision, plan.fallback.faq_id) == ("answer", entry)
