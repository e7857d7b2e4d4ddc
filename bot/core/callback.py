"""Typed callback payloads, packed into at most 64 bytes (Telegram's limit) in one place."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BYTES = 64
SEP = "|"
INT_MAX = 2**31 - 1  # database ids are 32-bit INTEGER columns on PostgreSQL
_INT = re.compile(r"-?[0-9]{1,10}")


def parse_int(raw: object, default: int | None = None, lo: int = -INT_MAX - 1, hi: int = INT_MAX) -> int | None:
    """A number that came from outside (a button, a typed command, a form, a URL): ASCII digits with an
    optional minus, within lo..hi; anything else (too big for the database, "²", "1e9", "") → `default`.
    Every surface parses outside numbers with this one function."""
    text = raw.strip() if isinstance(raw, str) else ""
    if not _INT.fullmatch(text):
        return default
    n = int(text)
    return n if lo <= n <= hi else default


class PayloadTooLong(ValueError):
    """A packed payload would not fit in a button."""


@dataclass(frozen=True)
class Payload:
    """`action` names the handler; `args` are short ids, never free text."""

    action: str
    args: tuple[str, ...] = ()

    def arg(self, index: int, default: str = "") -> str:
        return self.args[index] if index < len(self.args) else default

    def int_arg(self, index: int, default: int = 0) -> int:
        value = parse_int(self.arg(index))
        return default if value is None else value


def pack(action: str, *args: object) -> str:
    """Pack an action and its arguments; raise PayloadTooLong past 64 UTF-8 bytes."""
    parts = [action, *(str(a) for a in args)]
    if any(SEP in p for p in parts):
        raise ValueError(f"payload parts may not contain {SEP!r}: {parts}")
    data = SEP.join(parts)
    if len(data.encode("utf-8")) > MAX_BYTES:
        raise PayloadTooLong(f"callback payload over {MAX_BYTES} bytes: {data!r}")
    return data


def unpack(data: str) -> Payload:
    """Inverse of pack; tolerant of garbage (returns an action nobody handles)."""
    action, *args = (data or "").split(SEP)
    return Payload(action=action, args=tuple(args))
