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
    # Before: a VNeID entry, while the asker weighs the two apps. Either entry that tells VssID is the one for
    # social insurance answers it (since T10 the VssID entry is asked how it is signed in to with VNeID).
    assert _answered(svc, "VNeID với VssID thì tôi nên cài cái nào để coi sổ bảo hiểm?") in (
        "vssid_vs_vneid", "vssid_what")


def test_begins_typed_short(svc: AnswerService) -> None:
    assert _answered(svc, "tuần lễ học tập suốt đời năm nào cũng bđ từ ngày mấy") == "week_when"


def test_a_code_likened_to_a_bank_code_is_the_named_app_code(svc: AnswerService) -> None:
    # Before: the OTP entry (the bank's code is only what Zalo's is likened to).
    question = "mã kích hoạt zalo nhắn về có giống mã otp ngân hàng không, ai xin thì có đưa không"
    assert _answered(svc, question) == "zalo_activation_code_alert"
    assert _answered(svc, "copilot có giống chatgpt không") != "copilot_what"


def test_is_it_another_thing_is_a_comparison(svc: AnswerService) -> None:
    question = "ngày 2/10 là Ngày Khuyến học, thế tuần lễ học tập suốt đời là cái khác à"
    assert _answered(svc, question) == "week_vs_khuyen_hoc_day"


def test_what_a_library_organizes_in_the_week(svc: AnswerService) -> None:
    assert _answered(svc, "thu vien xa minh co to chuc gi trong tuan le hoc tap khong") == "week_library"
    assert _answered(svc, "hội khuyến học là tổ chức gì vậy") == "khuyen_hoc_association"


def test_how_long_it_takes_is_a_detail_the_answer_must_give(svc: AnswerService) -> None:
    # Before: how to log in to the platform, which says nothing of how long a course lasts.
    result = svc.plan("bình dân học vụ số có lớp dạy làm video không, học hết bao lâu").fallback
    assert result.decision != "answer"
    assert _answered(svc, "mã liên kết tài khoản dùng được trong bao lâu") == "bot_link"


def test_initials_of_the_social_insurance_name_it(svc: AnswerService) -> None:
    from content.search import entities

    assert entities("tôi tự đóng bhxh") == entities("tôi tự đóng bảo hiểm xã hội") == {"bao hiem xa hoi"}
    assert _answered(svc, "xem quá trình đóng bảo hiểm xã hội trên điện thoại bằng app gì, tôi đóng bhxh tự nguyện") \
        == "vssid_what"


def test_avoiding_a_fake_app_is_no_scam_told(svc: AnswerService) -> None:
    # Before: refused, as if a scam were told the install entry does not ask of.
    assert _answered(svc, "cài chatgpt trên máy ở đâu cho khỏi bị app giả") == "chatgpt_install"


def test_whether_to_check_what_an_ai_wrote(svc: AnswerService) -> None:
    plan = svc.plan("nhờ AI viết bài đăng bán hàng thì có sai gì không, có phải đọc lại không")
    result = plan.fallback  # answered, or offered first when the nearest asked questions name the lesson on writing
    assert result.faq_id == "ai_wrong" and (result.decision == "answer" or "asked disagrees" in plan.rules)


def test_whether_a_loan_app_is_ok_is_the_loan_app_warning(svc: AnswerService) -> None:
    from content.intents import out_of_scope

    assert _answered(svc, "xài app vay nhanh online để xoay vốn có ok không") == "loan_apps"
    assert out_of_scope("app vay nào cho vay nhanh nhất") == "other"


def test_who_told_the_asker_to_use_it_is_no_part_of_the_question(svc: AnswerService) -> None:
    from content.textnorm import question_core

    assert question_core("thằng cháu bảo dùng ChatGPT tóm tắt hợp đồng, có ổn không") == \
        "dung chatgpt tom tat hop dong co on khong"
    assert _answered(svc, "Vợ tôi bảo lấy ChatGPT tóm tắt mấy tờ giấy hợp đồng dài ngoằng, có nên không?") \
        == "chatgpt_summarize"


def test_the_menu_button_learn_ai_is_the_bot_own(svc: AnswerService) -> None:
    # Before: "Học AI" read as asking about an AI, the bot's menu entry left out.
    assert _answered(svc, "nút Học AI với nút Kiểm tra tự nhiên mất tiêu, làm sao cho hiện lại") == "bot_menu"


def test_how_to_ask_an_ai_to_write_for_the_shop(svc: AnswerService) -> None:
    question = "em bán quần áo, nhờ AI viết lời chào khách thì phải hỏi nó thế nào cho đúng ý ạ"
    assert _answered(svc, question) == "chatgpt_how_ask"


def test_which_bank_to_go_to_is_not_answered_without_naming_one(svc: AnswerService) -> None:
    # Before: the safe-payment entry, which names no bank.
    result = svc.plan("sạp tôi muốn làm cái loa báo tiền chuyển khoản thì đăng ký ở ngân hàng nào").fallback
    assert result.decision != "answer"
