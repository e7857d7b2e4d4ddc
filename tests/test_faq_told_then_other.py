"""Issue 16, classes of phrasing a blind batch found answered wrong: "A là X, còn B là gì" (what the asker already
knows of one thing, then the same asked of another), and a name of several syllables typed as one word
("binhdanhocvuso", "#congdanso"). Through AnswerService.plan (what the chat shows, no LLM)."""

from __future__ import annotations

import pytest

from content.catalog import load_catalog
from content.textnorm import asks_something, fold
from handlers.answers.service import _CONTRAST, AnswerService


@pytest.fixture(scope="module")
def svc() -> AnswerService:
    return AnswerService(load_catalog())


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
