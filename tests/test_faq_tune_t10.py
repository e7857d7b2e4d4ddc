"""Tuning round T10 (2026-12-03): what a fresh batch in the test part's categories got wrong or refused. Through
AnswerService.plan, what the chat shows without an LLM."""

from __future__ import annotations

from content.intents import out_of_scope, small_talk
from handlers.answers.service import AnswerService


def _plan(svc: AnswerService, question: str) -> tuple[str, str | None]:
    result = svc.plan(question).fallback
    return ("refuse" if result.refused else str(result.decision)), result.faq_id


def test_asking_after_the_bot_is_small_talk() -> None:
    for q in ("Dạo này bot vẫn khỏe chứ, bà hỏi thăm tí", "bot dao nay khoe hong, tui hoi tham chut",
              "hỏi thăm tí thôi"):
        assert small_talk(q) == "how_are_you", q
    for q in ("hỏi thăm đường đến xã", "cho tôi hỏi thăm chút về lớp học AI"):  # asking about something: a question
        assert small_talk(q) is None, q


def test_a_hospital_s_wifi_is_no_illness() -> None:
    q = "đi viện thăm ng nhà, bắt wifi bệnh viện vào app ngân hàng có an toàn ko"
    assert out_of_scope(q) is None
    assert out_of_scope("bệnh viện nào chữa đau lưng tốt") == "health"


def test_how_to_put_a_question_to_chatgpt_is_ours_whatever_it_is_about() -> None:
    q = ("Tôi năm nay 67 tuổi, ở nhà trồng cà phê. Thằng cháu nội cài cho cái ChatGPT, bảo hỏi gì nó cũng trả lời. "
         "Tôi muốn hỏi cách bón phân mà không biết gõ thế nào cho nó hiểu, chỉ tôi với")
    assert out_of_scope(q) is None
    assert out_of_scope("cách bón phân cho cà phê") == "other"  # farming itself is not ours


def test_old_messages_on_a_new_phone_are_not_answered_with_the_scam_links(svc: AnswerService) -> None:
    # before: "Không nên. Đường link lạ…" (the word "chuyển" and "tin nhắn" matched); no entry tells it
    for q in ("doi sang dien thoai moi thi tin nhan zalo cu co chuyen qua duoc khong",
              "chuyển tin nhắn zalo cũ sang điện thoại mới"):
        assert _plan(svc, q)[0] == "refuse", q
    assert _plan(svc, "bấm nút trong tin nhắn cũ của bot không được") == ("answer", "bot_not_responding")


def test_an_emergency_asks_for_113_not_the_scam_line(svc: AnswerService) -> None:
    decision, faq = _plan(svc, "Kẻ trộm đang cạy cửa nhà hàng xóm thì gọi 156 hay gọi số nào")
    assert (decision, faq) == ("answer", "report_scam")
    assert "113" in svc.plan("Kẻ trộm đang cạy cửa nhà hàng xóm thì gọi 156 hay gọi số nào").fallback.text


def test_vssid_signed_in_with_vneid_is_not_the_forgotten_password(svc: AnswerService) -> None:
    for q in ("VssID đăng nhập bằng tài khoản VNeID được không, hay phải lập tài khoản riêng?",
              "Xin hỏi ứng dụng VssID có đăng nhập bằng tài khoản VNeID được không ạ"):
        assert _plan(svc, q) == ("answer", "vssid_vs_vneid"), q
    assert _plan(svc, "quên mật khẩu vneid thì làm sao")[1] == "vneid_forgot_password"


def test_changing_to_the_merged_commune_is_the_settings(svc: AnswerService) -> None:
    assert _plan(svc, "bot dang de xa cu cua toi, gio sap nhap roi muon doi sang xa moi thi vao dau") == (
        "answer", "bot_settings")
