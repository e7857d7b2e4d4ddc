"""Blind batches T81-T84 (farmers of the highlands writing Vietnamese as a second language, students and young
workers in teencode, officers, retirees dictating long stories): what they typed and got wrong before, as
`hocbot ask --json` shows it."""

from __future__ import annotations

import pytest

from content.intents import small_talk_said
from handlers.answers.service import SMALL_TALK
from tests.test_asking_ways import _db, ask  # noqa: F401  (_db: the autouse database of `hocbot ask`)


@pytest.mark.parametrize(("text", "kind"), [
    # before: "Có phải bạn muốn hỏi…" with the bot's price and the Week's audience; no rule reads it as praise, the
    # asked questions nearest to it are all small talk
    ("Bot giỏi ghê, con cháu tôi chỉ còn không bằng", "praise"),
    ("bot cute quá trời luôn", "praise"),  # (a praise word of content/data/intents.yaml now)
    # before: "chưa có câu trả lời … đã ghi lại để cán bộ bổ sung", as if a question had gone unanswered
    ("Bot trả lời khuya vậy mà không ngủ à, vất vả quá", "feeling"),
])
def test_small_talk_the_rules_miss_is_still_small_talk(capsys: pytest.CaptureFixture[str], text: str,
                                                       kind: str) -> None:
    [reply] = ask(capsys, text)
    assert reply["answer"] == SMALL_TALK[kind] and not reply["sources"] and not reply["refused"], reply


@pytest.mark.parametrize("text", [
    "Năm mới chúc bot mạnh khỏe, mà cho hỏi vay vốn ở đâu",  # a wish, then a request that is not ours
    "chúc bot ngủ ngon, mai tôi hỏi chuyện giá vàng",
])
def test_a_request_out_of_scope_after_small_talk_is_still_refused(capsys: pytest.CaptureFixture[str],
                                                                 text: str) -> None:
    [reply] = ask(capsys, text)
    assert reply["refused"] and "ngoài phạm vi" in reply["answer"], reply


def test_the_kind_of_small_talk_said_anywhere() -> None:
    assert small_talk_said("Tết đến rồi, chúc bot với mấy anh chị cán bộ năm mới an khang nha") == "greeting"
    assert small_talk_said("trả lời gì mà dài dòng quá trời đọc mỏi mắt") == "complaint"
    assert small_talk_said("hay quá đi") == "ack"
    assert small_talk_said("Bot làm việc cả chủ nhật à") == "feeling"  # nothing said in so many words


def test_a_word_of_another_field_in_a_story_is_no_request_out_of_scope(capsys: pytest.CaptureFixture[str]) -> None:
    # before: "bến xe" (bus stations are not ours) refused the whole message as out of scope; the asked questions
    # nearest to it and search's best agree on the lost ID card
    [reply] = ask(capsys, "mẹ tôi làm rơi thẻ căn cước ngoài bến xe, giờ làm lại ở đâu, có phải về quê không")
    assert not reply["refused"] and "không cần về nơi thường trú" in reply["answer"] and reply["sources"], reply


@pytest.mark.parametrize("text", [
    "bến xe Mỹ Đình có xe đi Lào Cai lúc mấy giờ",
    "cho hỏi vé xe khách từ bến xe miền Đông về Cà Mau bao nhiêu tiền",
])
def test_asking_about_the_bus_itself_is_still_out_of_scope(capsys: pytest.CaptureFixture[str], text: str) -> None:
    [reply] = ask(capsys, text)
    assert reply["refused"] and "ngoài phạm vi" in reply["answer"], reply


def test_a_question_told_after_who_one_is_is_no_greeting(capsys: pytest.CaptureFixture[str]) -> None:
    # before: "Xin chào! …" (its first clause, "tôi ở chi hội", read as an introduction; "sau" typed for "sao")
    [reply] = ask(capsys, "tôi ở chi hội, đang ghi tên với số điện thoại bà con để mở lớp, nghe có luật mới về dữ "
                          "liệu cá nhân, vậy phải làm sau cho đúng")
    assert reply["answer"] != SMALL_TALK["greeting"] and "dữ liệu cá nhân" in reply["answer"], reply
