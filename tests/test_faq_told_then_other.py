"""Issue 16, classes of phrasing a blind batch found answered wrong: "A là X, còn B là gì" (what the asker already
knows of one thing, then the same asked of another), and a name of several syllables typed as one word
("binhdanhocvuso", "#congdanso"). Through AnswerService.plan (what the chat shows, no LLM)."""

from __future__ import annotations

import pytest

from content.textnorm import asks_something, fold
from handlers.answers.service import _CONTRAST, AnswerService


@pytest.mark.parametrize("question", [
    "Ngày 2/10 là Ngày Khuyến học, còn Ngày Nhà giáo Việt Nam là ngày nào",
    "Thông tư 02 là khung năng lực số cho người học còn cho cán bộ công chức là văn bản nào",
])
def test_the_entry_of_what_the_asker_already_told_is_not_the_answer(svc: AnswerService, question: str) -> None:
    # it answered the told thing (Ngày Khuyến học, Thông tư 02) as if it were the other
    assert svc.plan(question).fallback.decision != "answer"


def test_an_entry_about_both_things_still_answers(svc: AnswerService) -> None:
    result = svc.plan("VNeID là của công an, còn VssID là của cơ quan nào").fallback
    assert (result.decision, result.faq_id) == ("answer", "vssid_vs_vneid")


@pytest.mark.parametrize("question", [
    "thẻ bảo hiểm y tế giấy là loại cũ rồi, còn dùng được không",  # "còn" is "still"
    "AI là gì, còn ChatGPT là gì",  # both asked
])
def test_no_thing_told_then_another_asked(question: str) -> None:
    found = _CONTRAST.match(question.lower())
    assert found is None or asks_something(found.group(1))


@pytest.mark.parametrize(("typed", "meant"), [
    ("binhdanhocvuso", "bình dân học vụ số"),
    ("#binhdanhocAI", "bình dân học AI"),
    ("congdanso là gì", "công dân số là gì"),
])
def test_a_name_typed_as_one_word_is_its_syllables(typed: str, meant: str) -> None:
    assert fold(typed) == fold(meant)


def test_a_web_address_stays_one_word() -> None:
    assert "binhdanhocvuso" in fold("vào binhdanhocvuso.gov.vn")


@pytest.mark.parametrize("question", [
    "hoc tren binhdanhocvuso xong co chung chi khong",
    "binhdanhocvuso hoc xong co duoc cap chung nhan khong",
])
def test_a_course_platform_typed_as_one_word_is_not_the_bot(svc: AnswerService, question: str) -> None:
    # it got the bot's own certificate ("Có. Học xong, bot gửi giấy chứng nhận…") for another platform's course
    assert svc.plan(question).fallback.decision != "answer"


def test_central_why_is_it_that_is_read_as_why() -> None:
    assert fold("răng mà con bot ni trả lời chậm rứa") == fold("sao mà con bot ni trả lời chậm rứa")
    assert "rang" in fold("đau răng mà không dám đi nha sĩ")  # the teeth stay teeth


def test_why_ai_says_wrong_things_in_central_speech_is_about_ai(svc: AnswerService) -> None:
    # "Răng mà" was no "why": it got the bot's own feedback entry (how to report a wrong answer of the bot)
    result = svc.plan("răng mà AI trả lời sai hoài rứa").fallback
    assert result.faq_id != "bot_feedback"


@pytest.mark.parametrize(("typed", "meant"), [
    ("dòng học học tập có những tiêu chí gì", "dòng họ học tập có những tiêu chí gì"),
    ("dong hoc khuyen hoc la the nao", "dong ho khuyen hoc la the nao"),
])
def test_clan_typed_with_a_c_is_the_clan(typed: str, meant: str) -> None:
    assert fold(typed) == fold(meant)


def test_school_fees_and_pupils_are_kept() -> None:
    assert fold("đóng học phí") == "dong hoc phi"
    assert fold("dòng học sinh giỏi") == "dong hoc sinh gioi"


@pytest.mark.parametrize("question", [
    "nên đặt mật khẩu thế nào cho khó bị lộ",
    "dat pass zalo sao cho kho bi hack",
])
def test_a_password_hard_to_leak_asks_how_safe_not_what_to_do_after(svc: AnswerService, question: str) -> None:
    # "bị lộ", "bị hack" read as something that happened: it got the hacked-Facebook steps
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", "password_safety")


@pytest.mark.parametrize("question", [
    "đóng tiền nước bằng app ngân hàng làm sao cho khỏi bị lừa",
    "trả tiền nước qua điện thoại sao cho an toàn, khỏi bị lừa",
])
def test_paying_a_bill_safe_from_scams_is_paying_a_bill(svc: AnswerService, question: str) -> None:
    # "không bị lừa", "khỏi bị lừa" read as a scam that happened: the transfer entry, whose question asks "có bị lừa"
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", "pay_bills_online")


@pytest.mark.parametrize(("typed", "meant"), [
    ("bấm vô đường link đó rồi", "bấm vào đường link đó rồi"),
    ("đăng nhập vô app thế nào", "đăng nhập vào app thế nào"),
    ("cuộc thi vô chỗ nào để làm bài", "cuộc thi ở đâu để làm bài"),  # "vào đâu" would fold as "vào đầu"
    ("cuoc thi vo cho nao de lam bai", "cuoc thi o dau de lam bai"),
])
def test_southern_into_is_into(typed: str, meant: str) -> None:
    assert fold(typed) == fold(meant)


def test_where_to_type_something_in_stays_typing_into() -> None:
    assert fold("mã nhóm gõ vô chỗ nào") == fold("mã nhóm gõ vào chỗ nào")
    assert "vao cho nao" in fold("ma nhom go vo cho nao")


def test_sino_vietnamese_vo_is_kept() -> None:
    assert fold("vô địch cuộc thi") == "vo dich cuoc thi"
    assert fold("vô tình bấm nhầm") == "vo tinh bam nham"


def test_where_to_enter_the_weeks_contest_in_southern_speech_is_the_contest(svc: AnswerService) -> None:
    # "vô chỗ nào" was read as nothing asked: refused instead of /thi
    result = svc.plan("thi tuan le vo cho nao v ad").fallback
    assert (result.decision, result.faq_id) == ("answer", "bot_contest")


@pytest.mark.parametrize("question", ["ai hỏi mã ô tê pê thì có đưa không", "o ti pi la ma gi vay"])
def test_otp_spelt_as_said_is_otp(svc: AnswerService, question: str) -> None:
    assert "otp" in fold(question)
    assert svc.plan(question).fallback.decision == "answer"


def test_to_whom_said_with_know_is_to_whom(svc: AnswerService) -> None:
    # "cho ai biết" kept the purpose ("để người ta sửa lại") from being left out: the feedback entry was refused
    result = svc.plan("bot nói sai thì tôi phản ánh cho ai biết để người ta sửa lại cho đúng").fallback
    assert (result.decision, result.faq_id) == ("answer", "bot_feedback")


def test_who_the_asker_is_said_first_is_not_what_is_asked(svc: AnswerService) -> None:
    # "tôi là cán bộ khuyến học xã" was searched too: the association's own entry was answered
    result = svc.plan("toi la hoi vien khuyen hoc thon, toi muon mo lop day ai cho nguoi gia thi lam the nao").fallback
    assert result.faq_id != "khuyen_hoc_association"
    result = svc.plan("em là giáo viên trường xã em muốn mở lớp dạy AI cho bà con thì tổ chức thế nào").fallback
    assert (result.decision, result.faq_id) == ("answer", "officer_ai_class")


def test_how_however_well_is_how(svc: AnswerService) -> None:
    result = svc.plan("muốn mở lớp dạy AI cho bà con trong xóm thì tổ chức thế nào cho hiệu quả").fallback
    assert (result.decision, result.faq_id) == ("answer", "officer_ai_class")


def test_a_run_on_whose_question_is_buried_before_its_reason_gets_its_clear_winner(svc: AnswerService) -> None:
    # Before: refused. A voice-typed run-on asks mid-clause ("… có chủ đề là gì vì …") and ends with a plea, so no
    # clause counts as its question; the whole message's winner, far ahead of the next entry, answers it.
    question = ("alo bot à bác hỏi tuần lễ học tập suốt đời năm 2024 có chủ đề là gì vì trên huyện bảo bác viết "
                "khẩu hiệu treo ở nhà văn hóa mà bác quên mất rồi bot nhắc lại cho bác với")
    plan = svc.plan(question)
    assert (plan.decision, plan.fallback.faq_id) == ("answer", "week_theme_2024")


def test_a_story_s_sure_answer_that_leaves_its_ending_unanswered_is_asked_not_given(svc: AnswerService) -> None:
    # Before: the shipper trick entry was answered with its source: it tells the trick, not what to do once the
    # money is gone, which the story's ending asks and another of its best entries asks in its own question.
    for question in (
            "Bà nội tôi nghe điện thoại một người xưng shipper bảo có hàng để ở cổng, đòi chuyển khoản 200 nghìn, bà "
            "chuyển rồi mới nhớ ra có mua gì đâu, giờ tiền mất rồi thì làm gì được không?",
            "Chú tôi bị một người gọi xưng là shipper giao hàng, bảo để hàng ở cổng và đòi chuyển khoản 400 ngàn, chú "
            "chuyển xong mới biết mình chẳng mua gì, giờ tiền mất rồi làm gì được không?"):
        plan = svc.plan(question)
        assert plan.decision == "suggest", question
        assert "scam_victim" in [doc_id for doc_id, _ in plan.fallback.suggestions]
