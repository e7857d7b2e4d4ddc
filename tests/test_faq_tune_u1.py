"""Unsure questions that only share words with an entry: adding a paper to an app ("tích hợp"), booking a visit
("đặt lịch") and a name of letters and digits no entry knows ("vtv3", "a52"), deleting the account itself,
keeping a thing ("lưu") and what one pays in ("đóng bao nhiêu") are not answered with a neighbour;
what a thing costs ("trả đồng nào") is a question of fees. Through AnswerService.plan (no LLM)."""

from __future__ import annotations

import pytest

from handlers.answers.service import AnswerService


@pytest.mark.parametrize("question", [
    "tích hợp thẻ bảo hiểm y tế lên VNeID ra sao",
    "muốn đặt lịch khám bệnh viện huyện bằng điện thoại được không",
    "xem phim trên kênh vtv3 bằng ứng dụng gì",
    "muốn xóa luôn tài khoản Gemini thì làm sao",
    "lưu ảnh từ tin nhắn vào máy thế nào",
    "bảo hiểm y tế hộ gia đình mỗi năm đóng bao nhiêu",
    "trong Facebook có chức năng trợ lý ảo không",
])
def test_not_answered_with_a_neighbouring_entry(svc: AnswerService, question: str) -> None:
    assert svc.plan(question).fallback.decision != "answer"


def test_fees_said_as_paying_in_still_reach_the_fee_entries(svc: AnswerService) -> None:
    assert svc.plan("dùng con bot này có phải đóng tiền hàng tháng không").fallback.decision != "refuse"


def test_chatgpt_spelt_as_heard_and_told_by_who_says_it(svc: AnswerService) -> None:
    plan = svc.plan("cái chát gê pê tê tụi nhỏ nó hay nói là gì").fallback
    assert plan.decision == "answer" and plan.text.startswith("ChatGPT")


def test_a_short_message_of_money_sent_by_mistake_asks_what_now(svc: AnswerService) -> None:
    assert svc.plan("ông lỡ chuyển 5 triệu cho thằng lừa đảo rồi, giờ phải làm gì").fallback.decision == "answer"


def test_a_number_moved_back_is_no_lottery_ticket(svc: AnswerService) -> None:
    from content.intents import out_of_scope
    assert out_of_scope("tài khoản VNeID để số con trai, chuyển về số của tôi được không") is None
    assert out_of_scope("mua vé số con gì hôm nay") == "other"
    plan = svc.plan("VNeID để số cháu nội, giờ chuyển sang số của tôi thế nào").fallback
    assert plan.decision == "answer" and plan.faq_id == "vneid_change_phone"


def test_lenders_of_a_loan_app_harassing_is_no_loan_asked_for(svc: AnswerService) -> None:
    from content.intents import out_of_scope
    assert out_of_scope("con tôi vay qua cái ứng dụng trên điện thoại, giờ người ta đe dọa cả nhà") is None
    assert out_of_scope("cho tôi vay tiền qua app được không") == "other"


def test_not_knowing_how_to_put_the_marks_is_typing_without_them(svc: AnswerService) -> None:
    plan = svc.plan("ông không biết đánh dấu, nhắn không dấu bot có đọc được không").fallback
    assert plan.decision == "answer" and plan.faq_id == "bot_no_accent"
