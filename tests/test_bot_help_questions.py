"""Questions about using the bot, asked as people ask them, are answered from the bot's own help with the
command to use."""

from __future__ import annotations

import pytest

from content.catalog import load_catalog
from content.intents import asks_how_to_use_the_bot
from handlers.answers.service import AnswerService


@pytest.fixture(scope="module")
def svc() -> AnswerService:
    return AnswerService(load_catalog())


@pytest.mark.parametrize(
    ("question", "entry", "command"),
    [
        ("mới cài bot xong giờ bắt đầu sao", "bot_start", "/start"),
        ("tôi lớ ngớ chưa biết dùng cái máy trả lời này, chỉ tôi với", "bot_learn_command", "/hoc"),
        ("Xóa lịch sử trình duyệt thì trang bot trên web còn nhớ tôi không", "bot_web", "/lienket"),
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
