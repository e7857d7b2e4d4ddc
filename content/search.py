"""In-memory Vietnamese search over FAQ entries and lesson passages (BM25 on folded syllables + bigrams).

Decision bands follow research/vi-retrieval.md: the share of the query's syllables found in the top
document ("coverage") decides whether to answer, offer the top hits as buttons, or say "I don't know".
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import heapq
import itertools
import json
import math
import re
import sys
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NamedTuple

from content.cachefile import read_or_build, write_atomically
from content.intents import about_using_the_bot, out_of_scope
from content.provinces import places_told, provinces_in
from content.schema import FaqEntry, Lesson
from content.textnorm import (
    ABBREVIATIONS,
    COMPARISON,
    MISTAKEN,
    THINGS,
    action_syllables,
    actions,
    asked_actions,
    asks_clearly,
    asks_plainly,
    asks_something,
    canon,
    clauses,
    content_syllables,
    fold,
    how_to,
    question_syllables,
    story_clauses,
    syllables,
    tokens,
)

Decision = Literal["answer", "suggest", "refuse", "smalltalk"]

K1 = 1.2
B = 0.75
QUESTION_WEIGHT = 2  # the question and its alternatives count this many times, the answer once
LESSON_FACTOR = 0.85  # an FAQ entry wins over a lesson passage with the same score
ANSWER_COVERAGE = 0.7
SUGGEST_COVERAGE = 0.65
LONG_QUESTION = 10  # content syllables from which a message counts as long
ONE_CLAUSE_ACTIONS = 15  # syllables under which a message of one clause is asked for the actions it names
LONG_ANSWER_COVERAGE = 0.55
LONG_MARGIN = 1.3  # the top hit's score over the second's
# Less covered than that (a story, dialect, a misspelling), a hit about what is asked that scores this many times the
# second's is offered ("Có phải bạn muốn hỏi…") rather than refused.
CLEAR_WINNER_COVERAGE = 0.45
CLEAR_WINNER_MARGIN = 1.8
PASSAGE_SYLLABLES = 60
BIGRAM_WEIGHT = 0.5
FORM_WEIGHT = 0.4  # "là gì", "nghĩa là", "thế nào" say how something is asked, not what about
# Folded syllables that only shape a question; a term made of them alone weighs FORM_WEIGHT.
QUESTION_FORM = frozenset(
    "la gi nghia the nao nhu sao lam co khong duoc hay thi cai ra nhung ma vay phai nen can nay".split()
)
ASKING_WORDS = frozenset("gi sao nao dau khong chua ha chu ko k hong j".split())  # say that it asks, not what
RERANK_POOL = 20  # BM25 candidates re-ranked by how much of the query's rare words they cover
EXACT_BOOST = 1.5  # rank factor of an entry one of whose questions asks about exactly the question's subject
TIE_MARGIN = 1.1  # a runner-up as well covered and within this score ratio makes the top hit a guess
TIE_COVERAGE = 0.07  # "as well covered": short of the top hit's coverage by at most this (a syllable in ~15)
CORE_COVERAGE = 0.5  # share of the question's own words (form words aside) an answer must cover
REPAIR_MIN = 4  # letters of an unknown syllable from which it may be a typo of a known one
CONTEXT_WEIGHT = 0.4  # a story's words around the question rank at this weight (SearchIndex.search `context`)
ASKED_FLOOR = 0.5  # rank factor: floor + (1 - floor) * idf share of the query found in the question fields

# Named things a question can be about (folded). An answer about another one is wrong however well the rest
# of the question matches ("quên mật khẩu Zalo" is not answered with the VNeID steps).
ENTITIES: tuple[str, ...] = (
    "zalo", "vneid", "vssid", "chatgpt", "gemini", "copilot", "claude", "deepseek", "facebook", "messenger",
    "google", "youtube", "tiktok", "telegram", "instagram", "gmail", "email", "icloud", "momo", "zalopay",
    "viettelpay", "vnpay", "shopee", "lazada", "ngan hang", "atm", "bao hiem xa hoi", "bhxh", "bao hiem y te",
    "bhyt", "evn", "dien luc", "vietlott", "binh dan hoc ai", "binh dan hoc vu so",
    # the learning models and titles: "công dân số" is not "cộng đồng học tập" however many syllables they share
    "cong dan so", "cong dan hoc tap", "gia dinh hoc tap", "dong ho hoc tap", "cong dong hoc tap", "don vi hoc tap",
    "gia dinh van hoa",  # a title of its own (the culture movement's), not "gia đình học tập"
    "binh dan hoc vu",  # the 1945 literacy movement (after "binh dan hoc vu so": the longer name is tried first)
    # days kept each year: "Ngày Sách" (21/4) and "Ngày Nhà giáo" (20/11) are not "Ngày Khuyến học" (2/10)
    "ngay khuyen hoc", "ngay nha giao", "ngay sach", "ngay doc sach", "ngay chuyen doi so",
    "thang khuyen hoc",  # a province's month of its own: not "Ngày Khuyến học" (2/10), nor the Week
    # phone settings no entry tells (yet): the wallpaper, the ringtone, the volume, the screen timeout, a system update
    # ("chuông nhỏ quá chỉnh to lên sao" is not the text size)
    "hinh nen", "nhac chuong", "am luong", "tat man hinh", "cap nhat phan mem",
    "luat an ninh mang",  # a law no entry tells of (the data and AI laws are told: not "khác gì Luật An ninh mạng")
    # associations no entry tells of ("Hội Khuyến học với Hội Cựu giáo chức khác nhau thế nào" is not the Week)
    "hoi cuu giao chuc", "hoi cuu chien binh",
    "thu hoi tin nhan",  # recalling a message sent by mistake (Zalo, Messenger): no entry tells it either
    # old messages kept or moved to a new phone ("đổi điện thoại mới thì tin nhắn Zalo cũ chuyển qua")
    "tin nhan cu", "tin nhan zalo cu",
    # a desktop computer or an app's version for one: only the bot's web chat and what AI needs name it
    "may tinh de ban", "may tinh ban", "ban cho may tinh", "ban may tinh",
)
# A number names something (a year, "Nghị quyết 57", "156"); an amount ("15 triệu", "500k") is part of a story.
# (nor is an age: "bố tôi 68 tuổi")
_NUMBER = re.compile(r"\b\d{2,}\b(?! ?(?:trieu|tr|nghin|ngan|k|dong|d|cu|ty|phan tram|tuoi)\b)")
_YEAR = re.compile(r"(?:19|20)\d\d")
FIRST_YEAR_BOOST = 1.2  # of two years asked ("chủ đề năm 2022, có giống năm 2020 không"), the first is asked about
NUMBER_MISMATCH = 0.5  # rank factor of an entry whose question names a number (a year) the question does not
UNASKED_FACTOR = 0.6  # rank factor of a document none of whose questions asks to do what the question asks
OTHER_THING_FACTOR = 0.5  # rank factor of a document about another named thing than the question's
# AI chatbots: what an entry says of AI in general (and of no named thing) is said of each of them, when the
# question says enough of what it asks (AI_GENERAL_SYLLABLES content syllables: "chatgpt có lừa đảo không" is about
# ChatGPT itself, not what AI does for scammers).
AI_CHATBOTS = frozenset({"chatgpt", "gemini", "copilot", "claude", "deepseek"})
AI_GENERAL_SYLLABLES = 8
_ENTITY = re.compile(r"\b(?:" + "|".join(re.escape(e) for e in ENTITIES) + r")\b")
# A named thing said as where something was seen or sent ("link gửi trên Zalo", "nhóm Zalo", "xem Facebook thấy"):
# the place of the story, not what is asked about when the question names another thing or the answer names none;
# also "trên mạng Facebook", "trên trang Zalo" ("đăng lên Facebook" is what is done there). "công nhận cộng đồng học
# tập" (recognised as one) is no "nhận" (received on). A task done there is too ("tuyển cộng tác viên thả tim TikTok").
_WHERE = re.compile(r"\b(?:tren|qua|nhom|group|gui|(?<!cong )nhan|xem|luot|doc|ket ban|tha tim|bam tim|like|follow"
                    r"|binh luan)"
                    r"(?: tin nhan| tin| lien ket| mang xa hoi| mang| trang| ung dung)?"
                    r"(?: tren| qua)? (" + "|".join(re.escape(e) for e in ENTITIES) + r")\b")
# Gone onto a named thing and seen something there ("lên Facebook thấy tuyển người thả tim", "vô Zalo coi thấy"):
# where the story happened too ("đăng lên Facebook" is what is done there, no seeing follows).
_SEEN_ON = re.compile(r"\b(?:len|vao|vo) (" + "|".join(re.escape(e) for e in ENTITIES)
                      + r") (?:thi |moi |la )?(?:thay|xem|coi|doc|luot|gap)\b")
# Where the story went, bought or was blocked ("bà đang tính ra ngân hàng chuyển", "cháu đặt hàng Shopee", "chuyển
# xong họ chặn Zalo luôn"): a place of the story too.
_GONE_TO = re.compile(r"\b(?:ra|den|toi|len|xuong) (?:quay |phong giao dich )?"
                      r"(ngan hang|atm|dien luc|evn|bao hiem xa hoi)\b"
                      r"|\b(?<!cai )(?:dat hang|mua hang|dat mua|mua)(?: hang| do)? ("
                      + "|".join(re.escape(e) for e in ENTITIES) + r")\b"
                      r"|\b(?:chan|block) (" + "|".join(re.escape(e) for e in ENTITIES) + r")\b")
# Who a caller or a message claims to be ("người xưng hỗ trợ Zalo", "mạo danh nhân viên ngân hàng", "tin nhắn mang tên
# điện lực"): the scam's disguise, a part of the story like a place, not what is asked about.
_POSING = re.compile(r"\b(?:xung|tu xung|mao danh|gia danh|gia lam|(?:tin nhan|tin|sms) (?:mang |de |hien |co )?ten)"
                     r"(?: la)?(?: (?:nhan vien|ho tro|tong dai|ben|can bo|cham soc khach hang))* ("
                     + "|".join(re.escape(e) for e in ENTITIES) + r")\b")
# An amount of money said in a story ("bị lừa chuyển 30 triệu", "mượn 5 triệu", "300 nghìn"): what happened, not
# what is asked (service._told leaves it out of a story whose ending asks nothing of its own), but money all the same.
AMOUNT = re.compile(r"\b\d+(?:[.,]\d+)?\s?(?:triệu|trieu|tr|nghìn|nghin|ngàn|ngan|k|đồng|dong|đ|củ|cu|tỷ|ty|tỉ|ti)\b",
                    re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?…])\s+")
# A web address as typed ("dichvucong.gov.vn.abc.com"): an answer about the address it starts with (the real site
# a fake one is dressed as) is not about it.
_ADDRESS = re.compile(r"\b(?:[a-z0-9-]+\.)+[a-z]{2,}\b")


@dataclass(frozen=True)
class Hit:
    """One search result, with the text to show (accented) and where it comes from."""

    doc_id: str
    kind: Literal["faq", "lesson"]
    title: str
    text: str
    score: float
    coverage: float
    sources: tuple[str, ...]
    missing: tuple[str, ...] = ()  # things the question names that this document is not about ("+x": x is
    # what the document's questions all name and the question does not)
    exact: bool = False  # one of its question fields asks about exactly what the question asks about
    asks: bool = False  # one of its question fields names all the question asks about (and maybe more)
    core: float = 1.0  # coverage of the question's own words alone (its form words left out)
    unasked: tuple[str, ...] = ()  # what the question asks to do (quên, đổi, chuyển tiền…) that none of the
    # document's own questions asks (an FAQ entry's question fields; a lesson passage's title and text)
    unknown: tuple[str, ...] = ()  # the question's own words no document has ("robot"), not typos of known ones
    answer_only: bool = False  # a short question names one thing and asks of it what only the answer text has:
    # none of the entry's questions asks any of its other words ("tiktok có dùng AI không" and "Tin trên TikTok có
    # đáng tin không")
    things: tuple[str, ...] = ()  # the named things it is about, when every one of its questions names one
    names: tuple[str, ...] = ()  # what the question names (Zalo, VNeID, "113 hay 156") that its question fields
    # (a lesson passage: its title and text) name too: it is about that
    tells_how: bool = True  # one of its questions asks how to do something ("cách …", "làm sao", "thế nào")


class Held(NamedTuple):
    """An FAQ entry's question field as a message holds it (SearchIndex.held)."""

    share: float  # of the idf weight of its own words, found in the message
    weight: float  # that idf weight: how much the field says
    words: frozenset[str]  # its own words
    question: str  # the field as written


@dataclass(frozen=True)
class _Doc:
    doc_id: str
    kind: Literal["faq", "lesson"]
    title: str
    text: str
    sources: tuple[str, ...]
    terms: tuple[str, ...]
    vocab: frozenset[str] = field(default_factory=frozenset)
    asked: frozenset[str] = field(default_factory=frozenset)  # syllables of the question fields
    about: frozenset[str] = field(default_factory=frozenset)  # entities its question fields (or title) name
    mentions: frozenset[str] = field(default_factory=frozenset)  # entities named anywhere in it
    numbers: frozenset[str] = field(default_factory=frozenset)  # numbers its own question names (2023, 57)
    subjects: tuple[frozenset[str], ...] = ()  # per question field: what it asks about (subject())
    named: tuple[frozenset[str], ...] = ()  # per question field: the entities it names
    acts: frozenset[str] = field(default_factory=frozenset)  # actions its question fields name (textnorm.actions)


# A named thing that is one of a kind another names: an entry about email accounts or Google accounts ("đăng ký
# ChatGPT bằng email hoặc tài khoản Google") is about a Gmail too.
_KIND_OF = {"gmail": frozenset({"email", "google"})}
# A named thing typed by its initials ("tự đóng bhxh"): the same thing as its full name.
_INITIALS = {"bhxh": "bao hiem xa hoi", "bhyt": "bao hiem y te"}
# A web address named after a thing of several syllables ("binhdanhocvuso.gov.vn"): it names that thing.
_JOINED_ENTITIES = {e.replace(" ", ""): e for e in ENTITIES if " " in e}


def entities(text: str) -> frozenset[str]:
    """The ENTITIES a text names, folded ("Quên mật khẩu Zalo" → {"zalo"}), also as a web address
    ("binhdanhocvuso.gov.vn" → {"binh dan hoc vu so"})."""
    sites = {a.split(".", 1)[0] for a in _ADDRESS.findall(unicodedata.normalize("NFC", text).lower())}
    named = frozenset(_INITIALS.get(e, e) for e in _ENTITY.findall(canon(fold(text))))
    return named | {_JOINED_ENTITIES[s] for s in sites if s in _JOINED_ENTITIES}


# "gọi 113 hay 156": a choice between two numbers is answered only by a document that names both.
# ("156 hay gọi 113", "156 hay là bấm số 113": the choice said with what is done with each number)
_CHOICE = re.compile(r"\b(\d{2,}) (?:hay|hoac|hay la|hoac la)(?: (?:goi|bam|nhan|nhan tin|bao|len|toi|den|vao|so"
                     r"|tong dai|duong day nong)){0,3} (\d{2,})\b")


def choices(text: str) -> frozenset[str]:
    """The numbers a question asks to choose between ("113 hay 156" → {"113", "156"})."""
    return frozenset(n for pair in _CHOICE.findall(fold(text)) for n in pair)


# A clause that only calls whom the message is for ("Cô ơi", "Dạ thưa bác", "bot ơi"), folded
_CALLING = re.compile(r"^(?:(?:da|vang) )?(?:thua )?(?:\w+ ){1,2}oi$|^(?:(?:da|vang) )?thua(?: \w+){1,2}$")
_CLAUSE_END = re.compile(r"[.,;:?!…\n()]+")  # an aside in brackets is a clause of its own
# What a question says it is NOT about ("…, không phải Zalo nha, là Facebook", "Nghị quyết 57 chứ không phải Kết
# luận 123", "Tôi không hỏi luật bảo vệ dữ liệu nha", "Tôi hay nhầm với Kết luận 123"): left out before searching.
# ("Tôi hỏi Ngày Khuyến học chứ không hỏi Tuần lễ, …": "không hỏi" says it too)
_RATHER_THAN = re.compile(r"\b(?:chứ|chu|chớ|cho)\s+(?:không|khong)\s+(?:phải|phai|hỏi|hoi)\b.*$")
_NOT_ASKED = re.compile(
    # ("…, không phải cái VNeID của công an", "…, không phải hỏi cài VNeID đâu")
    r"^(?:(?:ma|nhung|con|cai|day|do) )*khong phai (?:la )?(?:cua )?(?:hoi (?:ve )?)?"
    r"(?:cai dat |cai |app |ung dung |tai khoan )?(?:" + "|".join(re.escape(e) for e in ENTITIES)
    + r"|ket luan|nghi quyet|luat|mat khau|tai khoan|ung dung|app|trang)\b"
    r"|^(?:toi|minh|tui|em|chau|con) (?:dang |dau co |co )?khong (?:hoi|noi)\b"
    # "Tôi không quên mật khẩu, mà muốn đổi số…": the trouble said NOT to be one's own is not what is asked
    r"|^(?:(?:toi|minh|tui|em|chau|con|bac|ong|ba) )?(?:dau co |co |van )?khong (?:he )?(?:bi )?(?:quen|mat)"
    r" (?:mat khau|mat ma|ma pin|pass)(?: (?:dau|nha|nhe|ma|a))*$"
    r"|\b(?:hay|cu|thuong|de|hoi|bi|toi|minh|tui) (?:nham|lan|nham lan) (?:voi|sang|qua)\b"
    # "…, còn Zalo thì vẫn bình thường", "…, Zalo thì vẫn vào được", "…, chứ Zalo thì vẫn vô được": the thing said
    # to be fine is not what is asked
    r"|^(?:(?:con|ma|nhung|chu|cho) )?(?:cai |app |ung dung |tai khoan )?(?:" + "|".join(re.escape(e) for e in ENTITIES)
    + r")(?: (?:cua toi|cua minh|thi|van|con|vay|may))* (?:binh thuong|khong sao|khong bi gi|dung duoc|on|van on"
    r"|vao duoc|vo duoc|dang nhap duoc|mo duoc|xai duoc|vao binh thuong|vo binh thuong)$")


# What is asked, then why ("VNeID là cái gì mà công an xã cứ bảo ông phải cài?", "AI là gì mà ai cũng nói tới"): the
# reason after "là (cái) gì mà" tells what the asker heard, not what is asked (what it asks to do is not asked).
_WHY_ASKED = re.compile(r"\b((?:là|la)(?: cái| cai)? (?:gì|gi|chi))\s+(?:mà|ma)\s+\w.*$")
# A named thing told by what someone said of it, then asked what it is ("cái VNeID mà công an xã bảo cài là ứng dụng
# gì", "cái ChatGPT mà con tôi hay nói là cái gì", "cái ChatGPT bọn trẻ nó hay nói là gì": "mà" left out before who
# said it): who said what is how the asker heard of it, not what is asked.
_SAYERS = r"(?=(?:bon|tui|dam|may dua|nguoi ta|moi nguoi|con|chau|thang|dua|ho)\b)"
_HEARD_OF = re.compile(r"\b((?:cai |app |ung dung )?(?:" + "|".join(re.escape(e) for e in ENTITIES) + r"))"
                       r" (?:ma|" + _SAYERS + r"\w+)"
                       r"(?: \w+){0,6}? (?:bao|noi|ke|dan|bat|nhac|khuyen|gioi thieu|doc|nghe)(?: \w+){0,6}?"
                       r" (la (?:cai |ung dung |app |phan mem |trang )?(?:gi|chi))\b")
# What the asker will do with the answer, after what is asked ("… hiểu thế nào cho đúng để tôi đưa vào bài nói
# chuyện", "… là thế nào để bác nói với bà con", "… số mấy để tôi căn cứ làm kế hoạch"): not what is asked. Folded.
_PASSED_ON = re.compile(r"\s+de (?:(?:toi|tui|bac|em|anh|chi|chau|con|minh|chu|co|ong|ba|thay) )?(?:con |co the )?"
                        r"(?:(?:pho bien|tuyen truyen|can cu|truyen dat|bao cao|dua vao)\b"
                        # a deed of telling, to someone ("để bác nói với bà con", "để anh nói lại"): not "bấm vào đâu để
                        # nói cho Gemini nghe", which asks how to speak
                        r"|(?:noi|giai thich|tra loi|huong dan|day|chia se|ke|nhac|thong bao|viet|soan)(?: \w+){0,3}?"
                        r" (?:lai|ba con|moi nguoi|hoi vien|nguoi dan|chi hoi|hoc sinh|phu huynh|cac ho|ca thon|ca xom"
                        r"|bai|buoi (?:hop|chao co|sinh hoat|noi chuyen|tuyen truyen|gap mat|le|tap huan)|cuoc hop"
                        r"|khau hieu|loi phat bieu)\b).*$")
# A clause after one that asks, telling only why it is asked ("…, nghe hoài mà không hiểu", "…, tôi muốn phổ biến
# cho các hộ"): left out when it asks nothing itself. Folded.
_WHY_TOLD = re.compile(r"\b(?:chua hieu|khong hieu|hong hieu|ko hieu|k hieu|chua ro|nghe hoai|nghe mai|nghe nhieu"
                       r"|muon (?:pho bien|tuyen truyen|noi lai|giai thich|huong dan|chia se) (?:cho|voi|lai)"
                       r"|(?:can|muon|de) ghi (?:vao|lai) (?:so|ke hoach|bao cao|tai lieu|bai))\b")
# How to explain it to someone ("tui phải giải thích sao cho ổng hiểu", "nói thế nào cho bà con hiểu"). Folded.
_EXPLAIN_TO = re.compile(r"\b(?:giai thich|noi|thuyet phuc)(?: (?:sao|the nao|ra sao|nhu the nao|lam sao|nao))? "
                         r"cho (?:\w+ ){1,3}?(?:hieu|tin|nghe)\b")
# A clause telling only who asks ("anh trưởng thôn đây", "tui là ấp trưởng", "tôi là giáo viên tiểu học"). Folded.
_WHO_I_AM = re.compile(r"^(?:toi|tui|bac|em|anh|chi|chau|con|minh|chu|co|ong|ba|thay|ma|me|bo) (?:la |lam )?"
                       r"(?:truong (?:thon|ap|xom|ban|khu)|ap truong|xom truong)(?: \w+){0,2}$")
# Others' question passed on ("mấy cụ trong thôn hỏi …", "bà con hay hỏi là …"): the question after "hỏi". Folded.
_THEY_ASK = re.compile(r"^(?:may|cac|nhieu|ba con|nguoi ta|moi nguoi|hoc sinh|phu huynh|nguoi dan|hoi vien|khach)"
                       r"(?: (?!khong\b|chua\b|ko\b|k\b|chang\b)\w+){0,5}? (?:hay |cu |thuong |deu )?(?:hoi|thac mac)"
                       r"(?: (?:toi|tui|em|bac|minh))?"
                       r" (?:la |rang )?(\w+(?: \w+){3,})$")
_INSTEAD = re.compile(r"\bkhong phai\b.*?\b(?:ma|nhung) (?:la |phai la )?(\w.*)$")
# A named thing another is likened to, after what is asked of that other ("Quên mật khẩu VssID thì có lấy lại giống
# VNeID không", "… có phải ra công an xã như VNeID không", "Đổi số điện thoại VNeID có nhắn tin tới 8079 như lấy mật
# khẩu VssID không"): what the asker knows of the one, not what is asked; on folded text. Not when the likening is
# itself asked ("VssID có giống VNeID không", "là như Zalo à"): see `_likened_aside`.
# Only accounts and services, each with its own way in and its own steps (the entries on AI tools compare them:
# "Gemini có hiểu tiếng Việt giống ChatGPT không" is answered by the entry on both).
_ACCOUNTS = ("vneid", "vssid", "zalo", "gmail", "facebook", "messenger", "ngan hang", "momo", "zalopay", "icloud",
             "bao hiem xa hoi", "bhxh", "dich vu cong")
_LIKENED = re.compile(r"\b(?:giong nhu|giong|nhu)((?: \w+){0,3}?) (?:cai |ben |ung dung |app )?("
                      + "|".join(re.escape(e) for e in _ACCOUNTS) + r")\b")
# the word before the likening that makes it what is asked ("có giống", "khác"…)
_LIKENED_ASKED = frozenset({"co", "la", "phai", "khac", "cung", "hay", "va", "voi"})


# Named things set aside as fine or as not the trouble ("chứ Zalo với Facebook vẫn vào bình thường", "Mật khẩu ngân
# hàng tôi vẫn nhớ", "không phải tin ngân hàng gửi OTP", "Facebook thì không sao"), on folded text: the asker says
# what is NOT asked about. Left out only when the rest still names another thing (the one asked about).
_ENTS = "(?:" + "|".join(re.escape(e) for e in ENTITIES) + ")"
_THING = r"(?:(?:cai|app|ung dung|tai khoan|mat khau|mat ma|pass|mk|minh|nick|trang|tin|tin nhan|ma|so) )*" + _ENTS
_THINGS = _THING + r"(?:(?: voi| va| hay| lan| ca| hoac)? " + _THING + r")*"
_WHO = r"(?:toi|tui|minh|em|chau|con|bac|ong|ba|anh|chi|nha toi|nha minh)"
_FINE_SAID = (r"(?:(?:vao|vo|dung|xai|su dung|dang nhap|mo|choi|nhan tin|goi|chay|hoat dong)(?: (?:van|con))?"
              r"(?: (?:duoc|binh thuong|ok|oke|on|ngon))+"
              r"|binh thuong|khong sao|khong bi gi|khong bi sao|khong van de gi|khong co gi|khong bi lam sao|on|ok|oke"
              r"|nho|nho ro|nho het|khong quen|chua quen|chua bi gi|khong bi hack|khong bi mat"
              # "… thì tôi biết xem rồi"
              r"|(?:da |cung )?biet(?: (?:xem|lam|dung|xai|cai|cach|lay lai|doi)){0,2} roi)")
_FINE_TAIL = r"(?: (?:ca|het|dau|nha|nhe|ma|roi|binh thuong))*$"
_STILL_FINE = re.compile(
    r"^(?:(?:con|ma|nhung|chu|cho) )?" + _THINGS + r"(?: (?:cua )?" + _WHO + r")?(?: (?:thi|van|con|vay|may|deu|cung|"
    + _WHO + r"))* " + _FINE_SAID + _FINE_TAIL
    # "không phải tin ngân hàng gửi OTP": a thing said NOT to be it (a noun before it: "không phải trả phí" stays)
    + r"|^(?:(?:ma|nhung|con|chu|cho) )?khong phai (?:la )?" + _THINGS + r"\b(?!.*\b(?:a|ha|khong|chu|sao|ak|hem)$)")
# The same said after what is asked, in its clause ("Tôi quên mật khẩu Gmail chứ Zalo với Facebook vẫn vào bình
# thường"): from "chứ", "còn", "mà", "nhưng" on; what it is said of must be fine with "vẫn", "thì", "đều", "cũng".
_FINE_AFTER = re.compile(r"\s(?:chu|cho|con|ma|nhung) " + _THINGS + r"(?: (?:cua )?" + _WHO + r")?"
                         r"(?: (?:thi|van|con|deu|cung|" + _WHO + r"))*(?: (?:thi|van|deu|cung)) " + _FINE_SAID
                         + _FINE_TAIL)
# The same said first, in a run-on ("Facebook vẫn dùng bình thường mà Zalo bị khóa rồi"): up to "mà", "nhưng", "còn",
# "chỉ có", "riêng"
_FINE_BEFORE = re.compile(r"^(?:(?:con|ma|nhung|chu|cho) )?" + _THINGS + r"(?: (?:cua )?" + _WHO + r")?(?: (?:thi|van|"
                          r"con|vay|may|deu|cung|" + _WHO + r"))* " + _FINE_SAID + r"(?: (?:ca|het|roi|binh thuong))*"
                          r" (?:ma |nhung |con |rieng |chi co |chi )(?=\w)")
# "Tôi hỏi thẻ căn cước chứ không phải …": the asker saying what is asked, no part of it
_I_ASK = re.compile(r"^(?:(?:tôi|toi|tui|mình|minh|em|cháu|chau|con|bác|bac|ông|ong|bà|ba)\s+)?"
                    r"(?:(?:chỉ|chi|đang|dang|muốn|muon)\s+)?(?:hỏi|hoi)\s+(?:(?:về|ve|cái|cai)\s+)*(?=\w)")


def _bare(word: str) -> str:
    """A word without its marks, one for one ("vẫn" → "van"; fold may drop or join words)."""
    marks = unicodedata.normalize("NFD", word)
    return "".join(c for c in marks if unicodedata.category(c) != "Mn").replace("đ", "d")


def _set_aside_fine(text: str) -> tuple[str, bool]:
    """The text without what it says is fine or not it (`_STILL_FINE`, `_FINE_BEFORE`, `_FINE_AFTER`), when the rest
    names another thing (what is asked about is never left out); and whether anything was left out."""
    kept: list[str] = []
    aside: set[str] = set()
    after_aside = False
    for clause in _CLAUSE_END.split(text):
        typed = re.findall(r"\w+", unicodedata.normalize("NFC", clause))
        said = [_bare(ABBREVIATIONS.get(w.lower(), w.lower())) for w in typed]  # as matched, one for each typed word
        folded = " ".join(said)
        if _STILL_FINE.search(canon(folded)):
            aside |= entities(folded)
            after_aside = True
            continue
        if after_aside and len(typed) > 2 and said[0] in ("con", "ma", "nhung"):
            typed, said = typed[1:], said[1:]  # "Zalo thì tôi biết rồi, còn VNeID cài sao": VNeID is asked about
            folded = " ".join(said)
        after_aside = False
        before = _FINE_BEFORE.search(folded)
        if before and not _FINE_AFTER.search(folded):
            aside |= entities(before.group(0))
            cut = bisect.bisect_right(list(itertools.accumulate(len(w) + 1 for w in said)), before.end())
            typed, said = typed[cut:], said[cut:]
        after = _FINE_AFTER.search(folded)
        if after:
            aside |= entities(after.group(0))
            ends = list(itertools.accumulate(len(w) + 1 for w in said))  # where each word's following space is
            typed = typed[:bisect.bisect_right(ends, after.start() + 1)]
        if typed:
            kept.append(" ".join(typed))
    rest = ". ".join(kept)
    if not aside or not kept or not entities(rest) - aside:
        return text, False
    return rest, True


_TYPED_WORD = re.compile(r"[^\W\d_]+")  # a word as typed, accents kept
_L_OR_N = frozenset("lnLN")
_NOT_SWAPPED = frozenset({"lốt"})  # "Cốp pi lốt": Copilot as it is said
# "…, còn xin quyền đọc danh bạ": "còn" as "and also", a deed of the same thing, not another thing set against it
_STILL_DOES = re.compile(r"con (?:xin|doi|bat|bao|hoi|gui|goi|nhan|keu|dung|lay|cho|chi)\b")


def without_asides(text: str) -> str:
    """The question without the parts that say what it is not about; the whole text when nothing else is left."""
    text, left_out = _set_aside_fine(text)
    named = entities(text)
    kept: list[str] = []
    for clause in _CLAUSE_END.split(text):
        typed = re.findall(r"\w+", unicodedata.normalize("NFC", clause).lower())
        words = " ".join(ABBREVIATIONS.get(w, w) for w in typed)
        if _NOT_ASKED.search(fold(words)):
            left_out = True
            instead = _INSTEAD.search(fold(words))  # "không phải Zalo mà là VNeID": VNeID is what is asked about
            if instead:
                kept.append(" ".join(words.split()[-len(instead.group(1).split()):]))
            continue
        if fold(words).startswith("rieng "):  # "Gia đình học tập khác dòng họ học tập. Riêng gia đình học tập…"
            left_out, kept, clause = True, [], words.split(" ", 1)[1]
        elif words.startswith("còn ") and kept and " thì " in f" {kept[-1]} " and len(words.split()) > 3 \
                and not _STILL_DOES.match(fold(words)):
            # "ChatGPT thì miễn phí rồi, còn học AI trên bot này có mất tiền không?": what is said of the one
            # thing sets off what is asked of the other ("còn" typed with its accent: folded, it is "con")
            left_out, kept, clause = True, [], words.split(" ", 1)[1]
        likened = _likened_aside(fold(words), named)
        if likened is not None:
            left_out, words = True, likened  # (folded, as _HEARD_OF leaves it)
            clause = words
        if _HEARD_OF.search(fold(words)):
            left_out, clause = True, _HEARD_OF.sub(r"\1 \2", fold(words))
        if _RATHER_THAN.search(words):
            left_out, clause = True, _RATHER_THAN.sub("", words)
            clause = _I_ASK.sub("", clause.strip()) or clause
        elif (cut := _passed_on(clause)) is not None and (cut or (kept and asks_something(kept[-1]))):
            # "cộng đồng học tập là thế nào để bác nói với bà con": what the asker will do with the answer ("…, em
            # trả lời giúp để anh nói lại": the whole clause, when the one before asks)
            left_out, clause = True, clause[:cut]
        elif (cut := _they_ask(clause)) is not None:
            left_out, clause = True, clause[cut:]  # "mấy cụ trong thôn hỏi già rồi có học AI được không"
        elif _WHO_I_AM.search(fold(words)) and not asks_something(words):
            left_out, clause = True, ""  # "Em ơi, anh trưởng thôn đây, mấy cụ trong thôn hỏi …": who asks, not what
        elif kept and (explain := _EXPLAIN_TO.search(fold(words))) \
                and len((fold(words)[:explain.start()] + fold(words)[explain.end():]).split()) <= 2:
            # "Ổng Tám nói AI làm hết việc rồi tụi nhỏ thất nghiệp, tui phải giải thích sao cho ổng hiểu?": what is to
            # be explained is the clause before
            left_out, clause = True, ""
        elif kept and _WHY_TOLD.search(fold(words)) and not asks_clearly(words) and asks_plainly(kept[-1]):
            left_out, clause = True, ""  # "Bình dân học AI là cái gì, trường mới phát động mà cháu chưa hiểu"
        elif (why := _WHY_ASKED.search(words)) and not entities(why.group(0)):
            # "VNeID là cái gì mà công an xã cứ bảo phải cài": why it is asked ("phong trào bình dân học vụ là chi
            # mà chừ có bình dân học AI" names another thing: that is asked too)
            left_out, clause = True, _WHY_ASKED.sub(r"\1", words)
        if clause.strip():
            kept.append(clause.strip())
    return ". ".join(kept) if left_out and kept else text


def _passed_on(clause: str) -> int | None:
    """Where a clause's purpose of passing the answer on begins (_PASSED_ON: "… để tôi đưa vào bài nói chuyện"),
    when what comes before asks something (or nothing: 0, the whole clause is that purpose); else None."""
    for w in re.finditer(r"\w+", clause):
        if fold(w.group(0)) == "de" and w.group(0).lower() != "dễ" \
                and _PASSED_ON.match(" " + fold(clause[w.start():])):
            before = clause[:w.start()]
            if asks_something(before):
                return len(before.rstrip())
            if len(_REQUEST.sub("", fold(before)).split()) == 0:
                return 0  # "em trả lời giúp để anh nói lại"
            return None
    return None


_REQUEST = re.compile(r"\b(?:em|chau|con|bot|ban|ad|admin|anh|chi|bac|chu|co)?\s*(?:tra loi|giai thich|noi|chi|tu van)"
                      r"(?: (?:giup|ho|dum|gium|cho|voi|nhe|nha|di))*\b")


def _they_ask(clause: str) -> int | None:
    """Where the question others ask begins, in a clause passing it on (_THEY_ASK: "mấy cụ trong thôn hỏi …"); the
    word "hỏi" typed as such ("nhóm của hội" is no "hỏi"), not denied ("người ta không hỏi OTP")."""
    m = _THEY_ASK.search(fold(clause))
    if m is None or not asks_clearly(m.group(1)):
        return None
    words = list(re.finditer(r"\w+", clause))
    n = len(m.group(1).split())
    asked_word = words[-n - 1].group(0).lower() if len(words) > n else ""
    if asked_word in ("hội", "hồi", "hơi", "hối", "hợi") or len(words) <= n:
        return None
    return words[-n].start()


def _likened_aside(folded: str, named: frozenset[str]) -> str | None:
    """The clause without the named thing it likens what is asked to (`_LIKENED`), when the message names another
    (`named`: all it names) and the likening follows what is asked of it; else None."""
    m = _LIKENED.search(folded)
    if m is None:
        return None
    before = folded[:m.start()].split()
    if not before or before[-1] in _LIKENED_ASKED or (entities(" ".join(before[-3:])) and len(before) <= 3):
        return None  # "vssid giống vneid không", "có giống": the likening is what is asked
    if entities(m.group(1)):
        return None  # another named thing between: not one likening
    rest = (folded[:m.start()] + folded[m.end():]).strip()
    if not named - {m.group(2)} or len(rest.split()) < 4:
        return None
    return " ".join(rest.split())


_E = "(" + "|".join(re.escape(e) for e in ENTITIES) + ")"
# Named things offered as a guess (or a guess denied, to be confirmed: "ChatGPT không phải của Facebook đúng không,
# nó của công ty nào"; not a thing set aside: "Quên mật khẩu Zalo, không phải Facebook"), a choice or a list ("có phải
# ChatGPT không", "có phải mã OTP ngân hàng không",
# "VNeID hay tài khoản ngân hàng", "app ngân hàng với Zalo", "đăng nhập bằng VNeID hay bằng Zalo"): an answer about one
# of the things the question names tells which, or is about one of them; it need not name the others.
_OPTION = re.compile(r"\bco phai (?:la )?(?:cua )?"
                     r"(?:(?:cai|ung dung|app|ma|tin|tin nhan|tai khoan|mat khau|trang|otp) ){0,3}" + _E + r"\b"
                     r"|\b" + _E + r" (?:hay|hoac|voi|va)(?: la)?"
                     r"(?: (?:cai|ung dung|tai khoan|mat khau|trang|bang|qua))? "
                     + _E + r"\b"
                     r"|\bkhong phai (?:la )?(?:cua )?(?:(?:cai|ung dung|app|trang) )?" + _E
                     + r"(?= (?:dung|phai) (?:khong|ko|k|hong|chu)\b)")


_LISTED = re.compile(r"\b" + _E + r" (?:voi|va)(?: la)?(?: (?:cai|ung dung|tai khoan|mat khau|trang))? " + _E + r"\b")


def options(text: str) -> frozenset[str]:
    """The ENTITIES a text offers as a guess or a choice ("VssID có phải là VNeID không" → {"vneid"})."""
    return frozenset(e for m in _OPTION.findall(canon(fold(text))) for e in m if e)


_THERE_IS = re.compile(r"\bco(?: (?:cai|ung dung|tai khoan))? $")
# "Gemini với Copilot, cái nào là của Google": which one is asked for
_WHICH_ONE = re.compile(r"^\W*(?:thi )?(?:cai|app|ung dung|ben|thang|con) nao\b")


def listed(text: str) -> frozenset[str]:
    """The ENTITIES a text lists together as what it asks about ("VNeID với app ngân hàng trong đó khóa sao" →
    {"vneid", "ngan hang"}): unlike a choice, each is asked about, so a document about one of them must at least say
    something of the others. Not what a story says there is ("trong máy có app ngân hàng với VNeID, giờ làm gì"):
    that is like a choice; nor two things of which one is asked for ("Gemini với Copilot, cái nào là của Google"): a
    choice too."""
    folded = canon(fold(text))
    return frozenset(e for m in _LISTED.finditer(folded) if not _THERE_IS.search(folded[:m.start()])
                     and not _WHICH_ONE.search(folded[m.end():]) for e in m.groups() if e)


# A named thing said as what the asked one is like ("Copilot có mất tiền không hay cũng miễn phí như ChatGPT"): what
# is asked of the other thing is measured against it, it is not asked about ("cũng giống như ChatGPT" compares).
# So is a thing of another named thing it is likened to ("Mã kích hoạt Zalo có giống mã OTP ngân hàng không": Zalo's
# code is asked about); not the other thing itself ("Copilot có giống ChatGPT không" compares the two).
# The bot's own channel, where the asker learns or uses it ("học tiếp trên Zalo", "dùng cái bot này trên Telegram"):
# what is asked about (the bot there), not the place of a story.
_CHANNEL = re.compile(r"\b(?:hoc|bot|chatbot)(?: tiep| nay| do)? (?:tren|qua) ("
                      + "|".join(re.escape(e) for e in ENTITIES) + r")\b")
# An account, a channel or a page on a named thing ("tài khoản lừa đảo trên TikTok", "nick trên Facebook", "kênh
# trên YouTube"): that thing's own, what is asked about (reporting it is done there), not the place of a story.
# What a named thing has ("trên Zalo có trợ lý AI không", "trong Facebook có chế độ cho người già không"): asked of it.
_HAS = re.compile(r"\b(?:tren|trong) (" + "|".join(re.escape(e) for e in ENTITIES) + r") (?:co|co san)"
                  r" (?:tro ly|ai|tinh nang|chuc nang|che do|muc|phan|nut)\b")
_OWNED = re.compile(r"\b(?:tai khoan|nick|kenh|trang|fanpage|page)(?: (?!tren\b|qua\b)\w+){0,2} (?:tren|qua) ("
                    + "|".join(re.escape(e) for e in ENTITIES) + r")\b")
# Also who made it, said of another as well ("Copilot có phải của Google làm ra như Gemini không"): its maker is asked.
# And what is done on the other's side ("quên mật khẩu Zalo thì có nhắn tin tới 8079 như bên VssID được không").
_LIKE = re.compile(r"\b(?:cung (?:(?!giong\b)\w+ ){0,3}?nhu|(?:lam ra|tao ra|phat trien|san xuat) nhu"
                   r"|(?:nhu|giong) ben(?: (?:app|ung dung|cai))?"
                   r"|co giong (?!(?:cai|app|ung dung|trang|con)\b)\w+(?: \w+)?) ("
                   + "|".join(re.escape(e) for e in ENTITIES) + r")\b")


def places(text: str) -> frozenset[str]:
    """The ENTITIES a text names as where something was seen or sent ("qua link gửi trên Zalo" → {"zalo"}; not what
    it is asked to have: "trên Zalo có trợ lý AI không"), as who
    a scammer claims to be ("người xưng hỗ trợ Zalo"), or as what the thing asked about is like ("cũng miễn phí như
    ChatGPT")."""
    folded = canon(fold(text))
    where = (frozenset(_WHERE.findall(folded)) - frozenset(_CHANNEL.findall(folded))
             - frozenset(_OWNED.findall(folded)) - frozenset(_HAS.findall(folded)))
    return where | frozenset(_POSING.findall(folded)) | frozenset(_LIKE.findall(folded)) \
        | frozenset(_SEEN_ON.findall(folded)) | frozenset(e for m in _GONE_TO.findall(folded) for e in m if e)


# A year the asker tells of their own doings ("thẻ CCCD tôi làm năm 2021", "cấp từ năm 2016"): when it happened,
# not what is asked about.
_TOLD_YEAR = re.compile(r"\b(?:lam|cap|mua|dang ky)(?: tu| vao| hoi| tu hoi)?(?: nam)? ((?:19|20)\d\d)\b")
# The same said year first ("Năm 2022 tôi làm thẻ CCCD gắn chip", "hồi năm 2016 bà đi cấp thẻ")
_TOLD_YEAR_FIRST = re.compile(r"\b(?:nam|hoi) ((?:19|20)\d\d),? (?:thi )?"
                              r"(?:toi|tui|minh|em|con|chau|bac|ong|ba|anh|chi|co|chu|nha toi|nha tui|me|bo)"
                              r"(?: (?:da|moi|di|co|duoc|len|ra))* (?:lam|cap|mua|dang ky)\b")


# A period ("giai đoạn 2021–2030", "2021 đến 2030"): one thing named, not the years that open and close it.
_SPAN = re.compile(r"\b((?:19|20)\d\d) (?:den |toi |- )?((?:19|20)\d\d)\b")


# A year said as where a period starts or ends ("đến năm 2030", "từ 2021"): it names the periods it bounds.
_BOUND = re.compile(r"\b(?:den|toi|tu)(?: nam)? ((?:19|20)\d\d)\b")


def _bounded(named: frozenset[str], bounds: frozenset[str]) -> frozenset[str]:
    """The numbers a document's question names, with the years the question says bound a period it names."""
    if not bounds:
        return named
    return named | {y for y in bounds for n in named if "-" in n and y in n.split("-")}


def _span(m: re.Match[str]) -> str:
    return f" {m[1]}-{m[2]} " if m[1] < m[2] else m[0]


def years_asked(text: str) -> list[str]:
    """The years a text asks about in the order typed (no year the asker tells of their own doings, no bound of a
    period): of two, the first is what is asked about, a later one what it is compared with ("chủ đề năm 2022 là
    chi, có phải giống năm 2020 không")."""
    folded = fold(text)
    asked = numbers(text) - frozenset(_BOUND.findall(folded))
    return list(dict.fromkeys(n for n in _NUMBER.findall(folded) if n in asked and _YEAR.fullmatch(n)))


def numbers(text: str) -> frozenset[str]:
    """Numbers of two digits or more a text names: a year, a resolution ("Nghị quyết 57"); not a year the asker
    tells of their own doings. A period is named as one ("2021-2030"): a year asked alone ("chủ đề năm 2021") is
    not the period that year opens."""
    folded = fold(text)
    told = set(_TOLD_YEAR.findall(folded)) | set(_TOLD_YEAR_FIRST.findall(folded))
    folded = _SPAN.sub(_span, folded)
    spans = re.findall(r"\b(?:19|20)\d\d-(?:19|20)\d\d\b", folded)
    return frozenset(spans) | frozenset(n for n in _NUMBER.findall(re.sub(r"\S+-\S+", " ", folded))
                                        if n not in told)


def subject(text: str) -> frozenset[str]:
    """What a question asks about: its content syllables without the ones that only shape a question
    ("AI là cái chi rứa" → {"ai"}; "Trí tuệ nhân tạo nghĩa là sao?" → {"ai"})."""
    return frozenset(s for s in content_syllables(text) if s not in QUESTION_FORM)


def is_out_of_scope(query: str) -> bool:
    """True for lottery, weather, health/legal advice, loans, sport, homework, insults and prompt injection."""
    return out_of_scope(query) is not None


_HOW_WORDS = frozenset({"lam", "sao", "the", "nao", "cach", "de"})  # of "làm sao để", "làm thế nào để"
_HOW: dict[bool, tuple[str, ...]] = {True: ("cach",), False: ()}  # "làm sao để …" also says "cách …"


def _things_asked(message: str) -> frozenset[str]:
    """The things no entry tells of (content/data/words.yaml `things`: the ringer, the battery) a message asks
    about: those it names when it is short (under ONE_CLAUSE_ACTIONS syllables), whatever its clauses ("chuông đt bé
    quá, chỉnh to lên ntn"), else those its last clause names ("chữ thì chỉnh to rồi nhưng …, chỉnh chuông to lên
    thế nào"); one the story before it tells ("học tới bài thứ ba thì điện thoại hết pin giờ muốn học tiếp thì làm
    sao", "… Tin nằm ngay dưới tin báo số dư thật. Tin được không?") is not asked."""
    if len(content_syllables(message)) < ONE_CLAUSE_ACTIONS:
        return actions(message) & THINGS
    parts = story_clauses(message)
    return actions(parts[-1]) & THINGS if parts else frozenset()


def _faq_doc(entry: FaqEntry) -> _Doc:
    asked = [entry.question, *entry.alternatives]
    terms = [t for q in asked for t in tokens(q)] * QUESTION_WEIGHT + tokens(entry.answer)
    asked_vocab = frozenset(s for text in asked for s in [*syllables(text), *_HOW[how_to(text)]])
    vocab = asked_vocab | frozenset(syllables(entry.answer))
    about = frozenset(e for text in asked for e in entities(text))
    return _Doc(
        entry.id, "faq", entry.question, entry.answer, tuple(entry.sources), tuple(terms), vocab, asked_vocab,
        about, about | entities(entry.answer), numbers(entry.question),
        tuple(sorted({subject(text) for text in asked} - {frozenset()}, key=sorted)),
        tuple(sorted({entities(text) for text in asked}, key=sorted)),
        frozenset(a for text in asked for a in actions(text)),
    )


def _passages(text: str) -> list[str]:
    """Lesson text cut into chunks of whole sentences of about PASSAGE_SYLLABLES syllables."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for paragraph in text.split("\n"):
        for sentence in _SENTENCE.split(paragraph.strip()):
            if not sentence:
                continue
            n = len(syllables(sentence))
            if current and size + n > PASSAGE_SYLLABLES:
                chunks.append(" ".join(current))
                current, size = [], 0
            current.append(sentence)
            size += n
    if current:
        chunks.append(" ".join(current))
    return chunks


def _lesson_docs(lesson: Lesson, module_sources: Sequence[str]) -> list[_Doc]:
    sources = (f"lesson:{lesson.id}", *module_sources)
    docs = []
    for i, chunk in enumerate(_passages(lesson.text)):
        terms = tokens(lesson.title) + tokens(chunk)
        vocab = frozenset(syllables(lesson.title) + syllables(chunk))
        title = frozenset(syllables(lesson.title))
        doc_id = f"{lesson.id}#{i}"
        named = entities(f"{lesson.title}. {chunk}")
        docs.append(_Doc(doc_id, "lesson", lesson.title, chunk, sources, tuple(terms), vocab, title, named, named,
                         numbers(lesson.title), acts=actions(f"{lesson.title}. {chunk}")))
    return docs


class SearchIndex:
    """BM25 (k1=1.2, b=0.75) over folded syllables and syllable bigrams, rebuilt in memory."""

    def __init__(self, faq: Iterable[FaqEntry] = (), modules: Iterable[Any] = ()) -> None:
        self._faq: dict[str, FaqEntry] = {e.id: e for e in faq}
        self._lesson_docs: list[_Doc] = [
            d for m in modules for lesson in m.lessons for d in _lesson_docs(lesson, list(m.sources))
        ]
        self._faq_docs: dict[str, _Doc] = {e.id: _faq_doc(e) for e in self._faq.values()}
        self._build()

    @classmethod
    def from_catalog(cls, catalog: Any, cache_dir: Path | None = None) -> SearchIndex:
        """Index any object with `.faq` (FaqEntry list) and `.modules` (Module list). With `cache_dir`, the
        built index is kept there in a file named by the content's hash and read back by the next start-up
        (and by other workers) instead of being built again; any trouble with the file only means a rebuild."""
        faq, modules = list(getattr(catalog, "faq", ())), list(getattr(catalog, "modules", ()))
        if cache_dir is None:
            return cls(faq, modules)
        key = index_key(faq, modules)
        return read_or_build(Path(cache_dir) / f"search-{key[:32]}.idx", "search index",
                             lambda path: cls._load(path, key, faq), lambda: cls(faq, modules),
                             lambda index, path: index._save(path, key))

    def __len__(self) -> int:
        return len(self._docs)

    def add_entry(self, entry: FaqEntry) -> None:
        """Add or replace one FAQ entry; it is searchable as soon as this returns."""
        self._faq[entry.id] = entry
        self._faq_docs[entry.id] = _faq_doc(entry)
        self._build()

    def _build(self) -> None:
        self._docs: list[_Doc] = [*self._faq_docs.values(), *self._lesson_docs]
        n = len(self._docs)
        lengths = [float(len(d.terms)) for d in self._docs]
        avgdl = math.fsum(lengths) / n if n else 1.0
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for i, doc in enumerate(self._docs):
            for term, tf in Counter(doc.terms).items():
                docs_tfs = postings.setdefault(term, ([], []))
                docs_tfs[0].append(i)
                docs_tfs[1].append(tf)
        df = {term: len(ids) for term, (ids, _) in postings.items()}
        self._ids, self._bm25 = array("i"), array("d")  # every term's documents and weights, one after another
        self._postings: dict[str, tuple[int, int]] = {}  # term -> its slice of _ids / _bm25
        for term, (ids, tfs) in postings.items():
            idf = _idf(n, len(ids))
            if "_" in term:  # a phrase of two common syllables ("nào là") is not a rare word
                left, right = term.split("_", 1)
                idf = BIGRAM_WEIGHT * min(idf, max(_idf(n, df.get(left, 0)), _idf(n, df.get(right, 0))))
            start = len(self._ids)
            self._ids.extend(ids)
            self._bm25.extend(idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * lengths[i] / avgdl))
                              for i, tf in zip(ids, tfs, strict=True))  # fmt: skip
            self._postings[term] = (start, len(self._ids))
        self._finish()

    def _finish(self) -> None:
        self._positions = {d.doc_id: i for i, d in enumerate(self._docs)}  # each document's place, by id
        self._factor = [1.0 if d.kind == "faq" else LESSON_FACTOR for d in self._docs]
        self._lessons = tuple(d.doc_id for d in self._docs if d.kind == "lesson")  # lesson_passages()
        self._scaled = [(i, f) for i, f in enumerate(self._factor) if f != 1.0]  # (s * 1.0 is s: the rest is left)
        self._syllable_df = Counter({t: b - a for t, (a, b) in self._postings.items() if "_" not in t})
        self._how_told: dict[str, bool] = {}  # _tells_how, per document, as found
        self._places = provinces_in(" . ".join(f"{d.title} . {d.text}" for d in self._docs))
        texts = [f"{d.title} {d.text}" for d in self._docs]
        texts += [q for e in self._faq.values() for q in (e.question, *e.alternatives)]
        typed = (w for t in texts for w in _TYPED_WORD.findall(unicodedata.normalize("NFC", t).lower()))
        self._accented = frozenset(w for w in typed if not w.isascii())  # the content's words typed with accents
        self._index_subjects()

    def _index_subjects(self) -> None:
        self._by_subject: dict[frozenset[str], list[int]] = {}
        for i, doc in enumerate(self._docs):
            for subj in doc.subjects:
                self._by_subject.setdefault(subj, []).append(i)

    # -- the on-disk copy: one JSON text and two arrays of numbers, read without pickle -------------------
    def _save(self, path: Path, key: str) -> None:
        meta = {"key": key, "terms": [[t, a, b] for t, (a, b) in self._postings.items()], "faq": list(self._faq_docs),
                "docs": [_doc_json(d) for d in self._docs], "postings": len(self._ids)}  # fmt: skip
        text = json.dumps(meta, ensure_ascii=False).encode()
        write_atomically(path, (_MAGIC, len(text).to_bytes(8, "little"), text, self._ids.tobytes(),
                                self._bm25.tobytes()))

    @classmethod
    def _load(cls, path: Path, key: str, faq: list[FaqEntry]) -> SearchIndex:
        data = path.read_bytes()
        if not data.startswith(_MAGIC):
            raise ValueError("not an index file")
        at = len(_MAGIC) + 8
        end = at + int.from_bytes(data[len(_MAGIC):at], "little")
        meta = json.loads(data[at:end].decode())
        if meta.get("key") != key:
            raise ValueError("another content's index")
        index = cls.__new__(cls)
        index._ids, index._bm25 = array("i"), array("d")
        n = int(meta["postings"])
        index._ids.frombytes(data[end:end + n * index._ids.itemsize])
        index._bm25.frombytes(data[end + n * index._ids.itemsize:])
        if len(index._ids) != n or len(index._bm25) != n:
            raise ValueError("a truncated index file")
        index._faq = {e.id: e for e in faq}
        docs = [_doc_from_json(d) for d in meta["docs"]]
        n_faq = len(meta["faq"])
        index._faq_docs = dict(zip(meta["faq"], docs[:n_faq], strict=True))
        index._lesson_docs = docs[n_faq:]
        index._docs = docs
        index._postings = {sys.intern(t): (a, b) for t, a, b in meta["terms"]}
        index._finish()
        return index

    def _repair(self, sylls: list[str]) -> list[str]:
        """Replace an unknown syllable by the most common known one at edit distance 1 (typos). Words of three
        letters are left alone: "pin" is not a typo of "tin", nor "gj" of "gi" (teencode handles those)."""
        out = []
        for s in sylls:
            if s in self._syllable_df or len(s) < REPAIR_MIN or not s.isascii():
                out.append(s)
                continue
            # sorted: of equally common candidates, the same one in every process (sets follow the hash seed)
            candidates = sorted(c for c in _edits1(s, same_length=len(s) <= 4) if c in self._syllable_df)
            out.append(max(candidates, key=lambda c: self._syllable_df[c]) if candidates else s)
        return out

    def _placeless(self, query: str) -> str:
        """The query without the provinces it says the asker lives in ("Nhà tui ở Quảng Nam, …") that nothing in
        the content names: their syllables match nothing meant ("quảng" cáo, "năm"), only by chance."""
        query = unicodedata.normalize("NFC", query)
        for start, end, key in reversed(places_told(query)):
            if key not in self._places:
                query = f"{query[:start]} {query[end:]}"
        return query

    def _l_for_n(self, query: str) -> str:
        """The query with an "l" typed for "n", or an "n" for "l" (how they sound in much of the North: "lăm
        nay", "tuần nễ", "nừa đảo"), put back: a word typed with its accents that no text of the content has,
        whose other form one has. Words typed without accents are left alone ("lo", "no": either may be meant)."""
        if not any(c in _L_OR_N for c in query):
            return query

        def fixed(m: re.Match[str]) -> str:
            word = m.group(0)
            lower = unicodedata.normalize("NFC", word).lower()
            if lower.isascii() or lower[0] not in "ln" or lower in self._accented or lower in _NOT_SWAPPED:
                return word
            if lower == "lăm" and query[:m.start()].rstrip().lower().endswith(("mươi", "mười", "muoi")):
                return word  # "sáu mươi lăm tuổi": the number's own "lăm"
            other = ("n" if lower[0] == "l" else "l") + lower[1:]
            return other if other in self._accented else word

        return _TYPED_WORD.sub(fixed, query)

    def search(self, query: str, k: int = 3, among: Iterable[str] | None = None,
               asked: frozenset[str] | None = None, context: str | None = None) -> list[Hit]:
        """Top-k hits for a question typed any way (accents or not, teencode, small typos). With `among` (doc
        ids), only those documents are ranked: how each fits the question, whatever else would win. `asked`: the
        actions the question asks about when the caller knows them better than its words alone (the story's last
        action, for an ending that asks "what now"). `context`: the story told around the question; its words that
        the question lacks rank documents at CONTEXT_WEIGHT (what the story is about tells which of the entries
        asking the same thing is meant) and count for nothing else: coverage, what is named and what is asked to do
        are the question's alone."""
        query = self._l_for_n(self._placeless(query))
        sylls = self._repair(question_syllables(query))
        if not sylls or not self._docs:
            return []
        terms = set(sylls) | {f"{a}_{b}" for a, b in itertools.pairwise(sylls)}
        how = how_to(query)
        if how:
            terms.add("cach")  # "làm sao để cài VNeID" is "cách cài VNeID"
        weak: set[str] = set()
        if context:
            around = self._repair(content_syllables(context))
            weak = (set(around) | {f"{a}_{b}" for a, b in itertools.pairwise(around)}) - terms
        scores = [0.0] * len(self._docs)
        ids, bm25 = self._ids, self._bm25
        chosen_docs = None if among is None else sorted(self._positions[d] for d in among if d in self._positions)
        for term in sorted(terms | weak):  # one order: float sums, hence ties, do not depend on the hash seed
            posting = self._postings.get(term)
            if posting is not None:
                weight = FORM_WEIGHT if all(p in QUESTION_FORM for p in term.split("_")) else 1.0
                if term in weak:
                    weight *= CONTEXT_WEIGHT
                if chosen_docs is None:  # the hot loop (thousands of postings a question): no index arithmetic
                    a, b = posting
                    if weight == 1.0:  # 1.0 * x is x: the same sums
                        for i, x in zip(ids[a:b], bm25[a:b], strict=True):
                            scores[i] += x
                    else:
                        for i, x in zip(ids[a:b], bm25[a:b], strict=True):
                            scores[i] += weight * x
                    continue
                for i in chosen_docs:  # a posting lists its documents in order: looked up, not walked
                    j = bisect.bisect_left(ids, i, *posting)
                    if j < posting[1] and ids[j] == i:
                        scores[i] += weight * bm25[j]
        if chosen_docs is not None:
            for i in chosen_docs:
                scores[i] *= self._factor[i]
            top = [i for i in chosen_docs if scores[i] > 0.0]
        else:
            for i, f in self._scaled:
                scores[i] *= f
            pool = min(len(scores), max(k, RERANK_POOL))
            top = [i for i in heapq.nlargest(pool, range(len(scores)), key=scores.__getitem__) if scores[i] > 0.0]
        typed = content_syllables(query) or question_syllables(query)
        repaired = {r for t, r in zip(typed, self._repair(typed), strict=True) if r != t}
        wanted = set(self._repair(typed))
        weights = self._weights(wanted)
        total = sum(weights.values()) or 1.0

        asked_numbers = numbers(query)
        bounds = frozenset(_BOUND.findall(fold(query)))  # "đến năm 2030": the end of a period
        years_typed = years_asked(query)
        first_year = years_typed[0] if len(years_typed) >= 2 else None
        about = frozenset(s for s in self._repair(sorted(subject(query))) if s in self._syllable_df)  # known
        # a story's actions are noise; a message of one clause asks what it names ("người lạ kết bạn zalo rồi …")
        # ("Cô ơi, ông cháu hỏi chủ tịch Hội Khuyến học bây giờ là ai": calling someone is no clause of a story)
        plain = len(typed) < LONG_QUESTION or (len(typed) < ONE_CLAUSE_ACTIONS
                                               and sum(not _CALLING.match(fold(c)) for c in clauses(query)) == 1)
        acts = asked_actions(query) if plain else frozenset()
        acts |= _things_asked(context or query)
        if asked is not None:
            acts = asked
        # that it compares two things is not noise, nor that money went to the wrong account by mistake ("… nhập sai số
        # tài khoản, chuyển nhầm cho người lạ …" is no scam, whose steps would tell to report one)
        acts |= actions(query) & {COMPARISON, MISTAKEN}
        named = entities(query)
        if sylls != question_syllables(query):  # also as repaired: "cônng dân học tập"
            named |= entities(" ".join(sylls))
        where = places(query) & named
        offered = options(query) & named
        lists = listed(query) & named
        chosen = choices(query)
        both = lists - where  # two named things asked of together
        addresses = frozenset(_ADDRESS.findall(unicodedata.normalize("NFC", query).lower()))
        if among is None:
            top += [i for i in self._by_subject.get(about, ()) if i not in top and scores[i] > 0.0]  # a common word

        short = len(typed) < LONG_QUESTION
        told = len(typed) >= AI_GENERAL_SYLLABLES

        weighed, weight_of = list(weights), list(weights.values())

        def rank(i: int) -> float:
            doc = self._docs[i]
            # (the weights of the syllables its questions have, summed in the same order as over weights.items())
            asked = sum(itertools.compress(weight_of, map(doc.asked.__contains__, weighed))) / total
            named_numbers = _bounded(doc.numbers, bounds)
            factor = NUMBER_MISMATCH if _other_number(asked_numbers, named_numbers) else 1.0
            if asked_numbers & named_numbers:
                factor *= EXACT_BOOST  # its own question names the year or number asked about
                if first_year and first_year in named_numbers and not set(years_typed[1:]) & named_numbers:
                    factor *= FIRST_YEAR_BOOST
            if about and about in doc.subjects:
                factor *= EXACT_BOOST
            if len(both) >= 2 and both <= doc.about:
                factor *= EXACT_BOOST  # "VssID với VNeID cài cái nào": the entry about both, not one about either
            if not acts - {COMPARISON} <= doc.acts:  # (a comparison only decides: it ranks nothing up)
                factor *= UNASKED_FACTOR
            if _other_thing(named, doc, where, offered, COMPARISON in acts, told, lists) or not chosen <= doc.vocab:
                factor *= OTHER_THING_FACTOR
            elif addresses and _fake_addresses(addresses, doc):
                factor *= OTHER_THING_FACTOR  # about the real site a typed address is dressed as
            return float(scores[i]) * (ASKED_FLOOR + (1.0 - ASKED_FLOOR) * asked) * factor

        ranked = sorted(((rank(i), i) for i in top), reverse=True)[:k]
        hits = [self._hit(i, score, wanted, repaired, named, asked_numbers, about, acts, where, chosen,
                          offered, addresses, short, how, told, lists, bounds) for score, i in ranked]
        if hits and not hits[0].exact:  # an entry asking exactly this (form words aside) goes first
            hits.sort(key=lambda h: not (h.exact and h.coverage >= SUGGEST_COVERAGE and not h.missing))
        return _asked_as_such_first(_covered_first(_named_first(hits)))

    def _weights(self, wanted: set[str]) -> dict[str, float]:
        """Idf of each query syllable; a syllable the index has never seen weighs the most."""
        n = len(self._docs)
        return {s: _idf(n, self._syllable_df.get(s, 0)) for s in wanted}

    def _hit(self, i: int, score: float, wanted: set[str], repaired: set[str], named: frozenset[str],
             asked_numbers: frozenset[str], about: frozenset[str] = frozenset(),
             acts: frozenset[str] = frozenset(), where: frozenset[str] = frozenset(),
             chosen: frozenset[str] = frozenset(), offered: frozenset[str] = frozenset(),
             addresses: frozenset[str] = frozenset(), short: bool = False, how: bool = False,
             told: bool = False, lists: frozenset[str] = frozenset(), bounds: frozenset[str] = frozenset()) -> Hit:
        """A guessed typo fix counts half: "taxi" read as "tai" must not make a question look covered.
        A named thing the document is not about is missing: its question fields must name it, or it must be
        named in the text while the question fields name nothing else."""
        doc = self._docs[i]
        found = wanted & doc.vocab
        if how and "cach" in doc.asked:  # "làm sao để …" asked, "cách …" or "làm sao để …" its question
            found |= wanted & _HOW_WORDS
        if doc.kind == "faq":  # "chatgpt 5 có gì mới": a number names what is asked about; one the answer only
            # happens to give ("5 ý chính") is not it. A year and a choice ("113 hay 156") have their own rules.
            found -= {s for s in found if s.isdigit() and s not in doc.asked and s not in chosen
                      and not _YEAR.fullmatch(s)}
        coverage = round((len(found) - 0.5 * len(found & repaired)) / len(wanted), 4)
        own = wanted - QUESTION_FORM  # the question's own words, without "là gì", "có … không", "làm sao"
        core = round((len(own & found) - 0.5 * len(own & found & repaired)) / len(own), 4) if own else coverage
        missing = _other_thing(named, doc, where, offered, COMPARISON in acts, told, lists)
        if named and doc.named and all(doc.named) and not any(f <= named for f in doc.named):
            # every one of its questions is about another named thing too ("AI với ChatGPT khác gì" is not
            # "ChatGPT với Google khác gì"): that thing is what is missing from the question. An AI chatbot is
            # what a question says "AI" of when it names none ("đưa số tài khoản ngân hàng cho con AI xem giùm")
            others = frozenset().union(*doc.named) - named
            if not ("ai" in wanted and not named & AI_CHATBOTS and others <= AI_CHATBOTS):
                missing += tuple(sorted("+" + e for e in others))
        named_numbers = _bounded(doc.numbers, bounds)
        if asked_numbers and named_numbers and not named_numbers & asked_numbers:  # 2022 asked, 2023 found
            missing += tuple(sorted(asked_numbers))
        elif len(years := {n for n in asked_numbers if _YEAR.fullmatch(n)}) == 1 and not years & doc.vocab:
            missing += tuple(years)  # the one year asked about is named nowhere in it ("chủ đề năm 2019")
        missing += tuple(sorted(chosen - doc.vocab))  # "113 hay 156": it must name both
        if addresses:  # "dichvucong.gov.vn.abc.com" is not the "dichvucong.gov.vn" this document is about
            missing += _fake_addresses(addresses, doc)
        exact = bool(about) and about in doc.subjects
        asks = bool(about) and any(about <= f for f in doc.subjects)
        unknown = tuple(sorted(w for w in own if w not in self._syllable_df and len(w) >= REPAIR_MIN))
        asked_besides = own - {w for e in named for w in e.split()}
        answer_only = (doc.kind == "faq" and short and len(named) == 1 and len(asked_besides) >= 2
                       and not asked_besides & doc.asked)
        names = named & doc.about | (chosen if chosen and chosen <= doc.vocab else frozenset())
        return Hit(doc.doc_id, doc.kind, doc.title, doc.text, round(score, 4), coverage, doc.sources, missing,
                   exact, asks, core, tuple(sorted(acts - doc.acts - _both_told(acts, asked_numbers, doc))),
                   unknown, answer_only,
                   tuple(sorted(doc.about)) if doc.named and all(doc.named) else (), tuple(sorted(names)),
                   self._tells_how(doc))

    def _tells_how(self, doc: _Doc) -> bool:
        """One of the document's questions asks how a thing is done; a lesson passage may tell it. Found once per
        document and kept (folding every question field of every hit on each search cost 2 ms a question)."""
        told = self._how_told.get(doc.doc_id)
        if told is None:
            entry = self._faq.get(doc.doc_id) if doc.kind == "faq" else None
            told = (entry is None or any(_HOW_ASKED.search(fold(t)) for t in (entry.question, *entry.alternatives))
                    or bool(COMMAND.search(entry.answer)))  # the bot's help: the command is the way
            self._how_told[doc.doc_id] = told
        return told

    def held(self, query: str, doc_id: str) -> Held:
        """How much of an FAQ entry's own question the message holds: of its question fields (the question and its
        alternatives), the one held best, with its share of the idf weight of its own words (form and question
        words aside) found in the message; the reverse of coverage, which measures how much of the message a
        document has. A story's extra words leave it whole ("Mẹ tôi bị lừa chuyển 30 triệu cho người xưng nhân
        viên điện lực…" holds all of "bị lừa chuyển tiền rồi phải làm sao"). An action named both ways counts as
        said ("chuyển 30 triệu" is "chuyển tiền"), and so does money when the message names an amount. A field of
        two words or more is held only when two of them stand together in the message as in the field, not when
        they are scattered through it. Nothing for a lesson passage."""
        entry = self._faq.get(doc_id)
        if entry is None:
            return Held(0.0, 0.0, frozenset(), "")
        asked = [entry.question, *entry.alternatives]
        said = self._repair(syllables(query))
        have = set(said)
        # "mất tiền" (money lost, "để không bị mất tiền") says nothing of a thing lost ("điện thoại bị mất")
        lost_money = "mat" in have and all(said[i + 1:i + 2] == ["tien"] for i, s in enumerate(said) if s == "mat")
        have |= action_syllables(actions(query) & frozenset(a for text in asked for a in actions(text)))
        if AMOUNT.search(unicodedata.normalize("NFC", query)):
            have.add("tien")
        pairs = (set(itertools.pairwise(self._repair(content_syllables(query))))
                 | set(itertools.pairwise(self._repair(syllables(query)))))
        best = Held(0.0, 0.0, frozenset(), "")
        for text in asked:
            words = [s for s in content_syllables(text) if s not in QUESTION_FORM and s not in ASKING_WORDS]
            together = set(itertools.pairwise(words))
            lost = lost_money and ("mat", "tien") not in together and "mat" in words
            if together and not together & pairs:
                continue  # "bot này dùng như thế nào" is not in "hôm nay mở ra thì bot đứng im"
            weights = self._weights(set(words))
            total = sum(weights.values())
            if total > 0.0:
                share = round(sum(w for s, w in weights.items() if s in have and not (lost and s == "mat")) / total,
                              4)
                best = max(best, Held(share, total, frozenset(words), text), key=lambda h: (h.share, h.weight))
        return best

    def faq_entry(self, entry_id: str) -> FaqEntry | None:
        """The FAQ entry behind a hit, with its alternatives and tags."""
        return self._faq.get(entry_id)

    def lesson_passages(self) -> tuple[str, ...]:
        """The ids of the lessons' passages ("m3l4#0"): what `search(…, among=…)` ranks to search the lessons alone."""
        return self._lessons

    def asked_anywhere(self, acts: frozenset[str]) -> bool:
        """Some document's questions ask one of these actions (groups as textnorm.actions names them)."""
        return any(acts & d.acts for d in self._docs)


def decide(query: str, hits: Sequence[Hit]) -> Decision:
    """`_decide`, with one more check on an answer: the top hit must cover enough of the question's own words
    ("chó nhà tôi bị ốm phải làm sao" is covered by "phải làm sao" alone: that is not an answer), and not only
    with its answer text when the question names one thing ("tiktok có dùng AI không")."""
    decision = _decide(query, hits)
    if decision == "suggest" and _named_alone(hits):
        decision = "answer"
    if decision == "suggest" and all(_short(h) for h in hits):
        return "refuse"  # a near tie of hits that each cover only its form words ("… phải làm sao"): nothing to offer
    if decision == "answer" and _which_one(query, hits):
        return "suggest"
    if decision == "answer" and (_short(hits[0]) or hits[0].answer_only) and not hits[0].exact:
        fitting = [h for h in hits[1:] if fits(h) and not _short(h)]
        return "suggest" if fitting else "refuse"
    if decision == "answer" and not hits[0].exact and bare_topic(query):
        return _bare_topic(hits)
    if decision == "answer" and not hits[0].exact and not hits[0].asks and _way_not_told(query, hits[0]):
        # offered only when another entry tells a way ("làm sao gửi ảnh qua zalo" is not offered scam warnings)
        told = [h for h in hits[1:] if h.tells_how and fits(h) and h.coverage >= SUGGEST_COVERAGE]
        return "suggest" if told else "refuse"
    if decision == "answer" and _unknown_app(query, hits[0]):
        return "suggest" if any(fits(h) and h.coverage >= SUGGEST_COVERAGE for h in hits) else "refuse"
    return decision


# A bot command in a text ("/tiendo"): an answer that gives one tells the way (the bot's help).
COMMAND = re.compile(r"(?<![\w/])/[a-z]+\b")
# An entry's question that asks how a thing is done ("cách …", "như thế nào", "làm sao để …"); "làm sao biết", "làm
# sao nhận biết" ask how to tell a thing (a scam, fake news), "… thì làm sao" what to do now: not how to do one.
_HOW_ASKED = re.compile(r"\b(?:cach|the nao|ra sao|lam sao(?!$))\b(?! (?:nhan |phan |ma )?biet\b)")


def _way_not_told(query: str, hit: Hit) -> bool:
    """A short question asks the way to do a thing ("cách gửi ảnh qua zalo", "tôi muốn học cách dùng zalo gọi
    video") and none of the best entry's questions asks how anything is done (it asks whether a call is a scam):
    that it names the same app or verb is a coincidence, and it does not tell the way."""
    typed = syllables(query)
    asks_way = "cach" in typed or (bool(_WAY_ASKED.search(fold(query))) and not about_using_the_bot(query))
    return asks_way and len(content_syllables(query)) < LONG_QUESTION and not hit.tells_how


# The way to do a thing asked without "cách": "làm sao gọi video cho con", "làm sao gửi ảnh qua zalo" (not "làm sao
# biết …", which asks how to tell a thing, nor "… thì làm sao", what to do now); "làm sao" opening the message (after
# at most two words: "bà làm sao gửi ảnh"), as after a story it more often asks what to do now.
_WAY_ASKED = re.compile(r"^(?:\w+ ){0,2}lam sao "
                        r"(?!(?:de |ma )?(?:biet|nhan biet|phan biet|ma biet|bay gio|gio|day|vay|the|duoc)\b)"
                        r"(?:de |ma )?\w+")


# An app, a site or a program named by a word no document has ("ứng dụng iHanoi", "app Grab", "phần mềm Misa"): what
# is asked is asked of it, and no answer about another app tells it. So is a language no document names ("trả lời
# bằng tiếng Khmer không"): an answer about English or Vietnamese does not tell it. So is a platform something is
# done on ("mua hàng trên shopee", "bán trên lazada"): an answer about loan apps or shippers does not tell it. So is
# one named as like what is asked ("app nào tự chặn cuộc gọi lừa đảo như Truecaller").
_APP_NAMED = re.compile(r"\b(?:ung dung|app|phan mem|trang web|trang|web|website|tieng|tren|nhu app|nhu) (\w+)")


# So is a thing to install or download named by such a word ("cài esim", "tải Tiktok Lite"): typed with accents, as
# "cai" unaccented is as often "cái" (a thing).
_INSTALL_NAMED = re.compile(r"\b(?:cài đặt|cài|tải về|tải) (\w+)")


# A name of letters and digits no document has ("vtv1", "galaxy a52"): a channel, a phone model, a thing named that no
# entry tells of.
_CODE_NAME = re.compile(r"[a-z]{2,}\d+|\d+[a-z]{2,}")


def _unknown_app(query: str, hit: Hit) -> bool:
    """The question names an app or site the content does not know (its name is one of the hit's `unknown` words)."""
    if not hit.unknown:
        return False
    typed = unicodedata.normalize("NFC", query).lower()
    return (any(_CODE_NAME.fullmatch(w) for w in hit.unknown)
            or any(m.group(1) in hit.unknown for m in _APP_NAMED.finditer(fold(query)))
            or any(fold(m.group(1)) in hit.unknown for m in _INSTALL_NAMED.finditer(typed)))


BARE_TIE = 0.7  # of the entries about a thing named alone, those within this share of the best compete
BARE_TOPIC = 3  # syllables at most of a message that only names a thing ("zalo", "sổ hộ khẩu", "ngân hàng")


def bare_topic(query: str) -> bool:
    """The message names a thing and asks nothing of it: a few syllables, no question word, no action, nothing
    said around it ("học tiếp bài hôm qua", "xem kết quả học của tôi" ask for something)."""
    return (0 < len(syllables(query)) <= BARE_TOPIC and not asks_something(query) and not asked_actions(query)
            and not about_using_the_bot(query))


def _bare_topic(hits: Sequence[Hit]) -> Decision:
    """A thing named alone and no entry that says what it is: the entries whose questions are about it are
    offered ("zalo": the password, the security check, the activation code…); when only one is, it is the answer;
    when none is (the word is only in some answer's text: "thuế", "sổ hộ khẩu"), nothing is known of it."""
    about = [h for h in hits if h.asks and fits(h)]
    if not about:
        return "refuse"
    close = [h for h in about if h.score >= BARE_TIE * about[0].score]  # "otp": one entry far ahead of the rest
    return "answer" if len(close) == 1 and close[0] is hits[0] else "suggest"


def _which_one(query: str, hits: Sequence[Hit]) -> bool:
    """The question names no thing ("tôi quên mật khẩu"), its best hit is about one (VssID) and a runner-up about
    another (Zalo), or about none (_general_close), fits it about as well: which one is meant is asked, not
    guessed."""
    first = hits[0]
    if not first.things or first.exact or entities(query):
        return False
    return any(h.things and not set(h.things) & set(first.things) and fits(h)
               and h.coverage >= first.coverage - TIE_COVERAGE for h in hits[1:]) or _general_close(hits)


def _general_close(hits: Sequence[Hit]) -> bool:
    """A runner-up FAQ entry about no named thing fits the question and scores nearly as well as the top hit about
    one ("tôi bị lộ pass rồi giờ sao": the Facebook steps, and what to do whatever the account): asked, not
    guessed."""
    return any(h.kind == "faq" and not h.things and fits(h) and not _short(h) and hits[0].score < TIE_MARGIN * h.score
               for h in hits[1:])


def _named_alone(hits: Sequence[Hit]) -> bool:
    """Of the candidates, only the top one is about the thing the question names ("Kẻ gian … gọi 113 hay 156?",
    "… quên mật khẩu VNeID"): the others are about another thing or none. The named thing decides what would
    otherwise be asked: a near tie, or a top hit just short of ANSWER_COVERAGE. A runner-up about the same thing
    keeps the question asked."""
    first = hits[0]
    if not first.names or not fits(first) or first.coverage < SUGGEST_COVERAGE or _short(first):
        return False
    same = first.doc_id.split("#", 1)[0]
    return not any(fits(h) and set(first.names) <= set(h.names) for h in hits[1:]
                   if h.doc_id.split("#", 1)[0] != same)


def _named_first(hits: list[Hit]) -> list[Hit]:
    """A top hit about another thing too ("Bình dân học vụ số khác Bình dân học AI thế nào" for a question about
    Bình dân học AI alone), nearly tied with the first hit about just what the question names: that one goes
    first."""
    if len(hits) < 2:
        return hits
    first = hits[0]
    if first.unasked or not first.missing or not all(m.startswith("+") for m in first.missing):
        return hits
    i = next((j for j, h in enumerate(hits) if fits(h) and h.names and h.coverage >= SUGGEST_COVERAGE), None)
    if i is None or hits[i].score * TIE_MARGIN < hits[0].score:
        return hits
    return [hits[i], *hits[:i], *hits[i + 1:]]


FULL_COVERAGE = 0.9  # a hit that covers this much of the question and of its own words covers all of it


def _covered_first(hits: list[Hit]) -> list[Hit]:
    """A top hit that covers too little of the question to be offered (ranked first by a year or a name it asks
    about: "Chủ đề Tuần lễ 2020" for "lễ khai mạc tuần lễ học tập năm 2020 là ngày nào"), and a runner-up that
    covers all of it and fits: the runner-up goes first."""
    if len(hits) < 2 or hits[0].coverage >= SUGGEST_COVERAGE:
        return hits
    i = next((j for j, h in enumerate(hits) if fits(h) and h.coverage >= FULL_COVERAGE and h.core >= FULL_COVERAGE),
             None)
    return hits if i is None else [hits[i], *hits[:i], *hits[i + 1:]]


def _asked_as_such_first(hits: list[Hit]) -> list[Hit]:
    """A top hit one of whose questions asks about just what the question names (`exact`) but in another way ("AI
    tạo ảnh tạo video là gì" for "AI có tạo được hình ảnh với video không": what it is, not whether it can), so that
    it leaves some of the question uncovered, and a runner-up nearly as strong (TIE_MARGIN) one of whose questions
    names it all too (`asks`) and that covers all of it, how it is asked included: the runner-up goes first."""
    if len(hits) < 2 or not hits[0].exact or hits[0].coverage >= FULL_COVERAGE:
        return hits
    i = next((j for j, h in enumerate(hits[1:], 1) if h.asks and fits(h) and h.coverage >= FULL_COVERAGE
              and h.core >= FULL_COVERAGE and hits[0].score < TIE_MARGIN * h.score), None)
    return hits if i is None else [hits[i], *hits[:i], *hits[i + 1:]]


def _short(hit: Hit) -> bool:
    """The hit covers too little of the question's own words: less than half, or half when the other half is a
    word the content never uses ("robot có phải AI không" is not answered by the AI law for having "AI")."""
    return hit.core < CORE_COVERAGE or (hit.core <= CORE_COVERAGE and bool(hit.unknown))


def fits(hit: Hit) -> bool:
    """The document is about what the question names (Zalo, VNeID…) and asks to do (quên, đổi…)."""
    return not hit.missing and not hit.unasked


def _decide(query: str, hits: Sequence[Hit]) -> Decision:
    """Answer when the top hit covers most of the question, offer choices when unsure, else refuse. A top hit
    about another named thing (Zalo asked, VNeID found) is never answered: the choices that are about it
    are offered, or the bot says it does not know."""
    if not hits or is_out_of_scope(query):
        return "refuse"
    if not fits(hits[0]):
        fitting = [h for h in hits if fits(h) and h.coverage >= SUGGEST_COVERAGE]
        if not fitting and _only_the_year(hits[0]):
            return "suggest"  # about what is asked, not about that year: offered, never answered
        return "suggest" if fitting else "refuse"
    top = hits[0].coverage
    if hits[0].exact and top >= SUGGEST_COVERAGE:
        return "answer"  # all it asks about is what one of the entry's questions asks: the rest is form
    if top >= ANSWER_COVERAGE and _tied(hits):
        return "suggest"
    if top >= ANSWER_COVERAGE:
        return "answer"
    if (top >= LONG_ANSWER_COVERAGE and len(content_syllables(query)) >= LONG_QUESTION
            and (len(hits) < 2 or hits[0].score >= LONG_MARGIN * hits[1].score)):
        return "answer"  # a long message also tells its story: less of it is covered, the winner is clear
    if top >= SUGGEST_COVERAGE:
        return "suggest"
    if top >= CLEAR_WINNER_COVERAGE and (len(hits) < 2 or hits[0].score >= CLEAR_WINNER_MARGIN * hits[1].score):
        return "suggest"  # a story's own words dilute it, but one entry is far ahead: offered, never answered
    return "refuse"


def _only_the_year(hit: Hit) -> bool:
    """All the hit lacks is the year asked about (it names none, or another): it is about the rest."""
    return (bool(hit.missing) and all(_YEAR.fullmatch(m) for m in hit.missing) and not hit.unasked
            and hit.coverage >= ANSWER_COVERAGE)


def _tied(hits: Sequence[Hit]) -> bool:
    """The top hit is a guess: none of its questions names all the question asks about (it matched on its
    answer text or on part of the question), and a runner-up about what the question names covers as much of
    it, or a syllable less, with nearly the same score. Then "Có phải bạn muốn hỏi…" beats a confident answer."""
    first = hits[0]
    if first.asks:
        return False
    return any(h.coverage >= first.coverage - TIE_COVERAGE and not h.missing and first.score < TIE_MARGIN * h.score
               for h in hits[1:])


INDEX_FORMAT = 5  # bump when the index's layout or scoring inputs change in a way the sources below miss
_MAGIC = b"hocbot-search-index\n"  # then the JSON's length (8 bytes), the JSON, the documents, the weights
_INDEX_CODE = ("search.py", "textnorm.py", "intents.py", "data/synonyms.yaml", "data/teencode.yaml",
               "data/intents.yaml", "data/words.yaml")


def index_key(faq: Sequence[FaqEntry], modules: Sequence[Any]) -> str:
    """What the index is built from: the FAQ entries, the lessons, and the code and synonyms that read them."""
    h = hashlib.sha256(f"{INDEX_FORMAT}|{sys.byteorder}|{array('i').itemsize}|{sys.version_info[:2]}".encode())
    here = Path(__file__).resolve().parent
    for name in _INDEX_CODE:
        h.update((here / name).read_bytes())
    for e in faq:
        h.update(e.model_dump_json().encode())
    for m in modules:
        h.update(json.dumps([m.id, list(m.sources), [[les.id, les.title, les.text] for les in m.lessons]],
                            ensure_ascii=False).encode())  # fmt: skip
    return h.hexdigest()


def _doc_json(d: _Doc) -> list[Any]:
    return [d.doc_id, d.kind, d.title, d.text, list(d.sources), list(d.terms), sorted(d.vocab), sorted(d.asked),
            sorted(d.about), sorted(d.mentions), sorted(d.numbers), [sorted(x) for x in d.subjects],
            [sorted(x) for x in d.named], sorted(d.acts)]  # fmt: skip


def _doc_from_json(v: list[Any]) -> _Doc:
    """The words are interned: read from JSON, each occurrence would be its own copy (megabytes of them)."""
    w = functools.partial(map, sys.intern)
    return _Doc(v[0], v[1], v[2], v[3], tuple(v[4]), tuple(w(v[5])), frozenset(w(v[6])), frozenset(w(v[7])),
                frozenset(w(v[8])), frozenset(w(v[9])), frozenset(v[10]),
                tuple(frozenset(w(x)) for x in v[11]), tuple(frozenset(w(x)) for x in v[12]),
                frozenset(w(v[13])))  # fmt: skip


def _both_told(acts: frozenset[str], asked_numbers: frozenset[str], doc: _Doc) -> frozenset[str]:
    """{COMPARISON} when the two things a question compares are both what one document's questions ask about: two
    actions ("quên mật khẩu Facebook với bị hack Facebook xử lý có giống nhau không") or two numbers ("báo qua 156
    với nhắn 5656 khác nhau thế nào"): telling each, it tells them apart. Else nothing."""
    if COMPARISON not in acts:
        return frozenset()
    others = acts - {COMPARISON}
    if (len(others) >= 2 and others <= doc.acts) or (len(asked_numbers) >= 2 and asked_numbers <= doc.numbers
                                                     and others <= doc.acts):
        return frozenset({COMPARISON})
    return frozenset()


def _other_number(asked: frozenset[str], named: frozenset[str]) -> bool:
    """The document's own question names another number than the question: another year, or a year the
    question does not name (2023 for "chủ đề năm nay"); an amount it names ("trên 10 triệu") is no year."""
    if asked:
        return bool(named) and not named & asked
    return any(len(n) == 4 or "-" in n for n in named)


def _other_thing(named: frozenset[str], doc: _Doc, where: frozenset[str] = frozenset(),
                 offered: frozenset[str] = frozenset(), compared: bool = False,
                 long: bool = False, listed_: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The named things a document is not about: its question fields must name each, or it must be named in
    the text while the question fields name nothing else. A place of the story (`where`) need not be named by a
    document about nothing named, or about another thing the question names. Asked at length (`long`), an AI
    chatbot is also what an entry each of whose questions asks about AI, and names nothing, is about."""
    if not named:  # (most questions name nothing: the rest would find nothing either)
        return ()
    if _general_comparison(named, doc, compared):
        return ()

    def about(e: str) -> bool:
        if e in doc.about or (not doc.about and e in doc.mentions) or _KIND_OF.get(e, frozenset()) & doc.about:
            return True
        if long and e in AI_CHATBOTS and len(named) == 1 and not doc.about and doc.subjects \
                and all("ai" in f for f in doc.subjects):
            return True  # "… cái chatgpt ấy nó lấy thông tin ở đâu ra mà nó biết nhiều thế": what any AI does
        if long and e in AI_CHATBOTS and len(named) == 1 and not doc.about and "chatbot" in doc.vocab:
            return True  # "… dán danh sách vô ChatGPT được không": what it says of AI chatbots is said of each
        if e in offered and doc.about & named:  # "VssID có phải là VNeID không": about VssID, it tells
            # listed ("VNeID với app ngân hàng trong đó khóa sao"): what it says of the other must say something of
            # this one too ("trong đó có app ngân hàng với Zalo": the lost phone's steps say what to do in Zalo)
            if e not in listed_ or e in doc.mentions:
                return True
        # every named thing a place of the story ("xưng nhân viên ngân hàng, … kết bạn Zalo gửi link"): a document
        # about one of them need not name the others
        return e in where and (not doc.about or bool(doc.about & (named - where))
                               or (named <= where and bool(doc.about & named)))
    return tuple(sorted(e for e in named if not about(e)))


def _fake_addresses(addresses: frozenset[str], doc: _Doc) -> tuple[str, ...]:
    """The typed addresses that start with an address the document names ("dichvucong.gov.vn.xyz" and the
    "dichvucong.gov.vn" it is about): dressed as that site, they are not it. A document that names such a look-alike
    itself ("trang dichvucong.gov.vn.abc.com là giả") tells them apart: it is about any of them."""
    named_here = set(_ADDRESS.findall(f"{doc.title} {doc.text}".lower()))
    if any(a.startswith(f"{b}.") for a in named_here for b in named_here):
        return ()
    return tuple(sorted(a for a in addresses - named_here if any(_dressed_as(a, b) for b in named_here)))


def _dressed_as(typed: str, real: str) -> bool:
    """`typed` starts with the real address, or has a state site's ".gov.vn" inside its name ("vneid.gov.vn.app"):
    a state site's name ends with .gov.vn, so it is dressed as any of them."""
    return typed.startswith(f"{real}.") or (".gov.vn." in typed and real.endswith(".gov.vn"))


def _general_comparison(named: frozenset[str], doc: _Doc, compared: bool) -> bool:
    """Several named things asked about together ("mật khẩu VNeID với mật khẩu Zalo có nên đặt giống nhau", "pass
    fb với pass ngân hàng dùng chung được không"): an entry about none of them in particular that asks such a
    comparison itself and names one of them in its text ("Mỗi tài khoản quan trọng (ngân hàng, email, Zalo) một
    mật khẩu riêng") is about them all."""
    return (compared and len(named) >= 2 and not doc.about and COMPARISON in doc.acts
            and bool(named & doc.mentions))


def _idf(n: int, df: int) -> float:
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def _edits1(word: str, same_length: bool) -> set[str]:
    """Words one edit away; short words only get swaps and replacements ("taxi" must not become "tai")."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    if same_length:
        return swaps | replaces
    deletes = {a + b[1:] for a, b in splits if b}
    inserts = {a + c + b for a, b in splits for c in _ALPHABET}
    return deletes | swaps | replaces | inserts
