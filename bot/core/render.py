"""Platform-neutral rendering helpers: numbered choices for channels without buttons, text splitting."""

from __future__ import annotations

import re
import unicodedata

from bot.core import texts
from bot.core.messages import Reply
from content.textnorm import fold

_OWN_NUMBER = re.compile(r"^((?:[^\w\s]+\s+)*)\d+\.\s+")  # "1. …", also after marks: "▶️ 1. …"


def plain_label(label: str) -> str:
    """A button label without its own order number ("▶️ 1. AI là gì?" → "▶️ AI là gì?")."""
    return _OWN_NUMBER.sub(r"\1", label)


def utf16_len(text: str) -> int:
    """Length as platforms count it (Telegram, Zalo): UTF-16 code units, so an emoji counts 2."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int) -> list[str]:
    """Split NFC text into parts of at most `limit` UTF-16 units, at paragraph, then line, then word."""
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        return []
    return [c for c in _split(text, limit, ("\n\n", "\n", " ")) if c.strip()]


def _split(text: str, limit: int, seps: tuple[str, ...]) -> list[str]:
    if utf16_len(text) <= limit:
        return [text.strip()]
    if not seps:
        return _hard_cut(text, limit)
    sep, rest = seps[0], seps[1:]
    chunks: list[str] = []
    current = ""
    for part in text.split(sep):
        candidate = f"{current}{sep}{part}" if current else part
        if utf16_len(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current.strip())
        if utf16_len(part) <= limit:
            current = part
        else:
            pieces = _split(part, limit, rest)
            chunks.extend(pieces[:-1])
            current = pieces[-1] if pieces else ""
    if current.strip():
        chunks.append(current.strip())
    return chunks


def _hard_cut(text: str, limit: int) -> list[str]:
    chunks: list[str] = []
    current = ""
    for ch in text:
        if utf16_len(current + ch) > limit:
            chunks.append(current)
            current = ""
        current += ch
    return [*chunks, current] if current else chunks


def numbered(reply: Reply) -> str:
    """The reply's text with its choices as a numbered list and a “Trả lời 1, 2 hoặc 3” hint."""
    body = reply.text
    if reply.quiz is not None and not reply.choices:
        lines = [f"{i}. {opt}" for i, opt in enumerate(reply.quiz.options, 1)]
        return f"{body}\n\n" + "\n".join(lines) + "\n\n" + texts.numbered_footer(len(lines))
    if not reply.choices:
        return body
    # A label's own order number ("1. AI là gì?") would read "1. 1. …" once numbered: keep ours only.
    lines = [f"{i}. {plain_label(c.label)}" for i, c in enumerate(reply.choices, 1)]
    return f"{body}\n\n" + "\n".join(lines) + "\n\n" + texts.numbered_footer(len(lines))


def menu_hint(numbered: bool = True) -> str:
    """The main menu as text: “Gõ số hoặc tên mục: 1 Học AI · 2 Kiểm tra · …” when nothing else is on
    offer (a bare number then picks a menu item), only the words when numbered choices share the message."""
    labels = [_without_emoji(label) for label in texts.MAIN_ITEMS]
    if not numbered:
        return texts.MENU_HINT.format(items=" · ".join(labels))
    return texts.MENU_NUMBERED.format(items=" · ".join(f"{i} {w}" for i, w in enumerate(labels, 1)))


def _without_emoji(label: str) -> str:
    words = label.split()
    while words and not fold(words[0]).strip():
        words.pop(0)
    return " ".join(words)


def as_text(reply: Reply) -> str:
    """The reply where nothing but text can be shown: choices numbered, the main menu as a hint."""
    body = numbered(reply)
    if reply.keyboard and not reply.choices:
        body = f"{body}\n\n{menu_hint()}" if body.strip() else menu_hint()
    return body.strip()


def rows(labels: list[str], columns: int) -> list[list[str]]:
    columns = max(1, columns)
    return [labels[i : i + columns] for i in range(0, len(labels), columns)]
