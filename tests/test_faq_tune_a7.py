"""Tuning round a7 (everyday phone questions no entry tells of): a thing of the phone or of a service that no entry is
about (the ringer, the battery, a bank balance, topping up a phone, how fast it runs, its updates, a traffic fine
looked up; content/data/words.yaml `things`), a thing that does not show or play, setting up a fund: such a question
is not answered with a neighbouring entry. "… cho bọn hack không đoán được", "… để khỏi quên" ask no hack and no
forgetting; "…, làm vậy có an toàn không" asks of the deed the story told. Through AnswerService.plan (what the chat
shows, no LLM)."""

from __future__ import annotations

import pytest

from handlers.answers.service import AnswerService


@pytest.mark.parametrize("q", [
    # Before: the text size entry (it shares "điện thoại", "to", "chỉnh")
    "chuông điện thoại nhỏ quá, chỉnh to lên sao",
    "Chữ tôi chỉnh to được rồi, còn chuông đt nhỏ không nghe thấy, làm sao cho chuông to lên?",
    # Before: the text size entry, the lost phone entry
    "điện thoại chạy chậm quá làm sao cho nhanh",
    "pin đt mau hết quá phải làm sao",
    # Before: Zalo's security check; the bot's cost ("nạp tiền")
    "kiểm tra số dư tài khoản ngân hàng trên điện thoại thế nào",
    "nạp thẻ điện thoại bằng app được không",
    # Before: the prize scam entry
    "tra cứu phạt nguội ở đâu",
    # Before: the biometric link scam ("cập nhật")
    "cập nhật điện thoại có bị mất danh bạ không",
    # Before: what the health record is; how to log in to the learning site; the scholarships
    "sổ sức khỏe điện tử không hiện lần tiêm",
    "vào trang binhdanhocvuso mà không mở được video",
    "lập quỹ khuyến học dòng họ cần những gì",
])
def test_what_no_entry_tells_is_not_answered(svc: AnswerService, q: str) -> None:
    assert svc.plan(q).fallback.decision != "answer", q


@pytest.mark.parametrize(("q", "entry"), [
    # Before: the hacked Facebook entry ("hack" read as what happened)
    ("dat mat khau sao cho bon hack khong doan duoc", "password_safety"),
    # whether to hand over the OTP beside a group code: the OTP entry ("Tuyệt đối không…"); the group code's entry
    # says nothing of OTP, so it is not given for it
    ("mã nhóm xã gửi với mã OTP khác nhau chỗ nào, đưa người khác được không", "otp_never"),
])
def test_answered_with_the_entry(svc: AnswerService, q: str, entry: str) -> None:
    result = svc.plan(q).fallback  # answered, or offered first beside the group code's entry (a true tie)
    assert result.faq_id == entry and result.decision in ("answer", "suggest"), q


def test_a_password_shared_to_remember_is_not_a_scam_link(svc: AnswerService) -> None:
    # Before: the scam link entry answered ("để khỏi quên" read as a forgotten password)
    result = svc.plan("Facebook với app ngân hàng tôi để chung một mật khẩu cho khỏi quên, có sao không").fallback
    assert result.faq_id == "password_safety" or "password_safety" in [d for d, _ in result.suggestions]
    assert (result.decision, result.faq_id) != ("answer", "scam_links")


def test_doing_that_asks_of_the_story(svc: AnswerService) -> None:
    # Before: the entry on AI writing documents, for the ending "làm vậy có an toàn không" searched alone
    result = svc.plan("Con tôi chụp căn cước, học bạ gửi ChatGPT nhờ điền hồ sơ, làm vậy có an toàn không?").fallback
    assert (result.decision, result.faq_id) != ("answer", "ai_write_documents")


def test_what_stays_answered(svc: AnswerService) -> None:
    for q, entry in (("chữ trên điện thoại nhỏ quá chỉnh to thế nào", "phone_text_size"),
                     ("hôm qua học tới bài hai thì điện thoại hết pin giờ muốn học tiếp thì làm sao", "bot_continue"),
                     ("xay dung may cai mo hinh hoc tap de lam gi", "models_why"),
                     ("Mã nhóm của bot với mã OTP có giống nhau không?", "bot_join_group")):
        result = svc.plan(q).fallback
        assert (result.decision, result.faq_id) == ("answer", entry), q
