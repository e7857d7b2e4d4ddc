"""Issue 16: a message that names a look-alike only to set it aside ("chứ Zalo với Facebook vẫn vào bình thường",
"Mật khẩu ngân hàng tôi vẫn nhớ", "không phải tin ngân hàng gửi OTP", "Tôi hỏi thẻ căn cước … chứ không phải mất điện
thoại") is answered about the thing it asks about, however typed (and "số điện thoại đăng ký", the number an account
was registered with, asks no registering); a thing asked about, a comparison or a thing said
fine and then asked about stays. Through AnswerService.plan (what the chat shows, no LLM)."""

from __future__ import annotations

import pytest

from content.search import without_asides
from handlers.answers.service import AnswerService


@pytest.mark.parametrize(("question", "entry"), [
    # Before: refused (each entry lacked one of Gmail, Zalo, Facebook)
    ("Tôi quên mật khẩu Gmail chứ Zalo với Facebook vẫn vào bình thường, lấy lại Gmail thế nào",
     "gmail_forgot_password"),
    ("quen mk gmail chu zalo vs fb van vao dc binh thuong, lay lai gmail sao", "gmail_forgot_password"),
    # Before: refused (the bank's password, said to be remembered, was searched too)
    ("Mật khẩu ngân hàng tôi vẫn nhớ, cái quên là mật khẩu VssID bảo hiểm xã hội, nhắn tin lấy lại được không",
     "vssid_forgot_password"),
    ("mat khau ngan hang toi van nho, cai quen la mat khau vssid, nhan tin lay lai duoc ko", "vssid_forgot_password"),
    # Before: the VssID password's steps ("Tôi hỏi" and "xin cấp lại" found VssID's password asked again)
    ("Tôi hỏi thẻ căn cước bị mất chứ không phải mất điện thoại, giờ xin cấp lại ở đâu", "can_cuoc_cap_lai"),
    # Before: refused ("tin ngân hàng gửi OTP" was searched as what is asked)
    ("Zalo hiện thông báo thiết bị lạ xin mã kích hoạt, không phải tin ngân hàng gửi OTP, vậy tôi bấm gì",
     "zalo_activation_code_alert"),
    ("Facebook thì không sao, Zalo quên mật khẩu rồi lấy lại thế nào", "zalo_forgot_password"),
    # Before: the entry on someone else's hijacked Zalo asking to borrow money ("Facebook thì tôi biết xem rồi")
    ("làm sao biết Zalo của tôi có đang đăng nhập trên máy khác không, Facebook thì tôi biết xem rồi",
     "zalo_security_check"),
    ("mk ngân hàng thì nhớ, chỉ quên mk vneid thôi", "vneid_forgot_password"),  # Before: refused
    ("zalo vs fb van vao dc binh thuong ma gmail thi quen mat khau roi lay lai sao", "gmail_forgot_password"),
    # Before: refused ("số điện thoại đăng ký", the number it was registered with, read as asking to register)
    ("Tôi không quên mật khẩu, mà muốn đổi số điện thoại đăng ký VNeID sang số mới", "vneid_change_phone"),
    ("so dien thoai dang ky vneid bi mat roi, doi sang so moi duoc khong", "vneid_change_phone"),
    # Before: refused (the bank, offered as a guess of what the code is, was asked of Zalo's alert)
    ("Zalo báo có thiết bị lạ xin mã kích hoạt mà tui không đăng nhập máy mô hết, mã đó có phải mã OTP ngân hàng "
     "không?", "zalo_activation_code_alert"),
])
def test_a_thing_set_aside_is_not_what_is_answered(svc: AnswerService, question: str, entry: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry)


@pytest.mark.parametrize(("typed", "kept"), [
    ("Tôi quên mật khẩu Gmail chứ Zalo với Facebook vẫn vào bình thường, lấy lại Gmail thế nào",
     "Tôi quên mật khẩu Gmail. lấy lại Gmail thế nào"),
    ("quên mật khẩu vneid, hok phải app ngân hàng", "quên mật khẩu vneid"),
    ("Zalo báo mã kích hoạt, ko phai tin nhan ngan hang, bam gi", "Zalo báo mã kích hoạt. bam gi"),
    ("Mật khẩu ngân hàng tôi vẫn nhớ, cái quên là mật khẩu VssID", "cái quên là mật khẩu VssID"),
    ("Zalo thì tôi biết rồi, còn VNeID cài sao", "VNeID cài sao"),
    ("Facebook vẫn dùng bình thường mà Zalo bị khóa rồi", "Zalo bị khóa rồi"),
])
def test_what_is_said_fine_or_not_it_is_left_out(typed: str, kept: str) -> None:
    assert without_asides(typed) == kept


@pytest.mark.parametrize("typed", [
    "Mật khẩu Zalo tôi vẫn nhớ, nhưng không vào được, làm sao",  # the only thing named: it is what is asked about
    "Zalo vẫn bình thường à",
    "Zalo với Facebook khác gì nhau",
    "Zalo vẫn vào được, Facebook thì vẫn vào được, sao ngân hàng không vào được",  # nothing but things said fine...
    "VNeID hay VssID, cái nào lấy lại mật khẩu bằng tin nhắn",
    "không phải trả phí gì à",
])
def test_what_is_asked_about_stays(typed: str) -> None:
    if typed.startswith("Zalo vẫn vào được"):  # ... but the bank, asked about, stays
        assert "ngân hàng" in without_asides(typed) and "Zalo" not in without_asides(typed)
    else:
        assert without_asides(typed) == typed
