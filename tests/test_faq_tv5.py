"""Blind batches T61-T64 (fishing families on the Central coast, young factory workers, grandparents raising their
grandchildren, people who dictate by voice typing): what a citizen typed and got wrong before, as `hocbot ask --json`
shows it."""

from __future__ import annotations

import pytest

from content.intents import out_of_scope, small_talk
from handlers.answers.service import SMALL_TALK
from tests.test_asking_ways import _db, ask  # noqa: F401  (_db: the autouse database of `hocbot ask`)


def test_good_night_said_with_the_morning_s_errand_is_a_goodbye(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused ("đi chợ" folds to "di cho", and "cho" asks): going off to market is leaving, as "đi ngủ" is.
    [reply] = ask(capsys, "Chúc bot ngủ ngon, mai tui dậy sớm đi chợ cá")
    assert reply["answer"] in SMALL_TALK.values() and not reply["sources"], reply
    assert small_talk("tui sáng mai đi chợ thì mua gì") is None  # asked what to buy: a question (ours or not)


@pytest.mark.parametrize(("text", "fact"), [
    # before: refused as a question about raising livestock; "Nó" opening the question is the AI the story named
    ("Tôi nuôi mấy chục con heo với một đàn vịt ở quê. Nghe nói AI giỏi lắm. Nó giúp gì được cho người chăn nuôi như "
     "tôi?", "cán bộ khuyến nông"),
    # before: refused ("nạp card" is a top-up the entry's questions did not name)
    ("nhắn với bot mỗi ngày có tốn đồng nào không hay phải nạp card", "Bot miễn phí"),
    # before: how to get the VNeID password back
    ("Xin hỏi ạ, em muốn đổi số điện thoại trên VNeID vì sim cũ bị khóa rồi thì làm sao ạ", "1900 0368"),
])
def test_answered_with_the_entry_that_tells_it(capsys: pytest.CaptureFixture[str], text: str, fact: str) -> None:
    [reply] = ask(capsys, text)
    assert fact in reply["answer"] and not reply["refused"] and reply["sources"], reply


def test_it_opening_a_clause_is_the_ai_only_after_one_was_named() -> None:
    # "Nó" after a clause naming AI asks of that AI; a farming question asked alone, or of the pig, stays refused
    assert out_of_scope("Nghe nói AI giỏi lắm. Nó chỉ kỹ thuật chăn nuôi heo được không?") is None
    assert out_of_scope("Kỹ thuật chăn nuôi heo thế nào cho mau lớn? Nó ăn cám gì thì tốt?") == "other"
    assert out_of_scope("Nghe nói AI giỏi lắm. Kỹ thuật chăn nuôi heo thế nào cho mau lớn?") == "other"


def test_a_clip_of_someone_saying_what_they_never_said_is_deepfake(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused as entertainment ("ca sĩ"); now the deepfake entry is offered first.
    text = "coi tiktok thay clip ca si noi nhung cau ho khong he noi, cai do goi la gi"
    assert out_of_scope(text) is None
    [reply] = ask(capsys, text)
    offered = [s["id"] for s in reply.get("suggestions", [])]
    assert not reply["refused"] and (offered[:1] == ["deepfake_what"] or "Deepfake" in reply["answer"]), reply
    assert out_of_scope("ca sĩ Mỹ Tâm năm nay bao nhiêu tuổi") == "other"  # a singer asked of: still not ours


@pytest.mark.parametrize("text", [
    "ok để e thử xem sao",  # before: refused
    "Chúc trợ lý một ngày làm việc tốt lành",  # before: refused
    "Hay quá, tôi sẽ giới thiệu cho cả chi hội cùng dùng",  # before: refused
])
def test_trying_it_wishing_a_good_day_and_passing_it_on_are_small_talk(text: str) -> None:
    assert small_talk(text) is not None
    assert small_talk("giới thiệu cho tôi về AI") is None and small_talk("để em thử cách nào") is None


def test_mixed_up_between_two_things_is_no_failing_memory(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "bị lẫn" was read as an illness ("Xin lỗi, mình không tư vấn sức khỏe…")
    [reply] = ask(capsys, "ngày 2/10 là ngày khuyến học hay là tuần lễ học tập, e bị lẫn 😵")
    assert "Ngày Khuyến học Việt Nam là một ngày" in reply["answer"] and not reply["refused"], reply
    assert out_of_scope("ông tôi 80 tuổi bị lẫn, quên hết, uống gì cho đỡ") == "health"


def test_a_resolution_s_number_typed_onto_its_short_name(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused ("nq57" one word; "nq 57" was understood)
    [reply] = ask(capsys, "nq57 là j v mn, cô bắt tìm hiểu mà e ko bít 😩")
    assert "Nghị quyết 57" in reply["answer"] and reply["sources"], reply


@pytest.mark.parametrize("text", [
    # before: the country's number of communes and the Week's usual dates, as if they were that province's
    "Phú Thọ mình sau sáp nhập có mấy xã rứa?",
    "Xin hỏi năm nay Hội Khuyến học tỉnh Nghệ An tổ chức lễ khai mạc Tuần lễ vào ngày nào và ở địa điểm nào ạ?",
])
def test_a_named_province_s_own_facts_are_not_guessed(capsys: pytest.CaptureFixture[str], text: str) -> None:
    [reply] = ask(capsys, text)
    assert not reply["sources"] and "Nguồn" not in reply["answer"], reply
    assert reply["answer"].startswith("Việc cụ thể ở nơi bạn"), reply


@pytest.mark.parametrize(("text", "fact"), [
    # where the asker lives is no province asked of; a province the content tells of is answered
    ("tôi ở tỉnh Nghệ An, tuần lễ học tập năm nay diễn ra ngày nào", "1 đến 7 tháng 10"),
    ("Cho tôi hỏi thành phố Hà Tĩnh khai mạc Tuần lễ học tập suốt đời năm 2020 vào ngày nào ạ", "2/10/2020"),
    ("ko có máy tính chỉ có cái đt thôi thì xài AI đc ko ad", "điện thoại thông minh"),  # "máy tính" no "có mấy"
])
def test_told_places_and_told_provinces_are_still_answered(capsys: pytest.CaptureFixture[str], text: str,
                                                           fact: str) -> None:
    [reply] = ask(capsys, text)
    assert fact in reply["answer"] and reply["sources"], reply


def test_a_year_asked_and_compared_with_another_is_not_answered_with_the_other(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: the 2020 theme, with its source, as if it were 2021's (the content has no 2021 theme)
    [reply] = ask(capsys, "Chủ đề Tuần lễ năm 2021 là chi, có giống năm 2020 không?")
    assert "Chuyển đổi số thúc đẩy" not in reply["answer"] and not reply["sources"], reply
    # one of two years asked to choose between is answered by the entry that names it
    [which] = ask(capsys, "Chủ đề văn hóa đọc là của tuần lễ học tập năm 2023 hay năm 2024?")
    assert "Phát triển văn hóa đọc" in which["answer"] and which["sources"], which
