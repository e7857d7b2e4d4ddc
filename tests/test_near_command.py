"""A mistyped command is taken for the one it nearly is (bot.core.router.Router.near_command), never guessed
between two or from nothing alike."""

from __future__ import annotations

import pytest

from bot.core import texts
from handlers import build_router

ROUTER = build_router()


@pytest.mark.parametrize(("name", "args", "meant"), [
    ("tiendoo", "", "tiendo"),  # a letter too many
    ("tindo", "", "tiendo"),  # a letter missing
    ("kiem", "tra", "kiemtra"),  # a space inside
    ("tiến", "độ", "tiendo"),  # accents and a space
    ("XoaDuLieu", "", "xoadulieu"),  # capitals
    ("", "hoc", "hoc"),  # “/ hoc”
    ("chungnhan", "", "chungnhan"),
    ("bangxephan", "", "bangxephang"),
    ("trogiupp", "", "trogiup"),
])
def test_near_command_finds_what_was_meant(name: str, args: str, meant: str) -> None:
    assert ROUTER.near_command(name, args) == meant


@pytest.mark.parametrize(("name", "args"), [
    ("hox", ""),  # /hoc or /hoi: as near both
    ("abcxyz", ""),
    ("", ""),
    ("kiem", "tra bai cua toi nhe"),  # a long text after a word is not glued into a command
    ("x", ""),
])
def test_near_command_does_not_guess(name: str, args: str) -> None:
    assert ROUTER.near_command(name, args) is None


def test_every_command_is_its_own_nearest_and_help_exists() -> None:
    assert all(ROUTER.near_command(name) == name for name in ROUTER.commands)
    assert texts.HELP_COMMAND in ROUTER.commands  # the “📖 Xem các lệnh” button runs it
