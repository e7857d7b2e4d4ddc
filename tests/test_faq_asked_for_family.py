"""Issue 16, questions asked for a parent or grandparent and said around the question: a phone reminder to take
medicine is no medical advice, "cấm" (forbidden) is no "cảm" (a cold), "ngoài 70" is old age, "bọn mình" and
"…, sợ quá" are no part of what is asked, "học chung với nhau" is no comparison, and "…, không phải cái VNeID",
"… chứ không hỏi …:" say what is not asked. Through AnswerService.plan (what the chat shows, no LLM)."""

from __future__ import annotations

import pytest

from content.intents import out_of_scope
from content.search import numbers, without_asides
from content.textnorm import actions, content_syllables, question_core
from handlers.answers.service import REFUSE_HEALTH, AnswerService


@pytest.mark.parametrize("question", [
    "mẹ tôi hay quên uống thuốc huyết áp, điện thoại có nhắc giờ được không",
    "cài báo thức nhắc bố uống thuốc trên điện thoại thế nào",
    "đăng video giả mặt người khác lên mạng có bị cấm không",
])
def test_a_phone_reminder_and_a_ban_are_not_health_questions(question: str) -> None:
    assert out_of_scope(question) is None


@pytest.mark.parametrize("question", [
    "bố tôi bị cảm thì uống thuốc gì",
    "huyết áp cao uống thuốc gì, điện thoại có nhắc không",
    "bi cam thi uong thuoc gi",
])
def test_medicine_asked_for_is_still_pointed_to_a_doctor(svc: AnswerService, question: str) -> None:
    assert out_of_scope(question) == "health"
    assert svc.plan(question).fallback.text == REFUSE_HEALTH


def test_how_one_feels_and_a_plural_pronoun_are_not_asked() -> None:
    assert question_core("chatgpt có làm mất việc của bọn tôi không, sợ quá") == \
        "chatgpt co lam mat viec cua bon toi khong"
    assert "bon" not in content_syllables("bọn mình có học AI được không")
    assert question_core("sợ quá") == "so qua"  # nothing else said: it stays


def test_learning_together_is_no_comparison() -> None:
    assert not actions("cả xóm muốn học chung với nhau thì làm sao")
    assert actions("VNeID với VssID khác nhau thế nào") == {"so sanh"}


@pytest.mark.parametrize(("typed", "kept"), [
    ("Quên mật khẩu Zalo rồi, không phải cái VNeID đâu", "Quên mật khẩu Zalo rồi"),
    ("Gemini có mất tiền không, không phải hỏi ChatGPT nhé", "Gemini có mất tiền không"),
    ("Tôi hỏi Nghị quyết 57 chứ không hỏi Kết luận 123, ban hành năm nào",
     "nghị quyết 57. ban hành năm nào"),  # "tôi hỏi" only says it is asked
])
def test_what_is_said_not_to_be_asked_is_left_out(typed: str, kept: str) -> None:
    assert without_asides(typed) == kept


@pytest.mark.parametrize(("question", "entry"), [
    ("Cháu ơi, điện thoại có tự nhắc bà giờ uống thuốc không cháu?", "ai_reminders"),
    ("ông tôi ngoài 80 rồi còn học dùng AI được không", "ai_old_people"),
    ("AI có làm mất việc của bọn tôi không, lo quá", "ai_jobs"),
    ("cả xóm muốn học Bình dân học AI chung với nhau thì làm thế nào", "bdhai_group_learning"),
    ("Quên mật khẩu VssID rồi, không phải cái VNeID đâu", "vssid_forgot_password"),
    ("dùng bot này có phải nạp thẻ điện thoại không", "bot_cost"),
])
def test_asked_for_family_or_with_asides_is_answered(svc: AnswerService, question: str, entry: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry)


def test_it_not_answering_is_no_unpaid_debt() -> None:
    # Before: "nó không trả lời" folded to "nợ không trả" and was refused as a loan matter.
    assert out_of_scope("gửi ảnh cho bot mà đợi mãi nó không trả lời") is None
    assert out_of_scope("bạn tôi vay nợ không trả thì kiện thế nào") == "other"


def test_an_age_and_when_the_asker_did_it_are_not_what_is_asked() -> None:
    assert numbers("bố tôi 68 tuổi rồi") == frozenset() and numbers("Nghị quyết 57 năm 2024") == {"57", "2024"}
    assert question_core("Thẻ căn cước của bà cấp năm 2016, bây giờ còn dùng được không") == \
        "can cuoc cua ba con dung duoc khong"
    assert question_core("bây giờ phải làm gì") == "bay gio phai lam gi"  # what to do now: the story says


def test_an_ai_that_errs_is_not_the_bot_that_errs(svc: AnswerService) -> None:
    # Before: "AI … trả lời sai" found "Bot trả lời sai thì báo cho ai?" ("ai" is also "who") and answered it.
    unsure = svc.plan("sao AI nó hay trả lời sai thế, nó học ở đâu ra").fallback
    assert unsure.decision == "suggest" and unsure.suggestions[0][0] != "bot_feedback"
    assert svc.plan("Bot trả lời sai rồi thì báo cho ai").fallback.faq_id == "bot_feedback"
    assert svc.plan("ai có thể học bình dân học AI").fallback.faq_id == "bdhai_who"


@pytest.mark.parametrize(("question", "entry"), [
    ("Thẻ căn cước của bà cấp năm 2016, giờ còn dùng được không", "the_can_cuoc"),
    ("mẹ tôi 65 tuổi rồi học dùng AI có nổi không", "ai_old_people"),
    ("gửi ảnh cho bot mà đợi mãi nó không trả lời", "bot_media"),
])
def test_told_with_an_age_a_year_or_it_is_answered(svc: AnswerService, question: str, entry: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry)


def test_where_it_keeps_being_heard_and_a_request_to_tell_are_not_asked() -> None:
    assert question_core("deepfake là gì vậy, xem ti vi thấy nhắc hoài") == "deepfake la gi"
    assert question_core("VNeID dùng làm gì, nói cho tui nghe với") == "vneid dung lam gi"
    assert "tui" not in content_syllables("tụi tui xài ChatGPT được không")
    assert "tui" not in content_syllables("tụi nhỏ xài ChatGPT được không")


@pytest.mark.parametrize(("question", "entry"), [
    ("deepfake là gì vậy, xem ti vi thấy nhắc hoài", "deepfake_what"),
    ("dân làm ruộng tụi tui xài AI được chuyện gì, nói nghe thử", "ai_farming"),
])
def test_said_around_with_southern_words_is_answered(svc: AnswerService, question: str, entry: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry)


def test_a_lost_phone_with_a_bank_app_in_it_is_answered(svc: AnswerService) -> None:
    # Before: "trong đấy có app ngân hàng thì phải làm gì" read as asking whether there is an app ("có app"), and the
    # lost phone's steps were only offered under "Điều bạn hỏi thì mình chưa có thông tin chắc chắn".
    question = "Ông ơi cháu hỏi, lỡ làm mất điện thoại mà trong đó có app ngân hàng thì làm gì trước ạ?"
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", "lost_phone")


def test_teencode_for_a_document_and_whom_it_is_asked_of() -> None:
    assert question_core("dịch vb sang tiếng anh bằng chatgpt đc ko b") == \
        "dich van ban sang tieng anh bang chatgpt duoc khong"
    assert question_core("gemini là gì bạn") == "gemini la gi"


def test_an_ai_that_makes_things_up_is_told_by_its_name(svc: AnswerService) -> None:
    result = svc.plan("AI có hay bịa chuyện không").fallback
    assert result.faq_id == "ai_wrong" and "ảo giác AI" in result.text


def test_an_ending_that_points_back_asks_of_the_clause_before_it(svc: AnswerService) -> None:
    # Before: "thế có học được không" was searched alone (with the asker's age) and got who may join the lessons.
    question = ("Bà sáu mươi lăm tuổi rồi, ở nhà trông cháu. Đứa con gái bảo mẹ học AI đi, mà bà có biết tiếng Anh "
                "đâu, thế có học được không?")
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", "ai_need_english")
