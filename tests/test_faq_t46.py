"""Blind batches T46-T49 (market sellers, older people of the Centre, people who type by voice or with difficulty,
factory workers): what a citizen typed and got wrong before, as `hocbot ask --json` shows it."""

from __future__ import annotations

import pytest

from content.catalog import load_catalog
from content.intents import feeling_told, out_of_scope
from content.provinces import places_told
from content.search import SearchIndex, without_asides
from content.textnorm import asks_plainly
from handlers.answers.service import REFUSE_OUT_OF_SCOPE, SMALL_TALK
from tests.test_asking_ways import _db, ask  # noqa: F401  (_db: the autouse database of `hocbot ask`)


def test_where_one_lives_is_not_searched(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "Nhà tui ở Quảng Nam, …" got the loan apps' warning: "Quảng" (quảng cáo), "Nam" (năm) matched it.
    text = "Nhà tui ở Quảng Nam, ba tui muốn làm giấy tờ trên mạng mà không rành, ai chỉ cho ổng hỉ?"
    [reply] = ask(capsys, text)
    assert "tổ công nghệ số cộng đồng" in reply["answer"] and not reply["refused"], reply
    assert [key for _, _, key in places_told(text)] == ["quangnam"]
    assert places_told("tôi ở tỉnh Hà Tĩnh") and places_told("quê Nghệ An") and places_told("em sống ở Đà Nẵng")
    # a province asked about is kept: "Hội Khuyến học tỉnh An Giang có trang web riêng không" is no general question
    assert places_told("Hội Khuyến học tỉnh An Giang có trang web không") == []
    assert places_told("Quảng Nam có mấy xã") == [] and places_told("lớp học ở Huế") == []


def test_a_province_the_content_names_stays_in_the_search() -> None:
    index = SearchIndex.from_catalog(load_catalog())
    assert index._placeless("tôi ở Thái Nguyên muốn học AI") == "tôi ở Thái Nguyên muốn học AI"  # a lesson's example
    assert "Quảng Nam" not in index._placeless("tôi ở Quảng Nam muốn học AI")


def test_also_is_not_set_against(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "…, còn xin quyền đọc danh bạ" was read as "A thì…, còn B…" and only "xin quyền đọc danh bạ" was
    # searched: the loan apps' warning for a fake ChatGPT app.
    text = ("Em vừa tải cái app ChatGPT về thì nó đòi nạp 199 nghìn mới cho dùng, còn xin quyền đọc danh bạ. Em thấy "
            "lạ quá, app này thật hay giả?")
    assert "ChatGPT" in without_asides(text)
    [reply] = ask(capsys, text)
    assert "nhà phát triển là OpenAI" in reply["answer"], reply
    # the contrast itself still sets off what is asked of the other thing
    assert without_asides("ChatGPT thì miễn phí rồi, còn học AI trên bot này có mất tiền không?").startswith("học ai")


def test_a_feeling_said_last_is_small_talk(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: the bot's night-time rule ("Lời nhắc tự động của bot không đến vào giờ nghỉ ban đêm…").
    assert feeling_told("Hôm nay tăng ca đến 10 giờ đêm, mệt rã rời luôn bot ạ") == "feeling"
    [reply] = ask(capsys, "Hôm nay tăng ca đến 10 giờ đêm, mệt rã rời luôn bot ạ")
    assert reply["answer"] == SMALL_TALK["feeling"] and not reply["sources"], reply
    # a request before it is still refused ("kể chuyện cười đi, buồn quá")
    assert feeling_told("Bot kể chuyện cười cho tui nghe đi, buồn quá") is None


def test_pregnancy_is_medical(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "Có phải bạn muốn hỏi…" with AI for homework first; its rest alone was answered with that entry.
    [reply] = ask(capsys, "Em có bầu 3 tháng mà vẫn làm ca đêm thì có sao không, nên ăn gì")
    assert reply["refused"] and "bác sĩ" in reply["answer"], reply
    assert out_of_scope("xã mình có bầu cử trưởng thôn không") != "health"


def test_a_diacritic_is_no_where(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "tui gõ chữ có dấu chậm lắm" read as asking ("dấu" folds like "đâu"): the no-accents help answered a
    # question about voice typing.
    assert not asks_plainly("tui gõ chữ có dấu chậm lắm") and asks_plainly("học ở đâu")
    [reply] = ask(capsys, "O ơi chỉ tui với, tui gõ chữ có dấu chậm lắm, có cách mô nói vô máy mà máy tự viết ra "
                          "không o")
    assert "micro" in reply["answer"], reply


def test_told_after_asking_is_not_out_of_scope(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused as out of scope for "tôi lương hưu ít" (a pension), told after the question about the bot.
    [reply] = ask(capsys, "Nhắn tin với bot nhiều có bị trừ tiền điện thoại không, tôi lương hưu ít")
    assert reply["answer"].startswith("Không. Bot miễn phí") and not reply["refused"], reply
    [loan] = ask(capsys, "Cho tôi vay 5 triệu, tôi lương hưu ít")
    assert loan["refused"] and loan["answer"].startswith(REFUSE_OUT_OF_SCOPE), loan


def test_the_translation_tip(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: how to ask ChatGPT in general, answered. The translation entry now gives lesson m3l5's tip; the writer
    # named the lesson, which the asked questions now hold, so the two are offered, the entry first.
    [reply] = ask(capsys, "Xin hỏi muốn nhờ AI dịch lời chào hàng sang tiếng Anh cho khách du lịch thì nên gõ thế nào "
                          "cho nó dịch đúng ý ạ?")
    first = reply["answer"].split("\n")[1] if "\n" in reply["answer"] else ""
    assert "nói rõ dịch sang tiếng gì" in reply["answer"] or first == "• Dùng AI để dịch tiếng nước ngoài được không?"
    [entry] = ask(capsys, "Dùng AI để dịch tiếng nước ngoài được không?")
    assert "nói rõ dịch sang tiếng gì" in entry["answer"] and "lesson:m3l5" in str(entry["sources"]), entry


@pytest.mark.parametrize(("text", "said"), [
    # before: the entry on summaries
    ("Cái ChatGPT đó giúp được gì cho dân buôn bán nhỏ như tui hông dzậy?", "cách bán hàng online"),
    ("kỹ năng sô cơ bản gồm nhửng việc gì, tui muốn học từ từ", "Mỗi tuần học một việc"),  # before: Thông tư 02's frame
])
def test_content_answers(capsys: pytest.CaptureFixture[str], text: str, said: str) -> None:
    [reply] = ask(capsys, text)
    assert said in reply["answer"] and reply["sources"], reply


def test_whose_name_a_sim_is_in_is_not_guessed(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: nTrust (checking a number before paying) for whether one's SIM is registered in one's own name.
    [reply] = ask(capsys, "lam sao kiem tra so dien thoai dang xai co dung chinh chu ten minh chua")
    assert "nTrust" not in reply["answer"], reply
