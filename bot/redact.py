"""Redaction, in one place: personal numbers in citizens' texts, and secrets in log lines.

`mask_pii` hides phone numbers, ID-card (CMND/CCCD, 9 or 12 digits) numbers and e-mail addresses. It is
applied to every question text an officer sees or exports and to every text sent to the LLM.

`install_log_redaction` puts a filter on the root handlers: bot tokens, configured secrets and one-time
login links are replaced in every line (message, arguments and traceback), and python-telegram-bot's dumps
of whole update batches are cut, at any verbosity. PTB's and the HTTP clients' request logs (with other
users' texts) stay at WARNING even with `-v`.
"""

from __future__ import annotations

import logging
import re

from bot.settings import Settings

MASK = "***"
_HINT = re.compile(r"[0-9@]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# 9–12 digits, possibly grouped by spaces, dots or dashes (0977 111 222, +84 977.111.222, 001 234 567 890);
# not inside a longer run of digits or letters.
_NUMBER = re.compile(r"(?<![\w+])(?:\+?84|0)?(?:[ .-]?\d){8,11}(?!\w)")


def mask_pii(text: str) -> str:
    """The text with phone, ID-card and e-mail addresses replaced by ***; everything else untouched."""
    if not text or not _HINT.search(text):  # most texts have no digit and no @: nothing to do
        return text
    text = _EMAIL.sub(MASK, text)
    return _NUMBER.sub(_mask_number, text)


def _mask_number(match: re.Match[str]) -> str:
    digits = sum(ch.isdigit() for ch in match.group(0))
    return MASK if 9 <= digits <= 12 else match.group(0)


_TOKEN = re.compile(r"(?<!\d)\d{5,}:[A-Za-z0-9_-]{30,}")  # a Telegram bot token, wherever it appears
_LOGIN = re.compile(r"(/dashboard/login/)[A-Za-z0-9_-]{8,}")
QUIET_LOGGERS = (
    "telegram", "httpx", "httpcore", "httpx2", "httpcore2", "openai", "apscheduler", "aiohttp.access",
    "aiosqlite", "asyncpg", "sqlalchemy",  # their DEBUG lines carry query parameters: users' texts
)


class RedactFilter(logging.Filter):
    """Rewrites a record so that no secret, token or login link reaches any handler."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        text = _TOKEN.sub(MASK, text)
        return _LOGIN.sub(r"\1" + MASK, text)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("telegram") and "Received data was" in str(record.msg):
            record.msg, record.args = f"{str(record.msg).split('Received data was')[0]}(update data left out)", ()
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the record as it is, the handler reports it
            return True
        clean = self.redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


def settings_secrets(settings: Settings) -> list[str]:
    values = [
        settings.telegram_bot_token, settings.telegram_webhook_secret, settings.zalo_bot_token,
        settings.zalo_webhook_secret, settings.zalo_oa_secret_key, settings.zalo_oa_webhook_secret,
        settings.zalo_oa_refresh_token, settings.openai_api_key, settings.secret_key,
    ]  # fmt: skip
    return [v.get_secret_value() for v in values if v is not None]


def install_log_redaction(settings: Settings) -> RedactFilter:
    """The filter on every root handler, and the chatty libraries held at WARNING whatever the verbosity."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    root = logging.getLogger()
    for handler in root.handlers:
        for old in [f for f in handler.filters if isinstance(f, RedactFilter)]:
            handler.removeFilter(old)
    redactor = RedactFilter(settings_secrets(settings))
    for handler in root.handlers:
        handler.addFilter(redactor)
    return redactor
