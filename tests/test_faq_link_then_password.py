"""A strange link pressed and a bank password typed into it: the scam-link steps (change the password, call the
bank), never the help on joining a group by a link (which says "không cần mật khẩu" and names a bank's code)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize("question", [
    "lỡ bấm link lạ rồi nhập mật khẩu ngân hàng thì làm sao",
    "lo bam link la roi nhap mat khau ngan hang thi lam sao",
    "bà lỡ ấn vào đường link người ta gửi, gõ luôn mật khẩu ngân hàng vào đó, giờ sao cháu",
])
def test_a_bank_password_typed_into_a_strange_link_gets_the_scam_link_steps(svc: Any, question: str) -> None:
    plan = svc.plan(question)
    assert (plan.decision, plan.fallback.faq_id) == ("answer", "scam_links")
    assert "gọi ngân hàng khóa tài khoản" in plan.fallback.text


def test_the_group_link_from_an_officer_still_gets_the_group_help(svc: Any) -> None:
    plan = svc.plan("cán bộ xã gửi đường link vào nhóm, bấm vào có sao không")
    assert (plan.decision, plan.fallback.faq_id) == ("answer", "bot_join_group")
