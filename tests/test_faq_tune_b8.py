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


@pytest.mark.parametrize(("q", "entry"), [
    # Before: refused ("app nào thật app nào giả", "tên giống nhau" were read as a comparison asked)
    ("app chatgpt nào thật app nào giả", "chatgpt_fake_apps"),
    ("vào ch play thấy nhiều app tên giống nhau quá, cái nào là VNeID thật", "vneid_install"),
    # Before: refused (a Gmail is the email and Google account the entry names)
    ("tạo tài khoản chatgpt bằng gmail được không", "chatgpt_account"),
    # Before: refused (the leaked-password entry named no email; it now says to change the email's first)
    ("lộ mật khẩu email rồi giờ làm sao", "password_leaked"),
    # what stays: a comparison asked, a named account's own steps
    ("ChatGPT với Gemini cái nào tốt hơn", "chatgpt_vs_gemini"),
    ("lỡ để lộ mật khẩu facebook rồi làm sao", "facebook_hacked"),
    ("quên mật khẩu gmail", "gmail_forgot_password"),
])
def test_real_or_fake_a_gmail_and_a_leaked_email_are_answered(svc: AnswerService, q: str, entry: str) -> None:
    result = svc.plan(q).fallback  # or offered first, when a reading found it and the asked questions name another
    assert result.faq_id == entry and result.decision in ("answer", "suggest"), q
    if result.decision == "suggest":
        assert "asked disagrees" in svc.plan(q).rules, q


@pytest.mark.parametrize(("q", "entry"), [
    # Before: refused (a slip "quyên", "dalo" for Zalo, "quên béng", Northern "giề", Central "ni" after a named
    # thing, "htsđ" for học tập suốt đời and "hiểu nôm na" were not read)
    ("quyên mk zalo thì làm sao", "zalo_forgot_password"),
    ("quên béng mật khẩu VNeID rồi, lấy lại kiểu giề", "vneid_forgot_password"),
    ("cái vssid ni mần được chi", "vssid_what"),
    ("tuần lễ htsđ là gì", "week_what"),
    ("công dân học tập hiểu nôm na là gì", "model_citizen"),
    # an answer telling the start as such answers when it began
    ("Hội Khuyến học Việt Nam có từ năm nào", "ngay_khuyen_hoc"),
    ("tuần lễ học tập suốt đời bắt đầu hồi nào vậy", "week_when"),
])
def test_dialect_slips_and_initials_are_read(svc: AnswerService, q: str, entry: str) -> None:
    result = svc.plan(q).fallback
    assert (result.decision, result.faq_id) == ("answer", entry), q


def test_when_it_was_first_held_is_not_answered_by_any_year(svc: AnswerService) -> None:
    # Before: what the Week is ("năm 2023 là 2–8/10"), for the year it was first held: it tells no start
    q = "Dạ cho tôi hỏi Tuần lễ hưởng ứng học tập suốt đời được tổ chức lần đầu tiên từ năm nào ạ?"
    result = svc.plan(q).fallback
    assert result.decision == "suggest", result.text
    assert result.text.startswith("Mình chưa có con số hay ngày giờ cụ thể"), result.text


@pytest.mark.parametrize(("q", "entry"), [
    # Before: refused (unaccented "doi ma" read as changing a code, "dính app giả" as a scam told, "số điện thoại
    # đăng ký" as signing up, "nạp tiền hàng tháng" as topping up: none is what they ask)
    ("máy lạ doi ma kich hoat zalo cua toi la sao", "zalo_activation_code_alert"),
    ("tải chatgpt ở đâu cho khỏi dính app giả", "chatgpt_install"),
    ("muốn đổi số điện thoại đăng ký VNeID sang số mới thì làm sao", "vneid_change_phone"),
    ("chatgpt dùng miễn phí được không hay phải nạp tiền hàng tháng", "chatgpt_free"),
    # Before: refused as out of scope ("điểm thì" folds like "điểm thi", an exam score; a farming skill asked of
    # what the commune's learning centre teaches)
    ("bot ơi tôi muốn xem làm bài kiểm tra được bao nhiêu điểm thì xem ở đâu", "bot_progress"),
    ("trung tâm học tập cộng đồng có dạy nghề không", "community_learning_center"),
    ("trung tam hoc tap cong dong o xa co day ky thuat nuoi trong khong", "community_learning_center"),
])
def test_asked_in_words_that_looked_like_another_thing(svc: AnswerService, q: str, entry: str) -> None:
    result = svc.plan(q).fallback
    assert (result.decision, result.faq_id) == ("answer", entry), q


@pytest.mark.parametrize("q", ["điểm thi vào lớp 10 năm nay bao nhiêu", "kỹ thuật nuôi tôm thế nào"])
def test_exam_scores_and_farming_stay_out_of_scope(svc: AnswerService, q: str) -> None:
    result = svc.plan(q).fallback
    assert result.refused and result.out_of_scope, q
