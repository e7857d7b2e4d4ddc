"""What a message is before it is a question: small talk (greetings, thanks, goodbyes, "ok") and the kinds
of out-of-scope request that get their own reply (health questions are pointed to a doctor and 115)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from content.textnorm import fold

SmallTalk = Literal["greeting", "thanks", "bye", "ack", "how_are_you"]
OutOfScope = Literal["health", "other"]

# Folded phrases, longest first within a kind; a message is small talk when nothing else is left.
_SMALL_TALK: dict[SmallTalk, tuple[str, ...]] = {
    "thanks": ("cam on", "cam ta", "thank you", "thanks you", "thanks", "thank", "thanks a lot", "tks", "thx",
               "camon", "cảm ơn"),
    "bye": ("tam biet", "bye bye", "bye", "bai bai", "hen gap lai", "chuc ngu ngon", "ngu ngon", "good night"),
    "how_are_you": ("co khoe khong", "khoe khong", "co khoe", "khoe chu", "dang lam gi", "an com chua",
                    "how are you"),
    "greeting": ("rat vui duoc lam quen", "vui duoc lam quen", "han hanh duoc lam quen", "lam quen",
                 "mot ngay vui ve", "mot ngay vui", "mot ngay tot lanh", "ngay moi vui ve", "cuoi tuan vui ve",
                 "buoi sang vui ve", "nam moi vui ve", "chuc mung nam moi", "suc khoe", "khoe manh", "khoe",
                 "xin chao", "chao buoi sang", "chao buoi trua", "chao buoi chieu", "chao buoi toi", "chao",
                 "hello", "helo", "hi", "hey", "alo", "a lo", "good morning"),
    "ack": ("ok", "oke", "okay", "okie", "vang", "da vang", "da", "u", "um", "uh", "uhm", "duoc roi", "hieu roi",
            "biet roi", "roi", "hay qua", "hay", "tot qua", "tuyet voi", "tuyet", "hihi", "haha", "hehe", "like",
            "dung roi", "chuan"),
}
# Words that may come with small talk without making it a question.
_SOFT = frozenset(
    "ban bot em anh chi bac chau chu co ong ba con ad admin oi a nhe nha nhieu lam qua nhe nhen ne "
    "moi nguoi ca nha minh toi nhieu nhe ha nhe the vay nhe nho chuc".split()
)
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
    i = 0
    while i < len(words):
        for phrase, kind in _PHRASES:
            if tuple(words[i:i + len(phrase)]) == phrase:
                found.add(kind)
                i += len(phrase)
                break
        else:
            if words[i] not in _SOFT:
                return None
            i += 1
    return next((k for k in _PRIORITY if k in found), None)


# Folded phrases that mean a health or medicine question: the reply says to ask a doctor and call 115.
_HEALTH = (
    "uong thuoc", "thuoc gi", "thuoc nao", "thuoc nam", "thuoc bac", "ke don", "chua benh", "chua khoi", "tri benh",
    "dau bung", "dau dau", "dau lung", "dau rang", "dau hong", "dau nguc", "dau da day", "dau khop", "dau vai",
    "dau mat", "dau tim", "huyet ap", "tieu duong", "mo mau", "mang thai", "co thai", "vo sinh", "sot",
    "ha sot", "co giat", "ho khan", "ho nhieu", "ho lau", "bi ho", "cam cum", "bi cam", "cam lanh", "tieu chay",
    "non mua", "chong mat", "kho tho", "mat ngu", "di ung", "ung thu", "dot quy", "tai bien", "gay xuong",
    "giam can", "tang can", "an kieng", "nen kieng", "kieng gi", "benh gi", "bi benh", "chua tri", "tiem phong",
    "vac xin", "bac si", "benh vien", "cap cuu",
)
# Other requests that are not ours: lottery and fortune, weather, legal advice, prices and money, loans,
# sport, homework and writing tasks, entertainment, insults and attempts to change the bot's instructions.
_OTHER = (
    "xo so", "so de", "lo de", "danh de", "danh lo", "lo to", "con so may man", "so dep", "vietlott", "xsmb",
    "xsmn", "xsmt", "ca do", "ca cuoc", "danh bac", "keo bong da", "tu vi", "xem boi", "boi bai", "phong thuy",
    "xem tuoi", "hop tuoi",
    "thoi tiet", "troi mua", "co mua khong", "mua to", "mua bao", "nang nong", "ret dam", "nhiet do", "bao so",
    "ly hon", "kien tung", "khoi kien", "tranh chap dat", "thua ke", "chia tai san", "luat su tu van",
    "gia vang", "ty gia", "chung khoan", "co phieu", "gia xang", "gia lua", "gia ca phe", "gia heo", "gia lon",
    "gia tieu", "gia dien thoai", "gia nha", "gia dat", "bao hiem nhan tho",
    "cho toi vay", "cho minh vay", "cho em vay", "cho tui vay", "vay von", "vay tin chap", "vay the chap",
    "lai suat vay", "vay ngan hang", "muon vay", "goi vay", "vay tra gop", "tra gop", "lai suat gui",
    "gui tiet kiem",
    "ket qua bong da", "ket qua tran", "tran bong", "tran chung ket",
    "ty so", "bong da", "da bong", "doi tuyen", "lich thi dau", "tran dau", "world cup",
    "sea games", "ngoai hang anh", "cau thu", "da may gio", "vo dich",
    "giai giup", "giai ho", "giai dum", "giai bai", "lam giup bai", "lam ho bai", "lam bai tap giup",
    "bai van", "viet giup", "viet ho", "viet dum", "dich giup", "dich ho", "dich dum", "bai toan",
    "hat cho", "hat mot bai", "ke chuyen cuoi", "lam tho",
    "nau an", "cach nau", "mon an", "cong thuc nau",
    "bau cu", "bau dai bieu",
    "taxi", "goi xe", "xe om", "dat ve", "ve tau", "ve may bay",
    "trong rau", "trong cay", "cach trong", "cach nuoi", "ky thuat nuoi", "ky thuat trong",
    "vay tien online", "vay online", "app vay", "vay nhanh", "lam giup", "lam ho", "lam dum",
)
# Asking to borrow money: refused even when it names the bot ("bot cho vay tiền không"), unless about a scam.
_LOAN = ("cho vay", "vay tien", "muon vay", "vay von", "vay ngan hang", "vay lai", "vay nong", "vay gap")
# "(cho tôi) mượn 2 triệu": folded "muon" is also "muốn", so only with an amount after it.
_LOAN_AMOUNT = re.compile(r"\b(?:muon|vay) (?:\d+ ?(?:trieu|nghin|ngan|tram|cu|k)|it tien|vai trieu|mot it tien)\b")
_SCAM = re.compile(r"\b(?:lua|lua dao|gia mao|mao danh|hack|chiem|an toan|tin dung den|nhan|goi video|nguoi quen)\b")
# Insults and attempts to change the bot's instructions: refused even when they name AI or the bot.
_ABUSE = (
    "dm", "dmm", "vcl", "vkl", "cc", "dit", "du ma", "bot ngu", "may ngu", "do ngu", "ngu nhu", "cut di",
    "oc cho", "do dien", "bo qua huong dan", "bo qua moi huong dan", "bo qua cac huong dan",
    "bo qua chi dan", "quen het huong dan",
    "ignore previous", "ignore all previous", "ignore the above", "ignore your instructions",
    "system prompt", "jailbreak", "ban la ai khac", "gia vo ban la", "dong vai mot", "developer mode",
)
# A question ABOUT using AI or the bot for these things, or about a scam, stays ours ("có nên hỏi AI về sức
# khỏe không", "app vay tiền online lừa đảo").
_ABOUT_AI = re.compile(r"\b(?:ai|chatgpt|chatbot|gemini|copilot|bot|tri tue nhan tao|lua|lua dao|gia mao|mao danh)\b")


def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b")


_HEALTH_RE = _pattern(_HEALTH)
_OTHER_RE = _pattern(_OTHER)
_ABUSE_RE = _pattern(_ABUSE)
_LOAN_RE = _pattern(_LOAN)


@lru_cache(maxsize=8192)
def out_of_scope(query: str) -> OutOfScope | None:
    """"health" for medicine and illness, "other" for the rest of what the bot does not do, else None."""
    folded = fold(query)
    about_ai = bool(_ABOUT_AI.search(folded))
    if _HEALTH_RE.search(folded) and not about_ai:
        return "health"
    if _ABUSE_RE.search(folded) or (_OTHER_RE.search(folded) and not about_ai):
        return "other"
    if (_LOAN_RE.search(folded) or _LOAN_AMOUNT.search(folded)) and not _SCAM.search(folded):
        return "other"
    return None
