"""Issue 16, the less-asked topics (the national programmes, the week, the learning models, the bot itself) as people
ask them: another title than the learning models', the national platform named by its web address, greetings that
tell who one is, wishes and company asked for, typed-short model names, and everyday phrasings of those entries.
Through AnswerService.plan (what the chat shows, no LLM)."""

from __future__ import annotations

import pytest

from content.intents import small_talk
from content.search import entities
from content.textnorm import fold
from handlers.answers.gaps import _another_place
from handlers.answers.service import AnswerService


def test_the_culture_title_is_not_the_learning_family(svc: AnswerService) -> None:
    # "gia đình văn hóa" was answered with how to register a learning family on the bot
    result = svc.plan("Xã vừa công nhận gia đình văn hóa, tiêu chuẩn là những gì?").fallback
    assert result.decision != "answer"
    result = svc.plan("đăng ký gia đình học tập trên bot").fallback
    assert (result.decision, result.faq_id) == ("answer", "bot_models_register")


def test_the_national_platform_named_by_its_address_is_that_platform(svc: AnswerService) -> None:
    assert entities("vào binhdanhocvuso.gov.vn học") == {"binh dan hoc vu so"}
    # the bot's own certificate was the answer for a course finished on the national platform
    result = svc.plan("Hoàn thành khóa học trên binhdanhocvuso.gov.vn có chứng chỉ không").fallback
    assert result.decision != "answer" or result.faq_id != "bdhai_certificate"
    result = svc.plan("vào binhdanhocvuso.gov.vn đăng nhập bằng gì").fallback
    assert (result.decision, result.faq_id) == ("answer", "bdhvs_login")


@pytest.mark.parametrize(("message", "kind"), [
    ("Chào bot, mình là Hạnh ở Đà Nẵng", "greeting"),
    ("tôi là Lan ở Cần Thơ", "greeting"),  # "Cần" folds like "cần" (need): a place, not a want
    ("hẹn bot mai tôi lại vô học tiếp", "bye"),
    ("Buồn quá bot ơi, trò chuyện với tôi chút", "feeling"),
    ("Chúc bot năm mới học hành tiến bộ", "greeting"),
])
def test_who_one_is_later_again_company_and_wishes_are_small_talk(message: str, kind: str) -> None:
    assert small_talk(message) == kind


@pytest.mark.parametrize("message", ["tôi ở Cần Thơ cần hỏi gì", "nói chuyện với người lạ qua zalo có sao không"])
def test_a_question_with_those_words_is_still_a_question(message: str) -> None:
    assert small_talk(message) is None


def test_short_and_misspelt_names_of_models_and_the_ranking(svc: AnswerService) -> None:
    assert fold("gđ htap") == fold("gia đình học tập")
    assert fold("bản sếp hạng tuần này") == fold("bảng xếp hạng tuần này")
    assert fold("bản sao") == "ban sao"


@pytest.mark.parametrize(("question", "entry"), [
    ("huyện bỏ rồi hả, giờ làm thủ tục ở đâu", "sap_nhap_2025"),
    ("chủ đề tuần lễ học tập năm nào cũng giống nhau hả", "week_theme_current"),
    ("muốn tìm hội khuyến học ở xã thì hỏi ai", "khuyen_hoc_contact"),
    ("lớn tuổi rồi thì học hành thêm để làm chi", "lifelong_why"),
    ("chuyển đổi số nói dễ hiểu là gì vậy", "digital_transformation_what"),
])
def test_everyday_phrasings_of_the_less_asked_entries(svc: AnswerService, question: str, entry: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry)


def test_a_province_asked_of_that_the_answer_does_not_name_is_not_answered(svc: AnswerService) -> None:
    # a province asked about got the answer that tells of Ho Chi Minh City's recognition, as if it were its own
    result = svc.plan("Đà Nẵng có được UNESCO công nhận là thành phố học tập chưa?").fallback
    assert result.decision != "answer"
    result = svc.plan("TPHCM có vào mạng lưới thành phố học tập UNESCO không").fallback
    assert (result.decision, result.faq_id) == ("answer", "learning_city_unesco")
    # where the asker lives, told first, is no province asked about
    assert not _another_place("Tôi ở Đà Nẵng, thành phố học tập là gì?", "Thành phố Hồ Chí Minh đã được công nhận.")


def test_the_motto_forgotten_is_still_the_motto(svc: AnswerService) -> None:
    result = svc.plan("Tôi quên mất phương châm học để biết học để làm, đủ câu là gì?").fallback
    assert (result.decision, result.faq_id) == ("answer", "week_motto")


def test_a_neighbour_told_of_is_no_place_of_ones_own(svc: AnswerService) -> None:
    # "hàng xóm tôi bảo giờ có …" read as "xóm tôi" and "bao giờ": the answer was withheld as the hamlet's own schedule
    result = svc.plan("Bà hàng xóm tôi bảo giờ có luật phạt người làm video giả bằng AI, thật không?").fallback
    assert (result.decision, result.faq_id) == ("answer", "ai_law")
    result = svc.plan("lịch họp chi hội xóm tôi tuần sau ngày nào").fallback
    assert result.decision != "answer"


@pytest.mark.parametrize(("question", "entry"), [
    ("phong trào thi đua xây dựng xã hội học tập ai phát động, hồi nào", "thi_dua_xhht"),
    ("làm mô hình học tập thì nhà mình được lợi gì", "models_why"),
])
def test_who_started_the_emulation_and_what_the_models_bring(svc: AnswerService, question: str, entry: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry)
