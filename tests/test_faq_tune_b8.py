"""Tuning round b8 (answerable questions refused because of a named thing): a thing spelt as it is said ("vi ét ét ai
đi", "giê mi nai"), offered as a guess or a choice ("có phải mã OTP ngân hàng không", "bằng VNeID hay bằng Zalo"),
or where the story happened ("đặt hàng Shopee", "họ chặn Zalo luôn"), and a year the asker tells of their own doings
said first ("Năm 2022 tôi làm thẻ CCCD"): none of them is what is asked, so the entry about the rest answers. Through
AnswerService.plan (what the chat shows, no LLM)."""

from __future__ import annotations

import pytest

from handlers.answers.service import AnswerService


@pytest.mark.parametrize(("q", "entry"), [
    # Before: refused or asked (the names spelt as said were read as nothing, "+vssid" / "+gemini" missing)
    ("vi ét ét ai đi là gì", "vssid_what"),
    ("giê mi nai là của hãng nào", "chatgpt_vs_gemini"),
    ("vi ét ét ai đi khác vê en ai đi thế nào", "vssid_vs_vneid"),
    # Before: refused (the bank's OTP, Zalo offered as a choice, were read as what is asked about)
    ("mã đó có phải mã OTP ngân hàng không, zalo báo có máy lạ xin mã kích hoạt", "zalo_activation_code_alert"),
    ("Học Bình dân học vụ số thì đăng nhập bằng VNeID hay bằng Zalo?", "bdhvs_login"),
    # Before: refused (Shopee, Zalo: where the story happened)
    ("mua hàng Shopee mà shipper gọi bảo để hàng ở cổng rồi chuyển khoản trước có nên không", "shipper_scam"),
    ("bị lừa chuyển tiền rồi nó block zalo tôi luôn giờ làm sao", "scam_victim"),
    # Before: refused (2022 read as the year asked about)
    ("Năm 2022 tôi làm thẻ CCCD gắn chip, giờ có thẻ căn cước mới, thẻ cũ còn xài được không?", "the_can_cuoc"),
    # installing a thing ("cài" is read "cài đặt") is no place where something was bought
    ("Em ơi chị muốn cài ChatGPT vào máy cho thằng cu nhà chị thì tải ở đâu cho đúng hả em", "chatgpt_install"),
])
def test_answered_with_the_entry(svc: AnswerService, q: str, entry: str) -> None:
    result = svc.plan(q).fallback
    assert (result.decision, result.faq_id) == ("answer", entry), q


def test_a_link_to_install_vneid_is_not_answered_as_any_link(svc: AnswerService) -> None:
    # "cài VNeID" is what is asked of: the scam link entry (about no VNeID) does not answer it
    result = svc.plan("Con rể tôi gửi link qua Zalo bảo tôi bấm vào cài VNeID cho nhanh, có được không?").fallback
    assert (result.decision, result.faq_id) != ("answer", "scam_links")
