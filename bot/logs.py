"""Log output: human-readable lines by default, one JSON object per line with HOCBOT_LOG_FORMAT=json.

Every line of an inbound event's work carries its channel, a hash of the user's key (never the key
itself) and the platform's update id: the dispatcher sets them in a context variable (`event_context`),
and the JSON formatter adds them. A `logging.Filter` may set the same record attributes (`channel`,
`user`, `update_id`) or rewrite `msg`/`args`/`exc_text` (redaction): the formatter uses what the filters
left. Messages never contain what users wrote; secrets are kept out by the settings (SecretStr).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class EventContext:
    channel: str
    user: str  # hashed
    update_id: str | None


_EVENT: contextvars.ContextVar[EventContext | None] = contextvars.ContextVar("hocbot_log_event", default=None)
DEFAULT_SALT = b"hocbot"
_salt = DEFAULT_SALT


def _stamp_records() -> None:
    """Each record carries the event it was written in (`record.hocbot_event`), taken when it is created: a
    handler that formats it later (records held during start-up, a queue) still knows its event."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "_hocbot", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        event = _EVENT.get()
        if event is not None:
            record.hocbot_event = event
        return record

    factory._hocbot = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


_stamp_records()


def user_hash(channel: str, user_key: str) -> str:
    """A short stable pseudonym of a user for logs: the same user gives the same hash in every line."""
    return hashlib.sha256(_salt + b"|" + f"{channel}:{user_key}".encode()).hexdigest()[:12]


@contextmanager
def event_context(channel: str, user_key: str, update_id: str | None) -> Iterator[None]:
    """Log lines written inside (and in tasks started inside) carry this event's channel, user and id."""
    token = _EVENT.set(EventContext(channel, user_hash(channel, user_key), update_id))
    try:
        yield
    finally:
        _EVENT.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, channel, user (hashed), update_id, exc."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        ctx = getattr(record, "hocbot_event", None) or _EVENT.get()
        for key, fallback in (("channel", ctx.channel if ctx else None), ("user", ctx.user if ctx else None),
                              ("update_id", ctx.update_id if ctx else None)):
            value = getattr(record, key, None) or fallback
            if value is not None:
                data[key] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            data["exc"] = record.exc_text
        if record.stack_info:
            data["stack"] = self.formatStack(record.stack_info)
        return json.dumps(data, ensure_ascii=False, default=str)


def apply_format(log_format: str, *, salt: bytes | None = None) -> None:
    """HOCBOT_LOG_FORMAT: "json" puts the JSON formatter on the root logger's handlers (the CLI has set them
    up); "text" leaves the human-readable lines. `salt` (from HOCBOT_SECRET_KEY) keys the user hashes."""
    global _salt
    _salt = salt or DEFAULT_SALT
    if log_format != "json":
        return
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler(sys.stderr))
    for handler in root.handlers:
        handler.setFormatter(JsonFormatter())
