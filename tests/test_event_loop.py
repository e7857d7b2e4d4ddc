"""`hocbot run` serves on uvloop's event loop unless HOCBOT_EVENT_LOOP=asyncio says otherwise."""

from __future__ import annotations

import argparse
import asyncio
import sys

import pytest
import uvloop

import bot.cli.core
from bot.cli import main
from bot.settings import Settings, SettingsError, load_settings


@pytest.fixture
def loops_seen(monkeypatch: pytest.MonkeyPatch) -> list[type[asyncio.AbstractEventLoop]]:
    """`hocbot run` replaced by a command noting the event loop it runs on (nothing is served)."""
    seen: list[type[asyncio.AbstractEventLoop]] = []

    async def note_loop(_args: argparse.Namespace, _settings: Settings) -> int:
        seen.append(type(asyncio.get_running_loop()))
        return 0

    monkeypatch.setattr(bot.cli.core, "cmd_run", note_loop)
    monkeypatch.setenv("DATABASE_URL", "sqlite+aiosqlite:///:memory:")
    return seen


def test_serving_runs_on_uvloop_by_default(
    monkeypatch: pytest.MonkeyPatch, loops_seen: list[type[asyncio.AbstractEventLoop]]
) -> None:
    monkeypatch.delenv("HOCBOT_EVENT_LOOP", raising=False)
    assert main(["run"]) == 0
    assert loops_seen == [uvloop.Loop]
    monkeypatch.setenv("HOCBOT_EVENT_LOOP", "uvloop")
    assert main(["run"]) == 0
    assert loops_seen == [uvloop.Loop, uvloop.Loop]


def test_an_operator_can_go_back_to_the_standard_loop(
    monkeypatch: pytest.MonkeyPatch, loops_seen: list[type[asyncio.AbstractEventLoop]]
) -> None:
    monkeypatch.setenv("HOCBOT_EVENT_LOOP", "asyncio")
    assert main(["run"]) == 0
    assert len(loops_seen) == 1 and not issubclass(loops_seen[0], uvloop.Loop)
    assert issubclass(loops_seen[0], asyncio.BaseEventLoop)


def test_a_misspelt_event_loop_is_one_line_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    loops_seen: list[type[asyncio.AbstractEventLoop]],
) -> None:  # fmt: skip
    monkeypatch.setenv("HOCBOT_EVENT_LOOP", "libuv")
    with pytest.raises(SettingsError, match="HOCBOT_EVENT_LOOP"):
        load_settings(_env_file=None)
    assert main(["run"]) == 2
    err = capsys.readouterr().err.strip()
    assert "HOCBOT_EVENT_LOOP" in err and "uvloop" in err and "asyncio" in err
    assert "\n" not in err and "Traceback" not in err
    assert loops_seen == []  # refused before anything ran


def test_without_uvloop_installed_the_standard_loop_serves(
    monkeypatch: pytest.MonkeyPatch, loops_seen: list[type[asyncio.AbstractEventLoop]]
) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)  # as on Windows, where the dependency is not installed
    monkeypatch.setenv("HOCBOT_EVENT_LOOP", "uvloop")
    assert main(["run"]) == 0
    assert len(loops_seen) == 1 and loops_seen[0].__module__.startswith("asyncio")
