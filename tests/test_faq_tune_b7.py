"""Tuning round b7 (stories, run-ons, kinship, dialect, teencode and misspellings of the fresh tuning file): Southern
"dzô" and "dậy", VNeID spelt out as said ("vi nê ai đi"), "bh" for now, "năm sin"; a hotline's hours are not its
number; who won a contest and which app to use are details no entry tells; a story whose ending asks how to do a
thing in the bot; new phrasings for a hacked Facebook and a list pasted into ChatGPT. Through AnswerService.plan (what
the chat shows, no LLM)."""

from __future__ import annotations

import pytest

from content.textnorm import fold
from handlers.answers.service import AnswerService
from tests.weak import answered_or_offered_first


def test_spoken_and_typed_forms() -> None:
    assert fold("tui muốn dzô hội khuyến học") == "toi muon vao hoi khuyen hoc"
    assert fold("hỏi ai dậy?").endswith("vay")
    assert fold("sáng ngủ dậy") == "sang ngu day"  # waking up stays
    assert fold("vi nê ai đi có mất tiền không").startswith("vneid ")
    assert fold("bị lộ mk rồi lm j bh").endswith("bay gio")
    assert fold("sai năm sin") == "sai nam sinh"
    assert fold("tổ chứ đó lập ra để làm gì").startswith("to chuc do ")


@pytest.mark.parametrize(("q", "entry"), [
    # Before: the entry on how to reach the Hội ("dzô" and "dậy" unread)
    ("ấp tui muốn dzô hội khuyến học thì kiếm ai dậy?", "khuyen_hoc_join"),
    # Before: the entry on what AI does for jobs (VNeID spelt out as said)
    ("cái vi nê ai đi là gì dậy", "vneid_what"),
    # Before: the entry on running a class, found by the story's words
    ("Thôn tôi mở lớp dạy bà con dùng Zalo được mấy tháng rồi, bà con thích lắm. Giờ muốn gửi cách làm này lên Hội"
     " qua bot thì làm thế nào?", "bot_initiative"),
    # Before: a friend's hacked account asking for a loan
    ("fb của mình bị hack r, nó nhắn tin mượn tiền bạn bè, làm gì bh", "facebook_hacked"),
    # Before: the entry on numbers AI makes up
    ("Tôi làm chi hội trưởng, có danh sách hội viên kèm số điện thoại. Dán cả danh sách vào ChatGPT cho nó sắp xếp"
     " có được không?", "officer_personal_data"),
])
def test_answered_with_the_entry(svc: AnswerService, q: str, entry: str) -> None:
    result = svc.plan(q).fallback
    assert (result.decision, result.faq_id) == ("answer", entry), q


@pytest.mark.parametrize("q", [
    # Before: changing the phone number of a VNeID account ("tổng đài … mấy giờ" read as asking its number)
    "tôi muốn hỏi tổng đài hỗ trợ vneid mở từ mấy giờ tới mấy giờ vậy",
    "tong dai vneid lam viec may gio den may gio",
    # Before: how to enter the bot's contest
    "Cháu ơi cuộc thi tìm hiểu tuần lễ học tập năm rồi ở huyện mình ai được giải nhất vậy cháu?",
    "hội thi năm ngoái xã nào về nhất vậy",
    # Before: what AI does for jobs
    "anh tôi muốn nhờ AI luyện nói tiếng Nhật để đi xuất khẩu lao động thì dùng ứng dụng nào",
])
def test_what_no_entry_tells_is_not_answered(svc: AnswerService, q: str) -> None:
    assert svc.plan(q).fallback.decision != "answer", q


def test_what_stays_answered(svc: AnswerService) -> None:
    for q, entry in (("tổng đài hỗ trợ VNeID số mấy", "vneid_change_phone"),
                     ("zalo người quen nhắn mượn tiền gấp có phải bị hack không", "zalo_hacked_loan"),
                     ("cách mở lớp dạy AI cho bà con", "officer_ai_class")):
        assert answered_or_offered_first(svc, q, entry), q
