"""Tuning round tv3 (coastal Central families): confident wrong answers turned into small talk or "chưa chắc"."""

from __future__ import annotations

import pytest

from content.intents import small_talk
from handlers.answers.service import SMALL_TALK
from tests.test_asking_ways import _db, ask  # noqa: F401  (_db: the autouse database of `hocbot ask`)


def test_checking_the_bot_is_there_is_small_talk(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "bot còn ở đó không" was answered with the entry on how the bot writes its answers.
    assert small_talk("bot ơi còn ở đó không") == small_talk("ad có đó không ạ") == "how_are_you"
    assert small_talk("vneid có đó không") is None and small_talk("app có ở đó không?") is None
    [there] = ask(capsys, "a lô, bot ơi còn ở đó không")
    assert there["answer"] == SMALL_TALK["how_are_you"] and not there["sources"], there
