"""What an answer found for a question lacks of what the question asks: a detail (a sum, a year, an hour, a phone
number, a count), a feature (a certificate, an app, papers to bring, opening days…), one of a numbered series, a
schedule or a decision of the asker's own place, another app than the bot's help names. `gap` is the one rule the
answer service asks before it answers with the best entry as it is; the service then offers the nearest entries
under the matching note instead (a confident answer silent on what was asked looks like an answer to it)."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from content.provinces import find_province, provinces
from content.search import Hit, entities, years_asked
from content.textnorm import (
    asking_clause,
    asks_clearly,
    content_syllables,
    fold,
    question_tail,
    story_clauses,
    synonyms_of,
)

Gap = Literal["local", "detail", "feature", "another app"]


def gap(q: str, told: str, shown: str, top: Hit, bot_help: bool, for_everyone: bool) -> Gap | None:
    """What the answer `shown` (of the best hit `top`) lacks that the question `q` (searched as `told`) asks, or
    None when nothing is missing. `bot_help`: `top` is one of the bot's own help entries, which say where to look
    whatever number or place is asked; `for_everyone`: its answer is not one an officer scoped to a place. An entry one
    of whose own questions asks all this (`top.asks`) answers it as it is."""
    if _on_the_list(q):
        return "local"  # "danh sách gia đình học tập năm nay có nhà tôi không": the place's officers keep the list
    if not bot_help:
        if for_everyone and _local_schedule(q, shown):
            return "local"  # "lịch họp hội khuyến học thôn mình tuần này"
        if _detail_missing(q, shown) or _number_of_another(q, top) \
                or (top.kind == "lesson" and _detail_elsewhere(q, shown)):
            return "detail"
    if top.asks:
        return None
    if _kind_missing(q, shown) or _count_missing(q, shown) or _year_not_told(q, shown):
        return "detail"  # a sum, a year, a phone number, a count
    if _feature_missing(q, shown) or _another_numbered(q, shown) or _another_place(q, shown):
        return "feature"  # "có cấp chứng chỉ không", "bậc 5 là trình độ nào", "Hà Nội có được công nhận không"
    if bot_help and _names_another(q, told, top):
        return "another app"  # "Zalo có cái AI tự trả lời tin nhắn không": not the bot
    return None



# What kind of thing a question asks for when it asks a detail: how much or how many, when, where.
_KINDS = (
    ("how much", re.compile(r"\b(?:bao nhieu|(?<!ngay )may (?:tien|dong|ngay|lan|nam|thang|tuoi|so|tieu chi|buoc|"
                            r"chuong|dieu|nguoi|cach|loai))\b")),
    ("when", re.compile(r"\b(?:khi nao|bao gio|luc nao|ngay nao|nam nao|hom nao|thang nao|may gio|ngay may)\b")),
    ("where", re.compile(r"\b(?:o dau|di dau|cho nao|noi nao|dau ra)\b")),
)


def asked_kinds(text: str) -> frozenset[str]:
    """The details a text asks for (a number, a time, a place): "… thì bị phạt bao nhiêu tiền" asks how much."""
    folded = fold(text)
    return frozenset(kind for kind, pattern in _KINDS if pattern.search(folded))


# ("tổng đài … làm việc từ mấy giờ" asks its hours, not its number)
_PHONE_NUMBER = re.compile(r"\b(?:so dien thoai|sdt|hotline|tong dai)(?: \w+){0,6} "
                           r"(?:la gi|bao nhieu|so nao|so may|may|nao)\b"
                           r"(?! (?:gio|phut|giay|ngay|thang|nam|tuoi|lan|buoi|tieng)\b)")
_PHONE = re.compile(r"\b(?:so may|so nao)\b|" + _PHONE_NUMBER.pattern)
_FIRST_HELD = (r"\b(?:(?:lan dau|lan thu nhat|dau tien|co tu|ra doi|thanh lap|khoi dau)(?: tien)?\b(?: \w+){0,4}? "
               r"(?:tu )?(?:nam nao|nam bao nhieu|nam may|bao gio|khi nao|hoi nao)"
               r"|bat dau (?:co )?tu (?:nam nao|nam bao nhieu|nam may|bao gio))\b")
# ("chỉ thị số mấy"; "nhờ chỉ thì gọi số mấy" folds alike)
_DOCUMENT_NUMBER = (r"\b(?:quyet dinh|nghi dinh|thong tu|nghi quyet|chi thi(?= so\b)|van ban|luat|ke hoach|cong van)"
                    r"(?: \w+){0,16}? so (?:hieu )?(?:bao nhieu|may)\b")
_DETAILS = (  # (what the folded question asks, what the answer must hold to tell it)
    # "nhiu tiền" (teencode "bao nhiêu tiền"), folded like "nhiều tiền": an amount asked either way, or "miễn phí"
    (re.compile(r"\b(?:bao nhieu|bn|may|nhieu) (?:tien|trieu|dong)\b|\bgia (?:\w+ ){0,3}(?:bao nhieu|bn)\b|\bmuc chi\b|"
                r"\b(?:chi tien|tra tien|tien boi duong|tien thuong|tien cong|thu lao|boi duong|phu cap|tien luong"
                r"|tro cap)"
                r"(?: \w+){0,12}? (?:la )?bao nhieu(?: (?:vay|the|a|ha|nhi|em|chau|con|anh|chi|bac|ad|bot))*$|"
                r"\b(?:phat|thuong|ton|het|mat) (?:\w+ ){0,2}bao nhieu\b"),
     re.compile(r"\d[\d.,]*\s*(?:triệu|nghìn|ngàn|đồng|tỷ|k|đ)\b|miễn phí|không (?:mất|tốn) (?:tiền|phí)",
                re.IGNORECASE)),
    # when it was first held or came to be ("tổ chức lần đầu tiên từ năm nào", "có từ bao giờ"): a year told as its
    # start, not any year the answer names ("năm 2023 là 2–8/10"); "bắt đầu hồi nào" asks this year's dates
    (re.compile(_FIRST_HELD),
     re.compile(r"(?:lần đầu|lần thứ nhất|đầu tiên|bắt đầu|từ năm|ra đời|thành lập|khởi xướng|có từ|ban hành)"
                r"[^.;]{0,60}\b(?:19|20)\d\d\b"
                r"|\b(?:19|20)\d\d\b[^.;]{0,50}(?:lần đầu|lần thứ nhất|đầu tiên|ra đời|thành lập)", re.IGNORECASE)),
    # ("năm nào xã cũng treo băng rôn": every year, none asked)
    (re.compile(r"^(?!.*" + _FIRST_HELD + r").*\bnam (?:nao(?!(?: \w+){0,2} cung\b)|bao nhieu|may)\b"),
     re.compile(r"\b(?:19|20)\d\d\b")),
    (re.compile(r"\b(?:may|bao nhieu) gio\b"), re.compile(r"\d+\s*(?:giờ|h\b|:\d\d)", re.IGNORECASE)),
    # how many seconds or minutes ("mỗi câu được bao nhiêu giây"): "giới hạn số giây" tells none; "mấy giấy tờ"
    # (those papers), folded, is no "mấy giây"
    (re.compile(r"\b(?:may|bao nhieu|bn) (?:giay(?! to\b)|phut)\b"),
     re.compile(r"\d+\s*(?:giây|phút|s\b)", re.IGNORECASE)),
    # "số mấy" (of a decree, a hotline): a number; a phone number asked as such: three digits or more that are no
    # share ("100% phường có hội"), date or year ("2/10/1996", "năm 2025")
    # (of a document: its number as such, below; "theo quyết định số mấy" is not told by the year 1996)
    (re.compile(r"^(?!.*\b(?:so dien thoai|sdt|hotline)\b)(?!.*" + _DOCUMENT_NUMBER + r").*\b(?:so may|so nao)\b"),
     re.compile(r"\d{3,}")),
    # a decision's or a decree's number ("quyết định … là quyết định số bao nhiêu"), not how many of them: a number
    # written as such ("1373/QĐ-TTg", "91/2025/QH15"), not a date ("2/10/1996")
    (re.compile(_DOCUMENT_NUMBER), re.compile(r"\b\d+/(?:\d{4}/)?[A-ZĐ]")),
    # where an office is ("trụ sở hội tỉnh giờ nằm ở đường nào"): an answer that names no office tells none
    (re.compile(r"\btru so\b(?: \w+){0,6} (?:o dau|duong nao|cho nao|nam o|o cho nao|dia chi)\b"),
     re.compile(r"trụ sở", re.IGNORECASE)),
    # who signed it ("Thông tư 02/2025 do ai ký"): an answer naming the issuing body tells no signer
    (re.compile(r"\b(?:ai|nguoi nao|ong nao|ba nao)(?: da)? ky\b|\bnguoi ky\b"),
     re.compile(r"\bký\b|ban hành", re.IGNORECASE)),
    # a level asked ("học sinh lớp 3 phải đạt bậc mấy"): "8 bậc" tells how many, not which
    (re.compile(r"(?<!\bmay )(?<!\bnhieu )\b(?:bac|trinh do|cap do) (?:may|nao|bao nhieu)\b"
                r"(?! (?:bac|trinh do|cap do|cung|roi)\b)"),
     re.compile(r"\b(?:bậc|trình độ|cấp độ|mức) (?:\d|một|hai|ba|bốn|năm|sáu|bảy|tám|cơ bản|trung cấp|nâng cao)"
                r"(?![\w ]*(?:bậc|trình độ)\b)", re.IGNORECASE)),
    # a phone number asked for ("cho tui xin số điện thoại cán bộ khuyến học xã …")
    (re.compile(r"\bxin(?: cai| cho)? (?:so dien thoai|sdt|so dt)\b"),
     re.compile(r"(?<![\d/.,])(?<!năm )\d{3,}(?![\d%/])")),
    (_PHONE_NUMBER, re.compile(r"(?<![\d/.,])(?<!năm )\d{3,}(?![\d%/])(?!\s*(?:%|phần trăm))")),
    (re.compile(r"\b(?:bao nhieu|bn|may) (?:phan tram|%)|%"), re.compile(r"%|phần trăm", re.IGNORECASE)),
    # which day of the week ("tính lại từ thứ mấy"; not a rank: "đứng thứ mấy", "xếp thứ mấy")
    (re.compile(r"(?<!dung )(?<!xep )(?<!hang )\bthu may\b"),
     re.compile(r"\bthứ (?:hai|ba|tư|năm|sáu|bảy|\d)\b|chủ nhật", re.IGNORECASE)),
    # who won ("ai được giải nhất", "người nào thắng", "xã nào về nhất"): a winner named as such; no content does
    (re.compile(r"\b(?:ai|nguoi nao|doi nao|xa nao|thon nao|tinh nao|truong nao|lop nao|nha nao)"
                r"(?: da| duoc| dat| doat| gianh| thang| ve)+ (?:giai|nhat|vo dich|quan quan|thu khoa)\b|"
                r"\b(?:ai|nguoi nao|doi nao|xa nao|tinh nao)(?: da| duoc)? (?:thang|vo dich)\b|"
                r"\bgiai (?:nhat|nhi|ba|dac biet)(?: \w+){0,4}? (?:ai|nguoi nao|doi nao|xa nao|nha nao)"
                r"(?: da)? (?:duoc|dat|doat|gianh|thang|ve|lay)\b|"
                # "xã nào về nhất": "nhất" after "về" is left out once folded ("ai đứng đầu" a body is told elsewhere)
                r"\b(?:nguoi nao|doi nao|xa nao|thon nao|tinh nao|truong nao|lop nao|nha nao) ve(?: nhat)?(?: \w+)?$"),
     re.compile(r"(?:đoạt|đạt|giành|được) giải (?:nhất|nhì|ba|cao nhất) (?:là|thuộc về)|(?:vô địch|thắng cuộc) là",
                re.IGNORECASE)),
    # how long it takes ("học mất bao lâu", "bao lâu cán bộ mới trả lời"): a number of minutes, days, months…
    # ("mấy ngày có thẻ mới", "chờ bao nhiêu ngày mới xong": how long, counted in days)
    (re.compile(r"(?<!duoc )\bbao lau\b(?! (?:roi|nay|chua)\b)|\b(?:may|bao nhieu|bn) (?:ngay|tuan|hom) "
                r"(?:(?:thi|la|moi|se) )*(?:co|xong|nhan|duoc|dc|lay|toi|den|ve)\b"
                # ending the clause that asks ("làm vneid mức 2 bn ngày"): counted in days
                r"|\b(?:lam|cap|doi|xong|mat|cho|doi)(?: \w+){0,5} (?:may|bao nhieu|bn) (?:ngay|tuan|hom)$"),
     re.compile(r"(?:\d+|một|hai|ba|vài|mấy)\s*(?:phút|giờ|ngày|tuần|tháng|năm|buổi)\b", re.IGNORECASE)),
)
_EVER = re.compile(r"\bco(?: \w+){0,4} bao gio\b|\bbao gio (?:chua|khong|ko)\b")  # "AI có nói sai bao giờ không"
# ("một số", "một vài", "một cách" say some or a way, no number)
_NUMBER = re.compile(r"\d|\b(?:một(?! (?:số|vài|cách|chút|khi|lúc|mình)\b)|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|trăm|"
                     r"nghìn|ngàn|triệu|tỷ)\b", re.IGNORECASE)


# The asker's own place ("xã mình", "thôn tôi"; "hàng xóm tôi" is a neighbour, not the hamlet)
_HERE = re.compile(r"\b(?<!hang )(?:xa|thon|ap|phuong|khu pho|to dan pho|chi hoi|xom|lang|huyen|tinh) "
                   r"(?:minh|toi|tui|tao|em|chau|con|mk|nha minh|nha toi|bac|ong|ba|co|chu|anh|chi|ta)\b")
_SCHEDULE = re.compile(r"\b(?:lich (?:hop|hoc|thi|khai mac|to chuc)|ngay nao|may gio|bao gio|khi nao|luc nao|hom nao|"
                       r"thang may|thang nao|"
                       r"thu may|tuan nay|tuan sau|thang sau|thang nay|tuan toi|thang toi|"
                       # "hội khuyến học tỉnh tui thành lập năm nào": the place's own founding, not the nation's
                       r"(?:thanh lap|ra doi|co tu|hoat dong tu|lap) (?:tu |vao )?nam (?:nao|bao nhieu|may)|"
                       # "lớp học buổi nào ở đâu, cho hỏi lịch cụ thể": the place's own timetable
                       r"buoi nao|lich cu the|"
                       # "lễ khai mạc … của tỉnh Nghệ An tổ chức ở địa điểm nào": the place's own venue
                       r"dia diem nao|o dia diem|to chuc o dau|to chuc tai dau|to chuc o cho nao)\b")
# How many of something there are ("xã tui có bao nhiêu hội viên", "thôn mình mấy gia đình học tập"): the place's own
# "có máy tính": no "mấy"; "tỉnh mình còn lại bao nhiêu xã": how many there are
_LOCAL_COUNT = re.compile(r"\b(?:co|duoc|con|con lai|gom)(?: tat ca| tong cong| tong| het)? (?:bao nhieu|bn|may) "
                          r"(?!gio\b|tien\b|tuoi\b|lan\b|cach\b|buoc\b|loai\b|bai\b"
                          r"|(?<=may )(?:tinh|in|anh|moc|giat|bay)\b)\w+")
# A province named as the one something is of or done by ("Hội Khuyến học tỉnh Nghệ An tổ chức…", "Phú Thọ mình sau
# sáp nhập có mấy xã"), not where the asker lives ("tôi ở tỉnh Nghệ An"): its own facts
_PROVINCE_NAMED = re.compile(r"(?<!\bo )(?<!\btai )(?<!\bque )(?<!\bsong o )(?<!\bmay )\b(?:tinh|thanh pho|tp) "
                             r"((?:\w+ ){1,3})"
                             r"|^((?:\w+ ){1,3})minh\b")


def _province_of_its_own(folded: str, answer: str) -> bool:
    """A province the question asks of as its own (_PROVINCE_NAMED) that the answer does not name: the answer's
    general practice is not what that province did ("thành phố Hà Tĩnh khai mạc năm 2020 ngày nào" is told)."""
    told = _provinces_named(answer)
    for m in _PROVINCE_NAMED.finditer(folded + " "):
        words = (m.group(1) or m.group(2)).split()
        found = next((p for n in range(len(words), 0, -1) if (p := find_province(" ".join(words[:n]))) is not None),
                     None)
        if found is not None and found.province.name not in told:
            return True
    return False
_THIS_YEAR = re.compile(r"\b(?:nam nay|nam toi|nam sau|dot nay)\b")
# A village or commune named by its name ("thôn Đông", "xã Tân Lập"), or its cultural house: a place of its own
_NAMED_PLACE = re.compile(r"\b(?:thôn|xã|ấp|xóm|làng|phường|khu phố) (\w)", re.IGNORECASE)
_CULTURAL_HOUSE = re.compile(r"\bnha van hoa (?:thon|xa|xom|ap|lang|khu)\b")


def _local_schedule(q: str, answer: str) -> bool:
    """When or where something happens where the asker lives ("lịch họp hội khuyến học thôn mình tuần này", "lớp
    … ở xã mình tháng sau học ngày nào"), or whether it does this year: only the place's officers know; the
    content's general dates and practice are not it."""
    folded = _EVER.sub(" ", fold(q))
    here = _HERE.search(folded) or _CULTURAL_HOUSE.search(folded) or _province_of_its_own(folded, answer) or any(
        m.group(1).isupper() for m in _NAMED_PLACE.finditer(unicodedata.normalize("NFC", q)))
    if here and (_SCHEDULE.search(folded) or _LOCAL_COUNT.search(folded)):
        return True
    # "hội khuyến học xã tôi năm nay có còn cấp học bổng không": what the place does this year, asked as such
    return any((_HERE.search(c) or _CULTURAL_HOUSE.search(c)) and _THIS_YEAR.search(c) for c in _asking_clauses(q))


# Whether the asker (the family, the clan, a child) is on a list the place draws up: who was recognised, commended,
# given a grant ("danh sách dòng họ học tập tiêu biểu có dòng họ tôi không", "nhà tôi có tên trong danh sách không")
_LIST = re.compile(r"\b(?:danh sach|co ten trong)\b")
_MINE_ON_IT = re.compile(r"\bco (?:ten )?(?:(?:nha|ho|dong ho|gia dinh|thon|xa|con|chau|ong|ba|bo|me) )?"
                         r"(?:toi|minh|tui|chung toi|em|chau|nha toi|nha minh)\b(?: \w+){0,4} (?:khong|ko|chua)\b"
                         r"|\b(?:toi|minh|tui|em|chau) co ten (?:trong|o)\b(?: \w+)* (?:khong|ko|chua)\b")


def _on_the_list(q: str) -> bool:
    """The question asks whether the asker's own family, clan or child is on a list of the place: only its officers
    know, whatever the content says of being recognised or registered."""
    folded = fold(q)
    return bool(_LIST.search(folded)) and bool(_MINE_ON_IT.search(folded))


def _year_not_told(q: str, answer: str) -> bool:
    """The question asks of a year and compares it with another ("Chủ đề Tuần lễ năm 2021 là chi, có giống năm 2020
    không?"), and the answer never names the year asked of: it tells the other one's."""
    years = years_asked(q)
    if len(years) < 2 or _WHICH_YEAR.search(fold(q)):
        return False  # "năm 2023 hay năm 2024", "năm nào": one of them is the answer, which names it
    return not re.search(rf"(?<!\d){years[0]}(?!\d)", answer)


_WHICH_YEAR = re.compile(r"\bnam nao\b|\b\d{4} (?:hay|hoac)(?: la)?(?: nam)? \d{4}\b")


def _number_of_another(q: str, top: Hit) -> bool:
    """A phone number asked of a thing the answer is not about ("tổng đài Agribank số mấy", "Zalo có số tổng đài hỗ
    trợ không, số mấy"): a bank or an app the content does not know, or one its questions do not name. The scam
    hotline 156 in the answer is not that number."""
    if not _PHONE.search(fold(q)):
        return False
    return bool(top.unknown) or (bool(entities(q)) and not top.names)


def _detail_missing(q: str, answer: str) -> bool:
    """The question asks a number, an amount, a date or a phone number ("một suất học bổng được bao nhiêu tiền",
    "lễ khai mạc mấy giờ", "tổng đài Agribank số mấy") and the answer has no number at all: it can only be about the
    topic, not what was asked, and a confident answer would look like one."""
    folded = _asked_detail(q)
    if _typed_details(folded):  # an amount of money, a year, an hour, a phone number: a number of that kind
        return _kind_missing(q, answer)
    kinds = asked_kinds(folded) & {"how much", "when"}
    return bool(kinds) and not _NUMBER.search(answer)


# Words that say when the detail is asked, not of what ("mức đóng năm nay bao nhiêu"): folded
_NOT_OF_WHAT = frozenset("nam nay hien hom qua thang tuan bao nhieu may la thi co khong ko duoc dc vay the".split())
_SENTENCE = re.compile(r"[.;:!?\n•]+(?:\s|$)")
_ACCENTED = re.compile(r"[^\x00-\x7f]")


def _detail_elsewhere(q: str, answer: str) -> bool:
    """A lesson passage (bullets on several things) that holds a number of the kind asked only in a sentence sharing
    none of the words the clause asking it says ("… qua VssID thì mức đóng năm nay bao nhiêu" against a lesson on
    VssID whose only amount is the limit on a bank transfer, "10 triệu đồng"): the number is of something else.
    Words are compared with their accents when the question has them ("đóng" is no "đồng")."""
    clause = next((c for c in reversed(story_clauses(q)) if _typed_details(_EVER.sub(" ", fold(c)))
                   or asked_kinds(_EVER.sub(" ", fold(c))) & {"how much", "when"}), None)
    if clause is None:
        return False
    folded = _EVER.sub(" ", fold(clause))
    kinds = _typed_details(folded) or [_NUMBER]
    accented = bool(_ACCENTED.search(clause))
    said = _syllables(clause, accented)
    of_what = {w for w in said if fold(w) not in _NOT_OF_WHAT and fold(w) in set(content_syllables(clause))}
    if not of_what:
        return False
    related = [s for s in _SENTENCE.split(answer) if of_what & _syllables(s, accented)]
    return not any(kind.search(s) for s in related for kind in kinds)


def _syllables(text: str, accented: bool) -> set[str]:
    low = unicodedata.normalize("NFC", text).lower() if accented else fold(text)
    return set(re.findall(r"\w+", low))


def _asked_detail(q: str) -> str:
    """What asks the detail, folded: the question's ending (or its asking clause), "có … bao giờ" left out."""
    return _EVER.sub(" ", fold(question_tail(q) or asking_clause(q) or q))


def _typed_details(folded: str) -> list[re.Pattern[str]]:
    """What an answer must hold for each detail of _DETAILS the folded question asks."""
    return [told for asks, told in _DETAILS if asks.search(folded)]


def _asking_clauses(q: str) -> list[str]:
    """The clauses of a message that ask (a question word, or how, how much, whether, or a detail), folded, and
    what asks a detail (_asked_detail): "Gemini bản trả phí giá bao nhiêu một tháng, có đắt hơn ChatGPT không" asks
    a price before its ending asks a comparison; "muốn tắt đi thì làm sao" asks of what comes before "thì"."""
    # (the first clause asking a detail of _DETAILS asks, however it is said: "tổng đài 156 làm việc mấy giờ, buổi
    # trưa có nghe máy không"; told later, "mấy" is a few: "…, họ khoe ngày nào cũng lãi mấy phần trăm. Có nên…")
    asked = [f for i, f in enumerate(fold(c).strip() for c in story_clauses(q))
             if asks_clearly(f) or (i == 0 and _typed_details(f))]
    return [_asked_detail(q), *(_EVER.sub(" ", f) for f in asked)]


# The paid version of a thing ("bản trả phí", "gói trả phí", "bản Plus"): that a free one exists tells not its price
# ("bản ChatGPT trả phí": the thing named between)
_PAID = re.compile(r"\b(?:(?:ban|goi)(?: \w+)? (?:tra phi|tra tien|pro|plus)|thue bao|phi hang thang)\b")
_FREE = re.compile(r"miễn phí|không (?:mất|tốn) (?:tiền|phí)", re.IGNORECASE)


def _kind_missing(q: str, answer: str) -> bool:
    """An amount of money, a year, an hour, a phone number or a share asked (_DETAILS) in any clause that asks, and
    none of that kind in the answer. Of the bot's help too: it says where to look for one's own progress, but tells
    no prize money ("giải nhất được thưởng bao nhiêu tiền" got how to enter the contest)."""
    told = _FREE.sub(" ", answer) if _PAID.search(fold(q)) else answer
    for asking in _asking_clauses(q):
        typed = _typed_details(asking)
        if typed and not any(kind.search(told) for kind in typed):
            return True
    return False


# "bao nhiêu khóa học", "bao nhiêu người": a count of something, told by a number of it ("6 miền", "hơn 20 khóa").
# Money, time and shares are _DETAILS; "bao nhiêu ạ", "bao nhiêu thì", "bao nhiêu rồi" count nothing named.
_COUNT = re.compile(r"(?<!\bso )\b(?:bao nhieu|bn) (\w+)")  # "quyết định số bao nhiêu, ký ngày nào": which number
_NOT_COUNTED = frozenset(
    "tien trieu dong nghin ngan gio phut giay ngay tuan thang nam tuoi lan phan a ah thi co roi vay z v the nhi ha "
    "nua la moi de duoc dc khong ko k hong ma nhe nha day do vao tren o cho voi va hay hoac nhieu lau ban em chau "
    "con".split())
_COUNTED = r"(?:\d+|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi|tram|nghin|ngan|trieu|vai|nhieu|hang|cac)(?: \w+){0,2} "


_SHARE = re.compile(r"\d+\s*%")


def _count_missing(q: str, answer: str) -> bool:
    """The question asks how many of a thing ("hiện có bao nhiêu khóa học", "đã có bao nhiêu người học") and the
    answer gives no number of it: a date or a web address in it is not the count."""
    told, (tail, *clauses) = fold(answer), _asking_clauses(q)
    # in the ending, or at the end of another clause that asks ("có tất cả bao nhiêu khóa học, học hết mất bao lâu");
    # not "có mấy app tên ChatGPT đòi nạp tiền, làm sao biết app nào giả", which tells of some apps
    asked = [*_COUNT.finditer(tail), *(m for c in clauses for m in _COUNT.finditer(c) if len(c[m.end():].split()) <= 1)]
    return any(m.group(1) not in _NOT_COUNTED and not re.search(_COUNTED + re.escape(m.group(1)) + r"\b", told)
               and not (m.group(1) == "diem" and _SHARE.search(answer))  # a pass mark told as a share ("từ 80%")
               for m in asked)



# One of a numbered series ("lần thứ hai", "bậc 5", "khóa 3", "nhiệm kỳ thứ ba"), as typed with its accents: "bác 70"
# is no "bậc"; "mức 1, mức 2" of VNeID are compared, not one asked of the other.
_NUMBERED = re.compile(r"\b(?:lần thứ|bậc|khóa|khoá|nhiệm kỳ|nhiệm kì|đợt|kỳ|kì) (?:thứ )?(\d+|nhất|hai|ba|bốn|tư|năm|"
                       r"sáu|bảy|tám|chín|mười)\b")


def _another_numbered(q: str, answer: str) -> bool:
    """The question asks of one of a numbered series ("Đại hội … lần thứ hai họp năm nào", "bậc 5 là trình độ thế
    nào") and the answer does not name that one: what it tells is of another ("lần thứ nhất", "8 bậc")."""
    told = unicodedata.normalize("NFC", answer).lower()
    return any(m.group(0) not in told for m in _NUMBERED.finditer(unicodedata.normalize("NFC", q).lower()))


# What a question asks of a thing (folded): whether it gives a certificate or has an app, what papers to bring, whether
# it opens on a given day; and what an answer that tells it names.
_FEATURES = (
    (re.compile(r"\b(?:cap bang|bang cap|van bang|chung chi|chung nhan|giay khen|bang khen)\b"),
     re.compile(r"chứng chỉ|chứng nhận|văn bằng|bằng cấp|cấp bằng|giấy khen|bằng khen|khen thưởng", re.IGNORECASE)),
    # (not what a lost phone has in it: "mất điện thoại mà trong đấy có app ngân hàng thì phải làm gì")
    # ("dùng app nào", "tải ứng dụng nào": which app, named)
    (re.compile(r"\b(?:app|ung dung) rieng\b|\btai (?:app|ung dung)\b|\b(?:app|ung dung|phan mem) nao\b|"
                r"(?<!trong may )(?<!trong day )(?<!trong do )"
                r"(?<!trong no )(?<!tren may )(?<!trong dien thoai )\bco (?:cai )?(?:app|ung dung)\b"),
     re.compile(r"ứng dụng|\bapp\b|CH Play|App Store", re.IGNORECASE)),
    (re.compile(r"\b(?:giay to|ho so) (?:gi|nao)\b|\b(?:can|phai) (?:mang|chuan bi|nop)(?: theo)?(?: nhung)? "
                r"(?:gi|giay to|ho so)\b"),
     re.compile(r"giấy tờ|hồ sơ|mang theo|căn cước|CCCD|bản sao|giấy khai", re.IGNORECASE)),
    # ("có làm việc sáng thứ bảy không": the day after; "có làm việc cả ban đêm và chủ nhật không": at night too;
    # "có làm việc ngày thứ bảy không")
    (re.compile(r"\b(?:thu bay|chu nhat|cuoi tuan|ngay le) (?:co )?(?:lam viec|mo cua|lam)\b|\b(?:gio lam viec|gio mo "
                r"cua|gio hanh chinh)\b|\b(?:lam viec|mo cua|truc|tiep dan) "
                r"(?:(?:vao|ca|buoi|sang|chieu|toi|va|ngay) )*"
                r"(?:thu bay|chu nhat|cuoi tuan|ngay le|ban dem|nua dem|dem khuya|toi khuya)\b"),
     re.compile(r"thứ bảy|chủ nhật|cuối tuần|ngày lễ|ban đêm|giờ hành chính|giờ làm việc|24/7|24/24|"
                r"\d+\s*(?:giờ|h\b|:\d\d)", re.IGNORECASE)),
    # whether it is charged for ("gọi tổng đài … có bị tính cước không"): a fee or its absence told
    (re.compile(r"\b(?:tinh|mat|ton|thu|tra) (?:cuoc|phi)\b"),
     re.compile(r"\b(?:cước|phí|tiền)\b", re.IGNORECASE)),
    # turning it off ("tất cả" folds alike: "tắt" only where it asks how or wants it)
    (re.compile(r"\b(?:muon|cach|de) tat\b|\btat (?:han|di|no|luon|sao|the nao|ntn|duoc khong|dc khong|nhu the nao)\b"),
     re.compile(r"\btắt\b|\bgỡ\b|\bẩn\b|vô hiệu|\bdừng\b|\bngừng\b|\bhủy\b|\bhuỷ\b", re.IGNORECASE)),
    # which bank to go to ("đăng ký ở ngân hàng nào"; "ngân hàng nào cũng" is every one): a bank named by its name
    (re.compile(r"\b(?:o|tai|cua|voi|qua|chon|lam|mo) ngan hang nao\b(?! cung\b)"),
     re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(synonyms_of("ngan hang"), key=len, reverse=True))) + r")\b",
                re.IGNORECASE)),  # the brands content/data/synonyms.yaml makes a bank
    # speaking to it ("Meta AI có nói chuyện bằng giọng nói được không"): an answer silent on voice tells nothing of it
    (re.compile(r"(?<!dang )\b(?:noi chuyen|tra loi|hoi|noi|ra lenh|tro chuyen) (?:\w+ )?bang giong(?: noi)?"
                r"(?: \w+){0,2}? (?:duoc|dc|khong|ko|hong|chua)\b"),
     re.compile(r"giọng nói|\bgiọng\b|ghi âm|micro|tin nhắn thoại|gọi thoại|\bnói (?:vào|tiếng|chuyện)\b",
                re.IGNORECASE)),  # ("điện thoại" is no voice)
    # a day off ("Ngày Khuyến học cán bộ có được nghỉ làm không"): an answer that tells no day off tells nothing of it
    (re.compile(r"\bduoc nghi(?: (?:lam|hoc|viec|lam viec|phep))?(?: (?:khong|ko|k|hong|ha|hay sao))\b|"
                r"\bco (?:duoc )?nghi (?:lam|hoc|le|viec)\b"),
     re.compile(r"\bnghỉ\b", re.IGNORECASE)),
    (re.compile(r"\brut (?:tien|bao hiem|bhxh|so|mot lan|tiet kiem)\b"),
     re.compile(r"\brút\b", re.IGNORECASE)),  # taking money out
    # why it does not show or work ("sao không có dữ liệu lần khám đó"; "làm sao để không nhận" asks how): a cause
    (re.compile(r"\b(?<!lam )(?:tai sao|vi sao|sao lai|sao)(?: \w+){0,6} (?:khong|chua|ko) (?:co|thay|hien|vao|nhan|"
                r"duoc|dc|len)\b"),
     re.compile(r"\bvì\b|\bdo\b|\bchưa\b|\bnếu\b|\blỗi\b|cập nhật|đồng bộ", re.IGNORECASE)),
)


def _feature_missing(q: str, answer: str) -> bool:
    """A clause that asks whether a thing gives a certificate or has an app ("Học xong có cấp bằng hông", "có app
    riêng trên điện thoại không"), what papers it takes ("cần chuẩn bị những giấy tờ gì"), whether it opens on a
    Saturday, how to turn it off or take money out of it, why it does not show, and an answer that names none of it
    (no cause, for the last): it tells of the thing, not of that. A story telling of one ("trong máy có app ngân
    hàng, giờ phải làm gì") asks nothing of it."""
    return any(asks.search(c) and not told.search(answer) for asks, told in _FEATURES for c in _asking_clauses(q))


_BOT = re.compile(r"\b(?:bot|tro ly hoc tap)\b")


def _names_another(q: str, told: str, top: Hit) -> bool:
    """A question naming an app or a service (Zalo, ChatGPT) that the bot's help entry found does not name, while
    it does not speak of the bot: "Zalo có cái AI tự trả lời tin nhắn không" asks of Zalo, "Meta AI trên Facebook
    phiền quá, tắt hẳn được không" of Facebook, not of this bot."""
    named = entities(told)
    return bool(named) and not top.names and not _BOT.search(fold(q))


# A question that asks of a province, named first ("Hà Nội có được UNESCO công nhận không", "tỉnh Nghệ An đã có …"):
# the words before its verb.
_PLACE_ASKED = re.compile(r"^(?:(?:cho (?:toi|minh|em|chau|con|bac|tui) )?(?:xin )?hoi (?:(?:la|thu|chut|ti) )?)?"
                          r"(?:(?:tinh|thanh pho|tp) )?((?:\w+ ){1,3}?)(?:co|da|duoc|cung|van) ")


def _another_place(q: str, answer: str) -> bool:
    """The question asks of a province ("Hà Nội có được UNESCO công nhận thành phố học tập không") and the answer
    names another one and not it ("Thành phố Hồ Chí Minh đã được công nhận"): what it tells is of that other place."""
    asked = None
    for clause in story_clauses(q):
        m = _PLACE_ASKED.match(fold(clause).strip() + " ")
        if m and (asked := find_province(m.group(1))) is not None:
            break
    if asked is None:
        return False
    named = _provinces_named(answer)
    return bool(named) and asked.province.name not in named


def _provinces_named(text: str) -> frozenset[str]:
    """The provinces a text names (current or former names, as written with their accents; "TPHCM")."""
    low = unicodedata.normalize("NFC", text).lower()
    found = {p.name for p in provinces() for n in (p.name, *p.formed_from)
             if re.search(rf"(?<!\w){re.escape(n.lower())}(?!\w)", low)}
    if re.search(r"\btp\.? ?hcm\b", low):
        found.add("Hồ Chí Minh")
    return frozenset(found)
