"""Issue 16: long messages (a story told first, voice typing with no punctuation) whose asking clause is plain but
was refused: the story's words spread the whole message over its neighbours. Through AnswerService.plan (what the
chat shows, no LLM): the entry answered, or what stays refused / not answered with the bot's own help."""

from __future__ import annotations

import pytest

from content.intents import small_talk
from handlers.answers.service import AnswerService


@pytest.mark.parametrize(("question", "entry"), [
    # Before: refused. The asking clause alone ("làm sao biết tin đó thật hay giả") is sure of the entry on fake news,
    # which is about no named thing; the story (a video, a Zalo group) only tells where it was seen.
    ("tui thấy trên mạng có cái video ông bác sĩ nổi tiếng nói uống lá này hết tiểu đường mà nhìn y như thật tui "
     "tính chia sẻ cho nhóm Zalo dòng họ mà sợ sai làm sao biết tin đó thật hay giả", "fake_news"),
    ("Ông hàng xóm bị ngã xe gãy chân, nghe nói ai cũng đồn là uống lá này là lành. Làm sao biết tin đó thật hay "
     "giả?", "fake_news"),
    # Before: refused (the whole story found the OTP trick and "never give the code" in a near tie, the latter
    # telling whether to give it: too late). A thing done by mistake, then only "what now": the entry asking what to
    # do once it is done.
    ("Tuần trước tôi lỡ đọc mã OTP cho một người xưng là nhân viên nhà mạng, bảo nâng cấp sim 4G. Sáng nay tài "
     "khoản ngân hàng bị trừ mười triệu. Tôi phải làm gì bây giờ?", "scam_victim"),
    ("Tôi lỡ chuyển 5 triệu đặt cọc mua cái máy lọc nước trên Facebook, giờ nó chặn tôi rồi. Tôi phải làm gì bây "
     "giờ?", "scam_victim"),
    ("Tôi lỡ đọc mã OTP cho người xưng nhân viên ngân hàng, giờ phải làm gì?", "scam_victim"),  # Before: offered
    # Before: refused ("nói vào cái máy", spoken into the phone, is speaking instead of typing)
    ("tôi năm nay sáu mươi tám tuổi rồi mắt thì kém tay thì run gõ chữ không nổi mà con gái nó cứ bảo mẹ học cái AI "
     "đi mẹ ơi thì cho tôi hỏi là có cách nào nói vào cái máy cho nó hiểu không chứ gõ thì chịu", "ai_voice"),
    ("mắt tôi kém gõ chữ không được có cách nào nói vào điện thoại cho nó hiểu không", "ai_voice"),
])
def test_the_asking_clause_of_a_long_message_is_answered(svc: AnswerService, question: str, entry: str) -> None:
    plan = svc.plan(question)
    result = plan.fallback
    if result.decision == "suggest":  # offered first: the nearest asked questions name another entry
        assert "asked disagrees" in plan.rules and result.suggestions[0][0] == entry
    else:
        assert (result.decision, result.faq_id) == ("answer", entry)


@pytest.mark.parametrize(("question", "entry"), [
    # nothing done yet: whether to give the code is what is asked
    ("Có người gọi xưng ngân hàng hỏi mã OTP, tôi có nên đưa không?", "otp_never"),
])
def test_asked_whether_before_it_is_done_stays(svc: AnswerService, question: str, entry: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry)


@pytest.mark.parametrize("question", [
    # "xóa bớt" folds to "xoa bot": the bot's help on its web page is no answer to freeing a phone's memory
    "điện thoại tôi cứ báo đầy bộ nhớ không chụp ảnh được nữa thì xóa bớt cái gì cho nhẹ máy",
    "chu de tuan le hoc tap nam 2020 co phai ve chuyen doi so khong",
])
def test_a_clause_that_asks_of_the_rest_is_not_answered_alone(svc: AnswerService, question: str) -> None:
    result = svc.plan(question).fallback
    # the whole message may be answered: the year's theme, which the asked questions name (not the last clause's
    # "chuyển đổi số" entry alone)
    assert result.decision != "answer" or (result.faq_id == "week_theme_2020" and "Chuyển đổi số" in result.text)


def test_a_clause_asking_of_what_the_first_names_gets_that_thing(svc: AnswerService) -> None:
    # what is asked is asked of what the first clause names ("ngày đó", the day of study promotion): the last clause
    # alone (a date something began) is no question of its own; the whole message is (a tuning question whose
    # answer is the day's entry, found by search and by the asked questions alike)
    result = svc.plan("Tôi hỏi Ngày Khuyến học chứ không hỏi Tuần lễ: ngày đó có từ bao giờ, vì sao lại là ngày ấy?"
                      ).fallback
    assert result.decision != "answer" or (result.faq_id == "ngay_khuyen_hoc" and "2/10/1996" in result.text)


@pytest.mark.parametrize(("message", "kind"), [
    # Before: a greeting (all said after "ở xóm" was taken for the village's name, the question too)
    ("alo alo bot ơi tui là ông Tư ở xóm trên nè hôm qua thằng cháu nó mở cho tui cái gì mà có vòng tròn tím tím "
     "trong cái messenger rồi nó biểu ông cứ hỏi nó đi mà tui hổng biết cái đó là cái gì có mất tiền không", None),
    # who one is and where one lives, nothing asked: still a greeting ("Ko Tam" is a name, no "không")
    ("Xin chào, tôi là Y Bih ở buôn Ko Tam, làm quen chút nha", "greeting"),
    ("tôi là Tư ở xóm Bến Đình", "greeting"),
])
def test_an_introduction_then_a_question_is_no_greeting(message: str, kind: str | None) -> None:
    assert small_talk(message) == kind
