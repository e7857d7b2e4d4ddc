"""Logs at the most verbose level never carry the bot token, a login link or what users wrote (real PTB)."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator

import pytest

from bot.redact import QUIET_LOGGERS, RedactFilter, install_log_redaction, mask_pii
from tests.conftest import make_settings
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegram
from tests.harness import running_bot
from tests.test_telegram_e2e import says

SECRET_TEXT = "Nhà tôi ở thôn Đông, số 0977111222, nhắn giúp bà Mai"


@pytest.fixture
def verbose_log() -> Iterator[io.StringIO]:
    """What `hocbot -v run` writes: the root logger at DEBUG into one stream handler."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    levels = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield out
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


async def test_verbose_logs_have_no_token_login_link_or_user_text(db_url: str, verbose_log: io.StringIO) -> None:
    async with FakeTelegram() as tg:
        settings = make_settings(
            db_url, telegram_bot_token=DEFAULT_TOKEN, telegram_api_base_url=tg.base_url,
            hocbot_admins="telegram:9000002",
        )
        install_log_redaction(settings)
        async with running_bot(settings):
            officer = tg.user(9000002, first_name="Cán bộ")
            reply = await says(officer, "/web")
            link = re.search(r"http\S+/dashboard/login/(\S+)", reply[0]["text"])
            assert link, reply
            citizen = tg.user(3001, first_name="Mai")
            tg.emit("message", {"message_id": 1, "date": 1790000000, "chat": "not a chat"})  # unparsable
            await citizen.send(SECRET_TEXT)  # in the same getUpdates batch
            await citizen.wait_for(1)
            await says(officer, "/trogiup")
    text = verbose_log.getvalue()
    assert "skipping unparsable" in text  # the log is live at DEBUG …
    assert DEFAULT_TOKEN not in text and DEFAULT_TOKEN.split(":")[1] not in text
    assert link.group(1) not in text
    assert "0977111222" not in text and "thôn Đông" not in text


def test_filter_redacts_messages_arguments_and_tracebacks() -> None:
    f = RedactFilter(["sk-live-abcdef123456"])
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "calling %s with %s", (
        "https://api.telegram.org/bot123456:AAH-abcdefghijklmnopqrstuvwxyz0123/sendMessage",
        "http://127.0.0.1:8080/dashboard/login/iApipC8b-xyzxyzxyz key=sk-live-abcdef123456",
    ), None)  # fmt: skip
    try:
        raise RuntimeError("bad URL http://x/bot123456:AAH-abcdefghijklmnopqrstuvwxyz0123/getMe")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    assert f.filter(record)
    line = record.getMessage() + (record.exc_text or "")
    assert "AAH-abc" not in line and "iApipC8b" not in line and "sk-live" not in line
    assert "/dashboard/login/***" in line


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("SĐT 0977111222, thôn Đông", "SĐT ***, thôn Đông"),
        ("gọi +84 977 111 222 nhé", "gọi *** nhé"),
        ("CCCD 001234567890 và CMND 123456789", "CCCD *** và CMND ***"),
        ("mail mai.nguyen@example.vn giúp", "mail *** giúp"),
        ("năm 2025 có 500 học viên, lớp 12", "năm 2025 có 500 học viên, lớp 12"),
    ],
)
def test_mask_pii(given: str, shown: str) -> None:
    assert mask_pii(given) == shown
