"""Issue 16, third pass: ways of typing that used to get a wrong answer or a refusal, through `hocbot ask --json`
and the web chat (wishes are small talk, "hỏi thăm" is politeness, a three-letter word is not a typo of
another, a wrong accent on a name does not matter, Southern "xài"/"coi" mean "dùng"/"xem")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.cli import main
from bot.core import texts
from content.search import without_asides
from content.textnorm import ABBREVIATIONS, fold, question_core
from tests.conftest import make_settings
from tests.harness import WebUser, running_bot

KEYS = {"question", "answer", "sources", "refused", "mode"}


def ask(capsys: pytest.CaptureFixture[str], *questions: str) -> list[dict[str, Any]]:
    """`hocbot ask --json` for each question, as a user of the CLI sees it."""
    out = []
    for q in questions:
        assert main(["ask", "--json", q]) == 0
        [line] = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]
        assert KEYS <= set(line) <= KEYS | {"suggestions"}
        out.append(line)
    return out


@pytest.fixture(autouse=True)
def _db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'h.db'}")


def test_asking_politely_with_hoi_tham_gets_the_entry_asked_about(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "thăm" stayed in the question and "chuyển đổi số" was answered for "công dân số".
    [item] = ask(capsys, "Cho tôi hỏi thăm là công dân số nghĩa là gì vậy")
    assert not item["refused"] and item["answer"].startswith("Công dân số là")


def test_a_short_unknown_word_is_not_read_as_another_word(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "pin" was taken for "tin" and the OTP warning was answered with its "Nguồn:" line.
    [item] = ask(capsys, "quên mã pin ngân hàng")
    assert "OTP là mã xác nhận" not in item["answer"]
    assert item["refused"] or item["answer"].startswith("Có phải bạn muốn hỏi")


def test_a_name_typed_with_wrong_or_spoken_accents_is_the_same_name(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: only the exact spellings "trí tuệ nhân tạo" / "tri tue nhan tao" were known.
    for typed in ("chi tuệ nhân tạo", "tri tuề nhân tào", "Trí Tụê Nhân Tạo"):
        assert fold(typed) == "ai", typed
    assert fold("chát gờ pê tê") == fold("ChatGPT") == "chatgpt"
    farming, spelt, chatgpt = ask(capsys, "chi tuệ nhân tạo giúp gì cho nông dân",
                                  "trí tuệ nhân tạo giúp gì cho nông dân", "cái chát gờ pê tê dùng vào việc gì")
    assert farming["answer"] == spelt["answer"] and not farming["refused"]
    assert "cây trồng" in farming["answer"]  # "giúp" is what AI does here, not "giúp tôi" politeness
    assert not chatgpt["refused"] and "ChatGPT" in chatgpt["answer"]


def test_teencode_table_is_data_and_knows_southern_words() -> None:
    assert (Path(__file__).resolve().parent.parent / "content" / "data" / "teencode.yaml").is_file()
    assert ABBREVIATIONS["xài"] == "dùng" and ABBREVIATIONS["đk"] == "đăng ký"
    assert fold("đứa nhỏ coi điện thoại") == "dua nho xem dien thoai"
    assert fold("được coi là công dân học tập") == "duoc coi la cong dan hoc tap"  # "coi là" stays


async def test_wishes_and_pleasantries_get_a_friendly_word_and_the_menu(db_url: str) -> None:
    # Before: "chúc bot ngủ ngon" was refused as an insult ("bot ngu") and the others as unknown questions.
    async with running_bot(make_settings(db_url)) as bot, aiohttp.ClientSession() as http:
        u = WebUser(bot.url, http)
        for text in ("chúc bot ngủ ngon", "xin chào bot, rất vui được làm quen", "chào em nhé, chúc em một ngày vui"):
            await u.says(text)
            reply = u.last_reply()
            assert "Xin lỗi" not in reply and "Nguồn" not in reply, (text, reply)
            assert texts.MENU_LEARN in u.keyboard(), text


def test_a_comparison_is_not_answered_with_one_against_another_thing(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "AI với ChatGPT khác nhau chỗ nào" got "ChatGPT với Google…" (Google tìm và đưa ra danh sách…).
    [other, google] = ask(capsys, "AI với ChatGPT khác nhau chỗ nào", "ChatGPT với Google khác nhau thế nào")
    assert "Google tìm" not in other["answer"] and not other["sources"]
    assert google["answer"].startswith("Google tìm")  # the comparison it is about is still answered


def test_everyday_words_that_fold_like_an_insult_are_not_refused(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "đó diễn ra" folded to "do dien" (“đồ điên”) and the question was refused as an insult.
    [week, insult] = ask(capsys, "năm nào cũng nghe, nhưng mà tuần lễ đó diễn ra vào lúc nào", "bot đồ điên")
    assert not week["refused"] and "tháng 10" in week["answer"]
    assert insult["refused"]


def test_a_story_that_names_the_app_is_answered_about_that_app(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: the ending "Cài thế nào cho đúng?" does not say which app, and the message was refused.
    [item] = ask(capsys, "Con trai tôi đi làm xa, nó bảo tôi cài cái VNeID để làm giấy tờ cho nhanh. "
                         "Cài thế nào cho đúng?")
    assert not item["refused"] and "VNeID" in item["answer"] and "CH Play" in item["answer"]


def test_amounts_in_words_and_shopping(capsys: pytest.CaptureFixture[str]) -> None:
    [amount, shop] = ask(capsys, "chuyển khoản trên mười triệu phải quét mặt là sao", "nên mua điện thoại hãng nào")
    assert not amount["refused"] and "10 triệu" in amount["answer"]  # before: not read as 10
    assert shop["refused"] and "ngoài phạm vi" in shop["answer"]  # before: "Có phải bạn muốn hỏi…" bank apps


def test_thanks_with_a_few_words_of_chat_is_small_talk_and_stopping_messages_is_help(
        capsys: pytest.CaptureFixture[str]) -> None:
    chat, stop, loan = ask(capsys, "bữa nay trời đẹp ghê, cảm ơn bot nghen", "dừng nhận tin nhắn",
                           "cảm ơn, cho tôi vay tiền")
    assert chat["answer"].startswith("Không có gì") and not chat["sources"]  # before: refused as unknown
    assert "/huy" in stop["answer"]  # before: the warning about fake bank messages ("dừng" folds like "dùng")
    assert loan["refused"]  # a request after the thanks is still read


def test_the_two_programmes_named_alike_are_not_mixed_up(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "Bình dân học vụ số" was answered when the story named "Bình dân học AI".
    [item] = ask(capsys, "Ở xã tôi cán bộ vận động học bình dân học AI, mà tôi không rõ phong trào đó là gì")
    assert "Bình dân học AI" in item["answer"] and not item["answer"].startswith("“Bình dân học vụ số”")


def test_misspelt_names_and_lo_are_understood(capsys: pytest.CaptureFixture[str]) -> None:
    gemini, vneid = ask(capsys, "gemeni khác chatgpt thế nào", "lỡ quên pass vneid rồi")
    assert gemini["answer"].startswith("Gemini")  # before: "Có phải bạn muốn hỏi…" the list of AI tools
    assert not vneid["refused"] and "suggestions" not in vneid and "VNeID" in vneid["answer"]  # before: asked


def test_a_locked_account_is_not_answered_with_a_friends_hacked_one(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "của", "bị" counted as covered words, and the Zalo-hacked-loan answer came with its "Nguồn:" line.
    locked, job = ask(capsys, "zalo của tôi bị khóa", "tìm giúp tôi việc làm ở khu công nghiệp")
    assert not locked["answer"].startswith("Rất có thể tài khoản của người đó") and not locked["sources"]
    assert job["refused"] and "ngoài phạm vi" in job["answer"]  # before: "Có phải bạn muốn hỏi…"


def test_an_answer_must_cover_the_questions_own_words_not_only_its_form(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "chó" folds like the filler "cho", and "phải làm sao" alone matched the hacked-Zalo answer.
    [dog] = ask(capsys, "chó nhà tôi bị ốm phải làm sao")
    assert dog["refused"] and not dog["sources"]


def test_the_thing_asked_about_with_another_action_is_not_answered(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: the entry about VNeID's uses (it names VNeID and "dùng để") came with its "Nguồn:" line.
    money, broken = ask(capsys, "vneid dùng để chuyển tiền được không",
                        "ứng dụng ngân hàng bị lỗi không chuyển khoản được")
    assert not money["sources"] and not broken["sources"]


def test_loan_app_safety_is_ours_while_borrowing_and_storms_are_not(capsys: pytest.CaptureFixture[str]) -> None:
    safe, borrow, provinces, hello = ask(capsys, "app vay tiền onl có uy tín không", "cho tôi vay tiền nhanh",
                                         "sau sáp nhập cả nước còn bao nhiêu tỉnh", "có ai ở đó không")
    assert "ngoài phạm vi" not in safe["answer"]  # before: refused as a loan request
    assert borrow["refused"] and "ngoài phạm vi" in borrow["answer"]
    assert "ngoài phạm vi" not in provinces["answer"]  # before: "còn bao" was read as "cơn bão"
    assert hello["answer"].startswith("Cảm ơn bạn") and not hello["sources"]
    assert fold("trí tệ nhân tạo") == fold("tri tuê nhân tao") == "ai"
    assert fold("dip fake") == "deepfake" and fold("video fake") == fold("video giả")


def test_a_story_ending_in_a_short_question_gets_the_answer_the_whole_story_points_to(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused: "Vậy có phải lừa không" alone fits many entries, and the story around it left too little
    # of the message covered for the clear winner of the whole message to be answered.
    [item] = ask(capsys, "Đứa cháu tôi được người trên mạng rủ làm nhiệm vụ thả tim video, mấy lần đầu được trả "
                         "tiền thật, giờ họ bảo nạp 3 triệu để nhận việc lớn hơn. Vậy có phải lừa không?")
    assert not item["refused"] and "lừa đảo" in item["answer"] and item["sources"]


def test_a_voice_typed_run_on_is_searched_by_its_asking_clause(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused: with no comma the message was one clause, and the story of the long answer covered too much
    # of it; the clause opened by "làm sao" asks how to ask ChatGPT, and the whole message's winner covers it.
    [item] = ask(capsys, "tôi hỏi chatgpt nó trả lời dài dòng lan man chẳng trúng ý gì hết thì phải hỏi làm sao "
                         "cho nó trả lời hay hơn vậy")
    assert not item["refused"] and "trợ lý" in item["answer"] and item["sources"]


def test_a_story_that_mentions_a_hospital_is_answered_about_what_it_asks(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused as a health question because the story said "bệnh viện"; what it asks is whether the video
    # call was really the grandchild. A health question told as a story stays refused with the doctor's reply.
    call, fever = ask(capsys, "Chiều qua cháu tôi gọi video, hình giật giật, bảo đang nằm bệnh viện cần chuyển gấp "
                              "10 triệu rồi tắt máy. Làm sao biết đó có đúng là cháu tôi không?",
                      "Con tôi bị sốt mấy hôm nay, đi bệnh viện chưa đỡ. Nên cho uống thuốc gì?")
    assert not call["refused"] and "gọi lại" in call["answer"] and call["sources"]
    assert fever["refused"] and "bác sĩ" in fever["answer"]


def test_a_story_ending_in_what_do_i_do_now_gets_the_entry_it_clearly_tells_of(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused: "Giờ tôi phải làm gì?" asks nothing of its own, and the story, however clearly about the
    # fake police call, left too little of the message covered.
    [item] = ask(capsys, "Trưa nay có người gọi tự xưng công an phường, nói tôi dính vào vụ rửa tiền, bắt chuyển "
                         "tiền vào tài khoản tạm giữ để chứng minh mình trong sạch. Tôi sợ lắm. Giờ tôi phải làm gì?")
    assert not item["refused"] and "lừa đảo" in item["answer"] and item["sources"]


def test_a_story_whose_ending_asks_an_entry_s_question_is_answered_by_it_over_a_lesson(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused: the story's words matched a lesson passage best, and the entry the ending asks for ("Dùng AI
    # dịch được không?") came second, so the ending and the whole message did not agree.
    [item] = ask(capsys, "Con gái tôi lấy chồng bên Hàn, mấy đứa cháu ngoại nhắn tin tiếng Hàn tôi đọc chẳng hiểu. "
                         "Dùng AI dịch được không?")
    assert not item["refused"] and "dịch" in item["answer"] and item["sources"]


def test_a_story_ending_in_two_questions_is_searched_by_both(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused: only the last question ("cần lưu ý gì") was taken as what the story asks, and it names
    # nothing the answer about writing letters with AI says; the question before it ends as a question too.
    [item] = ask(capsys, "Tôi phải làm lá đơn xin xác nhận gửi xã mà lâu rồi không viết, tay run viết không nổi. "
                         "Nhờ AI viết đơn được không, cần lưu ý gì?")
    assert not item["refused"] and item["answer"].startswith("Được") and item["sources"]


def test_a_story_ending_that_asks_nothing_of_its_own_is_not_answered_by_what_the_story_named(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "Làm vậy có ổn không" searched with the ChatGPT the story named was "about ChatGPT" exactly, and what
    # ChatGPT can do was answered with its sources; now the entries about giving ChatGPT personal data are offered.
    [item] = ask(capsys, "Tôi đang lập danh sách lớp học của thôn, định xin ảnh căn cước của mọi người, rồi dán cả "
                         "vào ChatGPT cho nó sắp xếp. Làm vậy có ổn không?")
    assert not item["answer"].startswith("ChatGPT có thể")
    # or the entry on collecting people's data, which says not to paste such lists into an AI chatbot
    assert (item["refused"] or item["answer"].startswith("Có phải bạn muốn hỏi")
            or "Không dán danh sách" in item["answer"])


def test_a_story_s_winner_must_cover_most_of_what_the_asking_clause_asks(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "tư vấn máy nào rẻ" was taken as covered by the ChatGPT price entry (three of its five words, common
    # ones), and which phone to buy was answered with ChatGPT's price and its sources.
    [item] = ask(capsys, "nên mua Vivo hay Xiaomi để dùng ChatGPT, tư vấn máy nào rẻ mà ngon")
    assert item["refused"] or item["answer"].startswith("Có phải bạn muốn hỏi")


def test_the_asking_clause_is_the_one_with_a_question_word_not_a_word_spelt_like_one() -> None:
    # Before: "máy" (a phone) folds like "mấy" (how many), so "tôi đang để hết trong máy" was taken as what asks.
    from content.textnorm import asking_clause

    assert asking_clause("danh sách hội viên có số điện thoại, có nên đăng lên nhóm zalo chung không, tôi đang để "
                         "hết trong máy") == "có nên đăng lên nhóm zalo chung không"


def test_a_number_asked_about_is_not_covered_by_one_the_answer_happens_to_give(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "5" was found in the summarising entry's answer and it was answered with its "Nguồn:" line.
    [item] = ask(capsys, "chatgpt 5 có gì mới")
    assert "tóm tắt" not in item["answer"]
    assert item["refused"] or item["answer"].startswith("Có phải bạn muốn hỏi")


def test_ai_asking_who_is_not_ai_and_is_answered_only_by_an_entry_that_asks_who(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "ai" was read as AI; the Day of Learning and the ChatGPT prompt tips were answered with "Nguồn:".
    assert fold("chủ tịch hội là ai") == fold("chủ tịch hội là người nào")
    assert fold("có phải là AI không").split()[-2] == "ai" and fold("ảnh này do AI làm ra").split()[-3] == "ai"
    [item] = ask(capsys, "ai là chủ tịch hội khuyến học việt nam")
    assert item["refused"] or item["answer"].startswith("Có phải bạn muốn hỏi"), item["answer"]
    [item] = ask(capsys, "ai là người làm ra chatgpt")  # one of chatgpt_what's questions asks who made it
    assert "OpenAI" in item["answer"] and not item["refused"]


def test_half_a_question_covered_is_no_answer_when_the_other_half_is_a_word_the_content_never_uses(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "robot" is in no entry, "AI" in most; the AI law was answered with its "Nguồn:" line.
    [item] = ask(capsys, "robot có phải AI không")
    assert "Luật" not in item["answer"]
    assert item["refused"] or item["answer"].startswith("Có phải bạn muốn hỏi")


def test_a_web_address_dressed_as_the_real_one_is_not_answered_by_the_real_one(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "dichvucong.gov.vn.info.vn" got the National Public Service Portal's entry ("… là trang web của nhà
    # nước") with its sources, as if that address were the portal.
    real, fake = ask(capsys, "trang dichvucong.gov.vn dùng để làm gì", "trang dichvucong.gov.vn.info.vn là trang gì")
    assert not real["refused"] and "dichvucong.gov.vn" in real["answer"]
    assert "là trang web của nhà nước" not in fake["answer"]


def test_losing_one_s_work_to_ai_is_answered_by_the_entry_that_asks_it_not_by_who_else_is_named(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "nông dân" in the question won: what farmers can do with AI was answered, with its sources.
    jobs, farming = ask(capsys, "AI có làm mất việc nông dân không", "nông dân dùng AI làm gì")
    assert jobs["answer"].startswith("AI sẽ làm thay") and "cây trồng" in farming["answer"]


def test_near_neighbours_answer_the_action_asked(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: recognising a scam message was asked back as which of "báo ai", "lỡ chuyển tiền"… was meant.
    recognise, portal, number = ask(capsys, "làm sao nhận ra tin nhắn lừa đảo",
                                    "địa chỉ trang web Cổng Dịch vụ công quốc gia là gì",
                                    "thay số điện thoại trong vneid thế nào")
    assert recognise["answer"].startswith("Hãy nghi ngờ khi có")
    assert portal["answer"].startswith("Cổng Dịch vụ công quốc gia (dichvucong.gov.vn) là trang web")
    assert not number["answer"].startswith("Hãy làm theo hướng dẫn lấy lại mật khẩu")  # changing is not recovering


def test_first_time_is_not_where(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "lần đầu" folded like "… tới đâu" and the continue-lesson answer was given.
    assert fold("mở bot lần đầu") == fold("mo bot lan dau") == "mo bot lan thu nhat"
    [first] = ask(capsys, "Mới mở bot lần đầu, giờ phải làm gì trước tiên?")
    assert "mở đúng bài bạn đã dừng" not in first["answer"], first


def test_a_question_of_one_clause_asks_the_actions_it_names(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: twelve syllables counted as a story whose actions are noise, and the hacked-Zalo answer (about an
    # account taken over) was given to a friend request from a stranger.
    [stranger] = ask(capsys, "người lạ kết bạn zalo rồi nhắn làm quen có sao không")
    assert "tài khoản của người đó đã bị chiếm" not in stranger["answer"], stranger


def test_a_bare_place_name_is_where_one_lives_not_a_question(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "Ninh Bình" got the prompt-writing tip (its example names Ninh Bình) and "xa gia vien" how to join
    # the Hội, each with a "Nguồn:" line.
    for item in ask(capsys, "Ninh Bình", "xa gia vien", "xã Gia Viễn, Ninh Bình", "tinh nam dinh"):
        assert "/caidat" in item["answer"] and "Đổi nơi ở" in item["answer"], item
        assert not item["sources"] and not item["refused"]
    # A question about a place, or a commune's name that is an ordinary word, is still a question.
    [asked, word] = ask(capsys, "Ninh Bình có tổ chức Tuần lễ học tập suốt đời không", "thống nhất")
    assert "/caidat" not in asked["answer"] and "/caidat" not in word["answer"]


def test_a_thing_named_alone_is_offered_answered_or_not_known(capsys: pytest.CaptureFixture[str]) -> None:
    """A message that only names a thing asks nothing of it. Before: "thuế" got the deepfake warning, "sổ hộ khẩu"
    the VNeID password steps, "zalo" the Zalo password steps, each with a source line."""
    tax, household, zalo, bank, otp, ai = ask(capsys, "thuế", "sổ hộ khẩu", "zalo", "ngân hàng", "otp", "AI")
    for unknown in (tax, household):  # only in some answer's text: nothing is known of it
        assert unknown["refused"] and unknown["sources"] == [], unknown
    for several in (zalo, bank):  # several entries are about it: which one?
        assert not several["refused"] and several["answer"].startswith("Có phải bạn muốn hỏi"), several
        assert len(several["suggestions"]) >= 2
    assert "Zalo" in zalo["suggestions"][0]["title"] and "ngân hàng" in bank["suggestions"][0]["title"]
    assert otp["answer"].startswith("Tuyệt đối không") and otp["sources"]  # one entry far ahead: its answer
    assert ai["answer"].startswith("AI (trí tuệ nhân tạo) là")  # what it is: answered


def test_not_knowing_how_to_use_a_thing_asks_how_to_use_it(capsys: pytest.CaptureFixture[str]) -> None:
    """"Không biết dùng ChatGPT", "chưa rành cài VNeID" ask how; before, "biết" matched "làm sao biết ứng dụng ChatGPT
    là thật hay giả" and the fake-app warning was the answer."""
    chatgpt, southern, vneid = ask(capsys, "tôi không biết dùng chatgpt", "tui hổng biết xài chatgpt",
                                   "bà chưa rành cài vneid")  # fmt: skip
    for use in (chatgpt, southern):
        assert not use["answer"].startswith("Ứng dụng thật"), use  # the fake-app warning
        assert not use["refused"] and "ChatGPT" in use["answer"]
    assert "CH Play" in vneid["answer"] and "VNeID" in vneid["answer"]


def test_a_sport_question_asking_who_is_refused_as_sport(capsys: pytest.CaptureFixture[str]) -> None:
    """"Đá với ai", "ai thắng", "ai vô địch" ask who: "ai" there is no AI, which kept sport questions ours (refused as
    unknown and noted for officers, who cannot add football results)."""
    for match in ask(capsys, "tối nay MU đá với ai", "ai vô địch world cup"):
        assert match["refused"] and "ngoài phạm vi" in match["answer"], match
    (chat,) = ask(capsys, "trò chuyện với AI")  # "với AI" at the end is AI
    assert "ngoài phạm vi" not in chat["answer"]


def test_where_one_heard_of_it_and_whom_it_is_said_to_are_frames(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "Thưa bot" left "bot" and "tôi nghe đài nói nhiều về" was searched: refused
    assert question_core("Thưa bot, tôi nghe đài nói nhiều về trí tuệ nhân tạo, vậy nó là cái gì thế") == (
        "ai vay no la cai gi")
    assert question_core("à ừ thì bot cho hỏi là ChatGPT có cần mạng không") == "chatgpt co can mang khong"
    [item] = ask(capsys, "Thưa bot, tôi nghe đài nói nhiều về trí tuệ nhân tạo, vậy nó là cái gì thế")
    assert not item["refused"] and item["answer"].startswith("AI (trí tuệ nhân tạo) là")


def test_what_any_ai_does_answers_a_chatbot_asked_at_length(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: the entry on where AI gets its information named no ChatGPT, and was left out
    [item] = ask(capsys, "à ừ thì bot cho hỏi là cái chatgpt ấy nó lấy thông tin ở đâu ra mà nó biết nhiều thế")
    assert not item["refused"] and "huấn luyện trên rất nhiều văn bản" in item["answer"]
    [scam] = ask(capsys, "chatgpt có lừa đảo không")  # ChatGPT itself, not what AI does for scammers
    assert "bắt chước giọng nói" not in scam.get("answer", "")


def test_who_talks_of_it_and_where_are_frames(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused ("người ta hay nói trên ti vi", "nghe đài phát thanh nói hoài mà không hiểu" were searched),
    # "Cái AI ni là chi rứa, răng ai cũng nói tới?" got "Có phải bạn muốn hỏi…" Gemini and ChatGPT
    assert question_core("chuyen doi so la gi toi nghe dai phat thanh noi hoai ma khong hieu") == "chuyen doi so la gi"
    assert question_core("Cho tôi hỏi cái trí tuệ nhân tạo người ta hay nói trên ti vi là cái gì vậy ạ?") == (
        "cai ai la cai gi")
    assert question_core("AI cũng nói sai được à") == "ai cung noi sai duoc"  # what AI does stays
    tv, central, radio = ask(capsys, "Cho tôi hỏi cái trí tuệ nhân tạo người ta hay nói trên ti vi là cái gì vậy ạ?",
                             "Cái AI ni là chi rứa, răng ai cũng nói tới?",
                             "chuyen doi so la gi toi nghe dai phat thanh noi hoai ma khong hieu")
    for item in (tv, central):
        assert not item["refused"] and item["answer"].startswith("AI (trí tuệ nhân tạo) là"), item
    assert not radio["refused"] and radio["answer"].startswith("Chuyển đổi số là"), radio


def test_why_it_is_asked_after_what_it_is_is_not_asked(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "… là cái gì mà công an xã cứ bảo ông phải cài" asked to install: "Đó là lừa đảo…" (the VNeID scam)
    [vneid] = ask(capsys, "Ông hỏi cháu tí, cái VNeID là cái gì mà công an xã cứ bảo ông phải cài?")
    assert vneid["answer"].startswith("VNeID là ứng dụng định danh"), vneid
    # another thing named after "mà" is asked about too
    assert without_asides("bình dân học vụ là chi mà chừ có bình dân học AI") == (
        "bình dân học vụ là chi mà chừ có bình dân học AI")


def test_an_age_said_in_words_is_an_age(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused ("gần bảy mươi rồi" was no age)
    assert fold("tôi năm nay gần bảy mươi rồi") == "toi nam nay gan 70 tuoi roi"
    assert fold("bảy mươi nghìn") == "bay muoi nghin" and fold("nghị quyết năm mươi bảy") == "nghi quyet 57"
    [old] = ask(capsys, "Xin phép hỏi, tôi năm nay gần bảy mươi rồi thì có học được cái AI này không ạ?")
    assert not old["refused"] and "không kể tuổi tác" in old["answer"], old


def test_not_understanding_why_it_must_be_so_asks_why(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused; "tôi không hiểu sao lại phải vậy" was searched as its words ("không hiểu": typing without
    # accents) and the story's winner was not clear enough for an ending that asked something of its own
    assert fold("tôi không hiểu sao lại phải vậy") == "toi sao vay"
    [face] = ask(capsys, "Đợt trước tôi chuyển 15 triệu cho con mua xe, ngân hàng bắt quay mặt mới cho chuyển, tôi "
                         "không hiểu sao lại phải vậy")
    assert "10 triệu" in face["answer"] and "2345/QĐ-NHNN" in face["answer"], face


def test_a_slipped_letter_in_ai_or_vneid_spelt_apart_is_still_the_name(svc: Any) -> None:
    # Before: "trí tuệ nhân tạu" was no name at all ("dậy" matched the lifelong-learning lesson: answered with it)
    # and "VN e ID" read "vn em id" ("e" is teencode for "em"), so installing it was refused.
    assert fold("trí tuệ nhân tạu") == fold("chí tuệ nhân tạp") == "ai"
    assert fold("tải VN e ID") == fold("tai vn id") == "tai vneid"
    what = svc.plan("cho bà hỏi trí tuệ nhân tạu nó là cái chi").fallback
    assert what.decision == "answer" and "chương trình máy tính" in what.text
    install = svc.plan("cài VN e ID ở chỗ nào cho an toàn").fallback
    assert install.decision == "answer" and "CH Play" in install.text


def test_this_said_of_a_thing_is_how_it_is_pointed_at_not_what_is_asked(svc: Any) -> None:
    # Before: "bot này", "cái AI này" left "này" an own word no entry has, so the lessons' start was only offered.
    from content.search import QUESTION_FORM

    assert "nay" in QUESTION_FORM
    start = svc.plan("Bác ơi, tôi nghe bảo bot này có bài học AI cho người già, tôi muốn học thì vào từ đâu hả bác?")
    if start.decision == "suggest":  # the reading's entry offered first, the lessons' start beside it
        assert start.fallback.faq_id == "ai_learn_where" and "bdhai_start" in [d for d, _ in start.fallback.suggestions]
    else:
        assert start.decision == "answer" and "/hoc" in start.fallback.text
    old = svc.plan("Xin hỏi bot, ông lão ngoài 80 như tôi mà học cái AI này thì có nổi không ạ?").fallback
    assert old.faq_id != "ai_jobs"  # not answered with AI taking jobs away


def test_five_models_typed_without_the_last_letter_are_not_which_year(svc: Any) -> None:
    # Before: "năm mô hìn" (hình without its h) read "năm nào hìn": which year, and the five models were only offered.
    assert fold("năm mô hìn học tập").startswith("nam mo hin")
    assert fold("tổ chức năm mô rứa").startswith("to chuc nam nao")
    five = svc.plan("năm mô hìn học tập là những cái nào").fallback
    assert five.decision == "answer" and "Gia đình học tập" in five.text
