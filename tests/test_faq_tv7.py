"""Blind batches T73-T76 (workers of the industrial zones, the Highlands, retirees of the Red River delta, officers
and school heads): what they typed and got wrong before, as `hocbot ask --json` shows it."""

from __future__ import annotations

import pytest

from content.intents import small_talk
from content.search import without_asides
from handlers.answers.service import SMALL_TALK
from tests.test_asking_ways import _db, ask  # noqa: F401  (_db: the autouse database of `hocbot ask`)


@pytest.mark.parametrize(("text", "fact"), [
    # before: offered ("Tôi cần ghi vào sổ để nói chuyện với chi hội" was searched with the question)
    ("Kính chào Ban quản trị. Tôi là cựu chiến binh, năm nay 74 tuổi, ở Hải Hậu, Nam Định. Xin hỏi Tuần lễ hưởng ứng "
     "học tập suốt đời năm 2025 có chủ đề là gì ạ? Tôi cần ghi vào sổ để nói chuyện với chi hội.",
     "Học để phát triển bản thân"),
    # before: offered ("Tôi cần ghi vào kế hoạch của hội")
    ("Cho tôi hỏi Đề án xã hội học tập đến năm 2030 do Thủ tướng phê duyệt bằng quyết định số mấy, ký ngày nào ạ? "
     "Tôi cần ghi vào kế hoạch của hội.", "1373/QĐ-TTg"),
    # before: refused (searched with "tui phải giải thích sao cho ổng hiểu"): the claim before it is searched
    ("Ổng Tám trong ấp nói AI làm hết việc rồi tụi nhỏ thất nghiệp, tui phải giải thích sao cho ổng hiểu?",
     "mất việc vì AI"),
    # before: "Không. Bot chỉ trả lời về …" (whether it answers everything); and no promise of a personal reply
    ("Câu hỏi nào bot không biết thì có chuyển cho cán bộ hội trả lời không?", "bot không tự nhắn lại"),
    # what the refusal itself says ("Mình đã ghi lại để cán bộ Hội Khuyến học bổ sung"), the help entry says too
    ("Bot không biết trả lời thì sao?", "ghi lại để cán bộ Hội Khuyến học bổ sung"),
    # before: offered ("asked disagrees, weak answer"), the asked question keeping only the first of its entries
    ("bấm vào đâu để học", "/hoc"),
    # details the answers give are still answered: the voice entry; the asker speaking by voice is not asked about
    # voice; the day's date
    ("chatgpt có trả lời bằng giọng nói được không", "nút micro"),
    ("tôi đang nói bằng giọng nên không có chấm phẩy gì hết cho tôi hỏi có người gọi bảo cài VNeID qua đường link "
     "để kích hoạt lại thì có đúng không", "VNeID"),
    ("Ngày Khuyến học Việt Nam là ngày nào", "2/10"),
])
def test_answered_with_the_fact(capsys: pytest.CaptureFixture[str], text: str, fact: str) -> None:
    [reply] = ask(capsys, text)
    assert fact in reply["answer"] and not reply["refused"] and reply["sources"], reply


def test_asides_left_out_and_kept() -> None:
    said = without_asides("em là hiệu trưởng trường trung học cơ sở em muốn hỏi xã hội học tập được hiểu như thế "
                          "nào để em nói trong buổi chào cờ đầu tuần lễ học tập suốt đời cho các em học sinh")
    assert said.endswith("xã hội học tập được hiểu như thế nào"), said
    # speaking in a meeting app is asked, not what the answer is for
    assert without_asides("bấm vào đâu để nói trong cuộc gọi zoom") == "bấm vào đâu để nói trong cuộc gọi zoom"
    # what is to be explained, named in the same clause, stays
    assert without_asides("giải thích cho bà con hiểu AI là gì") == "giải thích cho bà con hiểu AI là gì"


@pytest.mark.parametrize("text", [
    # before: what the association is, as if it told a branch head's monthly allowance
    "Em ơi, chị hỏi chút, phụ cấp hằng tháng của chi hội trưởng khuyến học thôn bây giờ là bao nhiêu vậy em?",
    # before: the Day of Learning Promotion's date, as if it said whether staff get the day off
    "Ngày Khuyến học Việt Nam 2/10 thì cán bộ, giáo viên có được nghỉ làm không?",
    # before: what Meta AI is, as if it said it talks by voice
    "Meta AI trong mesenger có nói chuyên bằng giong nói đươc không",
])
def test_a_detail_the_content_does_not_give_is_not_guessed(capsys: pytest.CaptureFixture[str], text: str) -> None:
    [reply] = ask(capsys, text)
    assert not reply["sources"] and "Nguồn" not in reply["answer"], reply


def test_asking_to_get_acquainted_is_small_talk(capsys: pytest.CaptureFixture[str]) -> None:
    assert small_talk("Kính chào, tôi xin phép được làm quen.") is not None
    [reply] = ask(capsys, "Kính chào, tôi xin phép được làm quen.")
    assert reply["answer"] in SMALL_TALK.values() and not reply["sources"], reply
