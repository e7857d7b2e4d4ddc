"""Blind batches T42/T43 (grandparents on their grandchildren's phones; working adults asking short practical
questions): what a citizen typed and got wrong before, as `hocbot ask --json` shows it."""

from __future__ import annotations

import pytest

from content.intents import out_of_scope, small_talk
from handlers.answers.service import REFUSE_OUT_OF_SCOPE, SMALL_TALK
from tests.test_asking_ways import _db, ask  # noqa: F401  (_db: the autouse database of `hocbot ask`)


def test_praise_then_passing_it_on_is_small_talk(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "Hay quá, để tối về chỉ lại cho bà xã" got the loan apps' warning ("Rất rủi ro…"), with sources.
    assert small_talk("Hay quá, để tối về chỉ lại cho bà xã") == "ack"
    [reply] = ask(capsys, "Hay quá, để tối về chỉ lại cho bà xã")
    assert reply["answer"] == SMALL_TALK["ack"] and not reply["sources"], reply


@pytest.mark.parametrize("text", ["điện thoại có AI không", "app ngan hang co ai khong"])
def test_a_device_with_ai_is_no_anyone_there(capsys: pytest.CaptureFixture[str], text: str) -> None:
    # Before: "có AI không" read as "anyone there?": "Cảm ơn bạn, mình vẫn sẵn sàng giúp bạn!"
    assert small_talk(text) is None
    assert small_talk("có ai không") == "how_are_you"
    [reply] = ask(capsys, text)
    assert reply["answer"] != SMALL_TALK["how_are_you"]


def test_bank_app_ai_is_told(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused ("mình chưa có câu trả lời"). Search answers with the entry written from lesson m1l2, whose
    # passage tells it; this very message, a tuning question, is labelled with the lesson, and since the asked
    # questions vote with their similarity squared it outvotes the farther ones: the two are offered, the entry first.
    [reply] = ask(capsys, "Tui xài app ngân hàng, trong đó có xài AI hông hay chỉ mấy cái như ChatGPT mới là AI?")
    assert not reply["refused"], reply
    assert reply["answer"].splitlines()[1:3] == ["• AI có ở đâu trong cuộc sống hằng ngày?", "• AI quanh ta mỗi ngày"]


@pytest.mark.parametrize(("text", "said"), [
    ("Tui hay quên uống thuốc, điện thoại có cái chi nhắc giùm hông, tui gõ chữ hổng được", "lời nhắc"),
    ("Tui hỏi chút nghen, video trên TikTok ông bác sĩ biểu bỏ thuốc tiểu đường uống lá cây, coi hổng thấy chỗ nào "
     "giả hết, tin được hông?", "Tin giả"),
])
def test_a_phone_or_a_video_is_no_medical_advice(capsys: pytest.CaptureFixture[str], text: str, said: str) -> None:
    # Before: both refused as medicine ("mình không tư vấn sức khỏe").
    assert out_of_scope(text) is None
    [reply] = ask(capsys, text)
    assert said in reply["answer"] and reply["sources"], reply
    assert out_of_scope("xem video trên youtube thấy bảo đau lưng uống thuốc gì thì khỏi, thuốc gì vậy") == "health"


def test_what_the_ai_said_of_a_crop(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused as out of scope ("có nên mua" read as shopping advice: "mình không cho vay tiền, không đoán xổ
    # số…"); whether to do as the AI said is ours, noted for officers when no entry is sure.
    text = ("Nhà tôi trồng sầu riêng, tôi chụp ảnh lá bị vàng gửi cho AI, nó bảo là bệnh thán thư. "
            "Tôi có nên mua thuốc về phun theo liều nó chỉ luôn không?")
    assert out_of_scope(text) is None
    [reply] = ask(capsys, text)
    assert not reply["answer"].startswith(REFUSE_OUT_OF_SCOPE), reply
    assert out_of_scope("phân bón loại nào tốt, có nên mua không") == "other"


def test_a_job_search_is_out_of_scope(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: answered "Rất có thể là lừa đảo…" (the online job scam) to a plain request for work.
    [reply] = ask(capsys, "ad tìm giùm e việc làm công nhân ở KCN lương cao với")
    assert reply["refused"] and reply["answer"].startswith(REFUSE_OUT_OF_SCOPE), reply
    assert out_of_scope("tôi muốn tìm hiểu việc đăng ký gia đình học tập") is None  # learning about it: ours
    [scam] = ask(capsys, "tìm việc trên mạng bị đòi nạp tiền có phải lừa không")
    assert "lừa đảo" in scam["answer"] and not scam["refused"]


def test_facebook_said_phay_and_ai_labels(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "Phây" was no word: refused; an AI photo posted got the privacy entry offered first.
    [photos] = ask(capsys, "Tui hay đăng hình con với địa chỉ nhà lên Phây cho vui, có sao hông?")
    assert "địa chỉ nhà" in photos["answer"] and photos["sources"], photos
    [label] = ask(capsys, "Ảnh AI mình làm đăng lên Phây có phải ghi là ảnh AI hông anh")
    assert "ảnh do AI tạo" in label["answer"], label


def test_an_unknown_law_or_an_office_hours_are_not_guessed(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: each answered confidently with an entry that does not tell it.
    [law] = ask(capsys, "Luật Bảo vệ dữ liệu cá nhân với Luật An ninh mạng khác nhau thế nào?")
    [hours] = ask(capsys, "trung tâm phục vụ hành chính công của xã có làm việc ngày thứ bảy không")
    [count] = ask(capsys, "Cho tui hỏi xã tui mới sáp nhập, giờ tỉnh mình còn lại bao nhiêu xã dậy?")
    for reply in (law, hours, count):
        assert reply["answer"].startswith(("Mình chưa", "Việc cụ thể", "Xin lỗi", "Điều bạn hỏi")), reply


@pytest.mark.parametrize(("text", "kind"), [("Xin lỗi, tôi nhắn nhầm", "ack"),
                                           ("Hay quá, trả lời nhanh thế", "praise")])
def test_sorry_for_a_mistaken_message_and_praise_of_speed(capsys: pytest.CaptureFixture[str], text: str,
                                                           kind: str) -> None:
    # Before: "Xin lỗi, tôi nhắn nhầm" got how the bot's answers are made (with sources); the praise got the
    # investment scam offered.
    assert small_talk(text) == kind
    [reply] = ask(capsys, text)
    assert reply["answer"] == SMALL_TALK[kind] and not reply["sources"], reply


def test_a_broken_streak_is_told_as_the_bot_counts_it(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: the progress entry, which does not say whether a streak comes back. The rule is
    # handlers.learning.service.streak: a day missed starts it again; the certificate needs the modules only.
    [reply] = ask(capsys, "chuỗi ngày học liên tiếp bị đứt r có khôi phục lại dc ko")
    assert "đếm lại từ đầu" in reply["answer"] and "/tiendo" in reply["answer"], reply


@pytest.mark.parametrize("text", ["nhắn nhầm tin cho người lạ thì thu hồi sao", "thu hồi tn zalo gửi nhầm đc hk"])
def test_recalling_a_message_is_not_the_link_warning(capsys: pytest.CaptureFixture[str], text: str) -> None:
    # Before: "Không nên. Đường link lạ…" (the link scam), confidently, for a message sent by mistake.
    [reply] = ask(capsys, text)
    assert "link" not in reply["answer"] or not reply["sources"], reply
    assert reply["refused"] or reply["answer"].startswith(("Mình chưa", "Điều bạn hỏi")), reply


def test_afraid_to_break_it_is_no_land_title(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "sợ hỏng" folded to "so hong", the land title ("sổ hồng"): the officer's class was refused.
    text = ("Tuần trước lớp AI ở nhà văn hóa, các cụ cứ dúi máy cho tôi bấm hộ vì sợ hỏng. Tôi nên hướng dẫn thế nào "
            "cho các cụ nhớ?")
    assert out_of_scope(text) is None and out_of_scope("làm sổ hồng ở đâu") == "other"
    [reply] = ask(capsys, text)
    assert not reply["refused"] and "Dạy người lớn tuổi" in reply["answer"], reply


def test_an_iphone_typed_ipone(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: only offered ("ipone" was no word).
    [reply] = ask(capsys, "Cho tui hõi cách chặng số lạ gọi tới trên ipone")
    assert "Chặn ngay trong ứng dụng Điện thoại" in reply["answer"] and reply["sources"], reply
