"""Platform-neutral rendering helpers: numbered choices for channels without buttons, text splitting."""

from __future__ import annotations

import re

from bot.core import texts
from bot.core.messages import Reply

_OWN_NUMBER = re.compile(r"^((?:[^\w\s]+\s+)*)\d+\.\s+")  # "1. …", also after marks: "▶️ 1. …"


def plain_label(label: str) -> str:
    """A button label without its own order number ("▶️ 1. AI là gì?" → "▶️ AI là gì?")."""
    return _OWN_NUMBER.sub(r"\1", label)


def split_text(text: str, limit: int) -> list[str]:
    """Split at paragraph, then line, then word boundaries so each part fits `limit`."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = _best_cut(rest, limit)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def _best_cut(text: str, limit: int) -> int:
    window = text[:limit]
    for sep in ("\n\n", "\n", ". ", " "):
        pos = window.rfind(sep)
        if pos > limit // 3:
            return pos + len(sep)
    return limit


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


def rows(labels: list[str], columns: int) -> list[list[str]]:
    columns = max(1, columns)
    return [labels[i : i + columns] for i in range(0, len(labels), columns)]
