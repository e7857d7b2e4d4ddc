"""Issue 16: ways of asking that got a confident wrong answer or a refusal: an app's own update notice read as the
scam call about updates, a thing said to be fine read as what is asked about ("còn Zalo thì vẫn bình thường"),
"không phải app ngân hàng", a ChatGPT password shared with the bank's, a leaked password used for several accounts,
"chác gì pi ti", "năm bẩy", "có chi mà". Through `hocbot ask --json` and the folding they rely on."""

from __future__ import annotations

import pytest

from content.search import without_asides
from content.textnorm import fold
from tests.test_asking_ways import _db, ask  # noqa: F401  (_db: the autouse database of `hocbot ask`)


def test_the_app_s_own_update_notice_is_not_the_scam_call(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "VNeID báo cập nhật …, hay là lừa đảo" got "Đó là lừa đảo. Cơ quan công an không gọi điện…".
    notice, call = ask(capsys, "app vneid hiện thông báo bắt cập nhật mãi, cập nhật có bị lừa không",
                       "có người gọi điện bảo tôi cập nhật vneid qua đường link, có phải lừa đảo không")
    assert not notice["refused"] and notice["answer"].startswith("Nên cập nhật") and "CH Play" in notice["answer"]
    assert not call["refused"] and call["answer"].startswith("Đó là lừa đảo")


def test_a_thing_said_to_be_fine_is_not_what_is_asked_about(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "còn Zalo thì vẫn bình thường" made the entry on Zalo and Facebook of someone else asking to borrow
    # money the answer ("Rất có thể tài khoản của người đó đã bị chiếm").
    assert without_asides("fb tôi bị hack rồi, còn zalo thì vẫn dùng được, giờ sao") == "fb tôi bị hack rồi. giờ sao"
    assert without_asides("Zalo vẫn bình thường à") == "Zalo vẫn bình thường à"  # nothing else: asked as it is
    [item] = ask(capsys, "Facebook tôi tự gửi tin nhắn lạ cho bạn bè, chắc bị hack, Zalo thì không sao, làm sao lấy "
                         "lại Facebook")
    assert not item["refused"] and "Quên mật khẩu" in item["answer"] and "của người đó" not in item["answer"]


def test_a_thing_said_to_still_open_is_not_what_is_asked_about(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "Zalo thì vẫn vào được" left two named things, each entry lacking one: the answer on unknown links won.
    assert without_asides("quên pass fb mất rồi, zalo thì vẫn đăng nhập được") == "quên pass fb mất rồi"
    [item] = ask(capsys, "quên mật khẩu zalo rồi lấy lại thế nào, facebook của tôi vẫn vào được")
    assert not item["refused"] and "mã kích hoạt" in item["answer"]


def test_not_the_bank_s_app_is_an_aside(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "không phải app ngân hàng" stayed in the question; VNeID's steps lacked "ngân hàng": refused.
    assert without_asides("quên mật khẩu vneid, không phải app ngân hàng") == "quên mật khẩu vneid"
    [item] = ask(capsys, "tôi quên mất mật khẩu đăng nhập VNeID rồi, không phải app ngân hàng nhé")
    assert not item["refused"] and "công an xã, phường" in item["answer"]


def test_a_chatgpt_password_shared_with_the_bank_s(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: answered with what not to tell ChatGPT ("Không nên. Đừng đưa số căn cước…"), not the password advice.
    [item] = ask(capsys, "tạo tài khoản chatgpt xong để mật khẩu trùng với mật khẩu ngân hàng luôn có được không")
    assert not item["refused"] and "không dùng chung mật khẩu với ngân hàng" in item["answer"]


def test_a_leaked_password_used_for_several_accounts(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused ("dùng chung" read as comparing two things, which no question of the entry did).
    [item] = ask(capsys, "bị lộ mật khẩu, mà mật khẩu ấy tôi xài chung cho cả mấy tài khoản khác, phải làm gì")
    assert not item["refused"] and item["answer"].startswith("Đổi ngay mật khẩu của tài khoản bị lộ")


def test_spoken_spellings_of_chatgpt_and_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "chác" (for "chát") and "bẩy" (the North's "bảy") were not read: refused.
    assert fold("chác gì bi tê") == fold("chàc gi pi ti") == "chatgpt"
    assert fold("chác") == "chac"  # alone it is no name
    assert "57" in fold("nghị quyết năm bẩy ban hành khi nào")
    assert "co gi ma" in fold("AI có chi mà phải sợ") and "co chi phi" in fold("học có chi phí không")
    chatgpt, nq57 = ask(capsys, "chác gì bi tê có dùng miễn phí được không", "nghị quyết năm bẩy nói về cái gì")
    assert not chatgpt["refused"] and "miễn phí" in chatgpt["answer"]
    assert not nq57["refused"] and "chuyển đổi số quốc gia" in nq57["answer"]


def test_pardon_the_asking_is_no_question_and_when_the_ai_law_applies(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "hỏi khí không phải" (pardon my asking) stayed in the question, whose "không phải" and "khí" left the
    # AI law's entry short of the question: refused.
    assert fold("bác hỏi khí không phải") == "bac hoi" and "khong khi" in fold("không khí không phải sạch")
    [item] = ask(capsys, "Hỏi khí không phải, cái luật trí tuệ nhân tạo ấy bao giờ mới áp dụng hả cháu")
    assert not item["refused"] and "1/3/2026" in item["answer"]
