"""Blind batches T38/T39 (concrete facts; stories and look-alike apps): what a citizen typed and got wrong before,
as `hocbot ask --json` shows it."""

from __future__ import annotations

import pytest

from content.intents import out_of_scope, small_talk
from content.textnorm import asks_something, fold
from handlers.answers import gaps
from handlers.answers.service import SMALL_TALK
from tests.test_asking_ways import _db, ask  # noqa: F401  (_db: the autouse database of `hocbot ask`)


def test_sao_typed_sau_still_asks(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: the officer's question got "Xin chào! 👋" (read as an introduction that asks nothing).
    text = ("tôi ở chi hội, đang đi ghi tên với số điện thoại bà con để mở lớp, nghe bảo có luật mơi về dữ liệu cá "
            "nhân, vậy phải làm sau cho đúng")
    assert asks_something(text)
    assert not asks_something("để làm sau") and not asks_something("học trước làm sau")
    [law] = ask(capsys, text)
    assert "91/2025/QH15" in law["answer"] and law["sources"]


def test_bn_called_is_a_friend_not_how_much(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "bn ơi" read "bao nhiêu ơi": a number asked, so the 2022 theme was only offered ("chưa có con số").
    assert fold("bn ơi cho hỏi") == "ban oi cho hoi" and fold("giá bn ạ") == "gia bao nhieu a"
    [theme] = ask(capsys, "bn ơi tuần lễ htsđ năm 2022 chủ đề là j v")
    assert "sau đại dịch COVID-19" in theme["answer"] and theme["sources"]


def test_which_decision_number_is_no_count_of_the_next_word(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "số bao nhiêu, ký ngày nào" folded to "so bao nhieu ky …": a count of "kỳ" asked, so only offered.
    q = "de an xay dung xa hoi hoc tap 2021 2030 theo quyet dinh so bao nhieu, ky ngay nao"
    assert not gaps._count_missing(q, "Quyết định 1373/QĐ-TTg ngày 30/7/2021")
    assert gaps._count_missing("xã có bao nhiêu thôn", "Mỗi thôn có một chi hội.")
    [plan] = ask(capsys, q)
    assert "1373/QĐ-TTg" in plan["answer"] and "30/7/2021" in plan["answer"]


@pytest.mark.parametrize("text", ["ko có smartphone chỉ có đt bàn phím thì cài vneid đc ko ạ",
                                  "Tui xài điện thoại cục gạch hà, cài cái VNeID được hông?"])
def test_a_keypad_phone_cannot_install_vneid(capsys: pytest.CaptureFixture[str], text: str) -> None:
    # Before: offered the VssID and the VNeID install entries, the entry that answers left out of the choices.
    [reply] = ask(capsys, text)
    assert "điện thoại bàn phím không cài được" in reply["answer"], reply


def test_vssid_signs_in_with_vneid(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: answered with the steps for a forgotten VNeID password.
    [reply] = ask(capsys, "vssid dang nhap bang tai khoan vneid duoc khong")
    assert "đăng nhập VssID bằng tài khoản VNeID" in reply["answer"], reply


def test_thanks_to_bn_is_thanks(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "tks bn nhìu nha" read "thanks bao nhiêu nhiều": three unrelated entries offered.
    assert fold("tks bn nhìu nha").startswith("tks ban")
    [thanks] = ask(capsys, "tks bn nhìu nha")
    assert thanks["answer"] == SMALL_TALK["thanks"] and not thanks["sources"], thanks


def test_until_what_hour_typed_h_is_an_hour_asked(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: the 156 entry was answered, though it tells no hours and nothing of late at night.
    assert fold("trực tới mấy h v") == "truc toi may gio vay"
    [hours] = ask(capsys, "ad ơi tổng đài 156 trực tới mấy h v, tối khuya gọi dc ko")
    assert not hours["sources"] and "156" in hours["answer"], hours  # the entry offered, not told as the answer


def test_someone_calling_himself_the_utility_is_a_scam(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused as out of scope ("cúp điện").
    [scam] = ask(capsys, "có người tự nhận nhân viên điện lựt gọi dọa cúp điện nhà chú tôi, bảo cài ứng dụg để thanh "
                         "toán, làm sao")
    assert not scam["refused"] and scam["sources"], scam


def test_an_ack_then_thanks_for_what_was_explained_is_thanks(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "cặn kẽ" folded like "cần" (a need), and the ack before the thanks made two clauses: AI entries offered.
    [thanks] = ask(capsys, "Hay quá, cảm ơn bot đã giải thích cặn kẽ cho tôi")
    assert thanks["answer"] == SMALL_TALK["thanks"] and not thanks["sources"], thanks
    assert small_talk("Hay quá, cảm ơn bot đã giải thích, nhưng tôi cần hỏi thêm") is None


@pytest.mark.parametrize(("text", "said"), [
    # a hospital's wifi used to send money; a trip's photos posted online: not medicine, not travel
    ("di benh vien tham nguoi nha, bat wifi cua benh vien de chuyen tien co an toan khong", "4G/5G"),
    ("con gái tôi hay đăng ảnh cả nhà đi du lịch lên facebook chụp cả vé máy bay như vậy có sao không tôi lo lắm",
     "vé máy bay"),
])
def test_a_place_or_a_trip_in_a_question_about_the_phone_is_ours(capsys: pytest.CaptureFixture[str], text: str,
                                                                said: str) -> None:
    # Before: both refused as out of scope ("bệnh viện", "du lịch").
    assert out_of_scope(text) is None
    [reply] = ask(capsys, text)
    assert said in reply["answer"] and reply["sources"], reply
    assert out_of_scope("đi du lịch Đà Lạt chỗ nào đẹp") == "other"


def test_a_message_that_keeps_one_awake_is_no_insomnia(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused as a health question ("mất ngủ").
    text = "Bot gửi lời nhắc lúc mấy giờ, có nhắn lúc khuya làm các cụ mất ngủ không"
    assert out_of_scope(text) is None
    assert out_of_scope("cà phê làm tôi mất ngủ thì uống thuốc gì") == "health"
    [night] = ask(capsys, text)
    assert "21 giờ đến 7 giờ" in night["answer"], night


def test_each_new_laws_start_is_told_by_the_entry_naming_both(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: answered with the AI law's entry alone (1/3/2026), the data law's 1/1/2026 left out.
    [laws] = ask(capsys, "Năm 2026 có hai luật mới về dữ liệu cá nhân và trí tuệ nhân tạo, mỗi luật bắt đầu áp dụng "
                         "từ ngày nào")
    assert "1/1/2026" in laws["answer"] and "1/3/2026" in laws["answer"], laws
