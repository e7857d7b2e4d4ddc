"""Batch dev_t1 (Central Vietnam speech, scams, children's phones): a thing already done and what to do now, the
police's number asked with a scam, Central "chi"/"bây"/"ái chà", who made an AI "như Gemini", and a comparison that
holds one of the two things' own question. Through AnswerService.plan (what the chat shows, no LLM)."""

from __future__ import annotations

import pytest

from content.intents import out_of_scope
from handlers.answers.service import AnswerService
from tests.weak import answered_or_offered_first


def _shown(svc: AnswerService, question: str) -> tuple[str, str | None]:
    result = svc.plan(question).fallback
    return str(result.decision), result.faq_id


@pytest.mark.parametrize("question", [
    "mẹ lỡ đưa mấy số xác nhận trong tin nhắn cho người lạ rồi, làm sao đây con",
    "Mạ lỡ đọc mấy con số nhắn về điện thoại cho người lạ rồi, chừ làm răng con?",
    "o lỡ đọc mấy số vừa nhắn về máy cho người lạ rồi, giờ phải làm sao",
])
def test_a_code_already_given_gets_what_to_do_now(svc: AnswerService, question: str) -> None:
    # not "should I give it" (otp_never); answered, or offered first when the asked questions name that one
    assert answered_or_offered_first(svc, question, "scam_victim")


def test_whether_to_give_a_code_is_still_answered(svc: AnswerService) -> None:
    assert _shown(svc, "người lạ xin mã OTP thì có nên đưa không") == ("answer", "otp_never")


def test_a_strange_link_already_opened_keeps_its_entry(svc: AnswerService) -> None:
    # its own questions tell what to do once it is clicked: no other entry is looked for
    assert _shown(svc, "tui lỡ bấm vô cái link lạ người ta gửi rồi, giờ làm sao") == ("answer", "scam_links")


def test_the_police_number_asked_with_a_scam_is_ours(svc: AnswerService) -> None:
    assert out_of_scope("bị lừa qua mạng thì gọi số điện thoại công an nào") is None
    assert _shown(svc, "bị lừa qua mạng thì gọi số điện thoại công an nào") == ("answer", "report_scam")
    assert out_of_scope("cho tui số điện thoại công an phường") == "other"  # a police office's own number is not


@pytest.mark.parametrize("question", [
    "Ôi chao, cái AI ni có nguy hiểm chi không bây",
    "ui cha, ai co nguy hiem chi khong",
])
def test_central_speech_asking_whether_ai_is_dangerous(svc: AnswerService, question: str) -> None:
    assert _shown(svc, question) == ("answer", "ai_danger")


def test_who_made_it_said_like_another_ai(svc: AnswerService) -> None:
    assert _shown(svc, "Copilot có phải do Google tạo ra như Gemini không") == ("answer", "copilot_what")


def test_two_codes_compared_are_not_answered_with_one(svc: AnswerService) -> None:
    question = "mã nhóm bot gửi với mã OTP ngân hàng có giống nhau không, cho người khác được không"
    assert _shown(svc, question) != ("answer", "otp_never")


@pytest.mark.parametrize("question", [
    "tôi muốn cài zalo lên cái máy tính bảng của mẹ để nhắn tin với con mà không biết làm sao",
    "tui muốn đổi mật khẩu zalo mà không biết làm sao",
])
def test_not_knowing_how_asks_nothing_of_its_own(svc: AnswerService, question: str) -> None:
    # "không biết làm sao" is "how": no Zalo entry tells how to install it or change its password
    assert svc.plan(question).fallback.decision != "answer"


@pytest.mark.parametrize("question", [
    "bà lên facebook thấy người ta tuyển làm cộng tác viên bấm like nhận tiền, giờ họ bảo nạp tiền mới rút được, "
    "có phải lừa không",
    "Chị tui lên Facebook thấy tuyển người chốt đơn tại nhà, làm vài bữa được trả tiền, giờ bị bắt nạp thêm mới rút "
    "được. Có lừa không?",
])
def test_where_a_job_ad_was_seen_is_the_story_not_the_question(svc: AnswerService, question: str) -> None:
    assert _shown(svc, question) == ("answer", "scam_job_online")  # "lên Facebook thấy": seen there


@pytest.mark.parametrize("question", [
    "Chị bán bún ở chợ, khách cứ đòi chuyển khoản. Muốn làm một cái mã QR dán ở quầy cho khách quét thì làm sao?",
    "Tui bán nước ở chợ, khách hay chuyển khoản. Muốn tạo cái mã QR dán ở quầy để nhận tiền thì làm thế nào?",
])
def test_making_a_code_no_entry_tells_is_not_answered(svc: AnswerService, question: str) -> None:
    # the QR-swap entry tells of a code stuck over, not how to make one's own
    assert svc.plan(question).fallback.decision != "answer"


def test_a_code_stuck_over_is_still_answered(svc: AnswerService) -> None:
    assert _shown(svc, "mã QR của quán bị dán đè thì sao") == ("answer", "qr_swap")


def test_a_run_on_asking_whether_to_read_the_code_gets_the_code_entry(svc: AnswerService) -> None:
    question = ("có đứa gọi xưng nhân viên điện lực nói nhà tui sắp bị cắt điện rồi bảo đọc cái mã vừa nhắn về máy "
                "thì có đọc không")
    assert _shown(svc, question) == ("answer", "otp_never")  # not the impersonation story's entry


def test_a_story_told_in_sentences_keeps_its_entry(svc: AnswerService) -> None:
    question = "Có tin nhắn mang tên ngân hàng báo tài khoản sắp bị khóa, bảo bấm link để mở lại. Tui có nên bấm không?"
    assert _shown(svc, question) == ("answer", "brandname_sms")
