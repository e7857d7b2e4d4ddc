"""What the bot's own content answers, asked in words that used to be refused or answered by another entry: a loan
app's interest (the warning of 1.000-2.000 %/year), how to tell an AI-made picture, whether the bot speaks, when
ChatGPT came out. Through AnswerService.plan (what the chat shows)."""

from __future__ import annotations

import pytest

from handlers.answers.service import AnswerService


@pytest.mark.parametrize(("question", "entry", "says"), [
    # before: refused as out of scope ("lãi suất bao nhiêu" is a bank's rate, not ours)
    ("app vay tien nhanh lai bao nhieu phan tram mot nam", "loan_apps", "1.000–2.000%/năm"),
    ("vay app online lãi bn %", "loan_apps", "1.000–2.000%/năm"),
    # before: asked which one; the entry said pictures are made, not how to tell them
    ("ảnh vs video AI làm thì nhìn chỗ nào biết là giả v ad, tay chân hả", "ai_images", "bóng đổ bất thường"),
    # before: "Bot chỉ đọc chữ" alone, which does not say whether it reads aloud
    ("Bot đọc to câu trả lời cho tôi nghe được không, mắt tôi kém", "bot_media", "chưa nói thành tiếng"),
    # before: "ra đời" folded into "ra đổi", a change asked that no entry on ChatGPT asks: refused
    ("chatgpt ra doi nam nao vay", "generative_ai", "11/2022"),
    # before: refused as out of scope ("đáp án bài" is homework's answers)
    ("Trên Zalo không có nút bấm thì chọn đáp án bài kiểm tra bằng cách nào", "bot_channels", "gõ số 1, 2, 3"),
])
def test_answered_with_what_the_content_says(svc: AnswerService, question: str, entry: str, says: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry)
    assert says in result.text and result.sources


@pytest.mark.parametrize("question", [
    "Bây giờ có nên bán nhẫn vàng 9999 không, sợ mai giá lên",  # before: the personal data entry
    "cho tôi vay 5 triệu qua app lãi bao nhiêu",
])
def test_still_refused_as_not_ours(svc: AnswerService, question: str) -> None:
    result = svc.plan(question).fallback
    assert result.refused and result.out_of_scope and "ngoài phạm vi" in result.text


@pytest.mark.parametrize(("question", "entry", "says"), [
    # before: "Mình chưa có con số…": "mấy giấy tờ" (those papers), folded, read as "mấy giây" (how many seconds)
    ("Năm 2022 tôi làm thẻ căn cước công dân, giờ nghe nói có luật mới đổi thành thẻ căn cước. Mấy giấy tờ như sổ "
     "đỏ của tôi ghi số cũ thì có phải đi sửa lại hết không?", "the_can_cuoc", "vẫn giữ nguyên giá trị"),
    # before: the same: a pass mark asked in points, told as a share
    ("học xong khóa AI trên bot có đc giấy chứng nhận ko, cần bn điểm", "bdhai_certificate", "80%"),
])
def test_a_detail_the_answer_tells_is_not_missing(svc: AnswerService, question: str, entry: str, says: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry) and says in result.text


def test_seconds_asked_are_still_missing(svc: AnswerService) -> None:
    result = svc.plan("mỗi câu kiểm tra được bao nhiêu giây").fallback
    assert result.decision != "answer"


@pytest.mark.parametrize(("question", "passage", "says"), [
    # before: the FAQ entry on AI for farmers, which does not tell the lesson's example
    ("bai hoc noi nong dan chup anh la lua bi vang thi AI giup duoc gi", "m1l3#0", "gợi ý có thể là bệnh gì"),
    # before: the entry on a friend's hacked Zalo asking for money, which does not say how it was taken
    ("bài học về người quen nhắn zalo hỏi vay tiền đó nói là tụi lừa đảo nó chiếm zalo của người ta bằng cách nào vậy",
     "m10l1#0", "chiếm tài khoản Zalo"),
])
def test_what_the_lesson_says_is_answered_from_the_lesson(svc: AnswerService, question: str, passage: str,
                                                           says: str) -> None:
    plan = svc.plan(question)
    assert (plan.fallback.decision, plan.fallback.faq_id) == ("answer", passage) and "the lesson asked" in plan.rules
    assert says in plan.fallback.text


def test_a_lesson_named_in_passing_changes_nothing(svc: AnswerService) -> None:
    # "học xong bài" is no lesson's words asked: the certificate's entry answers
    result = svc.plan("học xong bài trên bot có được giấy chứng nhận không").fallback
    assert (result.decision, result.faq_id) == ("answer", "bdhai_certificate")
