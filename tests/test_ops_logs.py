"""HOCBOT_LOG_FORMAT=json: a real `hocbot run` writes one JSON object per line, with the event's channel,
a hashed user key and the update id, and never the bot token or what the user wrote."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

from bot.logs import JsonFormatter, apply_format, event_context, user_hash
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegram

HOCBOT = Path(sys.executable).with_name("hocbot")
USER_ID = 5571234
QUESTION = "tuan le hoc tap la gi, ba Tu o xom Dong hoi"
ANSWER = "Tuần lễ hưởng ứng học tập suốt đời diễn ra từ ngày 1 đến ngày 7 tháng 10 hằng năm [1]."


async def test_json_lines_from_a_running_bot(tmp_path: Path) -> None:
    async with FakeTelegram() as tg, FakeOpenAI() as llm:
        llm.reply(ANSWER)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("HOCBOT_", "TELEGRAM_", "ZALO_", "OPENAI_"))}
        env.update(
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'hocbot.db'}", TELEGRAM_BOT_TOKEN=DEFAULT_TOKEN,
            TELEGRAM_API_BASE_URL=tg.base_url, OPENAI_API_KEY=llm.api_key, OPENAI_BASE_URL=llm.base_url,
            HOCBOT_WEB_PORT="0", HOCBOT_LOG_FORMAT="json",
        )
        err = (tmp_path / "stderr.log").open("wb")
        proc = await asyncio.create_subprocess_exec(
            str(HOCBOT), "run", env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=err
        )
        try:
            user = tg.user(USER_ID, first_name="Tư")
            await user.send(QUESTION)
            await user.wait_for(1, timeout=30)
            await asyncio.sleep(0.3)
        finally:
            proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(proc.wait(), 30)
            err.close()
    raw = (tmp_path / "stderr.log").read_text(encoding="utf-8")
    lines = [json.loads(line) for line in raw.splitlines() if line.strip()]  # every line is one JSON object
    assert lines
    for line in lines:
        assert {"time", "level", "logger", "message"} <= line.keys()
    assert DEFAULT_TOKEN not in raw and DEFAULT_TOKEN.split(":")[1] not in raw
    assert "xom Dong" not in raw and "Tuần lễ hưởng ứng" not in raw  # neither the question nor the answer
    assert str(USER_ID) not in raw  # the user key only hashed
    event_lines = [line for line in lines if line.get("update_id")]
    assert event_lines, raw
    assert all(line["channel"] == "telegram" for line in event_lines)
    apply_format("text")  # the bot ran without HOCBOT_SECRET_KEY: hashes with the default salt
    assert {line["user"] for line in event_lines} == {user_hash("telegram", str(USER_ID))}
    assert any(line["logger"] == "bot.llm" for line in event_lines)  # the LLM's line knows its event


def test_formatter_keeps_what_a_redacting_filter_left() -> None:
    class Redact(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            record.msg = str(record.msg).replace("SECRET", "[redacted]")
            record.exc_text = "Traceback: [redacted]"
            return True

    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "token SECRET\nsecond line", None, None)
    try:
        raise RuntimeError("SECRET")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    Redact().filter(record)
    with event_context("zalo", "u-1", "ev-9"):
        out = JsonFormatter().format(record)
    assert "\n" not in out and "SECRET" not in out
    data = json.loads(out)
    assert data["message"] == "token [redacted]\nsecond line"
    assert (data["channel"], data["user"], data["update_id"]) == ("zalo", user_hash("zalo", "u-1"), "ev-9")
    assert data["exc"] == "Traceback: [redacted]"


def test_a_record_formatted_later_keeps_its_event() -> None:
    """Records held during start-up (or queued) are formatted outside the event: they keep it anyway."""
    logger = logging.getLogger("hocbot.test")
    with event_context("telegram", "42", "777"):
        record = logger.makeRecord(logger.name, logging.INFO, __file__, 1, "held line", None, None)
    data = json.loads(JsonFormatter().format(record))
    assert (data["channel"], data["user"], data["update_id"]) == ("telegram", user_hash("telegram", "42"), "777")
