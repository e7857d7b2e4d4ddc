"""Blind batches T69-T72 (fishing families of the Central coast, sellers of the Mekong delta, teachers and parents,
village heads and commune officers): what they typed and got wrong before, as `hocbot ask --json` shows it."""

from __future__ import annotations

import pytest

from content.intents import out_of_scope, small_talk
from content.search import without_asides
from handlers.answers.service import SMALL_TALK
from tests.test_asking_ways import _db, ask  # noqa: F401  (_db: the autouse database of `hocbot ask`)


@pytest.mark.parametrize(("text", "fact"), [
    # before: refused (what the officer will do with the answer was searched with the question)
    ("Cháu ơi, bác là trưởng thôn, bác muốn hỏi cộng đồng học tập là thế nào để bác nói với bà con trong buổi họp "
     "thôn", "Cộng đồng học tập là"),
    # before: refused ("…, tôi muốn phổ biến cho các hộ" searched with it)
    ("mật khẩu gia đình là gì, tôi muốn phổ biến cho các hộ trong xóm", "câu hỏi bí mật"),
    # before: the AI tools listed ("nghe hoài mà không hiểu" is why it is asked)
    ("tri tue nhan tao la cai gi vay, ngoai cho nghe hoai ma khong hieu", "AI (trí tuệ nhân tạo) là"),
    # before: offers led by group learning for the whole hamlet ("trưởng thôn", "trong thôn" are who asks)
    ("Em ơi, anh trưởng thôn đây, mấy cụ trong thôn hỏi già rồi có học với dùng AI được không, em trả lời giúp để "
     "anh nói lại", "Hoàn toàn được"),
])
def test_who_asks_and_what_for_are_not_searched(capsys: pytest.CaptureFixture[str], text: str, fact: str) -> None:
    [reply] = ask(capsys, text)
    assert fact in reply["answer"] and not reply["refused"] and reply["sources"], reply


def test_a_purpose_that_is_the_question_stays() -> None:
    # "để nói cho Gemini nghe" is how to speak, asked; "để tôi đưa vào bài nói chuyện" is what the answer is for
    assert without_asides("bam vao dau de noi cho gemini nghe thay vi go chu").endswith("go chu")
    assert without_asides("học tập suốt đời hiểu thế nào để tôi đưa vào bài nói chuyện") \
        == "học tập suốt đời hiểu thế nào"
    # "nhóm của hội" is no "hỏi"; "người ta không hỏi OTP" is no question passed on
    assert "Bà con muốn vào nhóm" in without_asides("Bà con muốn vào nhóm của hội trên bot có phải nộp phí gì không?")
    assert without_asides("ng ta ko hoi otp ma bat cai app qua link thi sao").startswith("ng ta")


@pytest.mark.parametrize(("text", "scope"), [
    # before: "ở mô, răng" (Central: where, why) was read "đau răng" (a toothache)
    ("Coi bảng xếp hạng ở mô, răng tên tui không hiện?", None),
    # before: "soạn bài" was homework; a talk written for the branch is not
    ("Tôi đang soạn bài tuyên truyền cho chi hội, xin hỏi NQ 57-NQ/TW ra đời ngày tháng năm nào ạ?", None),
    # before: "dòng họ nhiêu" was read "ho nhiều" (a bad cough)
    ("mỗi dòng họ học tập tiêu biểu được thưởng nhiêu tiền?", None),
    ("đau răng quá uống thuốc gì", "health"),
    ("tôi bị ho nhiều uống thuốc gì", "health"),
    ("soạn bài văn tả con mèo giúp cháu", "other"),
    # before: offers of the learning models' entries
    ("Bot nhận xét giúp ông chủ tịch xã mình làm tốt hay không tốt?", "other"),
])
def test_dialect_and_officers_words_are_not_out_of_scope(text: str, scope: str | None) -> None:
    assert out_of_scope(text) == scope


def test_the_leaderboard_asked_in_central_speech_is_answered(capsys: pytest.CaptureFixture[str]) -> None:
    [reply] = ask(capsys, "Coi bảng xếp hạng ở mô, răng tên tui không hiện?")
    assert "/bangxephang" in reply["answer"] and not reply["refused"], reply


@pytest.mark.parametrize("text", [
    # before: the circular's content with its source, as if it named a signer
    "Xin hỏi ạ, Thông tư 02/2025 về khung năng lực số là do ai ký ạ?",
    # before: the level-2 account's steps, as if they said how many days it takes
    "làm vneid mức 2 bn ngày thì có v ad",
    # before: how to enter the contest, as if it named last year's winner
    "Năm ngoái phường tui có cuộc thi tìm hiểu trong tuần lễ học tập, tui có thi mà chưa thấy báo kết quả. Giải "
    "nhất năm đó ai được vậy?",
    # before: who to contact in general, as if it were that commune officer's number
    "Cho tui xin số điện thoại cán bộ khuyến học xã Tân Thông Hội được hông?",
    # before: the framework's 8 levels, as if they said which a third-grader must reach
    "theo khung năng lực số thông tư 02 thì học sinh lớp 3 phải đạt trình độ nào bậc mấy",
    # before: what a learning clan is, as if it said the prize money
    "Hội Khuyến học tỉnh năm ni có thưởng chi cho dòng họ học tập tiêu biểu hông, mỗi dòng họ nhiêu tiền?",
    # before: the Week's usual dates, as if they were that province's venue
    "Xin hỏi lễ khai mạc Tuần lễ học tập suốt đời năm nay của tỉnh Nghệ An tổ chức ở địa điểm nào ạ?",
])
def test_a_detail_the_content_does_not_give_is_not_guessed(capsys: pytest.CaptureFixture[str], text: str) -> None:
    [reply] = ask(capsys, text)
    assert not reply["sources"] and "Nguồn" not in reply["answer"], reply


@pytest.mark.parametrize(("text", "fact"), [
    ("nghi quyet 57 ban hanh ngay nao do ai ky", "Bộ Chính trị ban hành"),  # who issued it tells who signed
    ("Khung năng lực số có mấy bậc", "8 bậc"),  # how many levels, not which
    ("Chú ơi, cháu nghi có người khác đang dùng Zalo của cháu trên máy lạ, kiểm tra ở mục nào hả chú",
     "Kiểm tra bảo mật"),  # "mục nào" (which menu item) is no level asked
])
def test_details_the_answer_gives_are_still_answered(capsys: pytest.CaptureFixture[str], text: str,
                                                     fact: str) -> None:
    [reply] = ask(capsys, text)
    assert fact in reply["answer"] and reply["sources"], reply


@pytest.mark.parametrize("text", [
    "hay quá trời luôn",
    "ok bot, tối con đi học về mẹ hỏi tiếp nhé",
    "Chúc mừng ngày Nhà giáo Việt Nam 20/11 nhé bot, hihi",
])
def test_praise_later_and_holiday_wishes_are_small_talk(capsys: pytest.CaptureFixture[str], text: str) -> None:
    assert small_talk(text) is not None
    [reply] = ask(capsys, text)
    assert reply["answer"] in SMALL_TALK.values() and not reply["sources"], reply
    assert small_talk("ngày nhà giáo là ngày nào") is None and small_talk("tối về học tiếp bài nào") is None


def test_a_tuning_question_typed_word_for_word_confirms_its_entry(capsys: pytest.CaptureFixture[str]) -> None:
    # Before (once T65-T72 were among the asked questions): offered with the lessons' fee entry, the four nearest
    # asked questions being "học AI trên bot có mất tiền không" (bdhai_free), the message itself one of bot_cost's
    [reply] = ask(capsys, "bot có mất tiền không")
    assert reply["answer"].startswith("Không. Bot miễn phí") and reply["sources"], reply
