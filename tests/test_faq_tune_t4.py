"""Tuning round t4 (grandchildren typing for grandparents, questions passed on, teencode), through
AnswerService.plan (what the chat shows, no LLM) and the small-talk reading."""

from __future__ import annotations

from content.intents import out_of_scope, small_talk
from content.textnorm import fold
from handlers.answers.service import AnswerService


def test_small_talk_passed_on_for_a_grandparent_is_small_talk() -> None:
    # Before: refused ("chưa có câu trả lời"), or answered with an entry that shares "giải thích", "trả lời"
    assert small_talk("ông nội cháu bảo cảm ơn bot nhé") == "thanks"
    assert small_talk("bà ngoại em khen bot nói dễ hiểu quá") == "praise"
    assert small_talk("thôi chào bot, mai ông em hỏi tiếp nha") == "bye"
    assert small_talk("vâng cháu hiểu rồi, để cháu giảng lại cho bà nghe") == "ack"
    assert small_talk("bot ơi bot nói chuyện cả ngày vậy có mệt không") == "about_bot"
    assert small_talk("bà em bảo nhiêu tuổi thì học được") is None


def test_a_good_day_wished_is_no_lucky_day_asked(svc: AnswerService) -> None:
    assert out_of_scope("chúc cả nhà một ngày tốt lành") is None
    assert out_of_scope("ngày tốt để xây nhà là ngày nào") == "other"
    assert svc.plan("Chào anh chị ạ, em là đoàn viên thôn, chúc anh chị một ngày tốt lành").fallback.decision == \
        "smalltalk"


def test_a_question_passed_on_is_answered_as_asked(svc: AnswerService) -> None:
    # Before: "bà nội em", "các cụ hỏi", "nghe thời sự nói mà không hiểu" stayed in what was searched: refused
    for q, entry in (("Bà nội em hỏi deepfake là gì ạ, bà xem thời sự nói mà không hiểu", "deepfake_what"),
                     ("Anh ơi, ông cháu dặn: cháu ơi hỏi bot xem trí tuệ nhân tạo là cái gì", "ai_what"),
                     ("em là đoàn viên thôn, các cụ hỏi chuyển đổi số là gì thì em giải thích thế nào cho dễ hiểu",
                      "digital_transformation_what")):
        result = svc.plan(q).fallback
        assert (result.decision, result.faq_id) == ("answer", entry), q


def test_what_others_require_of_a_thing_is_no_action_asked(svc: AnswerService) -> None:
    # Before: "người ta bắt cài" read as asking how to install VNeID
    result = svc.plan("ông em hỏi cái app VNeID mà xã bảo cài là cái gì vậy").fallback
    assert (result.decision, result.faq_id) == ("answer", "vneid_what")
    assert svc.plan("cài VNeID thế nào").fallback.faq_id == "vneid_install"


def test_a_profile_picture_is_not_read_as_a_phone(svc: AnswerService) -> None:
    # Before: "hình đại diện" matched "điện thoại" and the Zalo activation alert was answered
    result = svc.plan("mẹ em muốn đổi ảnh đại diện zalo mà bấm hoài không được").fallback
    assert result.decision != "answer"


def test_mk_of_an_account_is_its_password(svc: AnswerService) -> None:
    # Before: "mk" was read as "mình" and the leaked Facebook password was refused
    result = svc.plan("mẹ e lỡ nói mk facebook cho người lạ rồi, phải làm gì").fallback
    assert (result.decision, result.faq_id) == ("answer", "facebook_hacked")
    assert fold("mk đi học đây") == "minh di hoc day"


def test_an_aside_in_brackets_is_left_out(svc: AnswerService) -> None:
    # Before: "(không phải zalo nha)" stayed in what was searched and the bank-password entry was not answered
    result = svc.plan("mẹ em quên mật khẩu app ngân hàng (không phải zalo), lấy lại thế nào").fallback
    assert (result.decision, result.faq_id) == ("answer", "bank_app_password")


def test_two_things_one_entry_tells_are_compared_by_it(svc: AnswerService) -> None:
    # Before: refused, no entry asking "khác nhau" of them
    for q, entry in (("gọi 156 với nhắn 5656 để báo lừa đảo có khác nhau không", "report_156"),
                     ("bị hack facebook với quên mật khẩu facebook xử lý khác nhau không", "facebook_hacked")):
        result = svc.plan(q).fallback
        assert (result.decision, result.faq_id) == ("answer", entry), q


def test_heard_both_ways_and_slips_of_names(svc: AnswerService) -> None:
    result = svc.plan("chuyển khoản phải quét khuôn mặt là quy định thật hay lừa, ông em nghe mỗi người một kiểu")
    assert result.fallback.faq_id == "biometric_transfer"
    result = svc.plan("bình dâng học AI với bình dân học vụ số khác nhau thế nào").fallback
    assert (result.decision, result.faq_id) == ("answer", "bdhvs_vs_bdhai")


def test_who_holds_an_office_after_calling_someone_is_not_answered_with_a_date(svc: AnswerService) -> None:
    # Before: "Cô ơi, …" made it a story, "là ai" was not read, and the date of Khuyến học day was answered
    result = svc.plan("Bác ơi, bà em hỏi giám đốc Trung tâm học tập cộng đồng xã bây giờ là ai ạ?").fallback
    assert result.decision != "answer"


def test_a_story_ending_asking_what_a_thing_is_gets_that_entry(svc: AnswerService) -> None:
    # Before: how to register a model in the bot was answered
    result = svc.plan("Anh ơi, bố em định cho cả nhà đăng ký gia đình học tập, mà gia đình học tập là như nào ạ?")
    assert (result.fallback.decision, result.fallback.faq_id) == ("answer", "model_family")


def test_moving_in_with_family_and_a_lost_password(svc: AnswerService) -> None:
    # Before: asked which one among unrelated help entries; refused
    result = svc.plan("Mình muốn đổi xã cho mẹ vì mẹ chuyển đến ở với anh mình rồi, đổi ở chỗ nào vậy?").fallback
    assert (result.decision, result.faq_id) == ("answer", "bot_settings")
    result = svc.plan("ông em bị mất pass zalo rồi, lấy lại sao ạ").fallback
    assert (result.decision, result.faq_id) == ("answer", "zalo_forgot_password")


def test_what_an_officer_told_of_a_thing_is_how_it_was_heard_of(svc: AnswerService) -> None:
    # Before: the entry on running a class for officers was answered
    result = svc.plan("dạ mật khẩu gia đình mà công an xã nhắc ở buổi họp tổ dân phố là cái gì ạ").fallback
    assert (result.decision, result.faq_id) == ("answer", "family_password")


def test_where_a_thing_was_heard_of_is_no_part_of_the_question(svc: AnswerService) -> None:
    # Before: the advice on strong passwords was answered with confidence
    result = svc.plan("nhà tôi định đặt mật khẩu gia đình như trên đài nói, nó là gì, dùng khi nào?").fallback
    assert result.faq_id == "family_password" and result.decision in ("answer", "suggest")
