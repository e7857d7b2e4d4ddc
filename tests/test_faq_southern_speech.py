"""Issue 16, Mekong delta farmers and traders in Southern speech (batch P): how they frame a question, through
AnswerService.plan (what the chat shows, no LLM)."""

from __future__ import annotations

import pytest

from content.textnorm import asks_something, fold, question_core
from handlers.answers.service import AnswerService


def test_who_keeps_talking_of_it_is_why_it_is_asked_not_what(svc: AnswerService) -> None:
    # Before: refused. "mấy đứa nhỏ trong xóm" between "nghe" and "nói hoài" hid the frame "nghe … nói hoài mà
    # chưa hiểu", and its words (nghe, nói, nhỏ) found the entry on cloned voices.
    result = svc.plan("VNeID là gì vậy cháu, bà nghe mấy đứa nhỏ trong xóm nói hoài mà chưa hiểu").fallback
    assert (result.decision, result.faq_id) == ("answer", "vneid_what")
    assert question_core("deepfake là gì, nghe người ta ngoài chợ nói mãi mà không hiểu") == "deepfake la gi"


def test_asked_to_be_shown_at_the_end_is_no_part_of_the_question(svc: AnswerService) -> None:
    # Before: "chỉ tui xem hết" made it about deleting everything ("xóa hết") on the bot.
    result = svc.plan("bot có những lệnh nào, chỉ tui xem hết").fallback
    assert (result.decision, result.faq_id) == ("answer", "bot_learn_command")
    assert question_core("chỉ tôi cách đổi mật khẩu") == "cach doi mat khau"  # what to show stays


@pytest.mark.parametrize("question", ["trả tiền nước bằng điện thoại làm sao cho khỏi bị lừa",
                                      "đóng tiềng điện trên điện thoại thế nào để tránh bị lừa"])
def test_not_being_scammed_is_doing_it_safely(svc: AnswerService, question: str) -> None:
    # Before: refused ("khỏi bị lừa" is how the content's "thế nào cho an toàn" is said; "tiềng" is "tiền" typed
    # with the wrong ending, answered with installing VNeID).
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", "pay_bills_online"), question


def test_every_one_of_them_asks_nothing() -> None:
    assert not asks_something("xã đang vận động nhà nào cũng đăng ký")
    assert not asks_something("hỏi gì cũng trả lời được")
    assert asks_something("nhà nào được công nhận")


def test_a_story_told_after_the_question_does_not_tip_it_to_a_neighbour(svc: AnswerService) -> None:
    # Before: the entry on registering a model in the bot, for the "đăng ký" the story tells.
    result = svc.plan("Cô hỏi chút, dòng họ học tập là gì vậy, xã đang vận động họ nào cũng đăng ký").fallback
    assert (result.decision, result.faq_id) == ("answer", "model_clan")


@pytest.mark.parametrize(("question", "entry"), [
    ("Tui muốn vô hội khuyến học ấp thì làm sao", "khuyen_hoc_join"),  # "vô hội": joining it, not where it is
    ("chuyển khoản cho mối lái qua app thì coi chừng cái gì", "online_payment"),  # "coi chừng": what to watch for
])
def test_southern_words_for_joining_and_watching_out(svc: AnswerService, question: str, entry: str) -> None:
    # Before: offered as a choice, and answered with what to do once scammed.
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry), question


def test_a_year_said_digit_by_digit_is_that_year(svc: AnswerService) -> None:
    # Before: refused ("năm hai không hai tư" as said into the phone's microphone)
    result = svc.plan("chủ đề tuần lễ học tập năm hai không hai tư là gì").fallback
    assert (result.decision, result.faq_id) == ("answer", "week_theme_2024")
    assert fold("hai không hai mươi") == "2020" and fold("hai không một chín") == "2019"
    assert fold("chuyển hai không hai lăm nghìn") == "chuyen hai khong hai lam nghin"  # an amount is kept


def test_talking_nonsense_is_being_wrong(svc: AnswerService) -> None:
    # Before: refused ("nói tầm bậy", "trả lời tào lao": Southern for saying it wrong)
    result = svc.plan("ChatGPT nói tầm bậy hoài, có tin được không").fallback
    assert (result.decision, result.faq_id) == ("answer", "chatgpt_wrong")
    assert fold("nó trả lời tào lao") == "no tra loi sai"


def test_southern_trung_is_right_and_speaking_is_by_voice(svc: AnswerService) -> None:
    # Before: how to do a civil procedure online ("trúng" read as a prize), and refused ("bằng miệng")
    result = svc.plan("AI dịch giấy khai sinh tiếng Hàn có trúng hông").fallback
    assert (result.decision, result.faq_id) == ("answer", "ai_translate")
    assert fold("tin nhắn báo có trúng thưởng không") == "tin nhan bao co trung thuong khong"  # a prize stays one
    result = svc.plan("tay run gõ không nổi, hỏi ChatGPT bằng miệng được không").fallback
    assert (result.decision, result.faq_id) == ("answer", "ai_voice")


def test_a_rumour_shared_in_a_group_then_asked_of_is_how_to_spot_fake_news(svc: AnswerService) -> None:
    # Before: refused. The story's words spread the whole message over the lesson on sharing, investment scams and
    # scam signs; the asking clause alone, with the story as context, is sure of the entry on fake news.
    result = svc.plan("Con Út thấy trên mạng nói mai cúp điện cả tỉnh, nó chia sẻ vô nhóm Zalo lớp. "
                      "Làm sao biết tin này thiệt hay giả?").fallback
    assert (result.decision, result.faq_id) == ("answer", "fake_news")


@pytest.mark.parametrize("question", ["dùng bot trên Zalo với web mà tiến độ khác nhau, gộp lại sao",
                                      "ông học trên Telegram với Zalo mà tiến độ bị khác nhau, làm sao gộp"])
def test_progress_that_differs_is_the_trouble_not_a_comparison(svc: AnswerService, question: str) -> None:
    # Before: refused ("khác nhau" read as comparing two things, which no entry on linking accounts asks)
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", "bot_link"), question


def test_a_stressed_stranger_is_a_stranger(svc: AnswerService) -> None:
    # "người lạ hoắc": before, answered with a friend's hacked Zalo asking for a loan
    result = svc.plan("Chị bán bánh mì ở chợ, khách quét mã QR chuyển tiền mà tiền vô tài khoản tên người lạ hoắc "
                      "là sao?").fallback
    assert result.decision != "answer" or result.faq_id == "qr_swap", result.faq_id
    assert fold("số lạ huơ") == "so la"


def test_who_is_right_after_a_story_asks_what_to_make_of_it(svc: AnswerService) -> None:
    # Before: refused. "Ai đúng?" closing a told dispute asks what to make of the story, as "giờ sao" does.
    result = svc.plan("Có tin nhắn nói tui trúng thưởng chiếc tủ lạnh, kêu đóng 500 ngàn phí vận chuyển. Chồng tui "
                      "nói lừa, tui nói thiệt. Ai đúng?").fallback
    assert (result.decision, result.faq_id) == ("answer", "scam_prize")
    assert fold("AI trả lời đúng không") == "ai tra loi dung khong"  # AI, and whether it is right, stay


@pytest.mark.parametrize("question", ["tui ở Cà Mau, còn bạn ở đâu", "Tui ở Long An nè, còn bot ở đâu vậy?"])
def test_asked_back_where_one_lives_is_chat(svc: AnswerService, question: str) -> None:
    # Before: the first was answered with the association's scholarships
    result = svc.plan(question).fallback
    assert result.decision == "smalltalk", (question, result.faq_id)
    assert svc.plan("nút cài đặt của bot ở đâu vậy").fallback.faq_id == "bot_settings"  # a button is still looked for
