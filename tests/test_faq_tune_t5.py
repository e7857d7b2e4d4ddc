"""Tuning round t5 (Central Highlands villagers, some speaking Vietnamese as a second language): "nói nôm na"
(said plainly), a face "đưa vô quét", a thing said to still work ("chứ Zalo thì vẫn vô được"), a video to make
(no entry tells it), a province's "Tháng khuyến học" (no entry tells it), new phrasings. Through
AnswerService.plan (what the chat shows, no LLM)."""

from __future__ import annotations

import pytest

from handlers.answers.service import AnswerService


@pytest.mark.parametrize(("q", "entry"), [
    # Before: "nói nôm na" matched the digital transformation entry, whatever the thing asked about
    ("xã hội học tập nói nôm na là gì vậy", "learning_society_what"),
    ("xa hoi hoc tap noi nom na la sao, hop thon co noi ma toi khong hieu", "learning_society_what"),
    ("chuyển đổi số nói nôm na cho dễ hiểu là gì", "digital_transformation_what"),
    # Before: "mặt" folded as "mất" held the lost phone entry's question
    ("bán lúa được 30 triệu, chuyển tiền mua phân thì app bắt đưa mặt vô quét. Hồi trước đâu có vậy. Tại sao giờ bắt"
     " làm?", "biometric_transfer"),
    # Before: the link scam entry ("mật khẩu ngân hàng", "Zalo"), the Zalo said to work being read as asked about
    ("quên mật khẩu app Vietcombank, chứ Zalo thì vẫn vô được, lấy lại sao", "bank_app_password"),
    # Before: "Được" (the photo entry) for an ID card photo sent to fill in forms
    ("chụp căn cước của ông gửi ChatGPT điền giấy tờ giùm có nên không", "chatgpt_privacy"),
    ("nhà trồng hồ tiêu thì cái AI giúp được gì cho mình", "ai_farming"),
    ("AI trả lời có khi nào sai không, tôi hỏi nó cách trị sâu cho cây tiêu", "ai_wrong"),
    ("họ tộc tôi muốn làm dòng họ học tập thì cần làm gì", "model_clan"),
    ("làm sao cho bot ngừng gửi tin nhắn", "bot_unsubscribe"),
])
def test_answered_with_the_entry(svc: AnswerService, q: str, entry: str) -> None:
    result = svc.plan(q).fallback
    assert (result.decision, result.faq_id) == ("answer", entry), q


@pytest.mark.parametrize("q", [
    # Before: the fake news entry (it names TikTok videos); no entry teaches making one
    "bot có bài nào chỉ quay video bán hàng trên tiktok không",
    # Before: the Week vs the Day of Khuyến học (2/10); a province's month is neither
    "Tháng khuyến học của tỉnh với Tuần lễ học tập suốt đời khác nhau chỗ nào",
])
def test_what_no_entry_tells_is_not_answered(svc: AnswerService, q: str) -> None:
    assert svc.plan(q).fallback.decision != "answer", q


def test_what_stays_answered(svc: AnswerService) -> None:
    for q, entry in (("chụp hình hỏi chatgpt được không", "chatgpt_photo"),
                     ("đăng ký dòng họ học tập trên bot thế nào", "bot_models_register"),
                     ("ngày khuyến học với tuần lễ học tập suốt đời khác nhau sao", "week_vs_khuyen_hoc_day"),
                     ("AI làm video giả có bị phạt không", "ai_law")):
        result = svc.plan(q).fallback
        assert (result.decision, result.faq_id) == ("answer", entry), q
