"""Issue 16, young factory workers and students: teencode and chat as they type it, through AnswerService.plan (what
the chat shows, no LLM)."""

from __future__ import annotations

import pytest

from content.intents import out_of_scope, small_talk
from content.textnorm import actions
from handlers.answers.service import AnswerService
from tests.weak import answered_or_offered_first


@pytest.mark.parametrize(("question", "faq_id"), [
    ("dùng bot có mất xiền ko", "bot_cost"),  # "xiền": money
    ("AI làm đc vidio ko", "ai_images"),  # "vidio": video
    ("hocbot với chatgpt là một à", "chatbot_what"),  # the bot called by its name
    ("Xin lỗi cho em hỏi VNeID là gì ạ", "vneid_what"),  # "xin lỗi" is sorry, no error asked about
])
def test_teencode_spellings_are_read_as_meant(svc: AnswerService, question: str, faq_id: str) -> None:
    assert answered_or_offered_first(svc, question, faq_id), question


def test_sorry_is_no_error() -> None:
    assert not actions("Xin lỗi làm phiền cho em hỏi")
    assert actions("app báo lỗi hoài") == {"loi"}


def test_whether_ai_can_make_pictures_is_not_what_generative_ai_is(svc: AnswerService) -> None:
    # Before: "AI tạo ảnh tạo video là gì" (a question of generative_ai) asks about just these words, and its answer
    # (what generative AI is) was given though it covers less of the question than ai_images, which asks whether.
    result = svc.plan("AI có tạo được hình ảnh với video không").fallback
    assert (result.decision, result.faq_id) == ("answer", "ai_images")
    assert svc.plan("AI tạo sinh là gì").fallback.faq_id == "generative_ai"


@pytest.mark.parametrize("message", ["hôm nay làm mệt xỉu", "buồn ghê, chẳng có ai tâm sự", "bạn có ny chưa"])
def test_how_one_feels_and_personal_questions_are_small_talk(svc: AnswerService, message: str) -> None:
    # Before: "mệt xỉu" and "không có ai nói chuyện" were refused or answered with the AI law; "ny" was not "người yêu"
    assert small_talk(message) in ("feeling", "about_bot")
    assert svc.plan(message).decision == "smalltalk"


@pytest.mark.parametrize("message", ["xin xăm đầu năm ở chùa nào linh", "muốn cầu duyên thì đi đâu"])
def test_prayers_for_love_and_luck_are_not_ours(svc: AnswerService, message: str) -> None:
    assert out_of_scope(message) == "other"
    result = svc.plan(message).fallback
    assert result.refused and result.out_of_scope


def test_money_sent_and_then_blocked_is_a_scam_told() -> None:
    assert {"lua", "chuyen tien"} <= actions("chuyển cọc xong shop biến mất")
    assert {"lua", "chuyen tien"} <= actions("ck 350k rồi nó block luôn")
    assert "lua" not in actions("chuyển sang zalo thì bị chặn")  # no money sent


@pytest.mark.parametrize(("question", "faq_id"), [
    # Before: refused (nothing says "lừa"; "bỏ tiền vô" was not "bỏ tiền vào"; "mà không mất tiền thì" not free)
    ("mua giày trên tiktok chuyển khoản rồi shop chặn luôn thì phải làm sao", "scam_victim"),
    ("nạp tiền vô sàn coin lời gấp ba có thật ko", "scam_investment"),
    ("muốn học AI mà khỏi tốn tiền thì đăng ký ở đâu", "ai_learn_where"),
    ("xưởng của tụi em trong KCN có được tính là đơn vị học tập ko", "model_unit"),
])
def test_young_workers_stories_and_shorthand_are_answered(svc: AnswerService, question: str, faq_id: str) -> None:
    assert answered_or_offered_first(svc, question, faq_id), question


@pytest.mark.parametrize("question", [
    "em muốn dùng AI luyện nói tiếng Trung để đi du học, dùng app nào",
])
def test_an_app_for_a_purpose_is_not_the_list_of_ai_apps(svc: AnswerService, question: str) -> None:
    # Before: the list of common AI apps was answered: its field "có app AI nào dễ xài ko" (little said, and "dễ"
    # folds like "để") was held whole by the story, which asks an app for a language the content does not cover
    result = svc.plan(question).fallback
    assert result.decision != "answer" or result.faq_id != "ai_tools", question
    assert svc.plan("có app AI nào dễ xài ko").fallback.faq_id == "ai_tools"


def test_the_other_day_said_the_southern_way_is_when_the_story_happened(svc: AnswerService) -> None:
    # Before: "hôm bữa" (the other day) was searched as words of the question, and the message was refused
    from content.textnorm import question_syllables

    assert question_syllables("hôm bữa tui bấm hủy trên bot") == ["toi", "bam", "huy", "tren", "bot"]
    result = svc.plan("hôm bữa tui bấm hủy trên bot rồi, giờ muốn nhận thông báo lại").fallback
    assert (result.decision, result.faq_id) == ("answer", "bot_resubscribe")
