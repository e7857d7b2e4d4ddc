"""Vietnamese text folding for search and typed-reply matching.

Citizens often type without diacritics and with teencode ("ko", "dc", "j", "ntn"), so both the
corpus and the query are folded the same way: NFC, lower-case, abbreviation table, strip every
combining mark, đ→d. Syllables (not word segmentation) are the unit; see research/vi-retrieval.md.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import yaml

_NUMBER_WORDS = ("một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười")
# Digits said as words, typed with or without accents ("năm bảy", "nam bay", "một hai ba"), and the words of a
# number said whole ("năm mươi bảy", "một trăm hai mươi ba", "hai mươi mốt", "ba mươi lăm").
_DIGIT = {w: i for i, w in enumerate(("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"))}
# "bẩy": "bảy" as it is said in the North ("nghị quyết năm bẩy")
_DIGIT.update({"khong": 0, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9,
               "tư": 4, "tu": 4, "lăm": 5, "lam": 5, "nhăm": 5, "mốt": 1, "bẩy": 7})
_NUMBER_WORD = (r"(?:không|khong|một|mot|hai|ba|bốn|bon|năm|nam|sáu|sau|bảy|bẩy|bay|tám|tam|chín|chin|mười|muoi|mươi"
                r"|trăm|tram|linh|lẻ|le|tư|lăm|nhăm|mốt)")
# What a number names once said in words: a resolution, a conclusion, a decree, a law ("Nghị quyết năm bảy")
_NAMED_BY_NUMBER = (r"nghị quyết|nghi quyet|nq|kết luận|ket luan|kl|nghị định|nghi dinh|nđ|nd|chỉ thị|chi thi|"
                    r"quyết định|quyet dinh|thông tư|thong tu|luật số|luat so|công văn|cong van")


def _number_said(words: list[str]) -> str | None:
    """The digits of a number said in words ("năm bảy" → "57", "năm mươi bảy" → "57", "một trăm hai mươi ba" →
    "123"); None when the words are no number ("năm", a year, alone)."""
    if not any(w in ("mười", "muoi", "mươi", "trăm", "tram") for w in words):
        if len(words) == 2 and words[0] in _DIGIT and _DIGIT[words[0]] and words[1] in ("mốt", "tư", "lăm", "nhăm"):
            return f"{_DIGIT[words[0]]}{_DIGIT[words[1]]}"  # "chín mốt": 91, "hai tư": 24, "năm lăm": 55
        if len(words) < 2 or any(w not in _DIGIT or w in ("tư", "tu", "lăm", "lam", "nhăm", "mốt") for w in words):
            return None
        return "".join(str(_DIGIT[w]) for w in words)
    total, i = 0, 0
    if i + 1 < len(words) and words[i] in _DIGIT and words[i + 1] in ("trăm", "tram"):
        total, i = 100 * _DIGIT[words[i]], i + 2
        if i < len(words) and words[i] in ("linh", "lẻ", "le"):
            i += 1
    if i < len(words) and words[i] in ("mười", "muoi"):
        total, i = total + 10, i + 1
    elif i + 1 < len(words) and words[i] in _DIGIT and words[i + 1] in ("mươi", "muoi"):
        total, i = total + 10 * _DIGIT[words[i]], i + 2
    if i < len(words) and words[i] in _DIGIT:
        total, i = total + _DIGIT[words[i]], i + 1
    return str(total) if i == len(words) and total else None


def _age(tens: str, ones: str | None) -> int:
    """Years said in words: "bảy" (mươi) "lăm" → 75."""
    def digit(word: str) -> int:
        return {"mốt": 1, "mot": 1, "tư": 4, "tu": 4, "lăm": 5, "lam": 5, "nhăm": 5, "bẩy": 7}.get(word) or _DIGIT[word]
    return 10 * digit(tens) + (digit(ones) if ones else 0)


_BARE_NUMBER_WORDS = frozenset("khong mot bon nam sau bay tam chin muoi tram tu lam le".split())


def _year_said(m: re.Match[str]) -> str:
    """"hai ngàn hai mốt" → "2021", "hai nghìn lẻ năm" → "2005"; as typed when the words name no year."""
    words = m.group(2).split()
    if m.group(1) and len(words) == 1 and words[0] in _DIGIT:
        return f"200{_DIGIT[words[0]]}"
    said = _number_said(words)
    return f"20{int(said):02d}" if said and int(said) < 100 and not m.group(1) else m.group(0)


_ONES_SAID = {"muoi": 0, "mot": 1, "hai": 2, "ba": 3, "tu": 4, "bon": 4, "lam": 5, "nam": 5, "sau": 6, "bay": 7,
              "tam": 8, "chin": 9}


def _year_by_digits(m: re.Match[str]) -> str:
    """"hai không hai lăm" → "2025": two, zero, then the year of the decade said as a number."""
    tens = 2 if strip_marks(m.group(1)) == "hai" else 1
    return f"20{tens}{_ONES_SAID[strip_marks(m.group(2))]}"


def _named_number(m: re.Match[str]) -> str:
    words, rest = m.group(2).split(), list[str]()
    if not m.string.isascii():  # typed with accents, "sau", "nam" are "sau" (after), "nam" (south), not digits
        cut = next((i for i, w in enumerate(words) if w in _BARE_NUMBER_WORDS), len(words))
        words, rest = words[:cut], words[cut:]
    while words and words[-1] in ("không", "khong"):  # "… nghị quyết năm bảy không": the question's "không"
        rest.insert(0, words.pop())
    said = _number_said(words)
    return " ".join([m.group(1), said, *rest]) if said else m.group(0)


# "ai" asking who, not AI: "chủ tịch hội là ai", "liên hệ ai", "đá với ai" (not "trò chuyện với AI"), "nên bầu ai",
# "ai là chủ tịch…", "ai đứng đầu", "ai thắng", "…, ai làm ra" are read as "người nào" (an action of
# content/data/words.yaml: only an entry asking who answers them). "do AI làm ra", "AI là gì", "có phải là AI
# không" stay AI.
_WHO_RAW: tuple[tuple[str, str], ...] = (
    (r"(?<!phải )(?<!phai )\b(là|la|liên hệ|lien he|gặp|gap|tìm|tim|đá với|da voi|đấu với|dau voi|"
     r"bầu|bau|bầu cho|bau cho|bỏ phiếu cho|bo phieu cho) ai"
     r"(?= *(?:vậy|vay|thế|the|đấy|day|nhỉ|nhi|ạ|hả|ha|nhé|nhe|nha|[?.!,;]|$))",
     r"\1 người nào"),
    (r"(?:^\s*|(?<=[,.?!;] ))ai(?= (?:là|la) (?:người|nguoi|chủ tịch|chu tich|giám đốc|giam doc|bí thư|bi thu|trưởng|"
     r"truong|tác giả|tac gia|cha đẻ|cha de|bộ trưởng|bo truong|thứ trưởng|thu truong|thủ tướng|thu tuong|"
     r"tổng bí thư|tong bi thu|hiệu trưởng|hieu truong|phó|pho|lãnh đạo|lanh dao|tỉnh trưởng|tinh truong)\b)",
     "người nào"),
    (r"\bai (?:đứng ra|dung ra)\b", "ai"),  # "ai đứng ra tổ chức": who takes it on, "ai tổ chức"
    (r"\bai(?= (?:đứng đầu|dung dau|sáng lập|sang lap|thành lập|thanh lap|phát minh|phat minh|phụ trách|phu trach|"
     r"lãnh đạo|lanh dao|chịu trách nhiệm|chiu trach nhiem|thắng|thang|vô địch|vo dich|ghi bàn|ghi ban)\b)",
     "người nào"),
    (r"(?:^\s*|(?<=[,.?!;] ))ai (?=(?:làm|lam|tạo|tao|viết|viet)(?: ra)? *(?:vậy|vay|thế|the|[?.!]|$))", "người nào "),
    # nobody: "khi không ai nói chuyện với bot", "chẳng ai chỉ cho" (not "không AI nào", "có phải AI không")
    (r"\b(không|khong|ko|k|kh|hk|hok|chẳng|chang|chả|chưa|hổng|hông|hong) ai\b(?! (?:nào|nao|là|la)\b)", r"\1 người"),
)
_WHO = tuple((re.compile(p), r) for p, r in _WHO_RAW)

def _contest(m: re.Match[str]) -> str:
    """"thi" (a contest, an exam) in a text typed with its tones: "cuộc thi", so that it is not "thì" (then) once
    folded ("muốn thi thì vào đâu"). Typed without any tone ("vneid bi quen mât khâu thi sao"), the two cannot be
    told apart."""
    toned = any(ch in "\u0300\u0301\u0303\u0309\u0323" for ch in unicodedata.normalize("NFD", m.string))
    return "cuộc thi" if toned else m.group(0)


# "thi" (a contest), but not "thi đua", "thi hành", "thực thi", nor the "thi" of "cuộc thi" already said
_CONTEST = re.compile(r"(?<!cuộc )(?<!thực )(?<!kỳ )(?<!kì )\bthi\b"
                      r"(?! (?:đua|hành|công|thể|sĩ|ca|nhân|vị|thố|cử|thiên|pháp)\b)")

# Multi-word spellings joined before tokenizing (keys are lower-case, NFC).
_PHRASES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = ((_CONTEST, _contest), *(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"\bchat[\s\-_.]*(?:gpt|gbt|gtp|pgt|jpt|gpt4|gpt-4|gp)\b", "chatgpt"),
        (r"\bchát[\s\-_.]*(?:gpt|gbt|gtp)\b", "chatgpt"),
        # spelt as said: "chát gờ pờ tê", "chát gê pê tê", "chát gì pi ti", "chat gi bi ti", "chác gì pi ti" (heard
        # "chác"), "trát gờ pê tê" ("tr" for "ch", as the North says it)
        (r"\b(?:ch|tr)[aáà][tc][\s\-_.]*(?:gờ|gơ|go|gê|ge|gi|gì|ghi|dzi|ji)[\s\-_.]*"
         r"(?:pờ|pơ|po|pi|pì|pê|pe|bi|bì)[\s\-_.]*(?:tê|te|ti|tì|thi)\b", "chatgpt"),
        # "mk" (teencode "mình") of an account, or told, lost or changed: its password ("lỡ nói mk fb cho người lạ")
        (r"\bmk(?= (?:fb|facebook|face|zalo|zl|ngân hàng|ngan hang|nh|bank|vneid|gmail|email|mail|wifi|app|ứng dụng|"
         r"tài khoản|tai khoan|tk|icloud|tiktok|momo|atm|thẻ|the|messenger|mess)\b)",
         "mật khẩu"),
        (r"\b(quên|quen|đổi|doi|lộ|lo|nói|noi|đưa|dua|nhập|nhap|gõ|go|đặt|dat|mất|mat|biết|biet) mk\b", r"\1 mật khẩu"),
        # "xài chung mk với gmail", "dùng chung mk": one password shared by two accounts
        (r"\b(xài|xai|dùng|dung|đặt|dat|để|de) chung mk\b", r"\1 chung mật khẩu"),
        # "hok" is teencode "không", and "học" as teens spell it: "học" where only learning is said ("khuyến hok",
        # "hok tập", "hok sinh", "bình dân hok vụ số"); "hok phí tiền", "đi hok" (going or not) are left "không"
        (r"\bhok(?= (?:tập|tap|sinh|hành|hanh|viên|vien|vụ|vu|lớp|lop|kỳ|ky|kì|ki|bổng|bong)\b)", "học"),
        (r"\b(khuyến|khuyen|hiếu|hieu|ham|tự|dân|dan) hok\b", r"\1 học"),
        # "h" (teencode "giờ", now) before what is done now ("h lm j", "r h sao ạ", "h phải lm j"); not "h'mông"
        (r"(?<!')\bh(?= (?:lm|làm|lam|sao|s|phải|phai|tính|tinh|mới|moi|muốn|muon|thì|thi|còn|con|ra sao|biết|biet)\b)",
         "giờ"),
        # "già rồi còn hok chi nữa": still learning, what for
        (r"\b(còn|con) hok(?= (?:chi|gì|gi|j|làm chi|làm gì|lam chi|lam gi|lam j) (?:nữa|nua|nx)\b)", r"\1 học"),
        # "bn ơi", "tks bn", "chào bn" (teencode "bạn", called or thanked; elsewhere "bn" is "bao nhiêu": "giá bn ạ")
        (r"\bbn(?= (?:ơi|oi)\b)", "bạn"),
        (r"\b(tks|thx|thanks|thank|camon|cảm ơn|cám ơn|cam on|chào|chao|hi|hello) bn\b", r"\1 bạn"),
        # "mấy h" (teencode "mấy giờ": "trực tới mấy h")
        (r"\b(mấy|may|bao nhiêu|bao nhieu) h\b", r"\1 giờ"),
        (r"\bvn[\s\-_.]*eid\b", "vneid"),
        (r"\bdịch vụ công\b|\bdich vu cong\b|\bdvc\b", "dịch vụ công"),
        (r"\b(?:deep|dip|diep)[\s\-_.]*(?:fake|fek)\b", "deepfake"),  # before "fake" is "giả"
        (r"\bzalo[\s\-_.]*oa\b", "zalo oa"),
        (r"\ba\.i\b", "ai"),
        (r"\btrí tuệ nhân tạo\b|\btri tue nhan tao\b", "ai"),
        # Southern "dzô", "zô" for "vô" (into), "dzào" for "vào": "muốn dzô hội", "bấm dzô link"
        (r"\b(?:dzô|dzo|zô)\b(?! (?:dzô|zô|dzo)\b)", "vô"),
        (r"\bdzào\b", "vào"),
        # Southern "dậy" for "vậy" after what is asked ("liên hệ ai dậy?", "làm sao dậy", "là gì dậy"); not "thức
        # dậy", "ngủ dậy", "đứng dậy"
        (r"\b(sao|gì|chi|ai|nào|đâu|không|hông|hả|đó|thế|làm|được|đi|rồi|ha) dậy\b(?= *[?.!]*\s*$)", r"\1 vậy"),
        # Central and Southern colloquial forms ("là chi", "mần răng", "ở mô")
        # Central "cấy" for "cái" before what points ("AI là cấy chi", "cấy ni", "cấy nớ"); rice is "cấy lúa"
        (r"\bcấy (?=(?:chi|gì|ni|nì|nớ|này|nọ|đó|ấy)\b)", "cái "),
        (r"\b(là|cái|làm|mần) chi\b", r"\1 gì"),
        (r"\b(làm|mần) (được|đc|dc) chi\b", r"làm \2 gì"),  # "cái VNeID ni mần được chi": what it can do
        # "cái VNeID ni", "app Zalo này": which one is pointed at, nothing asked ("ni", "nì": Central "này")
        (r"\b(vneid|vssid|zalo|chatgpt|gemini|copilot|facebook|tiktok|youtube|messenger|app|ứng dụng)"
         r" (?:này|nầy|ni|nì)\b(?! (?:cô|lông)\b)", r"\1"),
        # "quyên mật khẩu" (a slip for "quên"; "quyên" is giving to a fund); "quên tiệt", "quên béng": forgot it
        (r"\bquyên (?=(?:mật khẩu|mk|pass|password|mã pin|tên đăng nhập)\b)", "quên "),
        (r"\bquên (?:tiệt|béng|phứt|mất tiêu|tuốt)\b", "quên"),
        (r"\bchi(?= nữa\b)", "gì"),  # "học hành chi nữa": what for, still
        # "khác chi nhau", "có giống chi không": a comparison ("khác chi phí", "chi tiết khác chi hội" are not)
        (r"\b(khác|giống) chi\b(?! (?:tiết|phí|tiêu|hội|bộ|nhánh|cục|đoàn)\b)", r"\1 gì"),
        # weak at English ("tiếng Anh kém lắm", "dốt tiếng Anh"): not knowing it, as the content asks it
        (r"\b(?:kém|dở|yếu|dốt|mù) tiếng anh\b|\btiếng anh (?:kém|dở|yếu|dốt|tệ)(?: lắm| quá| lắm lắm)?\b",
         "không biết tiếng anh"),
        # "biểu" (tell someone to) before who is told: "cứ biểu người già đi học" ("biểu mẫu", "biểu đồ" are kept)
        (r"\bbiểu (?=(?:người|tui|tôi|tao|con|cháu|mình|nó|họ|em|anh|chị|ông|bà|mọi|bọn|tụi|dân)\b)", "bảo "),
        # "mà răng …": but why ("mà răng tuần lễ học tập cứ biểu người già đi học"); not teeth that ache or fall
        (r"\bmà răng\b(?! (?:bị|đau|sâu|mọc|lung|ê|chảy|sún|gãy|yếu|cắn|nhức|khểnh|giả)\b)", "mà sao"),
        (r"\bchi(?= *(?:rứa|vậy|dzậy|ri|hả|đó|đây|[?.!]|$))", "gì"),  # "… cái app chi rứa"
        # "nói chi với dân", "dạy chi cho người già", "có chi mà sợ": what it says, teaches or has ("nói chi tiết",
        # "bảo chi hội", "có chi phí" are not)
        (r"\b(nói|bảo|dạy|hỏi|viết|ghi|có) chi\b(?! (?:tiết|phí|tiêu|hội|bộ|nhánh|cục|trả|ra|lí|lý|li|ly|đoàn)\b)",
         r"\1 gì"),
        # "dân tụi tui", "dân bọn tôi", "dân chúng tôi": the people, as "người dân" says it
        (r"\b(?<!người )dân (?:tụi|bọn|chúng|tụi bây|chúng mình) ?(?:tui|tôi|tao|em|mình|cháu|con)?\b", "người dân"),
        (r"\bhồi nào\b", "khi nào"),  # Southern "hồi nào" = when
        (r"\bcài\b(?! đặt)", "cài đặt"),  # "cài" (install) folds like "cái", a word that only points
        (r"\b(làm|mần|là|vì) răng\b", r"\1 sao"),
        (r"\bcó răng(?= (?:không|hông|ko|k)\b)", "có sao"),  # "… có răng không": is it all right
        # "có mấy hoạt động chi vui", "có mấy loại gì": which ones, not how many
        (r"\b(có|gồm) mấy(?=(?: \w+){1,2} (?:gì|chi|j)\b)", r"\1 những"),
        (r"\b(có|gồm) mấy\b", r"\1 bao nhiêu"),  # "có mấy mô hình": how many ("mấy" folds like "máy")
        (r"\bmấy (?=cái\b)", ""),  # "mấy cái video giả": those videos ("mấy" would be "máy", a phone, once folded)
        (r"\bră?ng rứa\b", "sao vậy"),
        # "răng mà AI hay nói sai": why is it that ("sao mà"); not "răng" the teeth ("đau răng mà không dám đi")
        (r"(?<!đau )(?<!nhổ )(?<!sâu )(?<!hàm )(?<!chân )\bră?ng mà\b", "sao mà"),
        (r"(?<!đau )(?<!nhổ )(?<!sâu )\bră?ng chừ\b", "sao bây giờ"),  # "mất rồi, răng chừ?": what now
        (r"\b(ở|chỗ|đi|về|tới|đến) mô\b", r"\1 đâu"),
        (r"(?<!khô )\bnỏ\b", "không"),  # Nghệ Tĩnh "nỏ biết", "nỏ mất tiền": not ("khô nỏ" is bone-dry)
        # "học ở đâu mà không mất tiền", "chỗ nào mà khỏi tốn tiền": where it is free ("mất tiền" alone is money lost
        # to a scam, "để không mất tiền" how not to lose it)
        (r"\b(đâu|nào) mà (?:không|chẳng|chả|khỏi|ko|k|hông) (?:mất|tốn) (?:tiền|phí)\b", r"\1 miễn phí"),
        # "học cái AI … ở đâu có mất tiền không": whether learning costs money (a fee), not money lost to a scam
        (r"\b((?:học|dạy|lớp|khóa học|khoá học|tham gia|đăng ký)(?: \w+){0,8}? có) (?:mất|tốn) tiền"
         r"(?= (?:không|ko|k|hông|hok|hem|chi|gì)\b)", r"\1 mất phí"),
        # "muốn học thêm AI mà không mất tiền thì học ở đâu": free, said before what is asked of it
        (r"\bmà (?:không|chẳng|chả|khỏi|ko|k|hông) (?:mất|tốn) (?:tiền|phí|xu)(?= thì\b)", "miễn phí"),
        # "thi vô chỗ nào": where to do it ("vào đâu" folds as "vào đầu"); "gõ vào chỗ nào" asks where to type it
        (r"(?<!gõ )(?<!nhập )(?<!điền )(?<!bấm )(?<!nhấn )\b(?:vào|vô) chỗ nào\b", "ở đâu"),
        # Southern and Central "vô" (into): "thi vô chỗ nào", "bấm vô link" ("vô địch", "vô lý", "vô tình" are kept)
        (r"\bvô (?=(?:chỗ|đâu|mô|link|đường link|trang|app|ứng dụng|nhóm|mạng|web|đây|đó|trong|lớp|phần|mục|"
         r"tài khoản|hội|chi hội)\b)", "vào "),
        (r"\b(bấm|nhấn|điền|gõ|nhập|truy cập|đăng nhập|đưa|bỏ|đi) vô\b", r"\1 vào"),
        (r"\b(bỏ|nạp|đổ|góp|đầu tư) (tiền|vốn) vô\b", r"\1 \2 vào"),  # "bỏ tiền vô sàn": put money into it
        # "họ" typed "học" next to the "học" that follows ("dòng học học tập", "dòng học khuyến học"): "dòng học" is
        # no phrase ("dòng học viên", "dòng học sinh" are kept)
        (r"\bdòng học\b(?! (?:viên|sinh|phí)\b)", "dòng họ"),
        # "tổ chức bữa mô", "có từ khi mô": which day, when ("năm mô hình" is five models, "mô tả" describes)
        (r"\bbữa mô\b(?! (?:hình|hìn|hinh|hin|tả|phỏng)\b)", "hôm nào"),
        # ("tin mô thiệt tin mô giả", "số mô", "trang mô": which news, which number, which site)
        (r"\b(hôm|khi|lúc|hồi|ngày|tháng|năm|cái|người|bài|chỗ|tin|số|trang|app|link|video|clip|nhóm) mô\b"
         r"(?! (?:hình|hìn|hinh|hin|tả|phỏng)\b)", r"\1 nào"),
        (r"\b(năm|bữa|hôm|tháng|tuần|lúc) ni\b", r"\1 nay"),  # "năm ni": this year
        (r"\bdưng mà\b", "nhưng mà"),
        (r"\b(cái|bên|chỗ|app|bot|bài) ni\b", r"\1 này"),
        # "Nghị quyết năm bảy", "kết luận một trăm hai mươi ba": the number that names it, in digits
        (rf"\b({_NAMED_BY_NUMBER}) ((?:{_NUMBER_WORD} )*{_NUMBER_WORD})\b", _named_number),
        # A year said in words ("năm hai ngàn hai mốt", "hai nghìn không trăm hai mươi ba"): its digits, as the
        # content writes it ("2021"); an amount ("hai nghìn năm trăm đồng") is left to the rule below
        (rf"\bhai (?:ngàn|nghìn|ngan|nghin)(?: (?:không|khong) (?:trăm|tram))?( (?:linh|lẻ|le))? "
         rf"((?:{_NUMBER_WORD} )*{_NUMBER_WORD})\b(?! (?:đồng|dong|đ|k|triệu|trieu)\b)", _year_said),
        # A year said digit by digit, the last two as a number ("năm hai không hai lăm" is 2025, "hai không hai
        # mươi" 2020), as the content writes it
        (r"\bhai (?:không|khong) (hai|một|mot) (mươi|muoi|mốt|mot|hai|ba|tư|tu|bốn|bon|lăm|lam|năm|nam|sáu|sau|bảy|"
         r"bay|tám|tam|chín|chin)\b(?! (?:đồng|dong|đ|k|triệu|trieu|nghìn|ngàn|tuổi)\b)", _year_by_digits),
        # Amounts said in words, as voice typing writes them ("trên mười triệu" is "trên 10 triệu")
        (r"\b(một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)(?= (?:triệu|nghìn|ngàn|trăm|tuổi)\b)",
         lambda m: str(_NUMBER_WORDS.index(m.group(1)) + 1)),
        (r"\b(\d+) ?(?:củ|tr)\b", r"\1 triệu"),
        # "định danh mức hai": the level, in digits as the content writes it ("mức 2")
        (r"\bmức (một|hai|ba)\b",
         lambda m: f"mức {_NUMBER_WORDS.index(m.group(1)) + 1}"),  # "15 củ", "5tr": millions as said
        # An age said in words ("tôi năm nay gần bảy mươi rồi", "sáu mươi lăm tuổi"): its years, as "60 tuổi" says
        # them; not an amount ("bảy mươi nghìn")
        (r"\b(bốn|bon|năm|nam|sáu|sau|bảy|bẩy|bay|tám|tam|chín|chin) (?:mươi|muoi)(?: (mốt|mot|hai|ba|bốn|bon|tư|tu|"
         r"lăm|lam|nhăm|sáu|sau|bảy|bay|tám|tam|chín|chin))?(?! (?:nghìn|nghin|ngàn|ngan|triệu|trieu|trăm|tram|phần"
         r"|phan|đồng|dong|k|lần|lan|người|nguoi|năm|nam|cái|cai)\b)(?: (?:tuổi|tuoi))?\b",
         lambda m: f"{_age(m.group(1), m.group(2))} tuổi"),
        # A number said digit by digit, as voice typing writes it ("tổng đài một năm sáu" is 156)
        (r"\b(tổng đài|số|gọi|bấm|nhắn tới|nhắn đến|nhắn) ((?:(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín) ){2,}"
         r"(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín))\b",
         lambda m: m.group(1) + " " + "".join(str(_NUMBER_WORDS.index(w) + 1) for w in m.group(2).split())),
        (r"\bcoi\b(?! (?:là|như|trọng|chừng|bộ))", "xem"),  # Southern "coi" = look at ("được coi là" stays)
        (r"(?<!hình )\bảnh\b(?! hưởng)", "hình ảnh"),  # a picture: "ảnh" folds like "anh", a way to say "you"
        # "tôi không hiểu sao lại phải vậy", "chẳng hiểu sao lại thế": asks why, as "sao vậy" does
        (r"\b(?:không|khong|chẳng|chang|chả|cha) (?:hiểu|hieu) (?:vì |vi |tại |tai )?(?:sao|răng) (?:lại |lai )?"
         r"(?:phải |phai )?(?:vậy|vay|thế|the)\b", "sao vậy"),
        (r"\blãi\b(?! suất)", "lãi suất"),  # interest ("lãi 3% mỗi ngày"): folded, "lãi" would be "lại" (again)
        (r"(?<!không )\bkhí không phải\b", " "),  # "cho tôi hỏi khí không phải": pardon the asking, nothing asked
        (r"\blỡ\b", " "),  # "lỡ quên", "lỡ bấm": it happened by mistake; what happened is the question
        # "trước tiên" (first of all) folds like "trước tiền" (the money first): "làm gì trước tiên" is "làm gì trước"
        (r"\btrước tiên\b", "trước"),
        # Sounds typed as heard: "ch" for "tr", "l" for "n", "x" for "s", "c" for "t", "ng" for "n" at the end
        (r"\bchả lời\b", "trả lời"),
        (r"\btrứng nhận\b", "chứng nhận"),
        (r"\b(chỗ|thế|cái|lúc|khi|nơi|người|điều|bên|loại) lào\b", r"\1 nào"),
        (r"\btại xao\b", "tại sao"),
        (r"\bliên kếc\b", "liên kết"),
        (r"\btài khoảng\b", "tài khoản"),
        # "… Tui mừng quá mà vợ tui cản. Ai đúng?": who is right in what the story tells asks what to make of it, as
        # "giờ sao" does (at the end, after the story's last clause)
        (r"(?:^|(?<=[.?!,;:…] ))(?:vậy |thế |rứa )?(?:ai|người nào) (?:nói |làm )?đúng(?: ai (?:nói |làm )?sai)?"
         r"(?: (?:vậy|hả|ta|đây|bot|ạ))*(?=\W*$)", "giờ sao"),
        (r"\btiềng\b", "tiền"),  # "trả tiềng điện": money ("tiếng", a voice, has another tone)
        # "sin" for "sinh" after what is born ("năm sin", "ngày sin"; "sin" alone is "xin")
        (r"\b(ngày|năm|nơi|giấy khai) sin\b", r"\1 sinh"),
        (r"\btổ chứ\b", "tổ chức"),  # the last letter dropped ("tổ chứ đó lập ra để làm gì")
        # "bh" at the end of what is asked: now ("làm j bh"), as "bây giờ" is typed short
        (r"\bbh(?=[\s?.!]*$)", "bây giờ"),
        (r"\blạ (?:hoắc|hoắt|huơ|hươ|quắc|hoẳng)\b", "lạ"),  # "người lạ hoắc", "số lạ huơ": only stressed
        (r"\b(?:bảng|bản|bảnh) (?:xếp|sếp) hạng\b", "bảng xếp hạng"),  # "bản sếp hạng": the ranking table
        (r"\bsếp hạng\b", "xếp hạng"),
        # Southern "trúng" (right) asked of what was said or done ("có trúng hông", "dịch trúng không"); not a prize
        # won ("có trúng thưởng không")
        (r"\b(có|nói|làm|dịch|hiểu|ghi|viết|trả lời) trúng (?=(?:không|hông|hong|ko|k|hôn|hăm|chưa|hả|ha)\b)",
         r"\1 đúng "),
        # Southern, Central: wrong ("nói trật", "nói tầm bậy", "trả lời tào lao")
        (r"\b(nói|trả lời|làm|đoán|ghi|viết|tính) (?:trật|tầm bậy|tào lao)\b", r"\1 sai"),
        # "x" for "s": "tên bị xai", "ghi xai ngày sinh" ("xài" typed without its tone is "use": not after these)
        (r"\b(bị|nói|trả lời|làm|ghi|viết|in|gõ|nhập|đánh|điền|bi|noi|tra loi|ghi|viet|nhap|dien) xai\b", r"\1 sai"),
        # a last letter typed as heard: "máy tín" (máy tính), "đặc mật khẩu" (đặt), "an toàng" (an toàn)
        (r"\bmáy tín\b", "máy tính"),
        (r"\bđặc (?=(?:mật khẩu|mật mã|pass|password|lịch|lời nhắc|câu hỏi)\b)", "đặt "),
        (r"\ban toàng\b", "an toàn"),
        (r"\bsài\b(?! gòn)", "dùng"),  # "sài" for "xài" (use): "sài được AI không"
        # Northern: "là cái giống gì" (what on earth is it), "nhận ra kiểu gì" (how to tell it), "ối giời ơi" (an
        # exclamation)
        (r"\b(là|cái) (?:cái )?giống gì\b", r"\1 gì"),
        (r"\b(nhận ra|nhận biết|phân biệt) kiểu gì\b", r"\1 thế nào"),
        (r"\b(?:(?:ối|ôi|ui) )?giời (?:đất |ạ |ơi )*(?:ơi|ạ)\b|\bôi giời\b", " "),
        # Central: "chu choa", "chu cha" (an exclamation, as "trời ơi")
        (r"\bchu (?:choa|cha|chà|chao|chòa)\b", " "),
    )
))

# "n" for "l" (and back), typed as said in parts of the North: only spellings that are no word of their own. Read
# the same way when looking for what a question asks to do ("người nao động" asks nothing of "người nào").
_N_FOR_L: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"\bnàm\b", "làm"),
        (r"\bnừa\b", "lừa"),
        (r"\bnuật\b", "luật"),
        (r"\bnao động\b", "lao động"),
        (r"\blói\b", "nói"),
        (r"\blày\b", "này"),
        # "thế lào", "lúc lào", "chỗ lào": never the country after these
        (r"\b(thế|như thế|lúc|chỗ|cái|người|năm|ngày) lào\b", r"\1 nào"),
        (r"\bnớp\b", "lớp"),
    )
)
# A name of several syllables typed as one word, as in a hashtag or its web address said without it
# ("binhdanhocvuso", "#binhdanhocAI", "congdanso"): the syllables it is made of. A web address as written
# ("binhdanhocvuso.gov.vn", in questions and in the content alike) stays one word.
_JOINED_NAMES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"\b{''.join(name.split())}\b(?!\.\w)"), name)
    for name in ("binh dan hoc vu so", "binh dan hoc ai", "binh dan hoc vu", "dich vu cong", "cong dan so",
                 "chuyen doi so", "bao hiem xa hoi", "bao hiem y te", "ngan hang", "khuyen hoc", "hoc tap suot doi",
                 "tuan le hoc tap", "cong dong hoc tap", "gia dinh hoc tap", "dong ho hoc tap")
)
_PHRASES += _N_FOR_L
_PHRASES += _JOINED_NAMES


# Spellings of one name joined after the marks are gone, so a wrong or missing accent does not matter
# ("tri tuê nhân tao", "chát gtp", "dip phết" are the same as their right spelling).
_FOLDED_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        # "ch" for "tr": how it sounds in the North; "tạu", "tạp" for "tạo": a vowel or the last letter slipped
        (r"\b(?:tri|chi) (?:tue|te|tu|tuu|tuye) nhan (?:tao|tau|tap|taoj)\b", "ai"),
        (r"\bchat ?(?:gpt|gbt|gtp|pgt|jpt|gp|gpt4|go ?pe ?te|gi ?pi ?ti)\b", "chatgpt"),  # typed or spoken
        (r"\bchat bot\b", "chatbot"),
        (r"\b(?:deep|dip|diep) ?(?:fake|facke|fack|fak|phake|phet|phek|phech|phec|fek|feck|fech)\b", "deepfake"),
        (r"\bvn ?(?:e|em)? ?id\b", "vneid"),  # "VN e ID": the "e" alone was read as teencode "em" first
        (r"\bza ?lo\b", "zalo"),
        (r"\bbinh (?:dang|danh|zan|giang) hoc (?=ai\b|vu so\b)", "binh dan hoc "),  # "bình dâng học AI": a slip
        (r"\bface ?book\b|\bphay ?buc\b", "facebook"),
        (r"\b(?:gu|guc|gut) ?go\b|\bgoogle\b", "google"),  # "Gúc gồ": how it sounds
        (r"\b(?:tik|tic|tich) ?(?:tok|toc)\b", "tiktok"),
        (r"\byou ?tube\b|\bdiu ?tup\b", "youtube"),
        (r"\bo t p\b|\bo te pe\b|\bo ti pi\b", "otp"),  # spelt out as said: "ô tê pê", "ô ti pi"
        (r"\bin[\s\-]*(?:to|te|that)[\s\-]*net\b", "internet"),  # spelt as said: "in tơ nét", "in-tờ-nét"
        (r"\bdinh dang (?=(?:dien tu|muc (?:1|2|mot|hai))\b)", "dinh danh "),  # "định dang điện tử": "định danh"
        # "có mấy mô hình", typed without accents: "co may" before what is counted ("có máy" is a phone)
        (r"\bco may (?=(?:mo hinh|buoc|loai|cach|mien|cap|bai|muc|tieu chi|dieu|chuong|nhom|giai doan|noi dung)\b)",
         "co bao nhieu "),
        (r"\b(bam|nhan|go|dien|nhap|truy cap) vo\b", r"\1 vao"),  # "bam vo link" ("vo" alone may be "vợ")
        (r"(?<!go )(?<!nhap )(?<!dien )(?<!bam )(?<!nhan )\b(?:vao|vo) cho nao\b", "o dau"),
        (r"\bvo (?=link\b|trang\b|app\b|ung dung\b)", "vao "),
        (r"\b(?:ve|vi) (?:ne|en) (?:ai|i) di\b", "vneid"),  # spelt out as it is said ("vê en ai đi")
        (r"\b(?:ve|vi) (?:et|ech) (?:et|ech) (?:ai|i) di\b", "vssid"),  # "vi ét ét ai đi"
        (r"\b(?:gie|ge|je|dze) ?mi ?(?:nai|ni)\b", "gemini"),  # "giê mi nai", "gie mi ni": as it is said
        (r"\b(?:copy|cop ?pi|cop|co ?pai|co ?pi) ?(?:lot|lop)\b", "copilot"),  # "Copy lốt", "cô pai lót": as heard
        (r"\bmai ?(?:co ?ro|cro|ro) ?(?:sop|sof|soft)\b", "microsoft"),  # "mai cờ rô sóp": Microsoft as it is said
        (r"\btop top\b", "tiktok"),  # "Tóp Tóp": TikTok as it is nicknamed
        (r"\bgia ding\b", "gia dinh"),  # "gia đìng": the last letters as heard ("nh" said "ng" in the Centre and South)
        (r"\bte le ?gr?am\b", "telegram"),
        # the languages of the peoples other than the Kinh, which no content speaks of ("bài học bằng tiếng Ê Đê",
        # "AI có hiểu tiếng H'Mông không"): one word no document has; "tiếng Kinh" is Vietnamese
        (r"\btieng (?:e de|ede|h mong|hmong|mong|gia rai|jrai|ba na|bahnar|xo dang|tay|thai|dao|nung|muong|khmer|"
         r"kho me|cham|co ho|k ho|m nong|mnong|ra glai|raglai|san diu|san chay|ha nhi|lo lo|x tieng|xtieng|stieng|"
         r"van kieu|co tu|ta oi|h re|hre|chu ru|kho mu|khmu|dan toc|dan toc thieu so)\b", "tieng dantoc"),
        (r"\btieng kinh\b", "tieng viet"),
        (r"\bbinh dan hoc vu xo\b", "binh dan hoc vu so"),
        (r"\bdong hoc (?=hoc tap\b|khuyen hoc\b)", "dong ho "),  # "dong hoc hoc tap": no "đóng học" (fees) there
        (r"\b(?:wi|wai|quai|oai) ?(?:fi|fai|phai)\b", "wifi"),  # "Wi-Fi" as the content writes it, "wai fai" as said
        # "gia roi con hoc chi nua": what for ("chi nua" alone may be "chị nữa")
        (r"\b(hoc|lam|hoc hanh) chi nua\b", r"\1 gi nua"),
        (r"\bhoi tham\b", "hoi"),  # "cho tôi hỏi thăm …" is "cho tôi hỏi …"
        # "ái chà", "ôi chao", "úi chà" opening a message: surprise, nothing asked of a father ("cha")
        (r"^(?:ai|oi|ui|u) (?:cha|chao)\b ?", ""),
        # Central "chi" for "gì" in "có … chi không" ("có nguy hiểm chi không", "có sao chi hông")
        # ("có chứng chỉ không", "có chỉ không" are no "gì": only after what may be asked of a thing)
        (r"\b(co (?:\w+ ){0,2}(?:nguy hiem|hai|loi|sao|van de|rui ro|kho|khac|giong|dang so|dang lo)) chi "
         r"(?=(?:khong|ko|hong|k)\b)", r"\1 gi "),
        # "… không bây": "bây" (you all), said to those asked, after the question
        (r"\b(khong|hong|gi|sao|chua|nao) bay$", r"\1"),
        # "đầu" (first) folds like "đâu" (where): "mở bot lần đầu" is no "học tới đâu". Folded, "lan dau" and
        # "dau tien" can only be "lần đầu" and "đầu tiên", so they are said as "thứ nhất".
        (r"\blan dau\b", "lan thu nhat"),
        (r"\bdau tien\b", "thu nhat"),
        # "truoc tien" typed without accents: "trước tiên" (first) where money cannot be: at the end, after what is
        # asked ("lam gi truoc tien"), before who is to act or what to do ("truoc tien toi phai", "truoc tien can")
        (r"\b(?:(?<=\bgi )|(?<=\bsao )|(?<=\bnao )|(?<=\bviec )|(?<=\bdieu )|(?<=\bbuoc )|(?<=\bcai ))truoc tien\b"
         r"|\btruoc tien(?=$| (?:phai|can|nen|thi|la|minh|toi|ban|em|chau|con|ta|hay|cu|moi nguoi)\b)", "truoc"),
        # "nhất" (most) folds like "nhật" ("cập nhật": update): "cách nào tốt nhất" asks nothing of updating. Said
        # after what it measures it only says "the most" ("an toàn nhất", "mới nhất"): left out, typed with or
        # without accents; "cập nhật", "chủ nhật", "sinh nhật", "nhật ký", "thứ nhất", "duy nhất", "nhất định" stay.
        (r"(?<!\bcap)(?<!\bchu)(?<!\bsinh)(?<!\bduy)(?<!\bthu)(?<!\bthong)(?<!\bhop)(?<!\bdong)(?<!\bhang)"
         r"(?<!\bgiai)(?<!\bngay)(?<!\bnguoi)(?<!\bnuoc)(?<=\w) nhat\b(?! (?:ky|ban|bao|dinh|la|tri|the|quyet)\b)", ""),
    )
)

# Teencode, abbreviations and regional forms (content/data/teencode.yaml), applied to whole words before folding.
TEENCODE = Path(__file__).with_name("data") / "teencode.yaml"
ABBREVIATIONS: dict[str, str] = {
    unicodedata.normalize("NFC", str(k)).lower(): unicodedata.normalize("NFC", str(v)).lower()
    for k, v in (yaml.safe_load(TEENCODE.read_text(encoding="utf-8")) or {}).items()
}

# Politeness fillers and the ways of saying “go on” (content/data/words.yaml).
WORDS = Path(__file__).with_name("data") / "words.yaml"
_WORDS = yaml.safe_load(WORDS.read_text(encoding="utf-8"))
_FILLERS_RAW: str = _WORDS["fillers"]

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


def strip_marks(text: str) -> str:
    """Accents and tone marks off, đ→d (case kept except Đ)."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return bare.replace("đ", "d").replace("Đ", "d")


_FILLERS = frozenset(strip_marks(w) for w in _FILLERS_RAW.split())

# The old spelling puts the tone on the first vowel of an open "oa", "oe", "uy" ("hòa", "khỏe", "thủy"), the new
# one on the second ("hoà", "khoẻ", "thuỷ"); both are taught and typed. Matched on NFD text: the tone mark right
# after the "o"/"u" and the syllable ending with the next vowel.
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
_OLD_STYLE_TONE = re.compile(rf"(?:(?<=[oO])([{_TONES}])([aAeE])|(?<=[uU])([{_TONES}])([yY]))(?![\w\u0300-\u036f])")


def _second_vowel(m: re.Match[str]) -> str:
    return m.group(2) + m.group(1) if m.group(1) else m.group(4) + m.group(3)


def new_style_tones(text: str) -> str:
    """The text in NFC with the tone of open "oa", "oe", "uy" on the second vowel ("khỏe" → "khoẻ")."""
    return unicodedata.normalize("NFC", _OLD_STYLE_TONE.sub(_second_vowel, unicodedata.normalize("NFD", text)))


# A decision's, a resolution's or a letter's number typed onto its short name ("nq57", "qđ1373", "cv5607"): two words
_GLUED_NUMBER = re.compile(r"\b(nq|qd|qđ|kl|nđ|cv)(\d+)\b")


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """NFC, lower-case, expand teencode, strip diacritics, đ→d; words joined by single spaces."""
    low = _GLUED_NUMBER.sub(r"\1 \2", unicodedata.normalize("NFC", text).lower())
    for pattern, who in _WHO:
        low = pattern.sub(who, low)
    for pattern, repl in _PHRASES:
        low = pattern.sub(repl, low)
    words = [ABBREVIATIONS.get(w, w) for w in _WORD.findall(low)]
    folded = strip_marks(" ".join(words)).replace("_", " ").strip()
    for pattern, repl in _FOLDED_PHRASES:
        folded = pattern.sub(repl, folded)
    return folded


def _load_synonyms() -> tuple[re.Pattern[str], dict[str, str]]:
    groups = yaml.safe_load(SYNONYMS.read_text(encoding="utf-8")) or []
    table = {strip_marks(str(p).lower()): strip_marks(str(g[0]).lower()) for g in groups for p in g[1:]}
    ordered = sorted(table, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in ordered) + r")\b"), table


SYNONYMS = Path(__file__).with_name("data") / "synonyms.yaml"
_SYNONYM_RE, _SYNONYM = _load_synonyms()


def synonyms_of(head: str) -> frozenset[str]:
    """The folded phrases content/data/synonyms.yaml makes `head` ("vietcombank", "agribank"… for "ngan hang")."""
    return frozenset(p for p, h in _SYNONYM.items() if h == head and p != head)


@lru_cache(maxsize=8192)
def canon(folded: str) -> str:
    """Folded text with each synonym replaced by its group's first phrase ("mất tiền" → "phi")."""
    return _SYNONYM_RE.sub(lambda m: _SYNONYM[m.group(0)], folded)


def syllables(text: str) -> list[str]:
    """Folded syllables of a text, in order, synonyms made one (content/data/synonyms.yaml)."""
    return _WORD.findall(canon(fold(text)))


def tokens(text: str) -> list[str]:
    """Folded syllables plus adjacent-syllable bigrams ("hoc_tap"): the units the search index counts."""
    sylls = syllables(text)
    return sylls + [f"{a}_{b}" for a, b in itertools.pairwise(sylls)]


def _word_forms(word: str) -> str:
    """A word of an action phrase as a pattern: as written, or folded when typed without any accent, unless
    marked "=" (then only as written)."""
    if word.startswith("="):
        return re.escape(word[1:])
    bare = strip_marks(word)
    return re.escape(word) if bare == word else f"(?:{re.escape(word)}|{re.escape(bare)})"


def _phrases(phrases: list[str]) -> re.Pattern[str]:
    ordered = sorted({unicodedata.normalize("NFC", p).lower() for p in phrases}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(r"\s+".join(map(_word_forms, p.split())) for p in ordered) + r")\b")


_GROUPS: list[list[str]] = [*_WORDS["actions"], *_WORDS["things"]]  # a thing no entry tells of reads as an action
_ACTION_GROUP = {
    strip_marks(p.lower().replace("=", "")): strip_marks(g[0].lower().lstrip("=")) for g in _GROUPS for p in g
}
# The groups of content/data/words.yaml `things` (the ringer, the battery, a bank balance…), named as `actions` names
# them: asked of whatever the message's clauses (content/search.py).
THINGS = frozenset(strip_marks(g[0].lower().lstrip("=")) for g in _WORDS["things"])
_ACTION_SYLLABLES: dict[str, frozenset[str]] = {}
for _group in _GROUPS:
    _ACTION_SYLLABLES[strip_marks(_group[0].lower().lstrip("="))] = frozenset(
        w for p in _group for w in syllables(p.replace("=", "")))
_ACTION_RE = _phrases([p for g in _GROUPS for p in g])
_NOT_ACTION_RE = _phrases(_WORDS["not_actions"])
COMPARISON = "so sanh"  # the group of comparing two things
MISTAKEN = "chuyen nham"  # the group of money sent to the wrong account by mistake
_SENT_AMOUNT = re.compile(r"\b(?:chuyển|chuyen|ck)(?: (?:gấp|gap|luôn|luon|mất|mat|hết|het))? \d+(?:[.,]\d+)? ?"
                          r"(?:triệu|trieu|tr|nghìn|nghin|ngàn|ngan|k|củ|cu)\b")
# Money sent, then the one it went to gone ("chuyển 600k xong bị chặn luôn", "ck rồi nó block", "chuyển cọc xong shop
# biến mất", "chuyển tiền rồi không liên lạc được"): a scam told, though the word is not said.
_SENT_THEN_GONE = re.compile(r"\b(?:(?:chuyển|chuyen|gửi|gui|nạp|nap) (?:tiền|tien|khoản|khoan|cọc|coc|"
                             r"\d[\d.,]*\s?(?:k|tr|triệu|trieu|nghìn|nghin|ngàn|ngan|củ|cu)\b)|ck)"
                             r"(?: \S+){0,3}? (?:xong|rồi|roi|thì|thi)"
                             r"(?: (?:bị|bi|nó|no|họ|ho|shop|người ta|nguoi ta|bên kia|ben kia))*"
                             r" (?:chặn|chan|block|biến mất|bien mat|mất liên lạc|mat lien lac|không liên lạc được|"
                             r"khong lien lac duoc|lặn mất|lan mat|bỏ chạy|xóa nick|xoa nick)\b")
# "Gemini khác ChatGPT thế nào", "thẻ căn cước khác căn cước công dân ra sao": what is compared may stand between.
# "luật nào áp dụng trước, luật nào sau", "cái nào trước cái nào sau": which of two, each asked in turn
_NOT_REAL_OR_FAKE = r"(?! ?(?:là )?(?:thật|that|thiệt|thiet|giả|gia|xịn|xin|dỏm|dom)\b)"
_COMPARE_FRAME = re.compile(
    r"\b(?:khác|khac)(?: \w+){1,4}? (?:thế nào|the nao|ra sao|chỗ nào|cho nao|điểm nào|diem nao)\b"
    # ("app nào thật app nào giả": telling the real one from fakes, no two things compared)
    r"|\b(luật|luat|cái|cai|app|ứng dụng|ung dung|bên|ben) (?:nào|nao)\b" + _NOT_REAL_OR_FAKE
    + r"(?: \w+){0,8},? \1 (?:nào|nao)\b" + _NOT_REAL_OR_FAKE)


# What others require of a thing, said between it and "là gì" ("cái VNeID người ta bắt cài là cái gì", "app mà xã bảo
# đăng ký là gì"): it tells which thing, what it is is asked; no action is asked of it.
_WANTED_BY = ("người ta", "ai cũng", "xã", "phường", "nhà nước", "công an", "họ", "mọi người", "cán bộ")
_WANT_VERBS = ("bắt", "bảo", "biểu", "kêu", "yêu cầu", "vận động", "nói", "đòi", "khuyên", "hướng dẫn", "dặn", "nhắc",
               "giới thiệu")


def _either(phrases: Sequence[str]) -> str:
    return "(?:" + "|".join(" ".join(map(_word_forms, p.split())) for p in phrases) + ")"


_OTHERS_WANT = re.compile(rf"\b(?:{_word_forms('mà')} )?{_either(_WANTED_BY)}"
                          rf"(?: {_either(('xã', 'phường', 'thôn', 'ấp'))})?"
                          rf"(?: {_either(('cứ', 'hay', 'đang', 'đều', 'cũng', 'vừa', 'mới'))})* {_either(_WANT_VERBS)}"
                          rf"(?: \w+){{1,6}}? (?={_word_forms('là')} (?:{_word_forms('cái')} )?"
                          rf"(?:{_word_forms('gì')}|chi|j)\b)")


@lru_cache(maxsize=8192)
def actions(text: str) -> frozenset[str]:
    """What a text asks to do, by group of content/data/words.yaml `actions`, folded ("tôi quên mật khẩu zalo"
    → {"quen"}); "làm quen", "suốt đời" and "đòi tiền" are no action."""
    low = _CONTEST.sub(_contest, unicodedata.normalize("NFC", text).lower())
    for pattern, repl in _N_FOR_L:
        low = pattern.sub(repl, low)
    for pattern, repl in _WHO:
        low = pattern.sub(repl, low)
    low = _OTHERS_WANT.sub(" ", " ".join(ABBREVIATIONS.get(w, w) for w in _WORD.findall(low)))
    found = {_ACTION_GROUP[strip_marks(m)] for m in _ACTION_RE.findall(_NOT_ACTION_RE.sub(" ", low))}
    if _SENT_AMOUNT.search(low):  # "chuyển 30 triệu": money sent, said with its amount
        found.add(_ACTION_GROUP["chuyen tien"])
    if _SENT_THEN_GONE.search(low):  # "chuyển 600k xong bị chặn luôn": sent, and scammed
        found |= {_ACTION_GROUP["chuyen tien"], _ACTION_GROUP["lua"]}
    if _COMPARE_FRAME.search(low):
        found.add(COMPARISON)
    return frozenset(found)


def action_syllables(groups: frozenset[str]) -> frozenset[str]:
    """The syllables of every way of saying these actions (groups as `actions` names them): "chuyển 30 triệu" names
    the transfer that "chuyển tiền", "chuyển khoản" say."""
    return frozenset(s for g in groups for s in _ACTION_SYLLABLES.get(g, ()))


def content_syllables(text: str) -> list[str]:
    """Folded syllables without politeness fillers ("ạ", "vậy", "cho tôi hỏi"); used for coverage."""
    return [s for s in question_syllables(text) if s not in _FILLERS]


# Who is speaking or spoken to, folded: "bác ơi cho cháu hỏi…", "cho con hỏi…", "tui muốn biết…".
_PERSON = (
    r"(?:toi|tui|minh|em|anh|chi|chau|con|bac|chu|co|di|cau|mo|thim|ong|ba|me|bo|ban|bot|ad|admin|tao|"
    r"chung toi|chung em|chung chau|ba con|anh chi|co chu|cac chau|cac ban|cac em|ca nha|moi nguoi)"
)
# Where one hears of things (folded): the radio, the TV, the commune's loudspeaker, the papers.
_MEDIUM = (r"(?:dai phat thanh|dai|loa xa|loa phuong|loa thon|loa|ti vi|tivi|tv|radio|bao|bao dai|thoi su|ban tin|"
           r"tin tuc|truyen hinh)")
# Who at home a question is passed on for ("bà em", "ông ngoại cháu", "các cụ"), folded: grandchildren typing for
# grandparents. Not "bà con" (the villagers).
_KIN = r"(?:ong ba|bo me|cac cu|ong|ba|me|bo|cha|ma|bac|chu|co|di|cau|mo|thim|ngoai|noi)"
_SELF = r"(?:em|chau|minh|toi|tui|con|tao)"
# Who around the asker keeps talking of a thing, and where (folded): "tụi nhỏ trong nhà", "người ta ngoài chợ".
_SAYERS = (r"(?: (?:tui|bon|may dua|dam|lu) (?:nho|tre|nhoc|con nit|thanh nien|con|chau)| nguoi ta| con chau| hang xom|"
           r" ba con| may dua nho)(?: (?:trong|o|ngoai|tren|duoi) (?:nha|xom|ap|thon|xa|cho|phuong|khom|truong|lang))?")
# The peoples of Việt Nam other than the Kinh, folded: names of two syllables or more (or unlike any word), and the
# short ones that are also words ("thái" rau, "tây", "dao", "mông", "chăm" chỉ), said only of oneself.
_ETHNIC = (r"(?:nguoi|dan toc) (?:h ?mong|hmong|e de|ede|gia rai|jrai|ba na|bahnar|xo dang|co ho|k ho|khmer|nung|"
           r"muong|san diu|san chay|cao lan|ha nhi|lo lo|ra glai|raglai|m nong|mnong|x tieng|xtieng|stieng|van kieu|"
           r"bru|co tu|ta oi|pa ko|h re|hre|chu ru|kho mu|khmu|la chi|phu la|pa then|si la|la ha|xinh mun|la hu|bo y|"
           r"co lao|gie trieng|cho ro|ro mam|o du|dan toc thieu so|thieu so)|dan toc thieu so")
_ETHNIC_SHORT = (r"(?:dao|thai|tay|mong|cham|giay|khang|chut|brau)"
                 r"(?! (?:chi|soc|muon|doi|lo|lam|hoc|nhu)\b)")
# Politeness and story frames around the real question (on folded text). They are dropped before search and
# before measuring how much of the question an answer covers, so "cho tôi hỏi AI là gì ạ" is "ai la gi".
_FRAMES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        r"\balo+(?: alo+)*\b",
        r"^(?:ui|oi|uoi) (?:gioi|troi)(?: dat)?(?: oi)?\b",  # "Ui giời, quên tiệt …": a sigh, nothing asked
        r"\b(?:hieu )?nom na\b",  # "xã hội học tập hiểu nôm na là thế nào": roughly, what it is
        # a question passed on ("ông ngoại cháu hỏi", "bà cháu bảo: cháu ơi", "ông em muốn biết", "các cụ hỏi"): who
        # asks it is no part of it ("bà em báo công an" is a report: "bảo" only before whom or what is said)
        rf"\b(?:(?:ong ba|bo me|cac cu)|{_KIN}(?: (?:noi|ngoai))?(?= (?:noi|ngoai|{_SELF})\b))"
        rf"(?: (?!con\b){_SELF})? (?:co |cu |hay |vua |cung )?(?:hoi|muon biet|muon hoi|"
        rf"can biet|thac mac|nho {_SELF} hoi|bao(?= (?:{_SELF}|la|rang|oi)\b)|dan(?= {_SELF}\b))"
        rf"(?: {_SELF}(?= oi\b))?(?: (?:la|rang))?\b",
        # "Đứa em bảo lấy ChatGPT tóm tắt hợp đồng, có ổn không", "con tôi khuyên xài Gemini": who told the asker to
        # use a thing is no part of what is asked of it
        rf"^(?:(?:dua|thang|con be|vo|chong|ban|nguoi ta|hang xom|{_KIN}|{_SELF})(?: (?:em|chau|con|gai|trai|ut|ban))?"
        r"(?: (?:toi|tui|minh|nha toi|nha minh))? )(?:cu |hay |vua |moi |cung )?(?:bao|khuyen|keu|bieu|xui) "
        r"(?=(?:lay|dung|xai|nho|cai|thu)\b)",
        # "cái VNeID người ta bắt cài là cái gì": what others require of it tells which thing (see _OTHERS_WANT)
        # ("mật khẩu gia đình mà cán bộ xã dặn trong buổi họp thôn là cái gì")
        r"\b(?:ma )?(?:nguoi ta|ai cung|xa|phuong|nha nuoc|cong an|ho|moi nguoi|can bo)(?: (?:xa|phuong|thon|ap))?"
        r"(?: (?:cu|hay|dang|deu|cung|vua|moi))* (?:bat|bao|bieu|keu|yeu cau|van dong|noi|doi|khuyen|huong dan|dan|"
        r"nhac|gioi thieu)(?: \w+){1,6}? (?=la (?:cai )?(?:gi|chi|j)\b)",
        # "…, bà em nghe hai kiểu", "nghe mỗi người nói một kiểu": why it is asked (what was heard disagrees)
        rf"\b(?:{_PERSON} ){{0,2}}(?:cung |thi )?nghe(?: noi)? (?:hai|2|nhieu|moi nguoi (?:noi )?mot|lung tung) kieu\b",
        r"^cai vu\b",  # "Cái vụ chuyển tiền phải quét mặt …": the matter asked about
        # "… mật khẩu gia đình như trên tivi nói": where it was heard of, not what is asked
        rf"\bnhu (?:tren |o |trong )?(?:{_MEDIUM}|nguoi ta|can bo(?: xa| thon| phuong)?)"
        r" (?:noi|bao|nhac|huong dan|day)\b",
        # "hỏi cái máy xem AI là gì", "hỏi bot thử": asked to ask the bot, what is asked follows
        r"\bhoi (?:cai |con )?(?:may|bot|chatbot|may tra loi)(?: nay)? (?:xem|coi|thu)\b",
        # "bà em nghe thời sự nói mà không hiểu": why it is asked, not what
        rf"\b(?:{_PERSON} ){{0,2}}(?:cung |hay )?nghe {_MEDIUM} noi(?: ma)? (?:van )?(?:khong|chua|chang|cha) "
        r"(?:hieu|biet)(?: gi| lam)?\b",
        # "… là gì thì cháu giải thích sao cho dễ hiểu": what it is, asked to be told simply
        rf"(?<=\bla gi) (?:thi )?(?:{_PERSON} )?(?:phai |nen )?(?:giai thich|noi|giang|trinh bay|ke)(?: lai)?"
        rf"(?: cho (?:\w+ ){{0,2}}?(?:nghe|hieu))? (?:sao|the nao|ra sao|nhu the nao|kieu gi|lam sao)"
        r"(?: cho (?:de hieu|\w+ (?:de )?hieu|de))?$",
        # "cháu là đoàn viên xã, …": who asks, a young volunteer helping the old
        r"\b(?:toi|tui|em|minh|chau|con) la (?:doan vien|thanh nien tinh nguyen|sinh vien tinh nguyen|tinh nguyen vien)"
        r"(?: (?:xa|thon|phuong|ap|huyen|doan|cua xa|cua thon|o xa|o thon))*\b",
        # "Bot trả lời giúp ông nhé": the bot asked to answer what was said, no question about its answers
        rf"\b(?:{_PERSON} )?tra loi (?:giup|gium|dum|ho)(?: cho)?(?: {_PERSON})?(?: (?:nhe|nha|voi|di|a|nhe))*$",
        # "hỏi cái vụ sáp nhập …", "cho tôi hỏi vụ VNeID mức 2": the matter asked about ("vụ lúa", "vụ mùa" are crops)
        rf"\b(?:(?:cho|xin) )?(?:{_PERSON} )?hoi (?:ve )?(?:cai |may )?vu (?!(?:lua|mua|dong|xuan|he|thu|chiem|mau)\b)",
        # "anh cán bộ ơi", "cô giáo ơi", "chú công an xã ơi": whom it is asked of, by their work
        rf"\b(?:{_PERSON} )?(?:can bo|giao|giao vien|cong an|truong thon|truong ban|chu tich|hoi truong|bi thu|"
        r"y ta|bac si)(?: (?:xa|thon|ban|phuong|ap|lang|khuyen hoc))? oi\b",
        rf"\b(?:{_PERSON}|cac \w+) oi\b",
        r"\b(?:da )?(?:thua|xin phep|lam on|phien) (?:\w+ )?(?=cho|hoi)",
        rf"^(?:{_PERSON} )+(?=cho |de |xin |muon |cach )",
        rf"\b(?:{_PERSON} )?(?:xin |vui long |lam on )?(?:cho|de|cho phep) (?:{_PERSON} )?(?:xin )?(?:duoc )?hoi"
        r"(?: chut| ti| mot chut| them| cai nay| mot cau| mot ti| voi| nhe| nha| ha)*(?: la| ve)?\b",
        rf"\b(?:{_PERSON} )?(?:dang |cung )?(?:muon|xin|can|dinh|tinh|hoi) (?:duoc )?(?:hoi|biet|nho|hieu)"
        r"(?: them| chut| ti| cai nay| mot chut)*(?: la| ve| xem)?\b",
        r"\bxin (?:cho )?hoi\b",
        rf"^(?:xin |vui long |lam on )?cho (?:{_PERSON} )?biet\b",  # "vui lòng cho biết …", "cho tôi biết …"
        rf"\b(?:giup|gium|dum)(?: do)? {_PERSON}\b",  # "kể tên giúp tôi": politeness; "AI giúp gì" stays
        rf"^(?:da )?thua {_PERSON}\b",  # "Thưa bot, …", "Dạ thưa bác, …": whom it is said to
        r"^(?:(?:o|u|a|ua|uh|um|thi|the|vay|ma|the thi|vay thi|thua|da|vang|da vang)\b ?)+",  # "à ừ thì …"
        # "tôi nghe đài nói nhiều về trí tuệ nhân tạo, vậy nó là cái gì": where the asker heard of it
        rf"\b(?:{_PERSON} )?(?:cung |hay |thuong )?nghe (?:\w+ ){{0,2}}?noi (?:nhieu |hoai |mai |rat nhieu )?"
        r"(?:ve|toi|den)\b",
        rf"^(?:{_PERSON} )?hoi (?:chut|ti|cai nay|them|cau nay|la|ve|cai)\b",
        rf"\b(?:{_PERSON} )?hoi (?:la|cai nay la)\b",
        r"\bnho (?:ban|bot|anh|chi|em|chau) ?(?:noi|giai thich|chi|huong dan)? giup\b",
        rf"\b(?:ma )?(?:{_PERSON} )?(?:that su |that |van |cung )?(?:khong|chang|cha|chua|ko) "
        r"(?:biet|hieu|ro)(?: gi| lam)?(?= .*\b(?:la (?:cai )?gi|de lam gi|the nao|ra sao|lam sao)\b)",
        r"^(?:xin )?chao(?: ban| bot| em| chau| anh| chi| bac| ad| admin)?\b",
        r"\b(?:a ma|a|u|thi|the|vay) (?:cho )?(?=toi|minh|bac|chau|hoi)",
        r"\bnoi (?:cho|giup) (?:toi|tui|minh|bac|chau|em) (?:nghe|biet)(?: voi)?\b",
        r"\b(?:rot cuoc|thuc ra|that ra|tom lai|noi chung|chung qui|chung quy|the cho nen|vi the)\b",
        # when the story happened: "hôm qua", "tuần trước", "mấy bữa nay" ("năm nay" stays: "chủ đề năm nay")
        r"\b(?:hom qua|hom kia|tuan truoc|tuan roi|thang truoc|thang roi|nam ngoai|sang nay|chieu qua|bua truoc|"
        r"bua qua|may hom nay|may bua nay|may hom truoc|dao nay|luc nay|vua roi|hom bua|bua hom|may bua truoc)\b",
        rf"\b(?:a|ha|ho|nhe|nha|nhi|vay|the|day|di) {_PERSON}$",  # "… là gì hả bot", "… không nhé bác"
        # "thẻ tôi làm từ năm 2021, bây giờ còn dùng được không": when the asker did it, and that it is now
        r"\b(?:lam|cap|mua|dang ky)(?: tu| vao| hoi| tu hoi)?(?: nam)? (?:19|20)\d\d\b(?= .*\b(?:bay gio|gio|con)\b)",
        r"\b(?:bay gio|hien gio|gio day)(?= (?:con|van)\b)",
        # "…, đọc báo thấy nói mãi", "nghe đài nhắc hoài": where the asker keeps hearing of it, after the question
        rf"\b(?:{_PERSON} )?(?:doc|nghe|xem|thay)(?: {_MEDIUM}| tren mang| tren facebook| tren zalo)?(?: thay)?"
        r" (?:noi|nhac|ban|bao)(?: den| toi| ve)? (?:mai|hoai|nhieu|suot)$",
        # "…, nói nghe coi", "nói cho tui nghe với": asked to tell, the question is before it (Southern)
        rf"\bnoi (?:cho {_PERSON} )?nghe(?: (?:xem|thu|voi|di|nhe|nha|nghen))*$",
        # "… dc ko b", "… là gì bạn": whom it is asked of, after the question
        r"(?:(?<=\bkhong)|(?<=\bgi)|(?<=\bchua)|(?<=\bnao)|(?<=\bsao)) (?:b|ban|bot|ad)$",
        # "…, lo quá", "… không, sợ quá đi": how the asker feels, said after the question
        r"(?:(?<=\bkhong)|(?<=\bgi)|(?<=\bsao)|(?<=\bchua)|(?<=\bnao)|(?<=\bdau)) (?:lo|so|buon|met|hoang) "
        r"(?:qua|lam|that)(?: di| troi| a| ha| nha)?$",
        # "… được không tôi sợ quá", "… không hay sao tôi thấy nghi nghi là sợ": the same, said of oneself
        rf"(?:(?<=\bkhong)|(?<=\bgi)|(?<=\bsao)|(?<=\bchua)|(?<=\bnao)|(?<=\bdau)) {_PERSON} (?:thay |cung |dang )?"
        r"(?:(?:nghi nghi|lo lo|so so) )?(?:la )?(?:lo|so|buon|hoang|nghi nghi|nghi ngo|hoang mang|lo lang)"
        r"(?: qua| lam| that)?(?: di| troi| a| ha| nha)?$",
        r"\b(?:a|ay|day|nhe|nha|nhen|nghen|ne|ha|he|hen|chu|ca|voi|nhi|di|vay|the|ta)$",
        r"\b(?<=gi|ao|ng|ua|au|ay|he) da$",  # "… là gì dạ", "được không dạ": Southern politeness
        r"(?<=\bgi) het$",  # "không trả lời gì hết": "hết" only stresses the "gì" ("gì cả")
        # the asker who was named first speaks: "ông ơi, cháu hỏi …", "con ơi, mẹ hỏi …" (the address goes first)
        # (and whom it asks, when "chút", "tí" follow: "bà hỏi con chút"; "cháu hỏi bác sĩ" keeps its doctor)
        r"^(?:chau|con|em|bac|chu|ba|me|bo|ong|anh|thim) hoi (?:chau|con|em|bac|chu|ba|me|bo|ong|anh|chi|co|di|thim) "
        r"(?:chut|ti|xiu|cai nay)\b",
        r"^(?:chau|con|em|bac|chu|ba|me|bo|ong|anh|thim) hoi\b",  # not "cơ hội", "chi hội", "câu hỏi", "mồ hôi"
        # "tui nghe hoài mà hổng hiểu", "nghe mãi chưa hiểu", "nghe đài phát thanh nói hoài mà không hiểu": why it
        # is asked, not what (what was heard it from may stand between: the radio, the TV, the commune loudspeaker,
        # or who says it and where: "tui nghe tụi nhỏ trong nhà nói hoài", "nghe người ta ngoài chợ nói mãi")
        rf"\b(?:{_PERSON} )?(?:nghe|doc|thay|xem)(?: {_MEDIUM}|(?: \w+){{1,2}}|{_SAYERS})??(?: noi)? "
        r"(?:hoai|mai|nhieu|hoai hoai)"
        r"(?: ma)? (?:van )?(?:khong|chua|chang|cha) (?:hieu|biet)(?: gi| lam)?\b",
        # "… người ta hay nói trên ti vi", "răng ai cũng nói tới": who talks of it and where, not what is asked
        r"\b(?:(?:sao|tai sao|vi sao|rang) )?(?:nguoi ta|moi nguoi|ai ai|ai|thien ha) (?:cung |deu )(?:hay |cu |dang )?"
        r"(?:noi|nhac|ban tan|ban|khen) (?:toi|den|ve)(?: no)?\b",
        rf"\b(?:nguoi ta|moi nguoi|ho) (?:hay |cu |thuong |dang )?(?:noi|nhac|quang cao) (?:tren|o|qua) "
        rf"{_MEDIUM}\b",
        # "báo cho ai để người ta sửa lại cho đúng", "báo ở đâu để họ xử lý": why one reports, after whom or where
        # (and "cho ai biết", "cho ai hay": to whom, as "cho ai" says it)
        r"(?<=\bai) (?:biet|hay)(?= de )",
        r"(?:(?<=\bai)|(?<=\bdau)|(?<=\bnao)) de (?:nguoi ta|ho|can bo|ben do|ad|admin) "
        r"(?:sua|xu ly|giai quyet|kiem tra)(?: lai)?(?: cho (?:dung|chuan))?\b",
        # "tôi thấy lẫn lộn quá", "cứ nhầm lẫn hoài": why a comparison is asked (content/data/words.yaml reads it so)
        rf"\b(?:{_PERSON} )?(?:thay |hay |cu |bi |de )?(?:lan lon|nham lan)(?: qua| lam| het| hoai| mai)?\b",
        r"\bdo(?= la (?:cai )?gi\b)",  # "Tuần lễ … đó là cái gì": "đó" only points back at what is named
        # "tôi là cán bộ khuyến học xã, tôi muốn …": who asks, said before what they want (not what is asked)
        r"^(?:toi|tui|em|minh|chau|con) la (?:can bo|hoi vien|chu tich|pho chu tich|thu ky|truong thon|truong ap|"
        r"giao vien|co giao|thay giao)\b(?: \w+){0,6}? (?=(?:toi|tui|em|minh|chau|con) (?:muon|can|dinh|dang)\b)",
        # "tôi người Dao", "tôi là người H'Mông", "người Xơ Đăng": who asks, the people they belong to (a name that is
        # also a word, "Thái", "Tày", "Dao", "Mông", only said of oneself: "tôi (là) người …")
        rf"\b(?:{_PERSON} (?:cung )?(?:la )?(?:nguoi|dan toc|nguoi dan toc) {_ETHNIC_SHORT}"
        rf"|(?:{_PERSON} (?:cung )?(?:la )?)?(?:nguoi )?{_ETHNIC})\b",
        # "AI là cái gì, tôi chữ biết ít": what is asked, then that the asker reads little (after "what is it" only:
        # "không biết chữ, dùng AI được không" asks of voice typing)
        rf"(?<=\bgi)(?: (?:a|vay|ha|nhe|nha))? (?:{_PERSON} )?(?:doc |viet )?"
        r"(?:chu (?:nghia )?(?:biet it|it|kem|con kem|chua gioi|khong gioi|khong ranh|khong nhieu)"
        r"|biet it chu|it chu|it hoc|hoc it)$",
        # "tổ chức thế nào cho hiệu quả", "dạy ra sao cho tốt": how, however well
        r"(?:(?<=\bthe nao)|(?<=\bra sao)|(?<=\blam sao)) cho (?:hieu qua|tot|hay)$",
        # "tôi nghe trên loa xã nói có …", "nghe qua đài bảo là …": where the asker heard of it
        rf"\b(?:{_PERSON} )?(?:cung |hay |thuong )?nghe (?:tren |qua |o )?{_MEDIUM}(?: \w+)? (?:noi|bao|doc)"
        r"(?: (?:la|rang|co))?\b",
        # "em nghe nói có ngày khuyến học, ngày nào": that there is one was heard; what is asked follows "có"
        rf"\b(?:{_PERSON} )?(?:cung |co |thay )?nghe (?:noi|bao|ke|doc)(?: (?:la|rang))? (?=co \w)",
        # "cán bộ nói có năm …", "trên đài bảo có …": the same, told by someone or heard on the radio
        rf"\b(?:can bo(?: xa| thon| ban| phuong)?|nguoi ta|hang xom|(?:tren )?{_MEDIUM}(?: xa| thon| huyen| tinh)?)"
        r" (?:cung |hay |thuong )?(?:noi|bao)(?: (?:la|rang))? (?=co \w)",
        # "… cháu giải thích cho tôi với", "bot nói giúp bác nhé": asked to explain, the question is before it
        rf"\b(?:{_PERSON} )?(?:giai thich|noi|giang|chi) (?:giup |gium |dum |cho |ho )+(?:{_PERSON})"
        r"(?: (?:voi|nhe|nha|di|nghe|biet|ro|hieu))*$",
        # "…, chỉ hết tui coi", "chỉ giùm tui xem với": asked to be shown, the question is before it (Southern)
        rf"\bchi (?:het |giup |gium |dum |cho |ho )*{_PERSON}(?: (?:xem|voi|nhe|nha|di|thu|het|nghen|nghe|biet))+$",
        rf"\b(?:{_PERSON} )?giai thich(?: cho)?(?: (?:de hieu|ngan gon|cu the|ro rang))?(?: (?:giup|gium|dum|cho|ho))*"
        rf"(?: {_PERSON})?(?: (?:voi|nhe|nha|di|nghe|biet|ro|hieu|them))*$",  # "…, giải thích dễ hiểu giúp em"
    )
)


# "Không biết dùng ChatGPT", "chưa rành cài VNeID": how to do it (not "làm sao biết … thật hay giả").
_DONT_KNOW_HOW = re.compile(r"\b(?:khong|chang|cha|chua|ko|k|hong|hok|ch) (?:biet|ranh|thao) (?:cach )?(?="
                            r"(?:dung|su dung|cai|dang nhap|dang ky|tai)\b)")


# "Làm sao để cài VNeID", "mần răng để …", "làm thế nào để …": how to do it, as "cách cài VNeID" says it
# (content/search.py: such a question is also searched with "cách"; a text that says it so also has "cách").
_HOW_TO = re.compile(r"\blam (?:sao|the nao|cach nao) de\b")


def how_to(text: str) -> bool:
    """The text asks how to do something with "làm sao để", "làm thế nào để" (however typed)."""
    return bool(_HOW_TO.search(canon(fold(text))))


@lru_cache(maxsize=8192)
def question_core(text: str) -> str:
    """The folded question without the polite or story frames around it; empty when only frames remain."""
    core = _DONT_KNOW_HOW.sub("cach ", canon(fold(text)))
    for _ in range(2):  # "bác ơi cho cháu hỏi …": one frame may reveal another
        before = core
        for pattern in _FRAMES:
            core = pattern.sub(" ", core)
        core = _SPACE.sub(" ", core).strip()
        if core == before:  # nothing taken away: another pass over the same text would take nothing either
            break
    return core


_CLAUSE = re.compile(r"[.?!;,:…\n]+|\s+(?:nhưng|nhung|mà|vậy thì|vay thi|thế thì|the thi)\s+")
TAIL_MIN_WORDS = 4


def clauses(text: str) -> list[str]:
    """The clauses of a message, split at punctuation and at "nhưng", "mà", "thế thì"."""
    return [c.strip() for c in _CLAUSE.split(text) if c and c.strip()]


def question_tail(text: str) -> str | None:
    """The last clause(s) of a message told as a story ("Con tôi bảo…, mà tôi chả hiểu AI là gì"): the
    shortest ending of whole clauses with TAIL_MIN_WORDS words of its own; None for a one-clause message."""
    clauses = [c.strip() for c in _CLAUSE.split(text) if c and c.strip()]
    if len(clauses) < 2:
        return None
    for start in range(len(clauses) - 1, 0, -1):
        tail = " ".join(clauses[start:])
        if len(question_core(tail).split()) >= TAIL_MIN_WORDS:
            return tail
    return None


# Where a voice-typed run-on starts a new clause without a comma: before the words that open a question or a turn
# of the story ("… tích trữ gạo tôi không biết thật hay giả có nên gửi không"). Typed with accents ("thì", "mà",
# "vậy", "giờ") or as phrases that are not other words once folded ("vay" is also "vay tiền", "thi" an exam).
_OPENER = re.compile(
    # not inside a word of two syllables: "bao giờ", "mấy giờ", "số liệu", "tài liệu", "phải làm sao", "để vậy",
    # "như vậy", "làm vậy", "cũng vậy" (whose first syllable ends the match: a look-behind of fixed width each)
    r"(?<!\bbao)(?<!\bbây)(?<!\bbay)(?<!\bmấy)(?<!\bsố)(?<!\bdữ)(?<!\btài)(?<!\bphải)(?<!\bphai)(?<!\bđể)(?<!\bnhư)(?<!\blàm)"
    r"(?<!\bcũng)\s+(?=(?:nhưng|mà|thì|vậy|giờ|bây giờ|có phải|có nên|làm sao|liệu|hay là|co phai|co nen|lam sao|"
    r"bay gio|vay thi|the thi|nhung|ờ|ừ|à)(?=\s))",
    re.IGNORECASE)
_ASKED_END = re.compile(r"\b(?:gi|sao|nao|dau|khong|chua|ha|chu)$")  # a clause ending as a question does
# Words that make a clause ask something (folded): "mấy" only with what it counts ("máy", a phone, folds alike)
# ("nhà nào cũng đăng ký", "hỏi gì cũng trả lời", "đâu cũng có": every one, nothing asked)
_ASKS = re.compile(r"\b(?:(?:gi|sao|nao|dau)(?! cung\b)|khong|chua|bao nhieu|bao lau|may (?:gio|tuoi|ngay|lan|so)"
                   # "phải làm sau cho đúng": "sao" typed "sau" (not "để làm sau", later)
                   # "hả", "chứ"; not "Hà Nội", "chủ đề", "chủ tịch", "làm chủ"
                   r"|ha(?! (?:noi|tinh|giang|nam)\b)|(?<!\blam )chu(?! (?:de|tich|nhat|nhiem|dong|yeu|tri)\b)|lam chu$"
                   r"|phai lam sau|lam sau (?:cho|vay|day|a|nhi|bay gio))\b|\ba$")


_SPEAKER = re.compile(rf"(?:{_PERSON} ?)+")
# What a voice-typed run-on says between its clauses, asking and telling nothing ("ờ", "à", "thì là", "nói chung")
_FILLER = re.compile(r"(?:(?:o|u|a|thi|la|noi chung|thi la|the|vay) ?)+")


def _clauses(text: str) -> list[str]:
    """A message cut at punctuation and at clause openers; a clause of fillers only ends the one before."""
    clauses: list[str] = []
    for part in _CLAUSE.split(text):
        speaker = ""  # "tôi có nên chuyển không": who asks opens the clause it is cut from
        for c in _OPENER.split(part or ""):
            if speaker:
                c, speaker = f"{speaker} {c.strip()}", ""
            if clauses and c.strip() and (not question_core(c) or _FILLER.fullmatch(fold(c.strip()))):
                # "… hay hơn vậy", "… thì là": a filler ends the clause
                clauses[-1] += " " + c.strip()
            elif _SPEAKER.fullmatch(fold(c.strip())) or (not clauses and _FILLER.fullmatch(fold(c.strip()))):
                speaker = c.strip()
            elif c.strip():
                clauses.append(c.strip())
        if speaker:
            clauses.append(speaker)
    return clauses


# Three ways of telling that a clause asks, from the loosest to the strictest. Each caller picks one of these
# functions; none keeps a list of question words of its own.
# - asks_something: a question word anywhere ("gì", "sao", "không", "chứ", "mấy giờ"…);
# - asks_plainly: "gì", "sao", "nào", "đâu", "bao nhiêu" anywhere, or "không", "chưa", "hả", "à" at its end (a
#   "không" inside it may deny: "không phải Zalo"), for a story's one asking clause among those that tell;
# - asks_clearly: it ends with a question word, or says how, how much, when, where or whether ("có … không"), for
#   counting a message's questions and what each asks.
# "nhà nào cũng" asks nothing; nor a diacritic ("gõ chữ có dấu", "không dấu", "bỏ dấu"), folded like "đâu" (where)
_ASKS_PLAINLY = re.compile(r"\b(?:(?:gi|sao|nao|(?<!\bco )(?<!\bkhong )(?<!\bbo )(?<!\bgo )dau)(?! cung\b)|bao nhieu)\b"
                           r"|\b(?:khong|chua|ha|a)$"
                           # the other half of an either-or ("…, hay mần cho tụi học sinh thôi?")
                           r"|^hay\b.*\bthoi$")
# A clause that asks: it ends with a question word, or says how, how much, when, where, whether ("có … không").
# "lúc đầu", "đầu tư" (folded "dau"), "ngày nào cũng", "không phải lên cơ quan" (a "không" that denies) ask nothing.
_ENDS_ASKING = re.compile(r"\b(?:gi|sao|nao|khong|chua|ha|chu|ko|hong|hem|hok|chi|rua|ri)"
                           r"(?: (?:nua|vay|the|a|nhi|day|ha|nha|nhe|di|luon|troi|z|v|ta|ban|bot))*$")
_ASKS_HOW = re.compile(r"\b(?:bao nhieu|bao lau|the nao|ra sao|lam sao|tai sao|vi sao|sao cho|o dau|di dau|khi nao|"
                        r"luc nao|co phai|co nen|nhu the nao|cach nao|nhu nao|nghia la sao|nghia la gi)\b"
                        # "là gì" only at the end: "là chi hội trưởng" folds to "là gì hội trưởng"
                        r"|\bco\b(?: \w+){1,8} khong\b|\bla gi(?: \w+)?$")


def asks_something(clause: str) -> bool:
    """The clause has a question word ("gì", "sao", "không", "chứ"…), however typed."""
    return bool(_ASKS.search(fold(clause)))


def asks_plainly(clause: str) -> bool:
    """The clause asks plainly ("… là cái gì", "… ở đâu", "… được không"): see the three ways above."""
    return bool(_ASKS_PLAINLY.search(fold(clause)))


def asks_clearly(clause: str) -> bool:
    """The clause asks clearly (ends with a question word, or asks how, how much, when, where, whether)."""
    folded = fold(clause).strip()
    return bool(_ENDS_ASKING.search(folded) or _ASKS_HOW.search(folded))


def questions_asked(text: str) -> int:
    """How many clauses of a message ask something (have a question word)."""
    return sum(bool(_ASKS.search(fold(c))) for c in _clauses(text))


def story_clauses(text: str) -> list[str]:
    """The clauses of a message (cut at punctuation and clause openers), for what its story tells."""
    return _clauses(text)


def asking_clause(text: str) -> str | None:
    """The clause of a long message that asks (the last one with a question word), split at punctuation and at
    the words that open a clause when voice typing left no comma; with the clauses before it while it has fewer
    than TAIL_MIN_WORDS words of its own. None when that is the whole message."""
    clauses = _clauses(text)
    if len(clauses) < 2:
        return None
    for end in range(len(clauses) - 1, -1, -1):
        if _ASKS.search(fold(clauses[end])):
            break
    else:
        return None
    start = end
    while start > 0 and (len(question_core(" ".join(clauses[start:end + 1])).split()) < TAIL_MIN_WORDS
                         or _ASKED_END.search(fold(clauses[start - 1]))):  # "… được không, cần lưu ý gì"
        start -= 1
    asking = " ".join(clauses[start:end + 1])
    return None if start == 0 and end == len(clauses) - 1 else asking


def told_then_asked(text: str) -> tuple[str, str] | None:
    """A message that tells a story and then asks: (the story, the asking clause) when its last clause asks (has a
    question word) and the clauses before it tell something; the asking clause takes the clauses before it while it
    has fewer than TAIL_MIN_WORDS words of its own, or when they end as a question too (as `asking_clause`). None
    when the message is one clause, or the question is not at its end ("… có bao nhiêu điều, tôi cần ghi vào báo
    cáo")."""
    clauses = _clauses(text)
    if len(clauses) < 2 or not _ASKS.search(fold(clauses[-1])):
        return None
    start = len(clauses) - 1
    while start > 0 and (len(question_core(" ".join(clauses[start:])).split()) < TAIL_MIN_WORDS
                         or _ASKED_END.search(fold(clauses[start - 1]))):
        start -= 1
    return (" ".join(clauses[:start]), " ".join(clauses[start:])) if start else None


def asked_actions(text: str) -> frozenset[str]:
    """The actions of the last clause that names any: what a story's ending asks to do ("…, xin mã OTP để mở khóa
    tài khoản, tôi có nên đưa không" asks about the code, not about unlocking)."""
    for clause in reversed(_CLAUSE.split(text)):
        found = actions(clause) if clause else frozenset()
        if found:
            return found
    return frozenset()


def question_syllables(text: str) -> list[str]:
    """Syllables of the question's core, or of the whole text when the frames were all of it."""
    return _WORD.findall(question_core(text)) or syllables(text)


def _label_key(text: str) -> str:
    return _SPACE.sub(" ", fold(text)).strip()


# Ways of saying “go on” that mean the “Tiếp” button when no label is written that way.
GO_ON = frozenset(_WORDS["go_on"])


def match_label(text: str, labels: Sequence[str]) -> int | None:
    """Index of the button label a typed reply means ("dong y" → "✅ Đồng ý"), or None if unclear."""
    key = _label_key(text)
    if not key:
        return None
    keys = [_label_key(label) for label in labels]
    if key in GO_ON and not any(k.startswith(key) for k in keys):
        key = "tiep"
    exact = [i for i, k in enumerate(keys) if k == key]
    if len(exact) == 1:
        return exact[0]
    if exact:
        return None
    prefixed = [i for i, k in enumerate(keys) if k.startswith(key)]
    return prefixed[0] if len(prefixed) == 1 else None
