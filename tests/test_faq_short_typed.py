"""Issue 16: short messages typed as teens type or naming a look-alike only to compare are answered: "hok" is "học"
where only learning is said ("khuyến hok", "hok tập"), "gen AI" is generative AI, "xài chung mk" a shared password,
"xai" (unaccented) is use, "Wi-Fi" is "wifi", "hc" learning, "h lm j" what to do now; a thing said as what the asked
one is like ("như bên VssID"), two things of which one is asked for ("Gemini với Copilot, cái nào là của Google").
"hok" still says "không" elsewhere, and a thing set aside is not asked of. Through AnswerService.plan (what the chat
shows, no LLM)."""

from __future__ import annotations

import pytest

from content.search import listed, options
from content.textnorm import fold
from handlers.answers.service import AnswerService


@pytest.mark.parametrize(("question", "entry"), [
    # Before: refused or offered ("hok" read as "không": "hoi khuyen không", "tuan le không tap")
    ("hoi khuyen hok la to chuc gi, lam nhung viec gi zay", "khuyen_hoc_association"),
    ("tuan le hok tap suot doi to chuc de lam gj, co ich gj", "week_purpose"),
    ("hok tap suot doi la sao, gia roi con hok chi nua", "lifelong_why"),
    # Before: offered Meta AI, AI's mistakes, jobs ("gen" was a word no entry has)
    ("gen AI la cai j, nghe thay giao ns hoai ma k hieu gi het tron", "generative_ai"),
    # Before: refused ("xai" unaccented and "Wi-Fi" as "wi fi" were words no question of the entry had; "hc" and "h"
    # were no word at all)
    ("ko co wifi thi xai chatgpt dc ko", "chatgpt_internet"),
    ("bot cứ nhắc mk hc hoài, phiền quá tắt dc ko", "bot_reminders"),
    ("bị lừa ck 5tr r h lm j đây ad, gấp lắm", "scam_victim"),
    # Before: refused (VssID, said as what is done on its side, was asked of Zalo's password)
    ("Quên mật khẩu Zalo thì có nhắn tin tới 8079 như bên VssID được không?", "zalo_forgot_password"),
    # Before: refused (the two named as a list, each asked about: no entry names both)
    ("Gemini với Copilot, cái nào là của Google vậy?", "chatgpt_vs_gemini"),
])
def test_a_short_message_typed_so_is_answered(svc: AnswerService, question: str, entry: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry)


@pytest.mark.parametrize(("typed", "folded"), [
    ("ngay khuyen hok viet nam", "ngay khuyen hoc viet nam"),
    ("mo hinh hok tap", "mo hinh hoc tap"),
    ("bot co nhac hoc hok", "bot co nhac hoc khong"),  # asking: still "không"
    ("hok phí tiền đâu", "khong phi tien dau"),  # not wasted: no tuition
    ("ai hok biet", "ai khong biet"),
    ("xai chung mk vs gmail", "dung chung mat khau voi gmail"),
    ("gia roi con hoc chi nua", "gia roi con hoc gi nua"),
    ("Không có Wi-Fi", "khong co wifi"),
    ("bắt wai fai ngoài quán", "bat wifi ngoai quan"),
    ("ko co wifi thi xai chatgpt dc ko", "khong co wifi thi dung chatgpt duoc khong"),
    ("bi xai ten", "bi sai ten"),  # wrong, not used
    ("h lm j", "gio lam gi"),
    ("tiếng H mông", "tieng dantoc"),  # a people's language, no "giờ"
    ("đi hc", "di hoc"),
])
def test_hok_and_mk_are_read_by_what_is_around_them(typed: str, folded: str) -> None:
    assert fold(typed) == folded


def test_a_guess_denied_is_a_guess_and_a_thing_set_aside_is_not() -> None:
    assert options("ChatGPT không phải của Facebook đúng không, nó của công ty nào?") == {"facebook"}
    assert options("Quên mật khẩu Zalo, không phải Facebook, cũng không phải ngân hàng") == frozenset()
    assert listed("Gemini với Copilot, cái nào là của Google vậy?") == frozenset()
    assert listed("VNeID với app ngân hàng trong đó khóa sao") == {"vneid", "ngan hang"}


def test_a_thing_set_aside_still_gets_no_confident_answer(svc: AnswerService) -> None:
    result = svc.plan("Quên mật khẩu Zalo, không phải Facebook, cũng không phải ngân hàng, thì lấy lại mật khẩu Zalo "
                      "từng bước sao?").fallback
    assert result.decision != "answer"


@pytest.mark.parametrize(("question", "decision", "entry"), [
    # Before: refused as a loan request ("vay tiền"); calls offering a loan from unknown numbers are spam to report
    ("ngày nào cũng có số lạ gọi mời vay tiền, tố cáo lên tổng đài nào", "answer", "report_scam"),
    ("ngay nao cung co so la goi moi vay, to cao len tong dai nao", "answer", "report_scam"),
    # whether to take a loan stays out of scope, whoever offers it
    ("ngân hàng gọi mời vay vốn có nên vay không", "refuse", None),
    # Before: refused (no question of the entry said the account was locked after wrong passwords)
    ("Nhập sai mật khẩu nhiều lần bị khóa VNeID giờ mở lại chỗ nào", "answer", "vneid_forgot_password"),
])
def test_loan_spam_is_reported_and_a_locked_vneid_unlocked(
        svc: AnswerService, question: str, decision: str, entry: str | None) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == (decision, entry)
