"""Questions about using the bot, asked as people ask them, are answered from the bot's own help with the
command to use."""

from __future__ import annotations

import pytest

from content.intents import asks_how_to_use_the_bot
from content.search import Hit
from handlers.answers.service import AnswerService, _help_leads


@pytest.mark.parametrize(
    ("question", "entry", "command"),
    [
        ("mới cài bot xong giờ bắt đầu sao", "bot_start", "/start"),
        ("tôi lớ ngớ chưa biết dùng cái máy trả lời này, chỉ tôi với", "bot_learn_command", "/hoc"),
        ("Xóa lịch sử trình duyệt thì trang bot trên web còn nhớ tôi không", "bot_web", "/lienket"),
        # a help entry far ahead of the rest answers with its command instead of asking
        ("đổi xã đang ở", "bot_settings", "/caidat"),
        ("Mã liên kết tài khoản dùng được trong bao lâu", "bot_link", "/lienket"),
        ("cán bộ đưa tôi dãy mã số của nhóm thôn, gõ vào chỗ nào", "bot_join_group", "/start"),
        ("Bot có những lệnh gì, liệt kê giúp tôi", "bot_learn_command", "/trogiup"),
        # alternatives phrased as people ask
        ("bot gửi tin suốt, tôi muốn tắt hẳn luôn", "bot_unsubscribe", "/huy"),
        ("tôi muốn hỏi một câu thì gõ lệnh gì", "bot_learn_command", "/hoi"),
        ("bấm nút nào để vào bài học đầu tiên", "bdhai_start", "/hoc"),
        ("Mới mở bot lần đầu, giờ phải làm gì trước tiên?", "bot_start", "/start"),
        # "xóa sạch" is "xóa hết" (it was only offered)
        ("Muốn bot xóa sạch thông tin của tôi thì bấm gì", "bot_delete_data", "/xoadulieu"),
        # the menu called as people see it, "the board of buttons" (it got the "bot not answering" entry)
        ("bà bấm lung tung nên mất cái bảng nút bấm rồi, giờ làm sao cho nó hiện ra lại", "bot_menu", "/menu"),
    ],
)
def test_using_the_bot_is_answered_with_the_command(svc: AnswerService, question: str, entry: str,
                                                    command: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry)
    assert command in result.text and result.sources


def test_not_knowing_ones_way_is_asking_how_to_use_the_bot() -> None:
    assert asks_how_to_use_the_bot("tôi lớ ngớ chưa biết dùng cái máy trả lời này, chỉ tôi với")
    assert asks_how_to_use_the_bot("không rành bấm cái bot này")
    assert not asks_how_to_use_the_bot("tôi lo bị lừa khi dùng zalo")


def _hit(doc_id: str, score: float, text: str = "Gõ /caidat để đổi nơi ở.", coverage: float = 0.67,
         core: float = 0.67) -> Hit:
    return Hit(doc_id, "faq", doc_id, text, score, coverage, ("bot-help",), core=core)


def test_a_help_entry_answers_only_when_it_leads_the_rest_clearly() -> None:
    assert _help_leads([_hit("settings", 6.5), _hit("initiative", 3.3)])
    assert not _help_leads([_hit("settings", 6.5), _hit("initiative", 5.0)])  # near: asked
    assert not _help_leads([_hit("settings", 6.5, text="Không có lệnh."), _hit("initiative", 3.3)])  # no command
    assert not _help_leads([_hit("settings", 6.5, core=0.4), _hit("initiative", 3.3)])  # too little covered
    assert not _help_leads([_hit("settings", 6.5)])  # alone: nothing to lead, still asked


def test_why_one_reports_a_wrong_answer_is_not_asked(svc: AnswerService) -> None:
    # Before: refused; "để người ta sửa lại cho đúng" (why one reports) was searched with whom to report to
    result = svc.plan("bot ơi bot trả lời sai rồi thì tôi báo cho ai để người ta sửa lại cho đúng").fallback
    assert (result.decision, result.faq_id) == ("answer", "bot_feedback")
    assert "cán bộ Hội Khuyến học" in result.text
