"""What a message is before it is a question: small talk (greetings, thanks, goodbyes, "ok") and the kinds
of out-of-scope request that get their own reply (health questions are pointed to a doctor and 115)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml

from content.provinces import names_a_place
from content.textnorm import (
    actions,
    asks_something,
    content_syllables,
    fold,
    new_style_tones,
    story_clauses,
    strip_marks,
)

SmallTalk = Literal["greeting", "thanks", "bye", "ack", "how_are_you", "about_bot", "praise", "feeling",
                    "complaint", "place", "unclear"]
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
_ONE_WORD = frozenset(p[0] for p, _ in _PHRASES if len(p) == 1)  # "u", "da", "ok": one-word small talk
_PRIORITY: tuple[SmallTalk, ...] = ("complaint", "thanks", "bye", "how_are_you", "greeting", "praise", "about_bot",
                                     "feeling", "ack")
MAX_SMALL_TALK_WORDS = 10


def _phrase_at(words: list[str], i: int) -> tuple[tuple[str, ...], SmallTalk] | None:
    """The longest small talk phrase (and its kind) that the words start with at `i`, if any."""
    return next(((p, k) for p, k in _PHRASES if tuple(words[i:i + len(p)]) == p), None)
# An interjection is an answer with no question in it, however it is spelt: laughter ("hihi", "hjhj", "kkk"),
# hums and ums ("ukm", "uhm", "hmm", "ừ", "ờ"), okays ("oki", "okela").
_INTERJECTION = re.compile(
    r"(?:[hk][aeiouyj]){2,}h?|k{2,}|u+[hk]?m*(?:ie|i|e)?|h?m{2,}|hm+|o+h?|a+h?|e+h?|ok+[ei]*(?:la)?")
# Emoticons typed as text (":)", ":D", "=))", "<3", "^^"): taken out before asking whether words are left.
_EMOTICON = re.compile(r"(?<!\w)(?:[:;=]['-]?[()\[\]dDpPoO3*|/\\]+|<3+|\^_*\^|\(\s*:)(?!\w)")
# The association as who is greeted or thanked ("chào anh chị trong Hội", "cảm ơn Hội Khuyến học nhiều", "chào cả hội"):
# folded, "hội" is "hỏi" (to ask), a word that makes a message a question; typed with its accent it is no asking.
_THE_ASSOCIATION = re.compile(r"(?<!\w)(?:(?:trong|của|cả|quý|toàn) )?hội(?: khuyến học)?(?!\w)"
                              r"|(?<!\w)(?:trong|cua|ca|quy|toan) hoi(?: khuyen hoc)?(?!\w)"
                              r"|(?<!\w)hoi khuyen hoc(?!\w)"
                              # its officers thanked ("cảm ơn cán bộ nhiều nhiều"): "cần" is not asked there
                              r"|(?<!\w)(?:các )?cán bộ(?: hội(?: khuyến học)?)?(?!\w)"
                              r"|(?<!\w)(?:cac )?can bo(?: hoi(?: khuyen hoc)?)?(?!\w)",
                              re.IGNORECASE)
_GREETED = "xhoikhuyenhocx"  # the association greeted: a word of its own, told apart from "hỏi"
_WORD_CHAR = re.compile(r"[^\W_]")  # a letter or a digit: a message without one is emoji, stickers, emoticons
_ADDRESS_ONLY = frozenset({"oi", "bot", "ad", "admin"})  # "bot ơi", "ad ơi": calling the bot, nothing asked
_PERSONAL_RE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in _DATA["personal"]) + r")\b")
_ADDRESSEE = frozenset(_DATA["addressee"])
_NOT_ADDRESSEE_RE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in _DATA["not_addressee"]) + r")\b")
MAX_PERSONAL_WORDS = 9
MAX_INTRODUCTION_WORDS = 7
VILLAGE_NAME = 4  # words of "buôn Ko Tam", "xóm trên nè": a village and its name ("ko" is no "không" there)
_SELF = frozenset({"toi", "minh", "em", "chau", "con", "tui", "tao", "anh", "chi", "bac", "co", "chu", "ba", "ong"})
_LEAVING = "|".join(re.escape(p) for p in _DATA["leaving"])
_CLOSING = "day|nhe|nha|thoi|da|truoc|nghe|nhen|ne|nghen"
# (said with when: "mai tui dậy sớm đi chợ cá", "tui phải đi làm")
_LEAVING_RE = re.compile(rf"\b(?:(?P<who>{'|'.join(sorted(_SELF | {'tui', 'thoi'}))})"
                         r"(?: (?:day som|som|phai|con phai|lai|se|sap|lo))* "
                         rf"(?:{_LEAVING})"
                         rf"|(?:{_LEAVING})(?= (?:{_CLOSING})\b))\b")
# Going on later, said of oneself ("để mai bác học tiếp", "hôm khác con hỏi tiếp", "mai tui vô học tiếp", "mai bác lại
# vào học tiếp", "mai tôi sẽ hỏi tiếp"): a goodbye.
_LATER_RE = re.compile(rf"\b(?:de |hen )?(?:mai|hom khac|lan sau|bua khac|bua sau"
                       # "tối con đi học về mẹ hỏi tiếp nhé", "chiều rảnh bà hỏi tiếp"
                       r"|(?:toi|chieu|trua|sang|lat nua|ti nua|chut nua)(?: \w+){0,4}? (?:ve|ranh|xong)"
                       r"(?: (?:me|bo|ma|cha))?)"
                       rf"(?: (?:{'|'.join(sorted(_SELF))})(?: (?:noi|ngoai))?(?: (?:{'|'.join(sorted(_SELF))}))?)?"
                       r"(?: (?:lai|se|con))? (?:(?:vo|vao|len|ghe|quay lai) )?"
                       r"(?:hoc|hoi|noi chuyen|noi|doc|xem) tiep\b")
# Small talk passed on for someone at home ("bà em bảo cảm ơn bot nhiều nha", "ông nội mình khen bot trả lời dễ hiểu
# ghê", "mẹ cháu gửi lời chào bot"): who said it is left out, what was said is the small talk ("bảo nhiêu" asks).
_RELAYED_RE = re.compile(rf"^(?:(?:{'|'.join(sorted(_SELF))}) (?:noi |ngoai )?(?:(?:{'|'.join(sorted(_SELF))}) )?)"
                         r"(?:cung |dan |nho )?(?:bao|noi|dan|nhan|gui loi|khen)\b(?! (?:nhieu|lau)\b)")
# About to pass on what was learnt ("ok em hiểu rồi, để em giải thích lại cho ông", "để cháu chỉ lại cho bà"): an ack
# (later, "để tối về chỉ lại cho bà xã"; to one at home: "cho bà xã", "cho vợ", "cho cả nhà")
_PASSING_ON_RE = re.compile(r"\bde (?:(?:toi|chieu|trua|sang|lat nua|lat|mai|ve|nha) )*"
                            rf"(?:(?:{'|'.join(sorted(_SELF))}) )?(?:giai thich|noi|chi|doc|ke|huong dan|day|bay|giang)"
                            rf"(?: lai)?(?: (?:cho|voi) (?:{'|'.join(sorted(_SELF))}|vo|chong|ca nha|moi nguoi|ba con"
                            r"|hang xom|nguoi nha)(?: (?:noi|ngoai|xa|nha|toi|tui))?)?"
                            r"(?: (?:nghe|biet|hieu))?\b")
# Asking words that are not question words nor the addressee: a message with one asks about something.
_QUESTION_WORDS = frozenset({"gi", "sao", "nao", "khong", "dau", "bao", "nhieu", "co", "chua", "vay", "the", "nhu",
                             "khi", "may", "bot"})


# "bà hỏi thăm tí", "tui hỏi thăm chút" closing small talk: asking after the bot (folded, "hỏi thăm" is "hỏi", and
# "bà hỏi tí" is about to ask something)
_ASKING_AFTER = re.compile(r"\b(?:hoi|ghe) tham(?: (?:ti|chut|thoi|bot|chau|nhe|nha|a|cai))*\W*$")


@lru_cache(maxsize=4096)
def small_talk(text: str) -> SmallTalk | None:
    """The kind of small talk a whole message is ("chào bạn", "cảm ơn nhé", "ok"), or None for a question."""
    said = unicodedata.normalize("NFC", text)
    after = _ASKING_AFTER.search(strip_marks(said.lower()))  # the same length: NFC letters lose only their marks
    if after:
        rest = said[:after.start()].strip(" ,.!")
        kind = _small_talk(rest) if rest else "how_are_you"
        return None if kind in (None, "place", "unclear") else next(
            k for k in _PRIORITY if k in (kind, "how_are_you"))
    return _small_talk(text)


def _chat_words(text: str) -> list[str]:
    """A message's words as small talk reads them: folded, emoticons left out, the association greeted one word."""
    return fold(_THE_ASSOCIATION.sub(f" {_GREETED} ", unicodedata.normalize("NFC", _EMOTICON.sub(" ", text)))).split()


def _small_talk(text: str) -> SmallTalk | None:
    bare = _EMOTICON.sub(" ", text)
    if text.strip() and not _WORD_CHAR.search(bare):
        return "unclear" if "?" in bare else "ack"  # emoji, stickers and emoticons only: "👍", "🙏🙏", ":)"
    if _unclear(text):
        return "unclear"  # "b", "123456", "k ?": nothing to search, nothing to note for officers
    if names_a_place(text):
        return "place"  # "Ninh Bình", "xã Gia Viễn": where one lives, not a question about it
    words = _chat_words(text)
    if not words or sum(w not in _SOFT for w in words) > MAX_SMALL_TALK_WORDS:
        # the words that may come with small talk ("cháu", "nhé", "bác") do not make it long; a village's name does
        # not either ("Xin chào, tôi là Y Bih ở buôn Ko Tam, làm quen chút nha")
        return "greeting" if words and (_introduction(words) or _greeted_introduction(words)) else None
    if _thanked_for_what_was_done(text, words):
        return "thanks"  # "cảm ơn Hội đã trao học bổng cho con tôi": thanks, nothing asked
    words = _LEAVING_RE.sub(_leaving, " ".join(words)).split()  # "thôi tui đi ngủ nha": a goodbye
    words = _LATER_RE.sub("bye", " ".join(words)).split()  # "để mai bác học tiếp": see you later
    words = _RELAYED_RE.sub("", " ".join(words)).split() or words  # "bà em bảo cảm ơn bot": the thanks
    words = _PASSING_ON_RE.sub("ok", " ".join(words)).split()  # "để em giải thích lại cho ông": understood
    if _personal(words):
        return "about_bot"
    if _introduction(words) or _greeted_introduction(words):
        return "greeting"
    found: set[SmallTalk] = set()
    extra: list[str] = []
    greeted = False  # the association named as who is greeted or thanked ("chào anh chị trong Hội")
    i = 0
    while i < len(words):
        if (at := _phrase_at(words, i)) is not None:
            found.add(at[1])
            i += len(at[0])
        else:
            if words[i] == _GREETED:
                greeted = True
            elif _INTERJECTION.fullmatch(words[i]):
                found.add("ack")
            elif words[i] not in _SOFT and not (words[i].isdigit() and found):  # "… Nhà giáo 20/11 nhé"
                extra.append(words[i])
            i += 1
    if extra and (len(extra) > SMALL_TALK_EXTRA or "?" in text or not found - {"ack"}
                  or any(w in _ASKING for w in extra)):
        return None
    if greeted and not found - {"ack"}:
        return None  # "Hội Khuyến học", "hội khuyến học ạ": the association is what is asked about
    if not found and not extra:  # only soft words: calling the bot ("bot ơi"), or "vậy à"
        return "greeting" if _ADDRESS_ONLY & set(words) else "ack"
    return next((k for k in _PRIORITY if k in found), None)


MAX_CHAT_WORDS = 20  # a message opening with a greeting or thanks, then chat: at most this many words
_OPENERS: tuple[SmallTalk, ...] = ("thanks", "greeting", "bye", "praise")
# Words that make the chat after an opening ask something after all: question words, and words that tell of
# trouble ("chào bot, tôi bị lừa mất tiền rồi") or a wish ("cảm ơn, tôi muốn học tiếp").
_CHAT_ASKS = frozenset({
    "gi", "sao", "nao", "dau", "bao", "chua", "khong", "ko", "hong", "hoi", "muon", "can", "giup", "cach", "cho",
    "xem", "hoc", "tiep", "lua", "mat", "quen", "bi", "khoa", "hack", "tien", "chuyen", "nhu", "the", "khi"})


# Asking told as a thing done, how much or how long ("bà hỏi suốt từ sáng tới giờ", "hỏi bot hoài", "hỏi nhiều quá"):
# a remark on one's own asking, not a wish to ask (that "hỏi" is no word of _CHAT_ASKS there).
_TOLD_ASKING = re.compile(r"\bhoi(?: (?:bot|chatbot|may|ban|chau|con|em))? (?:suot|hoai|mai|nhieu|lam|lien tuc|ca ngay"
                          r"|ca buoi|ca toi|tu sang|tu chieu|tu toi|tu hom qua|het)\b")


# "thế" closing a remark ("trả lời suốt ngày thế", "chăm thế"): an exclamation, not "như thế nào" nor "vì thế"
_CLOSING_THE = re.compile(r"(?<!\bnhu )(?<!\bvi )(?<!\bthe )\bthe$")
# Learning told as done ("hôm nay tôi học được bài mới", "học xong bài 3 rồi"), and an officer ("cán bộ" folds like
# "cần"): a remark, no wish to learn or need
_TOLD_DONE = re.compile(r"\bhoc (?:duoc|xong|het)\b(?! (?:khong|ko|chua|chu|ha)\b)|\bcan bo\b")


_SO_THEN = re.compile(r"\bthe la\b")  # "giải thích thế là bác vỡ lẽ ra rồi": "thế là" (so), no "thế?" asked


_FOR_FUN = re.compile(r"\bcho (?:vui|do buon|khuay khoa|qua ngay|het buon)\b")  # "nhắn chơi cho vui": nothing wanted


def _chat_asks(folded: str) -> bool:
    """A word of _CHAT_ASKS in a folded clause, other than "hỏi" told as a thing done (_TOLD_ASKING) and a
    closing exclamation "thế" (_CLOSING_THE)."""
    said = _FOR_FUN.sub(" ", _SO_THEN.sub(" ", _TOLD_DONE.sub(" ", _TOLD_ASKING.sub(" ", folded)))).strip()
    return any(w in _CHAT_ASKS for w in _CLOSING_THE.sub(" ", said).split())


def opens_with_small_talk(text: str) -> SmallTalk | None:
    """The kind of small talk a message opens with when the rest is chat that asks nothing ("Chào cháu bot nhé,
    bà tám mươi rồi mới tập nhắn tin đấy", "Dạ cảm ơn bot nhiều lắm ạ, bot trả lời dễ hiểu quá"): said when the
    search found nothing to answer, it is answered as that small talk rather than with "chưa có câu trả lời"."""
    if "?" in text:
        return None
    words = fold(_EMOTICON.sub(" ", text)).split()
    if not words or len(words) > MAX_CHAT_WORDS or any(
            w in _CHAT_ASKS or (w.isdigit() and words[i + 1:i + 2] != ["tuoi"]) for i, w in enumerate(words)):
        return None  # a number other than one's age ("bà tám mươi tuổi rồi") may be asked about
    i = 0
    while i < len(words):
        if words[i] in _SOFT or _INTERJECTION.fullmatch(words[i]):
            i += 1  # "bot ơi", "ừ" before it
            continue
        kind = at[1] if (at := _phrase_at(words, i)) is not None else None
        if kind in _OPENERS:
            return kind
        if kind != "ack":
            return None
        i += 1  # "dạ", "vâng" before it
    return None


# A question word in a clause of chat ("bot có mệt không", "ăn cơm chưa"); a closing "ạ" asks nothing there.
# "ai" after a verb or "với": who ("góp ý với ai đây", "báo cho ai"), not AI told of ("học xong bài về AI, hay lắm")
_CHAT_QUESTION = re.compile(r"\b(?:gi|j|sao|nao|dau|khong|ko|k|hong|hem|chua|ha|chu|bao nhieu|bao lau|may|chi|ri|"
                            r"rua|(?:voi|cho|hoi|bao|goi|nho|tim|gap|la) ai)\b")


def chat_with_the_bot(text: str) -> SmallTalk | None:
    """A few clauses of chat addressed to the bot, each either small talk of its own ("bot có mệt không", "bot ăn
    cơm chưa") or a remark that asks, wants and reports nothing ("tối rồi mà vẫn phải trả lời ông", "Tết này
    cháu về, ông sẽ khoe với nó là ông biết dùng bot rồi"): the kind of small talk said, or how one feels shared
    ("feeling") when it is all remarks. A question to the bot may name it too: any question word other than in
    small talk of its own, or a word of trouble or wish (_CHAT_ASKS), makes it one."""
    words = fold(_EMOTICON.sub(" ", text)).split()
    if not words or len(words) > MAX_CHAT_WORDS or not {"bot", "chatbot"} & set(words):
        return None
    kinds: list[SmallTalk] = []
    parts = story_clauses(text)
    if len(parts) < 2:
        return None  # "hướng dẫn dùng bot", "xoá tài khoản của tôi trên bot": a request said in one breath
    for clause in parts:
        kind = small_talk(clause)
        if kind == "greeting" and set(fold(clause).split()) <= _SOFT:
            continue  # only calling it ("Bot ơi, bot có mệt không"): what is said after it is the kind
        if kind is not None and kind not in ("place", "unclear"):
            kinds.append(kind)
            continue
        folded = fold(clause)
        if _CHAT_QUESTION.search(folded) or out_of_scope(clause) is not None or actions(clause) \
                or about_using_the_bot(clause) or _chat_asks(folded) or any(w.isdigit() for w in folded.split()):
            return None
    if not kinds and len(parts) > 1 and all(small_talk(p) == "greeting" for p in parts):
        return "greeting"
    return next((k for k in _PRIORITY if k in kinds), "feeling")


MAX_TOLD_WORDS = 60  # a story told to the bot around its small talk: at most this many words
TOLD_EDGE = 6  # words at either end of a message said in one breath that may be its small talk
# Saying one asks nothing ("tôi chưa hỏi gì đâu", "kể bot nghe vậy thôi chứ không hỏi gì đâu"): no question.
_NOTHING_ASKED = re.compile(r"\b(?:chu |ma )?(?:chua|khong|ko|chang|cha) (?:co )?(?:hoi|can hoi|nho) "
                            r"(?:gi|chi|j)(?: (?:dau|ca|het|nua|nhe|nha|a))*\b")
_TOLD_KINDS: tuple[SmallTalk, ...] = ("thanks", "bye", "greeting", "praise", "feeling")
_TOLD_OPENERS: tuple[SmallTalk, ...] = ("thanks", "greeting", "praise")  # "sáng nay tôi ra đồng …" is no goodbye
# A goodbye said in so many words ("Tạm biệt bot nhé, hôm nay tôi học được hai bài rồi"): it opens a story as well
_SAID_GOODBYE = re.compile(r"^(?:\w+ )?(?:tam biet|bye|bai bai|hen gap lai)\b")
# A question word in a story's clause, with its accents when typed with them ("hai sào lúa", "cúp máy", "chi hội",
# "Hà Nội" ask nothing); without them, folded.
# typed with accents, "không"/"chưa" before a coming, going or calling ("con đi làm xa cả năm không về", "chưa
# gọi về"), or a going out to work ("không ra khơi được", "không lên rẫy được"): what is not done, no question
_TOLD_QUESTION = re.compile(r"\b(?:gì|j|sao|nào|đâu|(?:không|ko|hông|hem|chưa)(?! (?:về|gọi|đi|đến|tới|nhắn|ăn|ngủ)\b)"
                            r"(?! (?:ra|lên|xuống) (?:khơi|biển|đồng|ruộng|rẫy|nương|núi|rừng|chợ|phố|tàu|thuyền"
                            r"|ghe)\b)"
                            r"|bao nhiêu|bao lâu)\b")
_TOLD_QUESTION_FOLDED = re.compile(r"\b(?:gi|j|sao|nao|dau|khong|ko|hong|hem|chua|bao nhieu|bao lau)\b")


# Trouble or a wish told ("tôi bị lừa mất 5 triệu rồi", "muốn học tiếp", "quên mật khẩu"): something is wanted.
# "bị rầy ăn mất hết": a crop eaten, no money lost
_TOLD_TROUBLE = re.compile(r"\b(?:bi (?:lua|hack|khoa|mat|chiem|tru)|(?<!\ban )mat (?:tien|het|\d)|muon|can|giup"
                           r"|quen)\b")


# "mấy" asking a number ("ngày mấy tháng mấy vậy con", "mấy giờ", "số mấy"), not "some" ("cho mấy đứa cháu")
_TOLD_HOW_MANY = re.compile(r"\b(?:ngay|thang|nam|gio|so|lop|tang|lan|buoc|dieu) may\b"
                            r"|\bmay (?:gio|tuoi|ngay|lan|buoc|tien|dong|phan tram|dieu|cach|loai)\b"
                            r"|\bmay(?: (?:vay|the|a|ha|nhi|nhe|con|chau|ban|bot))*$")


# The words of trouble or a wish as they are typed with accents: typed with others, they are other words ("cán bộ" is
# no "cần", "người quen" no "quên", "mát" no "mất")
_TROUBLE_WORDS = {"can": "cần", "muon": "muốn", "giup": "giúp", "quen": "quên", "mat": "mất", "bi": "bị"}


def _trouble_text(words: list[str]) -> str:
    """A clause folded for _TOLD_TROUBLE: a word of trouble typed with other accents than its own is left out."""
    return fold(" ".join(w if strip_marks(w) == w or _TROUBLE_WORDS.get(strip_marks(w)) in (None, new_style_tones(w))
                         else "x" for w in words))


_SHOW_HOW = re.compile(r"\b(?:chi|huong dan|day|bay)(?: \w+){0,3}? cach\b")  # "cô chỉ em cách tổ chức": a request


def _told_asks(words: list[str]) -> bool:
    """A clause of a story (its words as typed, lowercased) has a question word, or tells of trouble or a wish."""
    said = " ".join(words)
    folded = fold(said)
    how_many = bool(_TOLD_HOW_MANY.search(folded)) and (folded == said or "mấy" in said)
    if _TOLD_TROUBLE.search(_trouble_text(words)) or _SHOW_HOW.search(folded) or how_many:
        return True  # typed with accents, "mấy" is no "máy" (a machine: "cảm ơn cái máy nhé")
    return bool(_TOLD_QUESTION.search(said) if folded != said else _TOLD_QUESTION_FOLDED.search(folded))


def told_with_small_talk(text: str) -> SmallTalk | None:
    """A story told to the bot that asks nothing and opens or ends with small talk ("Hôm nay đi đám cưới cháu về,
    vui lắm. Chúc bot ngủ ngon nhé", "Cảm ơn bot nhiều. Nhờ bài học mà tôi cúp máy kẻ lừa đảo kịp", "… mở bot ra
    chơi. Trời hôm nay mát quá bot ạ", "… kể bot nghe vậy thôi chứ không hỏi gì đâu"): too long for
    `opens_with_small_talk`, it is still chat when no clause besides that small talk has a question word (said in
    one breath: its first or last few words are the small talk, of the same kind at both ends). The kind said,
    "feeling" when it only says it asks nothing."""
    if "?" in text:
        return None
    folded = fold(_EMOTICON.sub(" ", text))
    if not folded.split() or len(folded.split()) > MAX_TOLD_WORDS:
        return None
    nothing_asked = bool(_NOTHING_ASKED.search(folded))
    parts = [_said(c).split() for c in story_clauses(_EMOTICON.sub(" ", text))]
    parts = [p for p in parts if p]
    if not parts:
        return "feeling" if nothing_asked else None

    def kind_of(words: list[str], kinds: tuple[SmallTalk, ...]) -> SmallTalk | None:
        if set(fold(" ".join(words)).split()) <= _SOFT:
            return None  # only calling someone ("Anh ơi, bài học … nói rõ mấy điều vậy anh"): how a question opens
        kind = small_talk(" ".join(words))
        return kind if kind in kinds else None

    if len(parts) == 1:  # one breath: its first and its last few words
        words = parts[0]
        head = next((k for n in range(2, TOLD_EDGE + 1) if (k := kind_of(words[:n], _TOLD_OPENERS))), None)
        tail = next((k for n in range(2, TOLD_EDGE + 1) if (k := kind_of(words[-n:], _TOLD_OPENERS))), None)
        kind = head if head is not None and head == tail else None
        if kind is None and not nothing_asked:
            return None
        if _told_asks(words if kind is None else words[TOLD_EDGE:-TOLD_EDGE]):
            return None
        return kind or "feeling"
    first = kind_of(parts[0], _TOLD_OPENERS) or ("bye" if _SAID_GOODBYE.match(fold(" ".join(parts[0]))) and
                                                  kind_of(parts[0], ("bye",)) else None)
    last = kind_of(parts[-1], _TOLD_KINDS)
    kind = last or first or ("feeling" if nothing_asked else None)
    if kind is None:
        return None
    rest = parts[1 if first else 0:-1 if last else len(parts)]
    if any(_told_asks(p) for p in rest):
        return None
    return next((k for k in _PRIORITY if k in (first, last)), kind)


def feeling_told(text: str) -> SmallTalk | None:
    """A feeling said first, then what causes it, or last, after it, asking nothing ("Tôi buồn quá, con đi làm xa cả
    năm không về"):
    "feeling", however many words of the content its story happens to share."""
    if "?" in text or len(fold(text).split()) > MAX_TOLD_WORDS:
        return None
    parts = [_said(c).split() for c in story_clauses(_EMOTICON.sub(" ", text))]
    parts = [p for p in parts if p]
    if len(parts) < 2:
        return None
    if small_talk(" ".join(parts[0])) == "feeling":
        rest = parts[1:]
    elif small_talk(" ".join(parts[-1])) == "feeling" and out_of_scope(text) is None:
        rest = parts[:-1]  # "Hôm nay tăng ca đến 10 giờ đêm, mệt rã rời luôn bot ạ"; not "kể chuyện cười đi, buồn quá"
    else:
        return None
    return None if any(_told_asks(p) for p in rest) else "feeling"


# A wish or need to do something ("tôi muốn chặn số lạ", "cần đổi mật khẩu"), not a feeling ("cười muốn xỉu")
# nor learning (the small talk reply shows the lessons): a request, whatever small talk comes with it
_WISHED = re.compile(r"\b(?:muon|can)\b(?! (?:xiu|hoc|khoc|ngu|chet|om|di ngu|tho)\b)")  # (not "Cần Thơ")


def wants_something(text: str) -> bool:
    """A message tells a wish or a need to do something (_WISHED; the word typed with its own accents, if any)."""
    words = re.findall(r"\w+", unicodedata.normalize("NFC", text).lower())
    return bool(_WISHED.search(_trouble_text(words)))


def small_talk_said(text: str) -> SmallTalk:
    """The kind of small talk a message says somewhere in it, by the kinds' order (a praise in "Bot giỏi quá, cháu
    tôi giảng cũng không dễ hiểu bằng"), or "feeling" when it says none in so many words: the reply to a message that
    asked questions of its kind (content.asked) hold for small talk, though no rule above reads it as such."""
    words = _chat_words(text)
    found = {at[1] for i in range(len(words)) if (at := _phrase_at(words, i)) is not None}
    return next((k for k in _PRIORITY if k in found and k != "ack"), "ack" if "ack" in found else "feeling")


def _said(clause: str) -> str:
    """A clause as typed, lowercased, without what says that nothing is asked ("tôi chưa hỏi gì đâu")."""
    said = unicodedata.normalize("NFC", clause).lower()
    return said if not _NOTHING_ASKED.search(fold(said)) else ""


MAX_AGREE_WORDS = 6
# Words that may come with a yes said in words: "ok đồng ý", "vâng, tôi đồng ý ạ", "đồng ý rồi nhé".
_AGREE_WITH = _SOFT | {w for p in _SMALL_TALK["ack"] for w in p.split()} | {"luon", "het", "a", "nhe"}
_DONG, _Y = ("đồng", "dong"), ("ý", "y")  # not "đông y" (traditional medicine)
_RAW_WORD = re.compile(r"[^\W_]+")  # a word as typed, accents kept


def agrees(text: str) -> bool:
    """A whole message that says yes in words ("đồng ý", "dong y", "ok đồng ý", "vâng, tôi đồng ý ạ"); not a
    question about agreeing ("đồng ý là sao?"), a no ("không đồng ý"), nor Đông y."""
    if "?" in text:
        return False
    words = _RAW_WORD.findall(unicodedata.normalize("NFC", _EMOTICON.sub(" ", text)).lower())
    if not 2 <= len(words) <= MAX_AGREE_WORDS:
        return False
    at = [i for i in range(len(words) - 1) if words[i] in _DONG and words[i + 1] in _Y]
    if len(at) != 1:
        return False
    rest = [fold(w) for w in words[:at[0]] + words[at[0] + 2:]]
    return all(w in _AGREE_WITH or _INTERJECTION.fullmatch(w) for w in rest)


_LETTERS = re.compile(r"[^\W\d_]+")  # a run of letters, accents kept


def _unclear(text: str) -> bool:
    """A message with no word in it: single letters and numbers only ("b", "123456", "1 2 3", "k?"), not one
    of the one-letter replies ("ừ", "ạ", "ok" is two letters) small talk already knows."""
    runs = _LETTERS.findall(text)
    if any(len(r) > 1 for r in runs):
        return False
    return not any(_INTERJECTION.fullmatch(fold(r)) or fold(r) in _SOFT or fold(r) in _ONE_WORD for r in runs)


# Thanks for what was done ("cảm ơn Hội đã giúp đỡ gia đình tôi", "cám ơn bot vì đã chỉ cho bác"): a thanks, however
# long, when it is one clause that asks, wants or objects to nothing.
_THANKED_FOR = re.compile(r"^(?:(?:da|vang|xin|chan thanh|that) )*(?:cam on|cam ta|thanks?|tks)(?: \w+){0,6}? "
                          r"(?:vi |do )?da \w+")
_THOROUGHLY = re.compile(r"\bcan ke\b")  # "giải thích cặn kẽ" (thoroughly), folded like "cần" (a need)
_THANKS_ASKS = frozenset({"hoi", "muon", "can", "nhung", "ma", "sao", "gi", "j", "nao", "dau", "khong", "ko", "k",
                          "hong", "chua", "bao", "may", "tiep", "them", "nua", "nho"})


def _thanked_for_what_was_done(text: str, words: list[str]) -> bool:
    """The message thanks for something done ("cảm ơn Hội khuyến học đã trao học bổng cho con tôi"): one clause, at
    most MAX_CHAT_WORDS words, no "?" and no word that asks, wants more or turns ("nhưng", "mà")."""
    clauses = story_clauses(text)
    if "?" in text or len(words) > MAX_CHAT_WORDS or len(clauses) > 2:
        return False
    if len(clauses) == 2:  # "Hay quá, cảm ơn bot đã giải thích cặn kẽ": an ack before the thanks
        if _small_talk(clauses[0]) not in ("ack", "praise"):
            return False
        words = _chat_words(clauses[1])
    said = _THOROUGHLY.sub("ky", " ".join(w for w in words if w != _GREETED))
    return bool(_THANKED_FOR.match(said)) and not _THANKS_ASKS & set(said.split())


def _leaving(m: re.Match[str]) -> str:
    """Leaving for a while, said of oneself, is a goodbye: the words of the leaving become "bye"."""
    return f"{m['who']} bye" if m["who"] else "bye"


# A village said by its name ("ở buôn Ko Tam", "ở bản Phìn Hồ", "ở thôn Đông"): its words are a name, not asked
_VILLAGE = frozenset({"buon", "ban", "thon", "xom", "ap", "lang", "plei", "soc", "khom"})
# Closing an introduction with a wish to get acquainted ("…, làm quen chút nha")
_ACQUAINTED = re.compile(r"\s*\blam quen(?: (?:chut|ti|xiu|voi|nhe|nha|nghen|a|di|ban|bot|em|nhau))*$")


def _introduction(words: list[str]) -> bool:
    """Saying who one is or where one lives ("mình là Lan", "tôi tên Hùng", "mình là giáo viên về hưu", "tôi ở
    Nghệ An", "tôi là Y Bih ở buôn Ko Tam, làm quen chút nha"): a few words, nothing asked."""
    words = _ACQUAINTED.sub("", " ".join(words)).split() or words
    if "o" in words[2:] and words[words.index("o", 2) + 1:][:1] and words[words.index("o", 2) + 1] in _VILLAGE:
        if any(w in _ASKING for w in words[words.index("o", 2) + 1 + VILLAGE_NAME:]):
            return False  # "tui là ông Tư ở xóm trên nè hôm qua … cái đó là cái gì có mất tiền không": then asked
        words = words[:words.index("o", 2) + 1]
    if not (len(words) <= MAX_INTRODUCTION_WORDS and words[0] in _SELF and len(words) > 2
            and words[1] in ("ten", "la", "o", "song", "que")):
        return False
    if "o" in words[1:]:  # where one lives is a place's name, whatever its words fold like ("Cần Thơ": "can")
        at = words.index("o", 1)
        tail = [w for w in words[at + 1:] if w not in _SOFT]
        if tail and names_a_place(" ".join(tail)):
            words = words[:at + 1]
    return not any(w in _ASKING for w in words)


def _greeted_introduction(words: list[str]) -> bool:
    """A greeting, then who one is ("Xin chào, tôi là Tư ở Cần Thơ nè", "chào bot, mình tên Lan")."""
    i = 0
    while i < len(words):
        phrase = next((p for p, k in _PHRASES if k == "greeting" and tuple(words[i:i + len(p)]) == p), None)
        if phrase is not None:
            i += len(phrase)
        elif words[i] in _ADDRESS_ONLY or words[i] in ("ad", "ban", "ca", "nha", "nhe"):
            i += 1
        else:
            break
    return 0 < i < len(words) and _introduction(words[i:])


_ITS_WORK = re.compile(r"\blam viec\b")


def _personal(words: list[str]) -> bool:
    """A personal question to the bot ("bot bao nhiêu tuổi rồi", "bạn có người yêu chưa"): addressed to it,
    short, asking what one asks a person, and naming nothing else the bot could answer about. A question so asked
    and then when ("bot có buồn không khi không ai nói chuyện với bot") is one too: what comes after "khi" is when."""
    cut = next((i for i in range(2, len(words)) if words[i] == "khi" and words[i + 1:i + 2] != ["nao"]), None)
    if cut is not None:  # "khi nào" asks when
        words = words[:cut]
    # calling it first is no part of what is asked ("bot ơi bot trả lời suốt ngày vậy có mệt không")
    addressed = bool(_ADDRESSEE & set(words))  # "bot ơi nghỉ chưa": called, it is asked
    words = [w for i, w in enumerate(words) if w != "oi" and not (w in _ADDRESSEE and words[i + 1:i + 2] == ["oi"])] \
        or words
    if len(words) > MAX_PERSONAL_WORDS or not addressed:
        return False
    said = _ITS_WORK.sub(" ", " ".join(words)).split()  # "bot làm việc cả ngày có mệt không": its work, no asking
    if any(w in _ASKING and w not in _QUESTION_WORDS for w in said):
        return False
    text = " ".join(words)
    return bool(_PERSONAL_RE.search(text)) and not _NOT_ADDRESSEE_RE.search(text)


_HEALTH: tuple[str, ...] = tuple(_DATA["health"])
_OTHER: tuple[str, ...] = tuple(_DATA["other"])
_LOAN: tuple[str, ...] = tuple(_DATA["loan"])
# "(cho tôi) mượn 2 triệu": folded "muon" is also "muốn", so only with an amount after it.
_LOAN_AMOUNT = re.compile(r"\b(?:muon|vay) (?:\d+ ?(?:trieu|nghin|ngan|tram|cu|k)|it tien|vai trieu|mot it tien)\b")
# What the lottery drew or what to bet on ("nay đề về mấy", "mai đánh con gì"), however else those words are used
# ("để về mấy giờ", "đề về mấy chủ đề").
_LOTTERY = re.compile(
    r"\b(?:(?:de|lo|xo so|giai dac biet|dac biet)(?: (?:hom nay|nay|mai|toi nay|chieu nay|ngay mai|hom qua))? ve"
    r" (?:may|con gi|con nao|so may|so gi|so nao|bao nhieu|con may)(?! (?:gio|chu de|noi dung|phan|bai|cau|ngay))"
    r"|danh (?:con|so|lo|de) (?:gi|nao|may))\b")
_PRICE_TODAY = re.compile(r"\bgia (?:\w+ ){1,2}hom nay\b")  # "giá sầu riêng hôm nay": market prices
# a job looked for by the bot ("ad tìm giùm e việc làm công nhân ở KCN"): no job board here ("tìm hiểu việc đăng ký"
# is learning about something)
_FIND_A_JOB = re.compile(r"\btim (?:giup |gium |dum |ho )?"
                         r"(?:(?:e|em|toi|tui|chau|con|minh|anh|chi|co|chu|bac|ba|ong) )?viec(?: lam)?\b")
# Getting into someone else's account or phone behind their back ("chỉ tôi cách vào Zalo của chồng để đọc tin nhắn mà
# ổng không biết", "xem trộm tin nhắn của vợ"): not ours to teach, however much it names Zalo or a password. Being
# hacked ("Zalo của chồng bị chiếm") or a parent's rules for a child's phone are not this.
_OTHERS = (r"(?:chong|vo|nguoi yeu|ban trai|ban gai|bo|me|ba|ma|anh|chi|em|con|hang xom|nguoi khac|nguoi ta|"
           r"dong nghiep|sep)")
_SPYING = re.compile(
    r"\b(?:xem|doc|coi|mo|vao|nghe|theo doi|kiem tra|hack|be khoa|pha (?:mat )?khau|lay)(?: \w+){0,3}? "
    r"(?:zalo|facebook|fb|messenger|tin nhan|dien thoai|may|tai khoan|mat khau|cuoc goi|vi tri|dinh vi)"
    r"(?: \w+){0,2}? cua " + _OTHERS + r"\b(?=.*\b(?:ma (?:\w+ ){0,2}khong (?:biet|hay)|trom|bi mat|"
    r"khong cho (?:\w+ ){0,2}biet|khong de (?:\w+ ){0,2}biet|ngoai tinh)\b)"
    r"|\b(?:xem|doc|coi|nghe) (?:len|trom) (?:\w+ ){0,3}?(?:tin nhan|zalo|facebook|fb|messenger|dien thoai|cuoc goi)\b"
    r"|\bhack (?:\w+ ){0,2}?(?:zalo|facebook|fb|messenger|tai khoan|mat khau) (?:\w+ ){0,2}?cua " + _OTHERS + r"\b")
_SCAM = re.compile(r"\b(?:lua|lua dao|gia mao|mao danh|hack|chiem|an toan|tin dung den|nhan|goi video|nguoi quen|"
                   # calls and texts offering a loan nobody asked for, from unknown numbers: spam, which 156 takes
                   r"(?:goi|goi dien|nhan tin|tin nhan) moi vay|so la|lam phien|"
                   r"danh ba|de doa|doi no|uy tin|gia giong|nhai giong|gia danh)\b")  # a faked voice: a scam
_ABUSE: tuple[str, ...] = tuple(_DATA["abuse"])
_INSULTS: tuple[str, ...] = tuple(_DATA["insults"])  # matched as typed when typed with accents, else folded
# A question ABOUT using AI or the bot for these things, or about a scam, stays ours ("có nên hỏi AI về sức
# khỏe không", "app vay tiền online lừa đảo").
_ABOUT_AI = re.compile(r"\b(?:ai|chatgpt|chatbot|gemini|copilot|tri tue nhan tao|lua|lua dao|gia mao|mao danh|"
                       r"tu xung|deepfake|"  # "người tự xưng bán phân bón": one claiming to be a seller
                       # a faked doctor selling medicine ("video bác sĩ quảng cáo thuốc, có phải làm giả không")
                       r"lam gia|ghep mat|(?:video|clip|anh|hinh|giong|mat) (?:\w+ )?gia|"
                       # a video made by a machine ("video ông bộ trưởng nói câu lạ, nó bảo là làm bằng máy")
                       r"(?:video|clip|anh|hinh|giong)(?: \w+){0,15}? (?:lam|tao|ghep|che) bang (?:may|ai)|"
                       # someone shown saying what they never said ("clip ca sĩ nói những câu họ không hề nói")
                       r"(?:khong he|chua he|chua tung|chua bao gio) noi|"
                       r"vneid|vssid|dich vu cong|so suc khoe dien tu)\b"  # and the public services on the phone
                       # ("lương hưu trên VssID", "sổ sức khỏe điện tử coi ở đâu")
                       # which app to install, whether news is true: "coi lương hưu … thì cài app gì", "tin uống
                       # nước chanh chữa ung thư … làm sao biết tin thật hay giả"
                       r"|\b(?:cai (?:dat )?(?:app|ung dung)|(?:app|ung dung) (?:gi|nao)|tin (?:that|gia)"
                       r"|that (?:hay )?gia)\b"
                       # a reminder the phone or an app gives ("điện thoại có tự nhắc giờ uống thuốc được không",
                       # "đặt lời nhắc uống thuốc"): a phone feature, not a medicine
                       r"|\b(?:(?:dien thoai|may|app|ung dung|zalo|bot)(?: \w+){0,3} (?:nhac|bao thuc)|loi nhac"
                       r"|dat (?:lich )?nhac|hen gio|bao thuc)\b"
                       # machines that think or judge ("máy móc thông minh làm hết việc", "máy chấm điểm hồ sơ", "máy nó
                       # biết con bò bệnh"): what AI does, whatever it does it about
                       r"|\b(?:may (?:moc )?thong minh|nguoi may|robot|may (?:\w+ )?cham diem"
                       r"|may (?:no |moc |tinh )?(?:biet|nhan ra|doan ra))\b"
                       # a prize announced by a message or a call ("tin nhắn báo trúng giải đặc biệt"): the prize scam
                       r"|\b(?:tin nhan|nhan tin|goi dien|thong bao|bao) (?:\w+ ){0,2}trung (?:giai|thuong|xo so)\b"
                       # a fee asked before a prize, money invited into a scheme with a promised gain, a fake that
                       # looks real ("bắt chuyển phí nhận thưởng", "rủ bỏ tiền mua vàng, hứa lời 20%", "nhìn y như
                       # thật"): the scams the FAQ warns of, whatever lottery, gold or football they name
                       r"|\b(?:bat|doi) (?:chuyen |nop |dong )?phi\b|\bphi nhan thuong\b"
                       r"|\b(?:ru|moi|keu goi) (?:\w+ ){0,2}(?:bo tien|gop tien|gop von)\b|\bhua (?:cho )?loi\b"
                       r"|\b(?:y|giong) nhu that\b"
                       # doing as the machine said ("mua thuốc về phun theo liều nó chỉ"): trusting an AI's answer
                       r"|\btheo (?:\w+ ){0,2}(?:no|ai|chatgpt|may) (?:chi|bao|noi|khuyen|dan)\b"
                       # whether what a video or a post online says can be trusted ("video trên TikTok ông bác sĩ
                       # biểu bỏ thuốc … tin được hông"): fake news, whatever it claims to cure
                       r"|\b(?:video|clip|tiktok|facebook|fb|youtube|tren mang)\b(?: \w+){0,20}? tin (?:duoc|dc)"
                       r" (?:khong|ko|k|hong|hok|hem|chang|chu)\b"
                       # whether to pass a rumour on ("truyền nhau uống lá ổi trị ung thư, có nên gửi cho bà con")
                       r"|\b(?:nen|duoc) (?:chia se|share|chuyen tiep|dang lai)\b|\b(?:chia se|share) tiep\b"
                       r"|\bgui (?:cho )?(?:ba con|moi nguoi|ca xom|hang xom)\b"
                       r"|\b(?:gui|chia se|dang|chuyen) (?:len |vao |vo )?(?:nhom|group)\b"
                       # money demanded at once ("số lạ gọi bảo con bị tai nạn đang cấp cứu, bắt chuyển ngay 15
                       # triệu"): the scam's pretext, whatever illness or accident it names
                       r"|\b(?:bat|doi|giuc) (?:\w+ )?(?:chuyen|gui) (?:ngay |gap |lien )?(?:khoan|tien|\d+)"
                       # blocked after money was sent ("chuyển 15 triệu … giờ nó chặn bố rồi"): a scam told
                       r"|\bchan (?:toi|tui|bo|me|ba|minh|em|chau|con|ong|anh|chi|co|chu|bac|luon|mat)\b"
                       # a bank used over a wifi ("đi du lịch xài wifi khách sạn chuyển khoản được không")
                       r"|\b(?:wifi|wi fi) (?:\w+ ){0,4}(?:chuyen khoan|chuyen tien|ngan hang|dang nhap|mat khau"
                       r"|thanh toan)\b"
                       # photos of one's family posted online ("đăng ảnh cả nhà đi du lịch lên Facebook, chụp cả vé
                       # máy bay"): what is safe to share, wherever the trip went
                       r"|\b(?:dang|up|khoe) (?:anh|hinh)(?: \w+){0,8} (?:len |tren )?"
                       r"(?:facebook|fb|mang|zalo|tiktok)\b"
                       # how to put it to a machine ("muốn hỏi cách bón phân mà không biết gõ thế nào cho nó hiểu"):
                       # asking an AI well, whatever it is asked about
                       r"|\b(?:go|hoi|noi|viet|nhap)(?: \w+){0,2} (?:the nao|sao|ra sao|kieu gi|ntn) (?:de |cho )?"
                       r"(?:no|may|ai) (?:hieu|hieu y|tra loi dung)\b")
# Whether a loan app is safe or worth using ("app vay tiền nhanh có nên mần hông") is a scam the FAQ warns of;
# which one lends cheapest, like "cho tôi vay", is not ours.
_LOAN_APP = re.compile(r"\b(?:(?:app|ung dung) vay|vay (?:tien )?(?:\d+ ?(?:trieu|tr|nghin|ngan|k|cu) )?"
                       r"(?:online|onl|app|qua (?:may |cac |nhung )?(?:cai )?(?:app|ung dung)|tren mang)"
                       # lending advertised online or by phone ("quảng cáo cho vay 10 triệu qua điện thoại")
                       r"|quang cao (?:cho )?vay|cho vay (?:\w+ ){0,3}(?:qua|tren) (?:dien thoai|mang|facebook|zalo))\b"
                       r".*\b(?:co nen|nen khong|co sao|nguy hiem|tin duoc|that khong|co on|on khong|co ok|ok khong"
                       r"|oke khong|co tot khong|tot khong|dang tin|nen dung|nen xai"  # "… có ok ko": whether
                       # or what its lenders do ("vay qua cái app, giờ bọn nó gọi chửi cả họ")
                       r"|chui|khung bo|de doa|doi no|boc phot"
                       # or what such apps ask and hide ("đòi quyền đọc danh bạ, lãi suất thật ra là bao nhiêu")
                       r"|danh ba|doi quyen|lai suat (?:\w+ )?that ra|lai that"
                       # or what they charge ("app vay tiền online lãi bn", "vay app lãi mấy phần trăm"): the content
                       # tells it (1.000-2.000 %/year), a warning, not a loan's terms looked up
                       r"|lai (?:suat )?(?:bao nhieu|may|nhieu)|bao nhieu phan tram|may phan tram|binh thuong khong"
                       r"|len toi|toi da|cao co nao|co cao khong|phi thuc te"
                       # or who they are and how they harass ("mấy app đó là loại gì", "gọi cả họ hàng bôi nhọ")
                       r"|loai gi|boi nho|so nguoi nha|ho hang)\b")
# What "the lesson says" is asked ("cần vay gấp mà không dám xài app vay online thì bài học bảo nên hỏi chỗ nào"): a
# question about the bot's own content, whatever it names
_OF_THE_LESSON = re.compile(r"\bbai hoc (?:co )?(?:bao|noi|day|nhac|ghi|viet|khuyen|dan)\b")
# A lesson named as the source of what is asked ("bài học nói …", "bài học về người quen nhắn Zalo … nói"; not "bài
# học AI trên bot", "học xong bài"): `names_a_lesson`. `_OF_THE_LESSON`, its stricter part, is what sets a message
# out of reach of the out-of-scope phrases.
_A_LESSON = re.compile(r"\bbai (?:hoc|giang)\b(?! (?:ai|tren|o|xong|het|den|toi|tiep|dang|do|nao|may)\b)")
# "chọn đáp án bài kiểm tra": the quiz's answer picked, no homework's answers asked for
_CHOOSE_ANSWER = re.compile(r"\bchon dap an\b")
_ITS_INTEREST = re.compile(r"\blai suat (?:bao nhieu|cao nhat)\b")
# "ở bệnh viện người ta bảo cài VNeID": a place the story happened, not an illness ("ở bệnh viện nào tốt" still is).
# Gone to ("đi khám bệnh viện tư dùng được không", "lên bệnh viện huyện"): the same place.
# (its wifi too: "bắt wifi bệnh viện vào app ngân hàng có an toàn ko" asks about public wifi)
_HOSPITAL_PLACE = re.compile(r"\b(o|tai|trong|ngoai|gan|truoc|cong|di|den|toi|vao|len|xuong|ra|kham"
                            r"|wifi|wi fi|mang|song) benh vien\b"
                            r"(?! nao)")


# A plant or a farm animal that is ill ("chụp cái lá cây bị bệnh hỏi ChatGPT", "con heo bệnh"): farming, no medicine
# (only words no person folds into: "lá" alone is also "là bệnh gì", "bò" also "bố bị bệnh")
_CROP_ILL = re.compile(r"\b(la cay|cay trong|cay lua|ruong lua|rau|trai cay|vuon|vat nuoi|heo|trau|vit"
                       r"|con (?:bo|heo|lon|ga|vit|trau|de))"
                       r"(?: (?:nha toi|nha tui|cua toi|no))? (?:bi )?(?:benh|sau benh|nam benh)\b")
# a message at night that keeps someone awake ("nhắn lúc khuya làm các cụ mất ngủ không"): a bother, no insomnia
_KEEPS_AWAKE = re.compile(r"\blam (?:\w+ ){0,3}mat ngu\b")
_RICE = re.compile(r"\blúa\b")
_RICE_FOLDED = re.compile(r"\b(trong|cay|ruong|giong|gia|la|bong|gat|cat|phoi|vu|bao|hat) lua\b")


def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """Any of the phrases as whole words; "điện" ending a phrase is electricity, never "điện thoại" (a phone):
    "mất điện" is a power cut, "mất điện thoại" a lost phone the FAQ answers."""
    return re.compile(r"\b(?:" + "|".join(re.escape(p) + _AFTER.get(p, r"(?! thoai)" if p.endswith(" dien") else "")
                                           for p in phrases) + r")\b")


# "bão số 3" (a storm's number), folded, is "báo số" (to report a number: "báo số điện thoại đó cho nhà mạng"): a
# storm only when a number, or the question for one, follows.
# A police office's own number ("số điện thoại công an xã", "sđt công an phường tui") is not ours; the police's
# number asked as such ("lừa đảo thì báo cho ai, số điện thoại công an là số mấy") is 113, which the FAQ tells.
_POLICE_OFFICE = r"(?= (?:xa|phuong|huyen|tinh|thi tran|quan|thanh pho|tp|o|tai|gan|noi|khu vuc|dia phuong)\b)"
_AFTER = {"bao so": r"(?= (?:\d+|may|bao nhieu|nao|tiep theo)\b)",
          "ngay tot": r"(?! lanh\b)",  # "chúc mọi người một ngày tốt lành": a wish, no lucky day asked
          "co bau": r"(?! (?:cu|chon|ra|truong|doan)\b)",  # "có bầu cử", "có bầu trưởng thôn": an election
          "so dien thoai cong an": _POLICE_OFFICE, "sdt cong an": _POLICE_OFFICE,
          # "câu đầu tiên" (the first question) folds to "cau thu nhat": no football player ("cầu thủ")
          "cau thu": r"(?! (?:nhat|hai|ba|tu|nam|sau|may|bao nhieu|\d+)\b)",
          # "lỡ để lộ mật khẩu", "lỡ để người lạ cầm máy", unaccented: no lottery ("lô đề")
          "lo de": r"(?! (?:lo|mat|bi|quen|nguoi|ke|bon|tui|no|ho|dien thoai|tai khoan|thong tin|ma)\b)"}


_HEALTH_RE = _pattern(_HEALTH)
# "đâu" (where) folds like "đau" (pain): "tôi đâu có đặt hàng" is no "đau cổ", "đi đâu mất" no "đau mắt". Typed with
# accents, "đâu" is read as "chỗ nào" before the health words are looked for; typed without, "dau co" is taken for
# "đâu có" (far more common) and only the other pains count.
_WHERE = re.compile(r"\b(?:đâu|mô)\b")  # "ở mô" (Central: where), folded "dau" too
# "dấu" (an accent mark: "gõ không dấu", "phải gõ có dấu") folds like "đau" too: "có dấu, có đúng không" is no "đau cổ".
_MARK = re.compile(r"\bdấu\b")
# "họ", "hộ", "hồ" (they, a household, a lake) fold like "ho" (a cough): "mỗi dòng họ nhiêu tiền" is no "ho nhiều"
_NOT_COUGH = re.compile(r"\b(?:họ|hộ|hồ|hổ|hỗ|hở|hò)\b")
# "cấm" (forbidden: "làm video giả người khác có bị cấm không") folds like "cảm" (a cold: "bị cảm").
_BANNED = re.compile(r"\bcấm\b")
# "đầu" (the start, the head: "bắt đầu có hiệu lực", "lúc đầu", "đầu tư") folds like "đau" too: "bắt đầu có" is no
# "đau cổ". "đau đầu" (a headache) stays one.
_START = re.compile(r"(?<!đau )\bđầu\b")
_SO = re.compile(r"\b(?:vậy|rứa)\b")  # "so", "then" (Central "rứa"): folded, it is "vay" (to borrow)
# A farming skill or a trade asked of the commune's learning centre, whether it teaches it: what the centre does
_TAUGHT_AT_THE_CENTRE = re.compile(r"\b(?:trung tam hoc tap cong dong|tthtcd|ttht cong dong)\b(?: \w+){0,4}? "
                                   r"(?:co )?(?:day|mo lop|chuyen giao|huong dan)\b")
# someone posing as an office or a firm ("xưng bên điện lực", "giả danh công an", "tự nhận nhân viên điện lực"; not
# "xưng hô"): what they say (a power cut, a fine, a parcel) is a scam's pretext, asked about as a scam
_POSING = re.compile(r"\b(?:xung(?! ho\b)|tu nhan (?:la )?(?:nhan vien|can bo|cong an|ben)|gia danh|mao danh"
                     r"|gia lam (?:nhan vien|can bo|cong an))\b")
_PAPERS = re.compile(r"\bho so\b")  # folded "hồ sơ" (papers): no "làm hộ" (do it for me) before "sơ"
# a talk or a report written by the asker ("đang soạn bài tuyên truyền cho chi hội"): no lesson homework
_SPEECH = re.compile(r"\bsoan bai (?=(?:tuyen truyen|phat bieu|noi chuyen|bao cao|thuyet trinh|gioi thieu|dang"
                     r"|huong dan|sinh hoat)\b)")
# money paid for farm goods ("chuyển tiền phân bón", "trả tiền thuốc trừ sâu"): a payment, no farming advice
_PAID_FOR = re.compile(r"\b(?:tien|chuyen khoan|thanh toan) (?:phan bon|thuoc tru sau|giong lua|giong cay)\b")
_HEALTH_UNACCENTED_RE = _pattern(tuple(p for p in _HEALTH if p != "dau co"))
_OTHER_RE = _pattern(_OTHER)
MOSTLY_ACCENTED = 3  # one word in this many typed with a mark: the message is typed with accents (most words have one)
# content/data/intents.yaml `accented`: phrases of `other` that fold like everyday words, with the forms they count in
_ACCENTED = {str(p): tuple(f" {new_style_tones(str(f)).lower()} " for f in forms)
             for p, forms in _DATA["accented"].items()}


def _meant(pattern: re.Pattern[str], said: str, typed: str | None) -> re.Match[str] | None:
    """The first phrase of `pattern` found in `said` (folded) that the message means: typed with accents (`typed`, as
    typed and lower-cased), a phrase of content/data/intents.yaml `accented` counts only where the message has it as
    one of its forms there ("câu để nói với bố" is no "cầu đề", "ngay cổng" no "ngày công", "mua bao nhiêu" no "mùa
    bão"). A message with only a few words accented ("xo so mien bac hôm nay") is read as typed without them."""
    raw = _RAW_WORD.findall(new_style_tones(typed)) if typed is not None else []
    if typed is None or sum(strip_marks(w) != w for w in raw) * MOSTLY_ACCENTED < len(raw):
        return pattern.search(said)
    words = " " + " ".join(raw) + " "
    for found in pattern.finditer(said):
        forms = _ACCENTED.get(found.group(0))
        if forms is None or any(form in words for form in forms):
            return found
    return None
_ABUSE_RE = _pattern(_ABUSE)
_INSULTS_RE = _pattern(_INSULTS)
_INSULTS_FOLDED_RE = re.compile(  # unaccented "do dien ra" is "đó diễn ra"
    _pattern(tuple(fold(p) for p in _INSULTS)).pattern.replace(re.escape("do dien"), re.escape("do dien") + "(?! ra)"))
_LOAN_RE = _pattern(_LOAN)


_BOT_USAGE_RE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in _DATA["bot_usage"]) + r")\b")


# Learning one topic of the bot's lessons, folded: "học riêng phần chống lừa đảo", "học mấy bài về dịch vụ công",
# "học chủ đề deepfake" ("học phần mềm" is no part of a lesson), said by one who wants to ("muốn", "chỉ") or
# of the bot: "con tôi đang học chủ đề môi trường ở trường" tells what a child learns at school.
_LEARN_A_TOPIC = re.compile(r"\bhoc (?:rieng )?(?:mot |may |cac |nhung |tung )?"
                            r"(?:phan(?! mem)|chu de|muc|bai (?:hoc )?(?:ve|chong)) \w")
_WANTS = re.compile(r"\b(?:muon|chi|thich|bot|tren nay|trong nay)\b")
# Learning it with an AI's help ("cháu muốn học phần tiếng Anh thì AI giúp thế nào", "học bài về trồng lúa thì hỏi
# ChatGPT sao"): a question about using the AI, not about the bot's lessons.
_AI_HELPS = re.compile(r"\b(?:ai|chatgpt|gemini|copilot|chatbot) (?:giup|gium|day|chi|lam)\b"
                       r"|\b(?:nho|hoi|dung|xai|nhu) (?:ai|chatgpt|gemini|copilot|chatbot)\b")


def learns_a_topic(text: str) -> bool:
    """The message asks how to learn one topic of the bot's lessons ("tôi chỉ muốn học riêng phần chống lừa đảo
    thì vào đâu"): a question about the bot's lessons, whatever the topic is about."""
    folded = fold(text)
    return (bool(_LEARN_A_TOPIC.search(folded)) and bool(_WANTS.search(folded)) and not _AI_HELPS.search(folded)
            and asks_something(text))


def about_using_the_bot(text: str) -> bool:
    """The message asks about using the bot: it names the bot or something done in it (a button, a command,
    progress, the certificate, a group's code, reminders, one's data)."""
    return bool(_BOT_USAGE_RE.search(fold(text)))


_USE = frozenset(w for p in _DATA["how_to_use"]["use"] for w in p.split())
_USE_RE = _pattern(tuple(_DATA["how_to_use"]["use"]))
_USE_FRAME = frozenset(_DATA["how_to_use"]["use_frame"]) | _USE


_PURPOSE = re.compile(r"\b(?:dung de|lam gi|lam duoc gi|de lam)\b")  # what it is for, not how: "dùng để làm gì"


def asks_how_to_use_the_bot(text: str) -> bool:
    """"Chỉ tôi cách dùng", "xài sao vậy", "dùng cái máy trả lời này thế nào": how to use, naming nothing to use
    but the bot itself. In the bot's chat that is a question about the bot."""
    return asks_how_to_use(text)


def asks_how_to_use(text: str, named: frozenset[str] = frozenset()) -> bool:
    """How to use something, naming nothing but the bot or the `named` things ("bà không biết dùng zalo")."""
    words = content_syllables(text)
    joined = " ".join(words)
    allowed = _USE_FRAME | {w for thing in named for w in thing.split()}
    return (bool(words) and bool(_USE_RE.search(joined)) and all(w in allowed for w in words)
            and not _PURPOSE.search(joined))


_PUNCTUATION = re.compile(r"[.?!;,…\n]+")
_OR = re.compile(r"^\s*(?:hay|hoặc|hay là|hoac|hay la)\b", re.IGNORECASE)


def _asked_clauses(query: str) -> list[str]:
    """A message cut at its punctuation, a clause that opens with "hay" or "hoặc" (or) kept with the one before it:
    "… có xài được khi đi khám ở phòng khám tư không, hay chỉ bệnh viện nhà nước" asks one thing."""
    out: list[str] = []
    for clause in _PUNCTUATION.split(query):
        if out and _OR.match(clause):
            out[-1] = f"{out[-1]} {clause}"
        else:
            out.append(clause)
    return out
# A clause that asks to be shown how ("Chỉ cách nấu bánh chưng bằng nồi cơm điện, nghe nói hỏi AI là biết"): it asks
# with no question word
_SHOW_ME = re.compile(r"^\s*(?:(?:bot|ban|em|chau|con|ad|admin)(?: oi)? )?(?:chi|huong dan|day|bay)"
                      r"(?: (?:toi|tui|minh|em|chau|con|bac|gium|giup|dum|voi))* (?:cach|voi)\b")
# "tỉ số mấy": asks, though "mấy" alone is no question word; "nói mấy câu", "dặn mấy lời": a few words said, no asking
_HOW_MANY = re.compile(r"\b(?:(?<!\bnoi )(?<!\bdan )(?<!\bke )(?<!\bviet )may(?! (?:cau|loi|tieng)\b)|bao nhieu)\b")


# A message that opens asking for homework done for one ("viết giùm bài văn tả mẹ bằng AI để con nộp", "bot ơi giải hộ
# bài toán này bằng ChatGPT"): what the AI is named for is the work the bot is asked to do, not a question about AI.
_DO_IT_FOR_ME = re.compile(r"(?:(?:bot|ban|em|chau|con|ad|admin)(?: oi)? )?(?:viet|lam|giai|dich) (?:gium|giup|ho|dum)"
                           r"(?: (?:toi|tui|minh|em|chau|con|cho (?:toi|tui|minh|em|chau|con)))? (?:cai |mot )?bai\b")


# "có nên mua không" with nothing bought named, after an AI account or plan for sale was named: it asks of that ("…
# tài khoản ChatGPT giá rẻ người ta bán trên mạng, có nên mua không"), the fake and paid versions the FAQ warns of
_BUY_IT = re.compile(r"^(?:\w+ ){0,3}?(?:co )?nen mua(?: (?:khong|ko|k|hong|chua|ha|a|nhi|vay|the|nua|do|no))*$")
_AI_FOR_SALE = re.compile(r"\b(?:tai khoan|tk|goi|ban|acc) (?:chatgpt|gemini|copilot|ai|chat gpt)\b")


_IT_OPENS = re.compile(r"^\s*(?:(?:vay|the|ma|con|rua|roi) )?(?:no|han|cai do|cai nay)\b")


def _asks_it_alone(query: str) -> bool:
    """A clause that asks for what is not ours names no AI of its own ("Việt Nam đá với Thái Lan tỉ số mấy, ChatGPT
    nó nói sai"): what the other clauses say of ChatGPT is the story, the score is the question."""
    named_ai = False  # an earlier clause named an AI: "nó" opening a clause is that AI ("Nghe nói AI giỏi lắm. Nó
    # giúp gì được cho người chăn nuôi như tôi?")
    for clause in _asked_clauses(query):  # "… mà … có nên mua không" may ask about what came before
        folded = fold(clause)
        if _BUY_IT.match(folded.strip()) and _AI_FOR_SALE.search(fold(query)):
            continue
        if named_ai and _IT_OPENS.match(folded):
            continue
        named_ai = named_ai or bool(_ABOUT_AI.search(folded))
        if ((_OTHER_RE.search(folded) or _PRICE_TODAY.search(folded)) and not _ABOUT_AI.search(folded)
                and (asks_something(clause) or _HOW_MANY.search(folded) or _SHOW_ME.match(folded))):
            return True
    return False


def _health_text(typed: str, accented: bool) -> str:
    """A message as the health words are looked for in it, folded: typed with accents, "đâu" (where), "dấu" (an
    accent mark) and "đầu" (the start) are no "đau" (pain), "cấm" (forbidden) no "cảm" (a cold); a hospital said as a
    place is no illness."""
    said = fold(_NOT_COUGH.sub("hox", _START.sub("khởi", _BANNED.sub("ngăn", _MARK.sub("ký hiệu", _WHERE.sub(
        "chỗ nào", typed)))))) if accented else fold(typed)
    said = _KEEPS_AWAKE.sub("lam phien", _CROP_ILL.sub(r"\1 hu", _HOSPITAL_PLACE.sub(r"\1 noi do", said)))
    # two things told apart ("ngày 2/10 là ngày khuyến học hay là tuần lễ học tập, e bị lẫn", "mật khẩu Zalo với mã
    # OTP có phải là một không, tôi hay lẫn"): mixed up, not a failing memory
    return _MIXED_UP.sub("nham", said) if _TWO_TOLD_APART.search(said) else said


_MIXED_UP = re.compile(r"\b(?:bi|hay|de|hay bi|cu) lan\b")
_TWO_TOLD_APART = re.compile(r"\b(?:hay la|hay|hoac|voi|giua|khac|giong|la mot|phan biet)\b(?! lan\b)")


def _accented(typed: str) -> bool:
    """The message is typed with Vietnamese accents: a letter with a mark, or "đ". Not whether folding changes it:
    folding also reads teencode ("tui" is "toi"), and "tui đâu có đăng nhập" typed "tui dau co dang nhap" is no
    "đau cổ"."""
    return "đ" in typed or any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", typed))


_SOMETHING = re.compile(r"\b(?:gi|nao|dau|sao) do\b")  # "uống nước lá gì đó" (some leaf): told, not asked
# what one asked the machine, told ("tui hỏi nó bệnh huyết áp uống thuốc gì thì nó trả lời trơn tru lắm"): its question
# is the story, whether to trust the answer is what is asked
_ASKED_IT = re.compile(r"\b(?:toi|tui|minh|em|bac|ba|ong|me|bo|chau|con|ma|me) (?:da |co |moi |vua |thu )?hoi no\b"
                       r"(?=.*\bno (?:tra loi|bao|noi|chi|khuyen)\b)")


def _asks_health_alone(query: str) -> bool:
    """A clause that asks about an illness or a medicine names no AI of its own ("Dạo này tôi hay bị chóng mặt, con
    dâu bảo cứ hỏi AI. Vậy bot cho tôi hỏi chóng mặt thì uống thuốc gì?"): the AI is in the story, the medicine is
    the question. Asked of AI in the same clause ("có nên hỏi AI uống thuốc gì không") it stays ours."""
    for clause in _asked_clauses(query):
        typed = unicodedata.normalize("NFC", clause).lower()
        accented = _accented(typed)
        health = _health_text(typed, accented)
        pain = (_HEALTH_RE if accented else _HEALTH_UNACCENTED_RE).search(health)
        # "đau" folds like "đâu", "chữa" like "chưa": asking is looked for in what the clause says besides its health
        # words ("video bác sĩ quảng cáo thuốc chữa khỏi tiểu đường" tells, it asks nothing)
        rest = _SOMETHING.sub(" ", (_HEALTH_RE if accented else _HEALTH_UNACCENTED_RE).sub(" ", health))
        if pain and not _ABOUT_AI.search(fold(typed)) and asks_something(rest) \
                and not (_ASKED_IT.search(fold(typed)) and _ABOUT_AI.search(fold(query))):
            return True
    return False


def without_other_topics(clause: str) -> str:
    """A clause without the words that make it "other" (not ours: "kỹ thuật nuôi", "phân bón"), folded: what a story
    says around a topic it only names in passing ("có lớp chuyển giao kỹ thuật nuôi gà ở trung tâm học tập cộng
    đồng")."""
    return " ".join(_OTHER_RE.sub(" ", fold(clause)).split())


def names_a_lesson(text: str) -> bool:
    """The message names a lesson as where what it asks is told ("bài học nói nông dân chụp ảnh lá lúa thì AI giúp
    được gì")."""
    return bool(_A_LESSON.search(fold(text)))


def names_a_loan(text: str) -> bool:
    """The text names borrowing money ("vay vốn ngân hàng", "app vay tiền"), whatever it asks of it."""
    return bool(_LOAN_RE.search(fold(text)))


@lru_cache(maxsize=8192)
def out_of_scope(query: str) -> OutOfScope | None:
    """"health" for medicine and illness, "other" for the rest of what the bot does not do, else None."""
    folded = fold(query)
    typed = unicodedata.normalize("NFC", query).lower()
    accented = _accented(typed)
    # "lúa" (rice) is no "lừa" (scam): typed with its accent, or after what is said of rice ("trồng lua")
    rice = fold(_RICE.sub("thoc", typed)) if accented else folded
    about_ai = bool(_ABOUT_AI.search(_RICE_FOLDED.sub(r"\1 thoc", rice)))
    health = _health_text(typed, accented)
    pain = (_HEALTH_RE if accented else _HEALTH_UNACCENTED_RE).search(health)
    if pain and (not about_ai or _asks_health_alone(query)):
        return "health"
    insult = _INSULTS_RE.search(typed) if accented else _INSULTS_FOLDED_RE.search(folded)
    said = fold(_SO.sub("thế", typed)) if accented else folded
    said = _PAPERS.sub("giay to", said)  # "làm hồ sơ" (papers) folds like "làm hộ" (do it for me)
    said = _SPEECH.sub("viet ", said)
    said = _LEAVING_RE.sub(_leaving, said)  # "thôi bà đi nấu cơm đây": leaving for a while, no recipe asked
    said = _CHOOSE_ANSWER.sub("chon cau tra loi", said)
    said = _PAID_FOR.sub("tien hang", said)
    if _LOAN_APP.search(said):  # what a loan app charges is asked of the app, no bank's rate: the content's warning
        said = _ITS_INTEREST.sub(" ", said)
    other = (_meant(_OTHER_RE, said, typed if accented else None) or _PRICE_TODAY.search(folded)
             or _FIND_A_JOB.search(said))
    # what number to bet on is asked of no one but a fortune teller, however it is asked ("nhờ AI soi cầu…")
    if other and about_ai and (_asks_it_alone(query) or _DO_IT_FOR_ME.match(said)):
        about_ai = False
    if other and _POSING.search(said):
        other = None  # "người xưng bên điện lực nói sắp cúp điện, biểu bấm link": the pretext of a scam, not an outage
    if other and _TAUGHT_AT_THE_CENTRE.search(said):
        other = None  # "trung tâm học tập cộng đồng ở xã có dạy kỹ thuật nuôi trồng không": what the centre teaches
    if _OF_THE_LESSON.search(folded):
        about_ai, other = True, None
    if _ABUSE_RE.search(folded) or insult or (other and not about_ai) or _LOTTERY.search(folded) \
            or _SPYING.search(folded):
        return "other"
    if accented:  # "gửi tin cho tôi vậy": "vậy" typed with its accent is no "vay" (a loan)
        folded = fold(_SO.sub("thế", typed))
    borrow = "mượn tiền" in typed  # folded "muon tien" is also "muốn tiền" ("muốn tiền thì học gì")
    if ((_LOAN_RE.search(folded) or _LOAN_AMOUNT.search(folded) or borrow) and not _SCAM.search(folded)
            and not _LOAN_APP.search(folded) and not _OF_THE_LESSON.search(folded)):
        return "other"
    return None
