"""Blind batches T77-T80 (Mekong farmers, grandparents of the northern midlands, traders of the Centre and their
children, officers): what they typed and got wrong before, as `hocbot ask --json` shows it."""

from __future__ import annotations

import pytest

from content.intents import out_of_scope, small_talk
from content.textnorm import asks_something, fold
from handlers.answers.service import SMALL_TALK
from tests.test_asking_ways import _db, ask  # noqa: F401  (_db: the autouse database of `hocbot ask`)


@pytest.mark.parametrize(("text", "fact"), [
    # before: how one asks AI about health, as if the bot itself gave medical advice
    ("Hỏi bot về thuốc men cho cháu thì bot có trả lời không", "Bot không tư vấn sức khỏe"),
    # "chỉ thì" (show me, then) folds like "chỉ thị" (a directive): the hotline's number is still answered
    ("Dạ cho tôi hỏi quên mật khẩu VssID mà muốn gọi tổng đài Bảo hiểm xã hội Việt Nam nhờ chỉ thì gọi số mấy ạ",
     "1900 9068"),
    # a document's number asked is told by one ("1373/QĐ-TTg")
    ("Đề án xây dựng xã hội học tập giai đoạn 2021-2030 được phê duyệt theo quyết định số mấy", "1373/QĐ-TTg"),
    # the North's "n" for "l": "thế lào" is "thế nào"
    ("thế lào thì gọi nà công dân học tập", "tự giác học thường xuyên"),
    # "còn bao nhiêu" is no storm ("cơn bão")
    ("sau sap nhap ca nuoc con bao nhieu tinh", "34 tỉnh"),
])
def test_answered_with_the_fact(capsys: pytest.CaptureFixture[str], text: str, fact: str) -> None:
    [reply] = ask(capsys, text)
    assert fact in reply["answer"] and not reply["refused"] and reply["sources"], reply


@pytest.mark.parametrize("text", [
    # before: the Day of Learning Promotion's entry, whose only number is the year 1996, as if it were the decision's
    "Ngày Khuyến học Việt Nam 2/10 là theo quyết định số mấy của Thủ tướng vậy?",
    # before: 2025's theme, as if it were 2026's (what is told is not what is asked, after "thế")
    "Năm 2025 chủ đề là học để làm chủ tri thức, thế Tuần lễ năm 2026 chủ đề là gì",
])
def test_a_detail_the_content_does_not_give_is_not_guessed(capsys: pytest.CaptureFixture[str], text: str) -> None:
    [reply] = ask(capsys, text)
    assert not reply["sources"] and "Nguồn" not in reply["answer"], reply


def test_what_is_told_of_one_year_is_not_answered_for_another(capsys: pytest.CaptureFixture[str]) -> None:
    # before: 2020's theme, answered with its source ("Chủ đề" read as asking, the "còn" contrast not seen); now the
    # told year's entry is not the answer, and the asked year's theme is among the choices
    [reply] = ask(capsys, "Chủ đề năm 2020 là “Chuyển đổi số thúc đẩy học tập suốt đời” còn năm 2022 là chủ đề nào, "
                          "tôi hay đảo lộn hai năm này")
    assert not reply["sources"] and "năm 2022 là gì" in reply["answer"], reply


def test_chu_and_ha_ask_only_as_particles() -> None:
    assert not asks_something("Chủ đề năm 2020 là Chuyển đổi số thúc đẩy học tập suốt đời")
    assert not asks_something("Năm 2025 là học để làm chủ tri thức")
    assert not asks_something("ở Hà Tĩnh có lớp học AI")
    assert asks_something("học cái này được chứ") and asks_something("thật hả bác")
    assert asks_something("cái này tôi tự làm chứ")  # "làm chủ" asks nothing, "làm chứ" at the end does
    assert fold("thế lào") == "the nao" and fold("nớp học") == "lop hoc"


def test_storms_are_weather_and_wishes_are_small_talk(capsys: pytest.CaptureFixture[str]) -> None:
    assert out_of_scope("Bão có vô Quảng Nam không, tui cần dọn hàng vô nhà") is not None
    [reply] = ask(capsys, "Bão có vô Quảng Nam không, tui cần dọn hàng vô nhà")
    assert reply["refused"] and not reply["sources"], reply
    assert small_talk("Chúc trợ lý một ngày làm việc hiệu quả.") is not None
    [reply] = ask(capsys, "Chúc trợ lý một ngày làm việc hiệu quả.")
    assert reply["answer"] in SMALL_TALK.values(), reply
