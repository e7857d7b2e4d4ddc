"""Batch dev_o1 (out-of-scope requests, their in-scope look-alikes, small talk): sport beyond football, singers and
shows, schoolwork, wages and army service, traffic fines, taxes and bills, phone plans, health insurance payouts,
land and inheritance, news, omens and house rites, prices by weight are refused; the scams that name a fine, a
frozen account or a tax, and the bot's own quiz, stay answered; "khá lắm", "đúng đấy", "nói dài quá" are small talk.
Through AnswerService.plan (what the chat shows, no LLM)."""

from __future__ import annotations

import pytest

from content.intents import out_of_scope, small_talk
from handlers.answers.service import AnswerService


@pytest.mark.parametrize("question", [
    "tối qua ai ghi bàn cho đội tuyển vậy",
    "chung kết bóng chuyền nam kênh nào phát vậy",
    "ca sĩ Mỹ Tâm năm nay bao nhiêu tuổi rồi",
    "nhạc sĩ Trịnh Công Sơn quê ở đâu",
    "chia động từ eat ở thì quá khứ đơn giùm em",
    "tính diện tích hình tròn bán kính 3 cm",
    "khi nào tăng lương cơ sở cho giáo viên",
    "bao nhiêu tuổi thì hết phải đi nghĩa vụ quân sự",
    "chạy xe máy không đội mũ bảo hiểm bị phạt bao nhiêu",
    "hộ kinh doanh nhỏ đóng thuế khoán một năm bao nhiêu",
    "tháng này dùng 200 số điện thì hết bao nhiêu tiền",
    "gói cước viettel nào gọi rẻ nhất",
    "đi khám trái tuyến có được bảo hiểm trả không",
    "hàng xóm xây nhà lấn sang đất nhà tôi thì làm sao",
    "đất hương hỏa có được bán không",
    "chiến sự ở Trung Đông bây giờ ra sao",
    "chim lạ bay vào nhà là điềm gì",
    "sầu riêng hôm nay bao nhiêu một ký",
])
def test_requests_that_are_not_ours_are_refused(svc: AnswerService, question: str) -> None:
    result = svc.plan(question).fallback
    assert result.refused and result.out_of_scope, question


@pytest.mark.parametrize("question, entry", [
    ("có người xưng công an bảo chuyển tiền vào tài khoản tạm giữ để điều tra, tôi phải làm sao", "fake_police_call"),
    ("mã QR ở quầy bán hàng bị dán đè thì sao", "qr_swap"),
])
def test_scams_that_name_a_fine_or_a_frozen_account_stay_ours(svc: AnswerService, question: str, entry: str) -> None:
    assert out_of_scope(question) is None
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry)


def test_the_bots_quiz_with_points_is_no_driving_licence() -> None:
    assert out_of_scope("làm bài kiểm tra trên bot sai có bị trừ điểm không") is None


@pytest.mark.parametrize("message", ["được đấy, khá lắm", "ừ, đúng thế", "bot nói dài quá đọc không hết",
                                     "hỏi mãi không được gì", "mày là con gì vậy"])
def test_remarks_on_the_bot_are_small_talk(svc: AnswerService, message: str) -> None:
    assert small_talk(message) is not None
    assert svc.plan(message).fallback.decision == "smalltalk"


@pytest.mark.parametrize("question, entry", [
    ("có tin nhắn báo tôi trúng giải xổ số, bảo nộp trước tiền thuế mới được nhận", "scam_prize"),
    ("trên facebook có quảng cáo cho vay tiền duyệt nhanh, có nên vay không", "loan_apps"),
    ("máy nó nhận ra con gà bị bệnh bằng cách nào", "ai_learns_data"),
])
def test_scams_and_machines_that_name_a_topic_stay_ours(svc: AnswerService, question: str, entry: str) -> None:
    # a lottery, a loan, a sick chicken named: not refused as out of scope, answered by the entry that tells it
    assert out_of_scope(question) is None
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry)


def test_which_bank_lends_cheapest_is_still_not_ours() -> None:
    assert out_of_scope("vay ngân hàng nào lãi thấp nhất") == "other"


def test_a_fine_to_pay_by_a_link_is_the_fake_sms(svc: AnswerService) -> None:
    result = svc.plan("có tin nhắn nói xe tôi bị phạt nguội, bảo bấm vào link để nộp tiền").fallback
    assert (result.decision, result.faq_id) == ("answer", "brandname_sms")


def test_a_prize_for_the_bots_contest_is_its_help(svc: AnswerService) -> None:
    result = svc.plan("cuộc thi trên bot có thưởng tiền không").fallback
    assert (result.decision, result.faq_id) == ("answer", "bot_contest")


@pytest.mark.parametrize("typed, unaccented", [
    ("tui thấy mày là đồ điên", "tui thay may la do dien"),
    ("mày đồ ngu như bò không biết gì", "may do ngu nhu bo ko bit gi"),
])
def test_an_insult_typed_without_accents_in_teencode_is_read_as_typed_with_them(typed: str, unaccented: str) -> None:
    # Before: "tui"/"ko" fold to "toi"/"khong", so the message counted as typed with accents and its insult was looked
    # for with the accented words ("đồ điên"), which it does not have: it went on to search and got an answer.
    assert out_of_scope(typed) == out_of_scope(unaccented) == "other"
