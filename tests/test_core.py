"""Core pieces in isolation: settings, callback payloads, per-user locks, text splitting, numbering."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.callback import PayloadTooLong, pack, unpack
from bot.core.locks import KeyedLocks
from bot.core.messages import Choice, Reply
from bot.core.render import numbered, split_text
from bot.settings import Settings, SettingsError, load_settings


def test_bad_setting_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOCBOT_BROADCAST_RATE", "nhanh")
    with pytest.raises(SettingsError) as err:
        load_settings(_env_file=None)
    assert "HOCBOT_BROADCAST_RATE" in str(err.value)
    assert "\n" not in str(err.value)


def test_bad_timezone_and_admins_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOCBOT_TIMEZONE", "Mars/Olympus")
    with pytest.raises(SettingsError, match="HOCBOT_TIMEZONE"):
        load_settings(_env_file=None)
    monkeypatch.delenv("HOCBOT_TIMEZONE")
    monkeypatch.setenv("HOCBOT_ADMINS", "12345")
    with pytest.raises(SettingsError, match="HOCBOT_ADMINS"):
        load_settings(_env_file=None)


def test_defaults_match_the_design(monkeypatch: pytest.MonkeyPatch) -> None:
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert s.database_url == "sqlite+aiosqlite:///./hocbot.db"
    assert (s.web_host, s.web_port, s.broadcast_rate) == ("127.0.0.1", 8080, 25.0)
    assert s.telegram_api_base_url == "https://api.telegram.org/bot"
    monkeypatch.setenv("HOCBOT_ADMINS", "telegram:1, zalo:abc")
    assert load_settings(_env_file=None).admin_keys == {("telegram", "1"), ("zalo", "abc")}


def test_env_file_is_read(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    env = tmp_path / ".env"
    env.write_text("HOCBOT_WEB_PORT=9090\nTELEGRAM_BOT_TOKEN=1:x\n", encoding="utf-8")
    s = load_settings(_env_file=str(env))
    assert s.web_port == 9090
    assert s.telegram_bot_token is not None and "1:x" not in repr(s)


def test_payload_round_trip_and_limit() -> None:
    data = pack("qa", 123456, 3, 1)
    assert unpack(data).action == "qa" and unpack(data).int_arg(0) == 123456
    with pytest.raises(PayloadTooLong):
        pack("x", "đ" * 40)  # 80 bytes in UTF-8
    assert unpack("garbage").action == "garbage" and unpack("").args == ()


async def test_locks_serialise_one_user_and_free_memory() -> None:
    locks = KeyedLocks()
    order: list[str] = []

    async def work(key: str, tag: str, delay: float) -> None:
        async with locks.hold(key):
            order.append(f"{tag}-in")
            await asyncio.sleep(delay)
            order.append(f"{tag}-out")

    await asyncio.gather(work("u1", "a", 0.05), work("u1", "b", 0), work("u2", "c", 0))
    assert order.index("a-out") < order.index("b-in")  # same user: in order
    assert order.index("c-in") < order.index("a-out")  # other user: concurrently
    assert len(locks) == 0  # nothing left behind


def test_split_long_text_at_paragraphs() -> None:
    paragraphs = [f"Đoạn {i}. " + "chữ " * 300 for i in range(5)]
    parts = split_text("\n\n".join(paragraphs), 4096)
    assert all(len(p) <= 4096 for p in parts) and len(parts) >= 2
    assert parts[0].endswith("chữ") and parts[1].startswith("Đoạn")
    assert "".join("".join(parts).split()) == "".join("".join(paragraphs).split())  # nothing lost


def test_numbered_choices_for_channels_without_buttons() -> None:
    text = numbered(Reply("Bạn đồng ý không?", choices=[Choice("Đồng ý", "c|y"), Choice("Không", "c|n")]))
    assert "1. Đồng ý" in text and "2. Không" in text and text.endswith("Trả lời 1 hoặc 2.")
