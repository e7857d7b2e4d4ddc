"""Blind batches T53-T60 (the Mekong delta, the Centre, small shop owners selling online, retired members of the
association, ethnic minorities, parents, commune digital teams, anyone at random): what a citizen typed and got
wrong before, as `hocbot ask --json` shows it."""

from __future__ import annotations

import pytest

from content.intents import out_of_scope, small_talk
from content.textnorm import asks_plainly
from handlers.answers.service import SMALL_TALK
from tests.test_asking_ways import _db, ask  # noqa: F401  (_db: the autouse database of `hocbot ask`)


@pytest.mark.parametrize("text", [
    "Cảm ơn bot nhiều, bot trả lời rất dễ hiểu, đúng cái tôi cần.",  # before: "Bot trả lời sai thì báo cho ai?"…
    "Bot dạo này có khỏe không?",  # before: "Bot có trả lời mọi câu hỏi không?"…
    "alo alo có ai đó không",  # before: "AI có thể tạo ra hình ảnh và video không?" ("có ai" read as AI)
])
def test_thanks_and_greetings_get_small_talk(capsys: pytest.CaptureFixture[str], text: str) -> None:
    [reply] = ask(capsys, text)
    assert reply["answer"] in SMALL_TALK.values() and not reply["sources"], reply
    assert small_talk("điện thoại có AI không") is None  # a device named: a question


def test_whether_to_trust_what_chatgpt_said_of_a_medicine(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused as a medical question; what one asked the machine is the story, trusting it is the question.
    text = ("Con gái tui mới cài cho tui cái ChatGPT. Tui hỏi nó bệnh huyết áp uống thuốc gì thì nó trả lời trơn tru "
            "lắm. Vậy tin theo nó được hông?")
    assert out_of_scope(text) is None
    [reply] = ask(capsys, text)
    assert "không được coi đó là chẩn đoán hay đơn thuốc" in reply["answer"] and not reply["refused"], reply
    # the medicine asked for oneself is still refused, AI named or not
    assert out_of_scope("Dạo này tôi hay chóng mặt, con dâu bảo cứ hỏi AI. Vậy bot cho tôi hỏi uống thuốc gì?") \
        == "health"


def test_two_things_compared_offer_each_ones_entry(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: only "Đặt mật khẩu thế nào cho an toàn?" was offered.
    [reply] = ask(capsys, "Mã OTP ngân hàng với mã kích hoạt Zalo có giống nhau hông, có người xin mã Zalo thì đưa "
                          "được hông?")
    offered = [s["id"] for s in reply.get("suggestions", [])]
    assert {"otp_never", "zalo_activation_code_alert"} <= set(offered), reply


@pytest.mark.parametrize(("text", "fact"), [
    # before: the lost phone's steps (lock the SIM)
    ("Ông nhà tôi đi chợ bị móc mất ví, rơi luôn cái thẻ căn cước. Giờ muốn làm lại thẻ thì làm ở đâu?",
     "Thẻ căn cước bị mất hoặc hỏng"),
    # before: AI for homework ("chép" and "con cháu")
    ("Cô ơi cháu hỏi câu “học để biết, học để làm” còn vế sau là gì ạ, con cháu cần chép vào vở",
     "học để cùng chung sống"),
    # before: how to join the Week ("hưởng ứng … được hông" asked alone); "hay … thôi" is the other half of the question
    ("Ông bà già 70 như tui mà hưởng ứng tuần lễ học tập được hông, hay mần cho tụi học sinh thôi?",
     "Tất cả mọi người đều tham gia được"),
    # before: how to install VNeID (the story's "cài")
    ("con tui nó đi làm trên thành phố nó biểu tui cài cái VNeID mà tui hổng biết cái đó là gì xài để làm chi có cần "
     "thiết hông", "định danh và xác thực điện tử"),
    # before: "thử lại sau ít phút" (the ending "bot hổng trả lời, sao vậy" searched alone)
    ("Tui gửi tin nhắn thoại mà bot hổng trả lời, sao vậy?", "tin nhắn thoại (ghi âm)"),
    # before: "Đó là lừa đảo" (the police calling to make one install an app by a link)
    ("Xin hỏi VNeID là cái gì ạ? Công an xã bảo tôi phải cài.", "định danh và xác thực điện tử"),
    # before: what the bot is
    ("hội khuyến học là hội chi, lập ra để làm chi rứa", "nòng cốt trong khuyến học"),
    # before: AI faking a relative's voice
    ("con tôi bị lừa nạp thẻ điên thoại trong gêm, báo lừa đao ở đâu", "156"),
    # before: getting a hacked Facebook back
    ("đăt mật khẩu sao cho an toan khỏi bị hack", "không dùng ngày sinh"),
    # before: refused as shopping; a ChatGPT account for sale is the FAQ's warning
    ("Anh chị cho em hỏi con em đòi mua tài khoản ChatGPT giá rẻ người ta bán trên mạng, có nên mua không ạ",
     "có bản miễn phí"),
])
def test_answered_with_the_right_entry(capsys: pytest.CaptureFixture[str], text: str, fact: str) -> None:
    [reply] = ask(capsys, text)
    assert fact in reply["answer"] and not reply["refused"], reply


@pytest.mark.parametrize("text", [
    # before: the Day's entry, which names no decision's number ("2/10/1996" is a date)
    "Kính hỏi: Quyết định của Thủ tướng lấy ngày 2/10 làm Ngày Khuyến học Việt Nam là quyết định số bao nhiêu, ký năm "
    "nào ạ?",
    # before: the Day's entry; the province's own founding is the province's to tell
    "Hội Khuyến học Việt Nam với Hội Khuyến học tỉnh mình cái nào thành lập trước, tỉnh mình lập năm mấy?",
    # before: the merger of provinces; no entry tells where an office is
    "Cháu tui ở Bạc Liêu nói sau sáp nhập tỉnh thì Hội Khuyến học tỉnh dời trụ sở rồi. Cho hỏi trụ sở hội tỉnh giờ nằm "
    "ở đường nào?",
    # before: how officers run a class; the commune's own timetable is its officers'
    "tui có nghe nói xã Hòa An sắp mở lớp Bình dân học AI cho người lớn tuổi mà hổng biết lớp học buổi nào ở đâu cho "
    "tui hỏi lịch cụ thể với người phụ trách",
    # before: the Politburo's Resolution 57 (its date)
    "Luật căn cươc số hiệu bao nhiu, ban hành năm nào",
    # before: the national count of communes
    "Anh ơi tỉnh mình sau sáp nhập có tất cả bao nhiêu xã, phường vậy anh?",
])
def test_a_detail_no_entry_tells_is_not_answered(capsys: pytest.CaptureFixture[str], text: str) -> None:
    [reply] = ask(capsys, text)
    assert reply.get("suggestions") and reply["answer"].startswith(("Mình chưa có", "Việc cụ thể")), reply
    assert not reply["sources"], reply


def test_a_decision_number_told_is_answered(capsys: pytest.CaptureFixture[str]) -> None:
    [reply] = ask(capsys, "Quyết định phê duyệt Đề án xây dựng xã hội học tập 2021-2030 là số bao nhiêu")
    assert "1373/QĐ-TTg" in reply["answer"], reply


def test_either_or_asks() -> None:
    assert asks_plainly("hay mần cho tụi học sinh thôi")
    assert not asks_plainly("hay quá")


def test_fortune_telling_is_out_of_scope_and_swimming_is_not_it(capsys: pytest.CaptureFixture[str]) -> None:
    [reply] = ask(capsys, "bói giúp tôi năm nay có giàu không")  # before: a lesson on loan apps offered
    assert reply["refused"] and "ngoài phạm vi" in reply["answer"], reply
    assert out_of_scope("đi bơi giúp khỏe không") != "other"
    assert out_of_scope("hỏi ChatGPT thì nó bảo vàng đang lên, có nên mua không") == "other"  # gold stays refused


def test_money_demanded_for_an_accident_is_a_scam_not_medicine() -> None:
    # before: refused as medicine ("tai nạn", "cấp cứu")
    assert out_of_scope("Sáng nay có số lạ gọi bảo con tôi ở trường bị tai nạn đang cấp cứu, bắt chuyển ngay 15 triệu. "
                        "Lần sau gặp vậy thì xử lý sao cho đúng?") is None
    assert out_of_scope("con tôi bị tai nạn đang cấp cứu, uống thuốc gì cho đỡ đau") == "health"
