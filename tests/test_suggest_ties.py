"""Issue 16, "Có phải bạn muốn hỏi…" kept for true ties: a short question that holds the whole of its best
entry's own question, and no other candidate's nearly as well, is answered; when the bot does ask, the entry whose
own question the message holds goes first. Through AnswerService.plan (what the chat shows, no LLM)."""

from __future__ import annotations

from typing import Any

import pytest

from content.intents import learns_a_topic
from content.textnorm import fold
from handlers.answers import service
from handlers.answers.service import SUGGEST, AnswerService


@pytest.mark.parametrize(("question", "entry", "fact"), [
    # each was offered as choices: its entry first, with runner-ups about the same thing (installing or updating
    # VNeID, ChatGPT's numbers in a report, the levels of VNeID's scams) whose questions it does not hold
    ("anh ơi cái app VNeID là của cơ quan nào làm ra thế", "vneid_what", "Bộ Công an"),
    ("chatgpt ra đời năm bao nhiêu vậy", "generative_ai", "2022"),
    ("được cấp vneid mức 2 ở đâu vậy", "vneid_level2", "công an"),
])
def test_a_short_question_holding_its_best_entry_question_is_answered(
        svc: AnswerService, question: str, entry: str, fact: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry), result.text[:80]
    assert fact in result.text


@pytest.mark.parametrize("question", ["deepfake đọc thế nào", "deepfake là gì, đọc như thế nào"])
def test_how_deepfake_is_read_is_told(svc: AnswerService, question: str) -> None:
    # Before: the entry did not say how it is read, so the lesson that does was offered first; the entry now says it
    # as the lesson does ("đọc là “đíp-phếch”"), in one answer
    result = svc.plan(question).fallback
    assert result.decision in ("answer", "suggest") and "đíp-phếch" in (svc.curated(result.faq_id or "") or result).text


@pytest.mark.parametrize(("question", "first", "other"), [
    # the runner-up's question asked whole goes before a top hit whose questions are held in part
    ("cộng đồng học tập là gì, có giống xã hội học tập không", "model_community", "models_five"),
    ("sao gọi là gia đình học tập", "model_family", "models_recognition"),
    # a lesson passage covering more of the message's own words than the entry ranked first (a lesson's score is
    # lowered, and it has no question of its own to be held)
    ("Ngày Khuyến học Việt Nam là ngày nào, có trùng ngày khai mạc Tuần lễ không", "m7l5", "week_vs_khuyen_hoc_day"),
])
def test_when_asking_the_entry_whose_question_was_asked_comes_first(
        svc: AnswerService, question: str, first: str, other: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "AGREE_SIMILARITY", 2.0)  # the offer as search makes it, not as the asked questions
    result: Any = svc.plan(question).fallback
    offered = [doc_id for doc_id, _ in result.suggestions]
    assert result.decision == "suggest" and result.text.startswith(SUGGEST)
    assert offered[0].split("#")[0] == first and other in offered and result.faq_id == offered[0]


@pytest.mark.parametrize("question", [
    "muốn học bài về lừa đảo trên bot thì bấm gì",
    "học phần an toàn mạng ở đâu trong bot",
    "tôi muốn học riêng chủ đề deepfake thì làm sao",
    "chỉ muốn học mấy bài về dịch vụ công thôi được không",
])
def test_learning_one_topic_of_the_lessons_gets_the_lessons_command(svc: AnswerService, question: str) -> None:
    # Before: the topic was searched ("lừa đảo", "deepfake"): choices about scams, an answer on video-call scams,
    # or nothing at all; it asks where the lessons on it are
    assert learns_a_topic(question)
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", "bdhai_start") and "/hoc" in result.text


@pytest.mark.parametrize("question", [
    "con tôi đang học chủ đề môi trường ở trường, AI giúp được gì không",  # what a child learns at school
    "tôi muốn học phần mềm kế toán thì học ở đâu",  # "phần mềm" is no part of a lesson
    "cháu tôi đi học riêng với thầy, có nên cho nó dùng ChatGPT không",  # private lessons
    "bài học về lừa đảo nói những dấu hiệu gì",  # what the lesson says
    "cháu muốn học phần tiếng Anh thì AI giúp thế nào",  # learning with an AI's help
    "tôi muốn học bài về trồng lúa thì hỏi ChatGPT sao",
])
def test_a_topic_learned_elsewhere_is_not_the_bot_lessons(question: str) -> None:
    assert not learns_a_topic(question)


def test_central_words_for_which_day_and_this_year_are_read_as_such(svc: AnswerService) -> None:
    # "bữa mô" (which day) and "năm ni" (this year): read as unknown words, the entries on the week's purpose, its
    # organizer and its dates tied; read as asked, the one on its dates answers
    assert fold("năm ni tổ chức bữa mô") == fold("năm nay tổ chức hôm nào")
    assert fold("có từ khi mô") == fold("có từ khi nào")
    assert fold("năm mô hình học tập") == "nam mo hinh hoc tap"  # five models, not "which year"
    for question in ("tuần lễ học tập năm ni tổ chức bữa mô vậy", "năm ni tuần lễ học tập tổ chức bữa mô"):
        result = svc.plan(question).fallback
        assert (result.decision, result.faq_id) == ("answer", "week_when"), result.text[:80]


def test_who_made_vneid_is_answered_by_what_it_is(svc: AnswerService) -> None:
    # Once asked of two entries alike (a tie, "vneid_what" first); since "VNeID là ứng dụng của cơ quan nào?" is one of
    # vneid_what's own questions, that entry (it says "của Bộ Công an") answers it.
    result: Any = svc.plan("app vneid của ai làm ra").fallback
    assert (result.decision, result.faq_id) == ("answer", "vneid_what")


def test_a_lesson_and_an_entry_asking_the_same_are_two_different_choices(svc: AnswerService) -> None:
    # Before: "• Chatbot là gì?" twice, two buttons with one label (the lesson m2l1 and the FAQ entry chatbot_what)
    result = svc.plan("chatbot là gì, bài học nói sao").fallback
    offered = [doc_id.split("#")[0] for doc_id, _ in result.suggestions]
    assert result.decision == "suggest" and {"m2l1", "chatbot_what"} <= set(offered), offered
    titles = [title for _, title in result.suggestions]
    assert len(set(titles)) == len(titles) and "Chatbot là gì?" in titles
    assert "Bài học: Chatbot là gì?" in titles
