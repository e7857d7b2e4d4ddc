"""Issue 16, more of how people really type (batch dev_x): misspellings and nicknames ("nge", "khônh", "giọn",
"t", "vê en ai đi", "Copy lốt", "Tóp Tóp"), a Southern "dạ" closing the question, "không ai" (nobody) that is no
AI, a personal question to the bot followed by when, a faked voice asking to borrow money (a scam, not a loan
request), a language no content names, a denied action ("tôi đâu có đăng nhập"), and new phrasings (ChatGPT
remembering all one typed, AI for one's orchard), a health claim seen online asked true or false, the
electronic health book (a public service, not a medical question), the ten small digital skills. Through
AnswerService.plan (no LLM)."""

from __future__ import annotations

import pytest

from content.intents import out_of_scope, small_talk
from content.textnorm import actions, fold, question_core
from handlers.answers.service import AnswerService


@pytest.mark.parametrize(("typed", "meant"), [
    ("nge nói mãi", "nghe noi mai"),
    ("có mất tiền khônh", "co mat tien khong"),
    ("ve en ai di là gì", "vneid la gi"),
    ("cốp pi lốt là gì", "copilot la gi"),
    ("đăng lên tóp tóp", "dang len tiktok"),
    ("mấy cái t gõ vào", "cai toi go vao"),
    ("chẳng ai chỉ cho tôi", "chang nguoi chi cho toi"),
    ("không AI nào thay được thầy cô", "khong ai nao thay duoc thay co"),
])
def test_misspellings_and_nicknames_fold_to_the_word(typed: str, meant: str) -> None:
    assert fold(typed) == meant


def test_a_southern_closing_da_is_no_part_of_the_question() -> None:
    assert question_core("cái vneid là gì dạ") == "cai vneid la gi"
    assert question_core("dùng zalo có tốn tiền không dạ") == "dung zalo co phi khong"


def test_a_personal_question_to_the_bot_then_when_is_small_talk(svc: AnswerService) -> None:
    question = "bot ơi bot có mệt không khi phải trả lời cả đêm"
    assert small_talk(question) == "about_bot"
    assert svc.plan("bạn có buồn ko khi chẳng ai hỏi bạn").fallback.decision in ("smalltalk", "refuse")


def test_a_faked_voice_asking_to_borrow_is_a_scam_not_a_loan(svc: AnswerService) -> None:
    assert out_of_scope("kẻ giả giọng con tôi gọi điện mượn tiền") is None
    assert out_of_scope("cho tôi mượn tiền") == "other"
    result = svc.plan("bị nhái giọng người nhà gọi mượn tiền thì sao").fallback
    assert not result.refused


def test_a_language_no_content_names_is_not_answered_with_english(svc: AnswerService) -> None:
    result = svc.plan("chatbot này có trả lời được bằng tiếng Khmer không vậy").fallback
    assert result.decision != "answer" or result.faq_id == "bot_language"  # "Chưa. Hiện bot chỉ dùng tiếng Việt…"
    assert "tiếng Anh" not in result.text.split("\n")[0]


def test_a_denied_action_is_not_asked() -> None:
    assert actions("tôi đâu có đăng nhập") == frozenset()
    assert actions("tôi có đăng ký đâu mà bị trừ tiền") == frozenset()
    assert actions("không đăng nhập được zalo") == frozenset({"dang nhap"})


@pytest.mark.parametrize("question", [
    "Zalo báo có máy khác xin mã kích hoạt, tôi có đăng nhập đâu",
    "zalo bao may la xin ma kich hoat ma minh dau co dang nhap thi sao",
])
def test_a_code_asked_by_a_stranger_device_is_answered(svc: AnswerService, question: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", "zalo_activation_code_alert")


@pytest.mark.parametrize(("question", "entry"), [
    ("trí tụê nhân tạo là cái gì dạ, nge mãi chưa hiểu", "ai_what"),
    ("Cốp pi lốt có mất tiền khônh", "copilot_what"),
])
def test_a_misspelt_question_is_answered(svc: AnswerService, question: str, entry: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry)


@pytest.mark.parametrize(("question", "entry"), [
    ("chatgpt có nhớ hết mọi thứ tui gõ không, lộ ra thì sao", "chatgpt_remember"),
    ("nhà tôi làm vườn trồng cây ăn trái thì AI giúp được gì", "ai_farming"),
])
def test_new_phrasings_are_answered(svc: AnswerService, question: str, entry: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry)


def test_a_health_claim_seen_online_asked_true_or_false_is_fake_news(svc: AnswerService) -> None:
    question = "trên facebook người ta chia sẻ tin uống mật ong chữa tiểu đường không biết thật giả kiểm tra thế nào"
    assert out_of_scope(question) is None
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", "fake_news")
    assert "hỏi nguồn" in result.text and "đối chiếu" in result.text  # the three steps of checking


def test_the_electronic_health_book_is_a_public_service_not_a_medical_question(svc: AnswerService) -> None:
    question = "ở bệnh viện bác sĩ hỏi tôi có sổ sức khỏe điện tử chưa, đó là cái gì"
    assert out_of_scope(question) is None
    assert out_of_scope("uống thuốc gì cho hết ho") == "health"
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", "so_suc_khoe")


def test_what_basic_digital_skills_are_names_the_small_things_to_learn(svc: AnswerService) -> None:
    result = svc.plan("người già muốn học kỹ năng số cơ bản thì học những việc gì trước").fallback
    assert (result.decision, result.faq_id) == ("answer", "digital_citizen")
    assert "Mỗi tuần học một việc" in result.text


@pytest.mark.parametrize(("question", "entry"), [
    ("tạm dừng lời nhắc với hủy đăng ký khác nhau chỗ nào", "bot_unsubscribe"),
    ("bảng xếp hạng của cuộc thi với bảng của nhóm mình xem ở chỗ nào", "bot_leaderboard"),
    ("viết đơn bằng AI mà phải đưa số căn cước vào thì có an toàn không", "ai_write_documents"),
    ("mới dọn nhà về xã khác, bot còn báo tin xã cũ thì sửa sao", "bot_settings"),
])
def test_what_the_bot_and_ai_answers_say_is_found_however_asked(svc: AnswerService, question: str,
                                                                 entry: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry)


def test_a_reminder_too_many_is_still_the_reminders(svc: AnswerService) -> None:
    result = svc.plan("bot nhắc học hoài phiền quá, tắt đi được không").fallback
    assert result.faq_id == "bot_reminders"  # answered or offered first, not the way to stop everything


def test_what_the_vssid_app_is_used_for_is_answered(svc: AnswerService) -> None:
    result = svc.plan("cái app VssID người ta dùng để làm gì vậy").fallback
    assert (result.decision, result.faq_id) == ("answer", "vssid_what")
    assert svc.plan("VssID với VNeID khác nhau thế nào").fallback.faq_id == "vssid_vs_vneid"


def test_homework_asked_to_be_done_with_ai_is_refused_but_asking_about_it_is_answered(svc: AnswerService) -> None:
    assert out_of_scope("bot ơi giải hộ bài toán lớp 6 này bằng chatgpt") == "other"
    assert out_of_scope("làm giúp con bài tập tiếng anh bằng AI với") == "other"
    assert out_of_scope("viết giúp tôi câu lệnh cho AI soạn thông báo họp") is None  # how to ask AI: ours
    assert out_of_scope("làm giúp tôi tài khoản VNeID") is None
    result = svc.plan("học sinh lớp 9 lấy AI viết văn rồi nộp cho cô được không").fallback
    assert (result.decision, result.faq_id) == ("answer", "ai_kids_homework")
