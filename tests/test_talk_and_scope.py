"""Issue 16: small talk, out-of-scope requests and questions about using the bot, as `hocbot ask --json` shows
them. Each test names the rule it checks and what the bot said before it."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core import texts
from content.intents import agrees, opens_with_small_talk, out_of_scope, small_talk
from handlers.answers.service import SMALL_TALK
from tests.test_asking_ways import _db, ask  # noqa: F401  (_db: the autouse database of `hocbot ask`)


def test_leaving_for_a_while_said_of_oneself_is_a_goodbye(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused as an unknown question ("mai học tiếp" asks nothing); "đi ngủ" to the bot stays personal.
    assert small_talk("thôi tui đi ngủ nha bot mai học tiếp") == "bye"
    assert small_talk("tôi đi nấu cơm đây") == small_talk("thôi chào nhé") == "bye"
    assert small_talk("bot đi ngủ chưa") == "about_bot"
    assert small_talk("đi làm có cần học AI không") is None and small_talk("tôi nghĩ vậy") is None
    [bye] = ask(capsys, "thôi tui đi ngủ nha bot mai học tiếp")
    assert bye["answer"].startswith("Chào bạn, hẹn gặp lại") and not bye["sources"]


def test_praise_of_the_bot_is_thanked_for(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "bot giỏi quá đấy" got "Có phải bạn muốn hỏi…" the bot's help entries, "bot giỏi quá" a "Xin chào!".
    assert small_talk("bot giỏi quá đấy") == small_talk("bot giỏi quá") == "praise"
    assert small_talk("con tôi học giỏi quá") is None and small_talk("ChatGPT có thông minh không") is None
    [praise] = ask(capsys, "bot giỏi quá đấy")
    assert praise["answer"].startswith("Cảm ơn bạn đã khen") and not praise["sources"]


def test_a_first_visit_told_is_a_greeting() -> None:
    # Before: refused ("lần đầu" reads "đâu", an asking word).
    assert small_talk("Chào cháu, mệ mới vô đây lần đầu") == "greeting"
    assert small_talk("tôi mới tham gia") == "greeting"
    assert small_talk("mới vào thì làm gì") is None


def test_what_the_lottery_drew_is_out_of_scope(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "Mai đánh con gì, đề về mấy" was answered with a lesson on AI's data, "nay đề về mấy" asked.
    assert out_of_scope("nay đề về mấy bot ơi") == out_of_scope("hôm nay lô về con gì") == "other"
    for everyday in ("để về mấy giờ thì kịp", "bài thi có đề về mấy chủ đề", "Nghị quyết đề ra mấy mục tiêu"):
        assert out_of_scope(everyday) is None
    [bet] = ask(capsys, "Mai đánh con gì, đề về mấy")
    assert bet["refused"] and "ngoài phạm vi" in bet["answer"]


def test_the_bots_help_says_what_the_handlers_do(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: the streak question was refused, "xin lại" the certificate had no /chungnhan, deleting one's data
    # said nothing of the certificate, and "mã liên kết" (the /lienket code) was answered with a scam warning.
    streak, lost, deleted, code = ask(capsys, "chuỗi ngày học liên tục của tôi xem ở đâu",
                                      "làm mất giấy chứng nhận rồi xin lại được không",
                                      "xóa dữ liệu thì chứng nhận có còn không", "mã liên kết dùng trong bao lâu")
    assert "/tiendo" in streak["answer"] and "liên tiếp" in streak["answer"]
    assert "/chungnhan" in lost["answer"] and "lại" in lost["answer"]
    assert "/xoadulieu" in deleted["answer"] and "thu hồi" in deleted["answer"]
    assert not code["sources"] or "/lienket" in code["answer"]  # never another topic's answer with its sources


def test_how_to_use_naming_nothing_else_gets_the_bots_guide(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "chỉ tôi cách dùng" got what ChatGPT can do, "xài sao vậy" the advice on children's homework with
    # AI, "làm sao quay lại menu" the bank-password steps.
    show, southern, menu, chatgpt = ask(capsys, "bot ơi chỉ tôi cách dùng với", "xài sao vậy",
                                        "làm sao quay lại menu", "cách dùng chatgpt")
    for guide in (show, southern):
        assert "/hoc" in guide["answer"] and "/trogiup" in guide["answer"] and "ChatGPT" not in guide["answer"]
    assert "/menu" in menu["answer"]
    assert "/trogiup" not in chatgpt["answer"]  # how to use a named thing is about that thing


def test_a_plea_for_help_and_nothing_else_gets_the_bots_guide(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "giúp tôi với" got what ChatGPT can do, with its source line; "nhờ bot giúp" a choice of three.
    pleas = ask(capsys, "giúp tôi với", "giup voi", "help", "nhờ bot giúp", "bot giúp được gì")
    for plea in pleas:
        assert "/hoc" in plea["answer"] and "/trogiup" in plea["answer"] and "ChatGPT" not in plea["answer"], plea
    letter, scam = ask(capsys, "giúp tôi viết đơn xin việc", "giúp tôi với tôi bị lừa mất tiền")
    assert "/trogiup" not in letter["answer"] and "/trogiup" not in scam["answer"]  # a plea with a question


def test_cooking_farming_land_office_numbers_and_borrowing_are_out_of_scope(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "nấu canh chua thế nào" got a lesson, "trồng lúa bón phân gì" the tip on writing prompts ("lúa" read
    # as "lừa", a scam word that keeps a question ours), "số điện thoại công an xã" the scam hotline.
    for request in ("nấu canh chua thế nào", "trồng lúa bón phân gì", "trong lua bon phan gi",
                    "cho tôi số điện thoại công an xã", "chia đất cho con thế nào cho đúng luật",
                    "tôi cần mượn tiền gấp", "năm nay nên làm nhà không",
                    # any dish: before, "nấu gà tiềm thế nào" went to how to pay bills ("tiền" of "tiềm")
                    "bò kho nấu thế nào cho đậm đà", "nau ga tiem sao cho ngon", "món cá kho làm thế nào cho ngon",
                    # done for one, said the Southern way ("giùm" for "giúp", "dùm")
                    "viết giùm tôi cái đơn xin nghỉ phép", "giải giùm cháu phương trình này"):
        assert out_of_scope(request) == "other", request
    for ours in ("người quen nhắn zalo mượn tiền", "xem lương hưu trên vssid", "bi lua muon tien",
                 "giờ tôi muốn báo cái số đó thì nhắn đi đâu"):
        assert out_of_scope(ours) is None, ours
    cook, pension = ask(capsys, "nấu canh chua thế nào", "xem lương hưu trên vssid")
    assert cook["refused"] and "ngoài phạm vi" in cook["answer"]
    assert not pension["refused"] and "VssID" in pension["answer"]  # before: refused as out of scope


def test_a_year_no_answer_names_is_asked_about_not_answered(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "chủ đề … năm 2019" was answered with the themes of 2023–2025, as if that were the answer.
    unknown, known = ask(capsys, "chủ đề tuần lễ học tập năm 2019 là gì", "chủ đề tuần lễ học tập năm 2024 là gì")
    assert unknown["answer"].startswith("Có phải bạn muốn hỏi") and not unknown["sources"]
    assert "2024" in known["answer"] and known["sources"]


def test_lessons_in_any_order_and_why_the_bot_asks_back(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "học có phải theo thứ tự không" got the fees of public services; why the bot offers look-alike
    # questions was refused. Any module opens in any order (handlers/learning/chat.py open_module).
    order, back = ask(capsys, "học có phải theo thứ tự không",
                      "sao bot không trả lời thẳng mà đưa mấy câu gần giống bắt tôi chọn")
    assert "/hoc" in order["answer"] and "thứ tự nào cũng được" in order["answer"]
    assert "gần giống" in back["answer"] and not back["refused"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [("hế lô", "greeting"), ("helu bot", "greeting"), ("rõ rồi", "ack"), ("à ra vậy", "ack"), ("hay đấy", "ack"),
     ("thì ra là thế", "ack"), ("để mai hỏi tiếp", "bye"), ("dạo này bot thế nào", "how_are_you"),
     ("hôm nay mệt quá", "feeling"), ("trời nóng quá", "feeling"), ("tôi đang buồn", "feeling"),
     ("sai rồi", "complaint"), ("không phải", "complaint"), ("bot dở quá", "complaint"),
     ("mình là giáo viên về hưu", "greeting"), ("tôi ở Nghệ An", "greeting"), ("trời đẹp ghê", "feeling"),
     ("sáng nay mát quá nhỉ", "feeling"), ("b", "unclear"), ("0912 345 678", "unclear"), ("???", "unclear"),
     ("ừ", "ack"), ("u", "ack"), ("haha đúng rồi đó", "ack"), ("được rồi đó bot", "ack")],
)
def test_more_ways_of_chatting_are_small_talk(text: str, kind: str) -> None:
    # Before: refused, asked, or answered with an entry: "tôi đang buồn" got how to stop messages, "dạo này bot
    # thế nào" the settings, "không phải" the Zalo security check, "thì ra là thế" how AI learns.
    assert small_talk(text) == kind


@pytest.mark.parametrize(
    "text",
    ["AI nói không đúng thì sao", "dạo này có lừa đảo gì mới", "trời mưa to quá có sao không",
     "không phải zalo mà là vneid", "tôi ở xã Tân Hòa có lớp học AI không", "chán quá không biết học gì",
     "cái đó là gì"],
)
def test_a_question_with_a_feeling_or_a_no_is_still_a_question(text: str) -> None:
    assert small_talk(text) is None


def test_feelings_and_complaints_get_their_own_word(capsys: pytest.CaptureFixture[str]) -> None:
    sad, wrong, purpose = ask(capsys, "tôi đang buồn", "sai rồi", "Cô ơi cho con hỏi bot này dùng để làm gì ạ?")
    assert sad["answer"].startswith("Cảm ơn bạn đã chia sẻ") and not sad["sources"]  # before: "Gõ /huy…"
    assert wrong["answer"].startswith("Xin lỗi bạn") and "cán bộ" in wrong["answer"] and not wrong["sources"]
    assert "trợ lý học tập" in purpose["answer"]  # what the bot is for, not the list of its commands


def test_more_requests_that_are_not_ours() -> None:
    # Before: "soi cau lo" got "Có phải bạn muốn hỏi…" the bot's privacy, "cach lam giau nhanh" a lesson, the rest
    # the unknown-question refusal instead of the out-of-scope one.
    assert out_of_scope("cho chau hoi thuoc tri ho cho tre") == "health"
    for request in ("soi cau lo", "tran mu vs arsenal may gio", "mon gi ngon", "di du lich da nang o dau",
                    "cach lam giau nhanh", "nam 2026 tuoi ty the nao", "cach ve sinh may giat"):
        assert out_of_scope(request) == "other", request
    assert out_of_scope("người tuổi dần học AI được không") is None


def test_bus_tickets_and_coach_stations_are_not_ours(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "vé xe đò … ở đâu rẻ" was answered with where AI is found in everyday life.
    for request in ("đặt vé xe khách đi Sài Gòn chỗ nào", "bến xe miền Tây mấy giờ có chuyến", "ve xe tet mua o dau"):
        assert out_of_scope(request) == "other", request
    assert out_of_scope("nhà xe gọi bắt chuyển khoản giữ chỗ có phải lừa đảo không") is None  # a scam stays ours
    (asked,) = ask(capsys, "chỉ chỗ mua vé xe đò đi Cần Thơ giùm")
    assert asked["refused"]


def test_the_privacy_answer_says_numbers_in_questions_are_masked(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused; the consent text (bot/core/texts.py CONSENT_ASK) says these numbers are masked.
    [phone] = ask(capsys, "bot có lưu số điện thoại không")
    assert not phone["refused"] and "che đi" in phone["answer"] and "/xoadulieu" in phone["answer"]


def test_pressing_and_a_set_up_by_someone_else_get_the_guide(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "tôi phải bấm gì" got 'Có phải bạn muốn hỏi…' Zalo's activation code, the story was refused, and
    # "bot ko trả lời gì hết" got 'AI có thể sai' ("hết" after "gì" was read as a word of the question).
    press, story, silent = ask(capsys, "tôi phải bấm gì", "con tôi cài bot cho tôi mà tôi không biết bấm gì",
                               "bot ko trả lời gì hết")
    assert "/trogiup" in press["answer"] and "/trogiup" in story["answer"]
    assert "thử lại sau ít phút" in silent["answer"]


def test_how_to_use_a_named_app_is_not_answered_with_another_entry_about_it(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "cách dùng zalo" was answered with how the bot works on Zalo, "bà không biết dùng zalo" with Zalo's
    # security check, "cách dùng facebook" with how to spot fake news: no entry asks how to use those apps.
    for question in ("cách dùng zalo", "bà không biết dùng zalo", "cách dùng facebook"):
        [item] = ask(capsys, question)
        assert item["refused"] or item["answer"].startswith("Có phải bạn muốn hỏi"), question
    [chatgpt] = ask(capsys, "dùng chatgpt thế nào")
    assert "ChatGPT" in chatgpt["answer"] and chatgpt["sources"]  # an entry that asks it still answers


def test_ailments_wills_jobs_disasters_songs_and_market_prices_are_not_ours() -> None:
    # Before: "bệnh gút ăn gì" and "bài hát nào hay" got lessons, "làm di chúc thế nào" the learning-group answer,
    # "bị đuổi việc không lý do" the fake-police warning, "hôm nay có động đất không" the digital-citizen lesson.
    for request in ("bệnh gút ăn gì", "trẻ bị sổ mũi", "thuốc giảm đau nào tốt", "làm di chúc thế nào",
                    "bị đuổi việc không lý do", "hôm nay có động đất không", "bài hát nào hay",
                    "giá sầu riêng hôm nay", "cho xin số lô đẹp"):
        assert out_of_scope(request) is not None, request
    for ours in ("Anh ơi, bot này có lưu thông tin gì của em không anh, em sợ lộ.",
                 "người gọi báo nhà tôi nợ tiền điện sắp bị cắt, bảo bấm vào link", "AI có soạn được di chúc không"):
        assert out_of_scope(ours) is None, ours


def test_where_is_no_pain() -> None:
    # "đâu" (where) folds like "đau" (pain): "tôi đâu có đặt hàng" got the doctor's reply as "đau cổ" (neck pain)
    from content.intents import out_of_scope

    assert out_of_scope("shipper gọi mà tôi đâu có đặt hàng gì") is None
    assert out_of_scope("toi dau co dat hang gi") is None
    assert out_of_scope("tiền trong tài khoản đi đâu mất rồi") is None
    assert out_of_scope("tôi bị đau cổ mấy hôm nay") == "health" and out_of_scope("bi dau mat do") == "health"


def test_what_number_to_bet_on_is_out_of_scope_even_asked_of_ai() -> None:
    # Before: naming AI made it "a question about AI", and the AI-versus-Google entry was answered.
    assert out_of_scope("nhờ AI soi cầu giúp con số đề tối nay đánh con gì") == "other"
    assert out_of_scope("hỏi chatgpt xem mai lô về mấy") == "other"
    assert out_of_scope("có nên hỏi AI về sức khỏe không") is None


def test_agreeing_said_on_its_own_is_told_from_a_question_about_it() -> None:
    # Before: "đồng ý" after consent was searched and got the FAQ's text on the personal data law.
    for yes in ("đồng ý", "dong y", "ok đồng ý", "Đồng ý.", "vâng, tôi đồng ý ạ", "đồng ý rồi nhé"):
        assert agrees(yes), yes
    for other in ("không đồng ý", "chưa đồng ý", "đồng ý là sao?", "tôi đồng ý với điều khoản", "đông y", "ok"):
        assert not agrees(other), other


def test_small_talk_said_without_the_menu_does_not_point_at_it() -> None:
    # Before: a greeting while a quiz question waited (the menu is left off there) ended "… hoặc chọn một mục bên
    # dưới nhé". Every text that points at the menu has words to leave off where the menu is not shown.
    said = [*SMALL_TALK.values(), texts.UNKNOWN_COMMAND, texts.UNSUPPORTED_MEDIA, texts.EMPTY, texts.STALE_BUTTON,
            texts.ALREADY_AGREED]
    for text in said:
        if "bên dưới" in text:
            body = texts.without_menu(text)
            assert body and "bên dưới" not in body and "chọn" not in body.lower(), text
    assert texts.without_menu(SMALL_TALK["greeting"]) == "Xin chào! 👋 Mình là trợ lý học tập của Hội Khuyến học."
    assert texts.without_menu(texts.HELP) is None


def test_a_greeting_or_thanks_followed_by_chat_is_small_talk(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: longer than a greeting with four words of chat, these were refused ("Xin lỗi, mình chưa có câu trả
    # lời…"); "để tôi thử xem" got the progress command as an answer.
    chat = ask(capsys, "Chào cháu bot nhé, bà tám mươi rồi mới tập nhắn tin đấy.",
               "Dạ cảm ơn bot nhiều lắm ạ, bot trả lời dễ hiểu quá.",
               "chào bot nhé chúc bot buổi sáng tốt lành hôm nay trời đẹp quá",
               "Ừ, được rồi, để tôi thử xem.")
    assert [c["answer"].split("!")[0] for c in chat] == ["Xin chào", "Không có gì ạ", "Xin chào", "Vâng ạ"]
    assert not any(c["sources"] or c["refused"] for c in chat)
    # What asks something after the greeting is still searched: a trouble told, a wish, a question.
    for text in ("chào bot, tôi bị lừa mất 5 triệu rồi", "cảm ơn bot, cho tôi xem tiến độ",
                 "chào bot, bình dân học AI là gì", "chào bot, ngày mai có mưa không"):
        assert opens_with_small_talk(text) is None, text
    [scam] = ask(capsys, "chào bot, tôi bị lừa chuyển mất 5 triệu rồi")
    assert not scam["answer"].startswith("Xin chào")


def test_buying_gold_is_out_of_scope(capsys: pytest.CaptureFixture[str]) -> None:
    # Before (dev_m): "Mua vàng lúc này có lời không bot?" offered the entries about the bot ("bot" named).
    gold, bars = ask(capsys, "Mua vàng lúc này có lời không bot?", "mua vang mieng o dau re")
    for item in (gold, bars):
        assert item["refused"] and "ngoài phạm vi" in item["answer"]
    # "mùa vàng" (the ripe-rice season) typed with its accents is not buying gold.
    assert out_of_scope("Mùa vàng năm nay lúa tốt quá") is None and out_of_scope("mua vang luc nay co loi") == "other"


def test_new_year_wishes_and_a_long_greeting_are_small_talk(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: a wish was refused as an unknown question; the greeting (13 words, most of them "cháu", "nhé", "bác")
    # was too long for small talk and got how to start the bot
    assert small_talk("Chúc bot năm mới mạnh khỏe, vạn sự như ý") == "greeting"
    assert small_talk("năm mới có gì") is None
    wish, hello = ask(capsys, "Chúc bot năm mới mạnh khỏe, vạn sự như ý",
                      "Chào cháu nhé, bác mới vào đây lần đầu, cháu khỏe không")
    assert wish["answer"] == SMALL_TALK["greeting"], wish
    assert hello["answer"] == SMALL_TALK["how_are_you"], hello
    # Before: the age typed with "tuổi" found the entry on learning AI when old, though nothing is asked
    [chat] = ask(capsys, "Chào cháu bot nhé, bà tám mươi tuổi rồi mới tập nhắn tin đấy.")
    assert chat["answer"] == SMALL_TALK["greeting"], chat


def test_what_one_learned_told_and_coming_back_later_are_small_talk() -> None:
    # Before: "tuyệt ghê, hôm nay cô hiểu thêm được nhiều lắm" was searched (the lessons' start, or a refusal) and
    # "chào bot nhé, để mai bà lên hỏi tiếp" refused: what one got from the bot, and going on later, ask nothing.
    assert small_talk("tuyệt ghê, hôm nay cô hiểu thêm được nhiều lắm") == "praise"
    assert small_talk("con cám ơn bot nha, bữa nay con biết thêm được quá trời") == "thanks"
    assert small_talk("chào bot nhé, để mai bà lên hỏi tiếp") in ("bye", "greeting")
    assert small_talk("hẹn bữa khác cháu quay lại học tiếp") == "bye"
    assert small_talk("học ở đâu thì được nhiều") is None and small_talk("mai tui vô học tiếp được không?") is None
    assert small_talk("quá trời tin nhắn lạ, có sao không") is None


def test_the_start_is_no_pain() -> None:
    # "đầu" (the start: "bắt đầu có hiệu lực") folds like "đau": "bắt đầu có" got the doctor's reply as "đau cổ".
    assert out_of_scope("Nghị định 356 bắt đầu có hiệu lực từ khi nào") is None
    assert out_of_scope("lúc đầu cổ máy hơi nóng, có sao không") is None
    assert out_of_scope("tôi hay đau đầu, uống thuốc gì") == "health"
    assert out_of_scope("ông tôi đau cổ, có nên đi khám không") == "health"


def test_greeting_or_thanking_the_association_is_small_talk(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "Hội" folds like "hỏi" (to ask): "cảm ơn các anh chị trong Hội nhiều" got the entry on children online,
    # "Chào cả Hội ạ, …" was refused as an unknown question.
    assert small_talk("Chào cả Hội ạ, chúc mọi người buổi sáng tốt lành") == "greeting"
    assert small_talk("cảm ơn các anh chị trong Hội nhiều") == "thanks"
    assert small_talk("cam on hoi khuyen hoc nhe") == "thanks"
    # the association named alone, or with a question, is asked about
    assert small_talk("Hội Khuyến học ạ") is None and small_talk("Hội khuyến học ơi cho em hỏi") is None
    assert small_talk("chào bot, cho hỏi hội khuyến học là gì") is None
    [hello] = ask(capsys, "Dạ chào các bác trong Hội ạ")
    assert hello["answer"].startswith("Xin chào!") and not hello["sources"]


def test_thanks_for_what_was_done_is_a_thanks(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "Có. Hội khuyến học các cấp thường trao học bổng…" for thanks for a grant given, the entry on children
    # online for "cảm ơn cháu đã giúp bác nhiều", a refusal for thanks for help to one's family.
    for thanks in ("cảm ơn Hội khuyến học đã trao học bổng cho con tôi", "cảm ơn cháu đã giúp bác nhiều",
                   "cam on ad da huong dan tan tinh", "Xin cảm ơn Hội đã giúp đỡ gia đình tôi"):
        assert small_talk(thanks) == "thanks", thanks
    # a thanks that goes on to ask is not one; one that objects is the objection (how to ask again)
    for asks in ("cảm ơn đã chỉ, cho tôi hỏi thêm về VNeID", "cảm ơn bot đã trả lời, học bổng bao nhiêu tiền?"):
        assert small_talk(asks) is None, asks
    assert small_talk("cảm ơn bot đã trả lời nhưng tôi chưa hiểu") == "complaint"
    [item] = ask(capsys, "cảm ơn Hội khuyến học đã trao học bổng cho con tôi")
    assert item["answer"].startswith("Không có gì ạ!") and not item["sources"], item


def test_an_accent_mark_is_no_pain(capsys: pytest.CaptureFixture[str]) -> None:
    # "dấu" (an accent mark) folds like "đau" (pain): "gõ có dấu, có cần không" got the doctor's reply as "đau cổ".
    assert out_of_scope("cháu bảo nhắn phải có dấu, có thật thế không") is None
    assert out_of_scope("tôi gõ chữ không có dấu, có sao không") is None
    assert out_of_scope("ông tôi đau cổ, có nên đi khám không") == "health"
    [reply] = ask(capsys, "Bà nghe nói nhắn cho bot phải gõ có dấu, có đúng không cháu?")
    assert not reply["answer"].startswith("Xin lỗi, mình không tư vấn sức khỏe")


def test_a_few_clauses_of_chat_with_the_bot_are_small_talk(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "bot có buồn không…" got the bot's "gõ không dấu" help and the grandchild's visit the group-link
    # entry, both with a "Nguồn:" line: chat that asks nothing of the content, or asks the bot how it is.
    from content.intents import chat_with_the_bot

    assert chat_with_the_bot("Bot ơi bot có buồn không, khuya rồi mà còn phải thức với bà") == "about_bot"
    [reply] = ask(capsys, "Bot ơi bot có mệt không")  # the reply says what was asked
    assert "không biết mệt" in reply["answer"] and not reply["sources"]
    assert chat_with_the_bot("Mai con gái về chơi, bà sẽ kể là bà nhắn được với bot rồi") == "feeling"
    for asks in ("xoá hết dữ liệu của tôi trên bot", "Con tôi cài bot rồi, bot có mất tiền không",
                 "Bot ơi, tôi quên mật khẩu zalo rồi", "tối rồi, bot dạy tôi học tiếp bài hôm qua",
                 "Bot ơi, đổi xã đang ở trên bot",
                 # "ai" asks who (before: the feeling shared, "Cảm ơn bạn đã chia sẻ…")
                 "bot nói sai ngày khai mạc rồi, góp ý với ai đây"):
        assert chat_with_the_bot(asks) is None, asks
    [mistake] = ask(capsys, "bot nói sai ngày khai mạc rồi, góp ý với ai đây")
    assert "chụp màn hình" in mistake["answer"]  # where to report the bot's mistakes
    [sad, visit] = ask(capsys, "Bot ơi bot có buồn không, khuya rồi mà còn phải thức với bà",
                       "Mai con gái về chơi, bà sẽ kể là bà nhắn được với bot rồi")
    assert not sad["sources"] and not visit["sources"] and not sad["refused"] and not visit["refused"]


def test_asking_told_as_a_thing_done_is_a_remark_in_chat_with_the_bot(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "Bot ơi bot có mệt không, bà hỏi suốt từ sáng tới giờ" got the night quiet-hours help with a "Nguồn:"
    # line: "hỏi" said of how long or how much one has asked is a remark on the chat, not a wish to ask.
    from content.intents import chat_with_the_bot

    assert chat_with_the_bot("Bot ơi bot có buồn không, ông hỏi bot hoài từ trưa") == "about_bot"
    assert chat_with_the_bot("Bot có mệt không cháu, bà hỏi nhiều quá nhỉ") == "about_bot"
    for asks in ("Bot ơi bot có mệt không, bà muốn hỏi tiếp bài hôm qua", "bot ơi, cho ông hỏi cái này",
                 "bot ơi, tôi hỏi mãi mà bot không trả lời"):
        assert chat_with_the_bot(asks) is None, asks
    [reply] = ask(capsys, "Bot ơi, bot có mệt không, ông hỏi cả buổi chiều rồi")
    assert "không biết mệt" in reply["answer"] and not reply["sources"]


def test_the_bot_said_as_where_one_is_asks_about_using_it(svc: Any) -> None:
    # Before: refused. "trên máy này", "qua đây" are the bot the asker is typing into, "bấm cái gì" a button asked
    # for: the bot's help entry that gives the command answers, when it is far ahead of the rest.
    from content.intents import about_using_the_bot

    assert about_using_the_bot("gửi cho xã qua đây có được không") and about_using_the_bot("trên máy này bấm cái gì")
    for question, entry in (
            ("Ông muốn đăng ký dòng họ nhà mình làm Dòng họ học tập trên máy này thì bấm cái gì cháu?",
             "bot_models_register"),
            ("Chi hội tôi có sáng kiến hay, gửi lên Hội qua đây có được không?", "bot_initiative")):
        plan = svc.plan(question)
        assert (plan.decision, plan.fallback.faq_id) == ("answer", entry), question


def test_papers_to_make_are_no_request_to_do_it_for_one(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "làm hồ sơ" (make one's papers) folded to "lam ho so", and "lam ho" (do it for me, homework) made the
    # question out of scope: the commune's help with online papers was refused with the "không cho vay tiền" text.
    assert out_of_scope("Bà không biết làm hồ sơ online, ở xã có ai chỉ cho không?") is None
    assert out_of_scope("lam ho so xin tro cap o dau") is None
    assert out_of_scope("bot làm hộ tôi bài tập toán nhé") == "other"
    [papers] = ask(capsys, "Bà không biết làm hồ sơ online, ở xã có ai chỉ cho không?")
    assert not papers["refused"] and "Trung tâm Phục vụ hành chính công" in papers["answer"]


def test_a_story_told_to_the_bot_that_ends_with_small_talk_is_small_talk(capsys: pytest.CaptureFixture[str]) -> None:
    # Before (dev_story): a story of one's day that asks nothing, opening or ending with thanks, a goodbye or a remark
    # on the weather, was refused ("Xin lỗi, mình chưa có câu trả lời…") and noted as a question for officers.
    from content.intents import told_with_small_talk

    assert told_with_small_talk("Chiều nay bà đi chợ bán được hết mớ rau, về tắm rửa cơm nước xong. Chúc cháu bot "
                                "ngủ ngon nhé.") == "bye"
    assert told_with_small_talk("Cảm ơn bot nhé. Hôm trước có tin nhắn báo trúng thưởng, tôi nhớ bài học nên xóa "
                                "luôn, cả nhà khen tôi giỏi.") == "thanks"
    assert told_with_small_talk("vừa phơi xong ba sào thóc ngoài sân, giờ ngồi uống nước. hôm nay trời mát quá "
                                "bot ạ") == "feeling"
    assert told_with_small_talk("bot ơi tối nay con trai gọi điện về hỏi thăm cả nhà vui lắm kể cho bot nghe "
                                "thôi chứ không hỏi gì đâu") == "feeling"
    # Trouble told, a wish or a question in the story: still searched.
    for asks in ("Cảm ơn bot. Hôm qua tôi bị lừa mất 3 triệu rồi.", "Chào bot. Tôi muốn học tiếp bài hôm qua.",
                 "Hôm nay đi họp hội về. Cái Tuần lễ học tập năm nay có gì mới không. Chúc bot ngủ ngon.",
                 "Cảm ơn bot. Tôi quên mật khẩu Zalo rồi thì lấy lại thế nào"):
        assert told_with_small_talk(asks) is None, asks
    night, weather = ask(capsys, "Chiều nay bà đi chợ bán được hết mớ rau, về tắm rửa cơm nước xong. Chúc cháu "
                                 "bot ngủ ngon nhé.",
                         "vừa phơi xong ba sào thóc ngoài sân, giờ ngồi uống nước. hôm nay trời mát quá bot ạ")
    assert night["answer"] == SMALL_TALK["bye"] and weather["answer"] == SMALL_TALK["feeling"]
    assert not night["refused"] and not weather["refused"]


def test_the_quiz_asked_in_teencode_and_a_year_end_report_by_chatgpt(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "ktra" was no word the bot knew, and "làm bài ktra" got the progress command (/tiendo); a year-end
    # report written by ChatGPT got the officers' general uses, not the warning that it invents figures.
    quiz, report = ask(capsys, "muon lam bai ktra thi go lenh gi",
                       "cuối năm hội tui nhờ chatgpt làm báo cáo giùm được hông, coi chừng cái gì")
    assert "/kiemtra" in quiz["answer"]
    assert "bịa ra con số" in report["answer"]


def test_money_sent_to_someone_claiming_to_sell_farm_goods_is_a_scam_not_farming() -> None:
    # Before: "chuyển tiền cho người tự xưng bán phân bón" was refused as farming advice (not ours).
    assert out_of_scope("chuyển 3 triệu cho người tự xưng bán phân bón rẻ rồi bị chặn số, làm sao lấy lại") is None
    assert out_of_scope("phân bón nào tốt cho lúa") == "other"


@pytest.mark.parametrize("text", ["bot ơi bot có buồn không, ngồi trả lời cả ngày thế",
                                  "bot có mệt không, tối rồi vẫn phải trả lời thế"])
def test_a_remark_closing_with_the_is_chat_not_a_question(text: str) -> None:
    # "… trả lời suốt ngày thế": the closing "thế" exclaims; before, it made the remark a question (an entry on
    # what the bot answers was given)
    from content.intents import chat_with_the_bot
    assert chat_with_the_bot(text) == "about_bot"


def test_a_feeling_then_its_cause_is_shared_not_searched() -> None:
    # "con đi làm xa không về": a feeling and what causes it, nothing asked (before: how to join the association)
    from content.intents import feeling_told
    assert feeling_told("Buồn lắm bot ạ, thằng út đi làm ăn xa mấy năm không về") == "feeling"
    assert feeling_told("Tôi buồn quá, con đi xa chưa gọi về") == "feeling"
    assert feeling_told("buồn quá, bị lừa mất 3 triệu rồi") is None  # trouble told: something is wanted
    assert feeling_told("chán quá, con đi làm xa, có cách nào gọi video cho nó không") is None


@pytest.mark.parametrize("text", ["bà chán quá không muốn học nữa", "khó quá, chẳng muốn học nữa"])
def test_losing_heart_is_shared_not_asked(text: str) -> None:
    # before: refused as an unknown question, noted for officers
    assert small_talk(text) == "feeling"


def test_who_to_vote_for_is_not_asked_of_ai_and_a_hail_is_small_talk(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "bầu ai" was read as "bầu AI" (a question about AI, so in scope) and answered with the Day of
    # Khuyến học; "alo alo bot ơi có nghe bà nói không đó" got the warning about voices faked by AI.
    vote, hail, voice, free = ask(capsys, "bầu cử đại biểu quốc hội năm nay tui nên bầu ai",
                                  "alo alo bot ơi có nghe bà nói không đó", "bot có nghe được giọng nói không",
                                  "nghe nói bot miễn phí phải không")
    assert vote["refused"] and "ngoài phạm vi" in vote["answer"] and not vote["sources"]
    assert out_of_scope("bau cu nam nay nen bau ai") == "other"
    assert out_of_scope("AI là gì") is None and out_of_scope("nên dùng AI nào") is None
    assert small_talk("alo alo bot ơi có nghe bà nói không đó") == "how_are_you" and not hail["sources"]
    assert not hail["refused"] and "Chọn một mục" in hail["answer"]
    assert voice["answer"].startswith("Bot chỉ đọc chữ")  # before: the voice clone warning
    # before: refused; now answered, or the bot's cost offered first (a weak answer the asked questions doubt)
    assert free["answer"].startswith("Không. Bot miễn phí") \
        or free["answer"].split("\n")[1] == "• Dùng bot này có mất tiền không?"


def test_politics_is_out_of_scope_and_an_app_named_as_like_what_is_asked_is_not_answered_by_another(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "chính sách của ông Trump đúng hay sai" was offered the entries on ChatGPT answering wrongly; "có app nào
    # tự chặn cuộc gọi lừa đảo như Truecaller không" was answered with the signs of a scam.
    trump, like = ask(capsys, "chinh sach cua ong Trump dung hay sai",
                      "co app nao tu chan cuoc goi lua dao nhu truecaller khong")
    assert trump["refused"] and "ngoài phạm vi" in trump["answer"]
    assert like["answer"].startswith("Có phải bạn muốn hỏi") and not like["sources"]
    assert out_of_scope("Nghị quyết 57 của Bộ Chính trị nói về cái gì?") is None


def test_the_bots_language_is_told_and_a_good_night_stays_small_talk(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "bot có bản tiếng Anh không" got "Được. Các công cụ AI … hiểu tiếng Việt" (whether one can learn AI
    # without English): a yes to a version the bot does not have.
    english, night, gemini = ask(capsys, "bot có bản tiếng Anh ko, vợ e người nước ngoài muốn học cùng",
                                 "Tối rảnh nên mở bot ra đọc mấy bài. Chúc bot ngủ ngon nhé.",
                                 "không biết tiếng Anh có học AI được không")
    assert english["answer"].startswith("Chưa. Hiện bot chỉ dùng tiếng Việt")
    assert not night["sources"] and not night["refused"]  # "ngủ ngon" is no "ngôn ngữ"
    assert gemini["answer"].startswith("Được.")


@pytest.mark.parametrize("text, kind", [
    ("alo alo bot oi co nghe tui ko ne", "how_are_you"),  # before: the warning about voices faked by AI
    ("ủa có ai đang trực bên kia không đó", "about_bot"),  # before: refused, noted for officers
    ("khuya rồi, bà đi ngủ đây, cháu cũng nghỉ đi", "bye"),  # before: refused
])
def test_a_hail_someone_on_duty_and_a_goodnight_are_small_talk(text: str, kind: str) -> None:
    assert small_talk(text) == kind


@pytest.mark.parametrize("text", ["khuya rồi có nên dùng điện thoại không",
                                  "có ai trực ở trung tâm hành chính công không", "bot có nghe được giọng nói không"])
def test_the_same_words_asking_something_are_no_small_talk(text: str) -> None:
    assert small_talk(text) is None


def test_asked_whether_someone_is_on_duty_the_bot_says_it_is_a_program(capsys: pytest.CaptureFixture[str]) -> None:
    (duty,) = ask(capsys, "ủa có ai đang trực bên kia không đó")
    assert not duty["refused"] and "chương trình máy tính" in duty["answer"] and not duty["sources"]


@pytest.mark.parametrize(("text", "kind"), [
    ("cán bộ hội gửi cho dãy chữ số để vào nhóm thôn, gõ thế nào", None),  # before: "số để" folded into "số đề"
    ("mã số để vào nhóm là gì", None),
    ("đánh số đề hôm nay con gì", "other"),
    ("so de hom nay ve con gi", "other"),
])
def test_a_number_to_join_with_is_no_lottery(text: str, kind: str | None) -> None:
    assert out_of_scope(text) == kind


@pytest.mark.parametrize(("text", "kind"), [
    # what a loan app charges is the content's warning (1.000-2.000 %/year), not a bank's rate looked up
    ("app vay tiền online lãi bn, có nên vay ko", None),
    ("vay app online lãi bn %", None),
    ("lãi app vay tiền nhanh có thể lên tới bn %/năm v", None),
    ("Thằng cháu tôi vay 3 triệu qua cái app, giờ nó đòi trả gần 10 triệu, lãi kiểu đó có bình thường không", None),
    ("ngân hàng nào cho vay lãi suất thấp nhất", "other"),
    ("cho tôi vay 5 triệu qua app lãi bao nhiêu", "other"),
    ("lãi suất gửi tiết kiệm bao nhiêu", "other"),
    # what the lesson says is asked, whatever it names
    ("cần vay gấp mà ko dám xài app vay online thì bài học bảo nên hỏi chỗ nào v", None),
    ("cần vay gấp 20 triệu thì vay ở đâu", "other"),
    # who loan apps are and what they charge or do, however the app is said
    ("Cho tôi hỏi vay tiền qua mấy cái app trên điện thoại thì lãi với phí thực tế cao cỡ nào ạ", None),
    ("bà cháu lỡ vay tiền qua app, giờ nó gọi điện cho cả họ hàng bôi nhọ bà, sao nó có số người nhà vậy ạ", None),
    ("ad ơi app vay online bảo chỉ cần cccd là dc duyệt, mấy app đó là loại j v", None),
    # Central "rứa" (so), folded, is "vay" (to borrow): "rứa, ngân hàng" is no bank loan
    ("Răng mà giờ chuyển tiền cứ bắt quét mặt rứa, ngân hàng có gọi điện hướng dẫn làm không hè?", None),
    ("vay ngân hàng rứa lãi bao nhiêu", "other"),
    # folded look-alikes: "câu đầu tiên" is no football player, "lỡ để lộ" no lottery, the quiz's answer no homework
    ("bài học bảo trước khi bấm chia sẻ thì tự hỏi mấy câu, câu đầu tiên là gì", None),
    ("toi lo de lo mat khau ma mat khau do dung chung cho nhieu tai khoan thi doi cai nao truoc", None),
    ("Trên Zalo không có nút bấm thì chọn đáp án bài kiểm tra bằng cách nào", None),
    ("cho e xin đáp án bài kiểm tra 15 phút toán", "other"),
    ("lo de hom nay danh con gi", "other"),
    ("cầu thủ nào ghi bàn tối qua", "other"),
    ("Bây giờ có nên bán nhẫn vàng 9999 không, sợ mai giá lên", "other"),
])
def test_look_alikes_of_what_is_not_ours(text: str, kind: str | None) -> None:
    assert out_of_scope(text) == kind


@pytest.mark.parametrize(("text", "kind"), [
    # typed with accents, a phrase of intents.yaml `accented` counts only as written there (before: each of these
    # was refused as out of scope: "câu để" folded into "cầu đề", "ngay cổng" into "ngày công", "nó không trả" into
    # "nợ không trả", "mời mua bảo hiểm" into "mùa bão")
    ("Chú ơi, bố cháu 72 tuổi cứ hỏi già rồi học AI có nổi không, chú bảo giúp cháu câu để nói với bố", None),
    ("Kẻ lừa đảo đang đứng ngay cổng nhà tôi đòi tiền, gọi 113 hay 156?", None),
    ("Tôi gửi tin nhắn thoại cho bot mà chờ mãi nó không trả lời", None),
    ("Ba tôi cứ bị số lạ gọi mời mua bảo hiểm, muốn nhắn tin báo thì soạn thế nào", None),
    ("Cháu tôi bảo có trang binhdanhocvuso để học kỹ năng số, tôi vào thì đăng nhập bằng gì", None),
    # the same phrases meant, with their accents or without any: still not ours
    ("soi cầu lô đề hôm nay", "other"),
    ("cau de hom nay danh con gi", "other"),
    ("năm nay tuổi hợi có hợp làm nhà không", "other"),
    ("ông ấy vay mà quỵt nợ không trả thì kiện thế nào", "other"),
    ("mưa bão thế này mai có đi biển được không", "other"),
    # a few words accented in a message typed without: read as typed without them
    ("xo so mien bac hôm nay ve con gi", "other"),
])
def test_look_alikes_typed_with_accents(text: str, kind: str | None) -> None:
    assert out_of_scope(text) == kind


def test_the_accented_forms_are_forms_of_their_phrases() -> None:
    # each key is a phrase of `other`, and each of its forms is that phrase with accents (so that a phrase typed
    # as written there is still refused)
    import yaml

    from content.intents import _OTHER_RE, DATA, _meant
    from content.textnorm import fold, strip_marks

    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    for phrase, forms in data["accented"].items():
        assert phrase in data["other"], phrase
        assert forms and all(strip_marks(f) == phrase or fold(f) == phrase for f in forms), phrase
        frames = ("hỏi {} nhé", "hỏi {} 3 nhé")  # "bão số" is a storm before its number
        assert all(any(_meant(_OTHER_RE, fr.format(phrase), fr.format(f)) for fr in frames) for f in forms), phrase
        # the phrase without its accents, in a message typed with them, is other words ("câu để", "ngay cổng")
        assert not any(_meant(_OTHER_RE, fr.format(phrase), fr.format(phrase)) for fr in frames), phrase


@pytest.mark.parametrize(("text", "kind"), [
    # a greeting, thanks or goodbye, then who one is or what one did, asking nothing (before: a search answer, an
    # offer of entries, or "chưa có câu trả lời")
    ("Xin chào, tôi là giáo viên về hưu ở Nam Định, vợ tôi cũng đang học cùng tôi trên bot này đấy", "greeting"),
    ("Chào bot hí, tui là o Lành ở Quảng Bình, mới tập chơi điện thoại nên còn lóng ngóng lắm rứa", "greeting"),
    ("Ừ cảm ơn bot nhé, thôi bà đi nấu cơm cho mấy đứa cháu đây, tối bà lại vào học tiếp", "thanks"),
    ("Tạm biệt bot nhé, hôm nay tôi học được hai bài rồi, mai rảnh tôi lại vào học thêm bài nữa", "bye"),
    ("Bot dạo này có vui không, nay tôi rảnh vào hỏi thăm", "how_are_you"),
])
def test_small_talk_around_a_story_that_asks_nothing(capsys: pytest.CaptureFixture[str], text: str,
                                                      kind: str) -> None:
    [reply] = ask(capsys, text)
    assert reply["answer"] == SMALL_TALK[kind] and not reply["sources"] and not reply["refused"]


@pytest.mark.parametrize("text", [
    # small talk opening a question, a wish or a trouble
    "Xin chào bot, tôi quên mật khẩu Zalo rồi",
    "Tạm biệt bot nhé, tôi muốn chặn số lạ",
    "Cảm ơn bot, thôi bà đi nấu cơm, mà nấu cơm bằng nồi gì cho ngon",
    # an officer introducing himself, then asking for help without a question word ("cán bộ" is no "cần" of its own)
    "Cô ơi, em là cán bộ văn hóa xã, mới được giao dạy các cụ dùng điện thoại, cô chỉ em cách tổ chức buổi học với",
    "ad ơi mk là cán bộ đoàn xã, mún mở lớp AI cho mấy ông bà trong thôn thì nên mời ai ngồi cạnh hỗ trợ z",
    # calling someone ("Anh ơi", "Chú ơi") opens a question, it is no greeting around a story (before: "Xin chào!")
    "Anh ơi, bài học về chatbot có ví dụ bán bưởi ở chợ quê, câu hỏi tốt phải nói rõ mấy điều vậy anh",
    "Chú ơi, chủ tịch Hội Khuyến học Việt Nam bây giờ là ai vậy chú",
])
def test_small_talk_opening_a_question_is_no_small_talk(capsys: pytest.CaptureFixture[str], text: str) -> None:
    [reply] = ask(capsys, text)
    assert reply["answer"] not in SMALL_TALK.values()


def test_a_greeting_then_a_date_asked_is_a_question(capsys: pytest.CaptureFixture[str]) -> None:
    # "ngày mấy tháng mấy" asks; "cho mấy đứa cháu" (some) and "cảm ơn cái máy" (a machine) do not
    [reply] = ask(capsys, "Con ơi, ngoại nghe nói có Ngày Khuyến học Việt Nam, là ngày mấy tháng mấy vậy con")
    assert "2/10" in reply["answer"] or "2 tháng 10" in reply["answer"]
    [thanks] = ask(capsys, "à bác làm theo được rồi, cảm ơn cái máy nhé, giỏi hơn thằng cháu bác")
    assert thanks["answer"] in SMALL_TALK.values()


@pytest.mark.parametrize(("text", "kind"), [
    # before: each refused as out of scope
    # "hay chỉ bệnh viện" (or only a hospital) continues the question before it: "chỉ" folded is no "chi" (what)
    ("Xin hỏi Sổ sức khỏe điện tử trong VNeID có xài được khi đi khám ở phòng khám tư không, hay chỉ bệnh viện nhà "
     "nước ạ", None),
    # "lá gì đó" (some leaf) is told, not asked: the question is whether the video is faked
    ("Mẹ tôi coi video bác sĩ nổi tiếng nói uống nước lá gì đó là hết tiểu đường. Video đó có phải AI làm giả không?",
     None),
    # whether to pass a rumour on to a group; money sent, then blocked: a scam, whatever was bought
    ("Tui coi trên mạng thấy tin nói mai cúp điện cả tỉnh ba ngày, có nên gửi vô nhóm Zalo xóm hông?", None),
    ("Con ơi, bố vừa lỡ chuyển 15 triệu cho đứa nó bảo bán phân bón rẻ, giờ nó chặn bố rồi, làm gì bây giờ", None),
    # still not ours
    ("đau bụng uống thuốc gì, hay uống thuốc lá gì đó", "health"),
    ("lịch cúp điện xã tôi ngày mai", "other"),
    ("phân bón loại nào tốt cho lúa", "other"),
])
def test_what_is_told_around_a_topic_that_is_not_ours(text: str, kind: str | None) -> None:
    assert out_of_scope(text) == kind


@pytest.mark.parametrize(("text", "kind"), [
    # "cán bộ" is no "cần" (a need), "nhắn chơi cho vui" wants nothing (before: refused)
    ("Chào bot nhé, tôi là Hùng, cán bộ Hội Khuyến học phường, hôm nay mới vào dùng thử", "greeting"),
    ("Bot ơi bot có khỏe không, bà ở Nghệ An ở nhà một mình buồn quá nhắn chơi cho vui", "how_are_you"),
])
def test_an_officer_introducing_himself_is_greeted(capsys: pytest.CaptureFixture[str], text: str, kind: str) -> None:
    [reply] = ask(capsys, text)
    assert reply["answer"] == SMALL_TALK[kind]


@pytest.mark.parametrize("text", [
    # asked of the bot as of a person, after calling it or of its work (before: "chưa có câu trả lời")
    "bot ơi trưa rồi nghỉ chưa",
    "alo bot ơi còn thức không đấy",
    "Bot làm việc cả ngày có mệt không hả",
])
def test_the_bot_asked_after_its_rest_says_it_is_a_program(text: str) -> None:
    assert small_talk(text) == "about_bot"


@pytest.mark.parametrize("text", ["bot làm việc với dữ liệu của tôi thế nào", "làm việc ở đâu thì học AI",
                                  "bạn ơi người yêu tôi bị lừa thì làm sao"])
def test_work_and_rest_words_in_a_question_are_no_small_talk(text: str) -> None:
    assert small_talk(text) is None


def test_understood_and_off_to_feed_the_animals_are_small_talk(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "ok da hieu" got three AI entries offered; the goodbye to feed the pigs was refused as unknown.
    assert small_talk("ok da hieu") == small_talk("dạ hiểu ạ") == "ack"
    assert small_talk("hiểu rồi, mà sao nó sai") is None
    ok, bye = ask(capsys, "ok da hieu", "Ok bot, để mai tui hỏi tiếp, giờ đi cho heo ăn đã")
    assert ok["answer"] == SMALL_TALK["ack"] and not ok["sources"]
    assert bye["answer"] == SMALL_TALK["bye"] and not bye["refused"]
    assert small_talk("cho heo ăn cám gì thì mau lớn") is None


def test_a_motorbike_that_will_not_start_is_not_a_prize_scam(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: answered "Đó là lừa đảo…" (the prize scam's entry names a motorbike), with its sources.
    [bike] = ask(capsys, "Xe máy tôi đề không nổ, chỉ tôi sửa với")
    assert bike["refused"] and "ngoài phạm vi" in bike["answer"]
    assert out_of_scope("để không nợ ai thì phải làm sao") is None  # the phrase counts only as "đề không nổ"


def test_a_power_cut_said_by_someone_posing_as_the_utility_is_a_scam(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused as out of scope ("cúp điện"), though it is the impostor scam the content warns of.
    text = ("Răng mà cứ có người gọi tui xưng bên điện lực nói nhà tui sắp bị cúp điện, biểu bấm cái link, "
            "có phải lừa không hè")
    assert out_of_scope(text) is None
    assert out_of_scope("lịch cúp điện xã tôi ngày mai") == "other"
    assert out_of_scope("xưng hô với thầy bói thế nào cho phải, xem tuổi có hợp không") == "other"
    [scam] = ask(capsys, text)
    assert not scam["refused"] and "link" in scam["answer"].lower() and scam["sources"]
