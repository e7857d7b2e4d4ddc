"""The three ways of telling that a clause asks live side by side in content/textnorm.py."""

from __future__ import annotations

import pytest

from content.textnorm import asks_clearly, asks_plainly, asks_something


@pytest.mark.parametrize(("clause", "something", "plainly", "clearly"), [
    ("AI là gì", True, True, True),
    ("cái này bao nhiêu tiền", True, True, True),
    ("quen mat khau thi lam sao", True, True, True),
    ("có dùng được không", True, True, True),
    ("không phải Zalo đâu nha", True, True, False),   # "đâu" anywhere is plain, but it ends telling
    ("tôi không biết dùng điện thoại", True, False, False),  # a "không" that denies
    ("ấp nào cũng đăng ký", False, False, False),
    ("hôm qua tôi đi chợ", False, False, False),
    ("ngày mấy giờ mở cửa", True, False, False),
])
def test_each_way_of_asking(clause: str, something: bool, plainly: bool, clearly: bool) -> None:
    assert (asks_something(clause), asks_plainly(clause), asks_clearly(clause)) == (something, plainly, clearly)
