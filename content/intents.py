"""What a message is before it is a question: small talk (greetings, thanks, goodbyes, "ok") and the kinds
of out-of-scope request that get their own reply (health questions are pointed to a doctor and 115)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml

from content.textnorm import fold

SmallTalk = Literal["greeting", "thanks", "bye", "ack", "how_are_you"]
OutOfScope = Literal["health", "other"]

# Word lists (content/data/intents.yaml): small talk by kind, the words that may come with it, and the requests
# that are not ours. The patterns below stay here: they are rules over those words, not lists.
DATA = Path(__file__).with_name("data") / "intents.yaml"
_DATA = yaml.safe_load(DATA.read_text(encoding="utf-8"))
_SMALL_TALK: dict[SmallTalk, tuple[str, ...]] = {k: tuple(v) for k, v in _DATA["small_talk"].items()}
_SOFT = frozenset(_DATA["soft"])
_ASKING = frozenset(_DATA["asking"])
SMALL_TALK_EXTRA = 4  # words of chat besides a thanks, greeting or goodbye
_PHRASES = sorted(
    ((tuple(fold(p).split()), kind) for kind, ps in _SMALL_TALK.items() for p in ps),
    key=lambda pk: -len(pk[0]),
)
_PRIORITY: tuple[SmallTalk, ...] = ("thanks", "bye", "how_are_you", "greeting", "ack")
MAX_SMALL_TALK_WORDS = 10


@lru_cache(maxsize=4096)
def small_talk(text: str) -> SmallTalk | None:
    """The kind of small talk a whole message is ("chào bạn", "cảm ơn nhé", "ok"), or None for a question."""
    words = fold(text).split()
    if not words or len(words) > MAX_SMALL_TALK_WORDS:
        return None
    found: set[SmallTalk] = set()
    extra: list[str] = []
    i = 0
    while i < len(words):
        for phrase, kind in _PHRASES:
            if tuple(words[i:i + len(phrase)]) == phrase:
                found.add(kind)
                i += len(phrase)
                break
        else:
            if words[i] not in _SOFT:
                extra.append(words[i])
            i += 1
    if extra and (len(extra) > SMALL_TALK_EXTRA or "?" in text or not found - {"ack"}
                  or any(w in _ASKING for w in extra)):
        return None
    return next((k for k in _PRIORITY if k in found), None)


_HEALTH: tuple[str, ...] = tuple(_DATA["health"])
_OTHER: tuple[str, ...] = tuple(_DATA["other"])
_LOAN: tuple[str, ...] = tuple(_DATA["loan"])
# "(cho tôi) mượn 2 triệu": folded "muon" is also "muốn", so only with an amount after it.
_LOAN_AMOUNT = re.compile(r"\b(?:muon|vay) (?:\d+ ?(?:trieu|nghin|ngan|tram|cu|k)|it tien|vai trieu|mot it tien)\b")
_SCAM = re.compile(r"\b(?:lua|lua dao|gia mao|mao danh|hack|chiem|an toan|tin dung den|nhan|goi video|nguoi quen|"
                   r"danh ba|de doa|doi no|uy tin)\b")
_ABUSE: tuple[str, ...] = tuple(_DATA["abuse"])
_INSULTS: tuple[str, ...] = tuple(_DATA["insults"])  # matched as typed when typed with accents, else folded
# A question ABOUT using AI or the bot for these things, or about a scam, stays ours ("có nên hỏi AI về sức
# khỏe không", "app vay tiền online lừa đảo").
_ABOUT_AI = re.compile(r"\b(?:ai|chatgpt|chatbot|gemini|copilot|bot|tri tue nhan tao|lua|lua dao|gia mao|mao danh)\b")


def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b")


_HEALTH_RE = _pattern(_HEALTH)
_OTHER_RE = _pattern(_OTHER)
_ABUSE_RE = _pattern(_ABUSE)
_INSULTS_RE = _pattern(_INSULTS)
_INSULTS_FOLDED_RE = re.compile(  # unaccented "do dien ra" is "đó diễn ra"
    _pattern(tuple(fold(p) for p in _INSULTS)).pattern.replace(re.escape("do dien"), re.escape("do dien") + "(?! ra)"))
_LOAN_RE = _pattern(_LOAN)


@lru_cache(maxsize=8192)
def out_of_scope(query: str) -> OutOfScope | None:
    """"health" for medicine and illness, "other" for the rest of what the bot does not do, else None."""
    folded = fold(query)
    about_ai = bool(_ABOUT_AI.search(folded))
    if _HEALTH_RE.search(folded) and not about_ai:
        return "health"
    typed = unicodedata.normalize("NFC", query).lower()
    insult = _INSULTS_RE.search(typed) if fold(typed) != typed else _INSULTS_FOLDED_RE.search(folded)
    if _ABUSE_RE.search(folded) or insult or (_OTHER_RE.search(folded) and not about_ai):
        return "other"
    if (_LOAN_RE.search(folded) or _LOAN_AMOUNT.search(folded)) and not _SCAM.search(folded):
        return "other"
    return None
