"""How people really ask (issue 16): polite and story frames are not the question, small talk gets a friendly
word and the menu, the bot's own help answers with the command, health questions point to a doctor and 115,
and an answer about another named thing (VNeID when Zalo was asked) is never given."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bench.faq_eval import has_key, has_keys, judge
from bot.core import texts
from bot.llm import LlmAnswerer
from content.catalog import load_catalog
from content.intents import about_using_the_bot, out_of_scope, small_talk
from content.schema import FaqEntry
from content.search import Hit, SearchIndex, decide, entities, fits, numbers, without_asides
from content.textnorm import fold, question_core
from handlers.answers.service import REFUSE_HEALTH, REFUSE_OUT_OF_SCOPE, AnswerService
from tests.conftest import make_settings
from tests.fakes.openai_server import FakeOpenAI
from tests.harness import WebUser, running_bot


@pytest.fixture(scope="module")
def catalog() -> Any:
    return load_catalog()


@pytest.mark.parametrize(
    ("typed", "core"),
    [  # the issue's own examples, and the frames it lists
        ("cho tôi hỏi AI là gì ạ", "ai la gi"),
        ("bác ơi cho cháu hỏi học AI ở đâu ạ", "hoc ai o dau"),
        ("tôi không biết AI là gì", "ai la gi"),
        ("ko bit chatgpt la j", "chatgpt la gi"),
        ("bác muốn hỏi trí tuệ nhân tạo là gì", "ai la gi"),
        ("Dạ thưa cho em hỏi tuần lễ học tập là gì ạ", "tuan le hoc tap la gi"),
        ("anh chị cho em hỏi vneid dùng để làm gì với ạ", "vneid dung de lam gi"),
        ("alo bot ơi tôi muốn biết học AI có tốn tiền không", "hoc ai co phi khong"),
        ("AI là cái chi rứa", "ai la cai gi"),
        ("Vui lòng cho biết gia đình học tập là gì ạ", "gia dinh hoc tap la gi"),
    ],
)
def test_polite_frames_are_not_part_of_the_question(typed: str, core: str) -> None:
    assert question_core(typed) == core


@pytest.mark.parametrize(
    "question",
    ["Không biết tiếng Anh có dùng ChatGPT được không?", "có ai hỏi mã OTP thì có đưa không",
     "Hỏi ChatGPT thế nào để được trả lời hay?", "cho con dùng AI làm bài tập có được không"],
)
def test_words_that_only_look_like_frames_stay(question: str) -> None:
    core = question_core(question)
    assert core.split()[:2] == question_core(question).split()[:2]
    for word in ("tieng anh", "otp", "chatgpt", "bai tap"):
        if word in core.replace("hoi ", ""):
            break
    else:
        pytest.fail(core)
    assert ("khong biet" in core) == question.startswith("Không biết")
    assert ("hoi" in core.split()) == question.startswith(("có ai hỏi", "Hỏi"))


@pytest.mark.parametrize(
    ("text", "kind"),
    [("xin chào", "greeting"), ("Chào bot nhé", "greeting"), ("hello", "greeting"), ("cảm ơn bạn nhiều nha", "thanks"),
     ("cam on", "thanks"), ("ok cảm ơn", "thanks"), ("tạm biệt nhé", "bye"), ("vâng ạ", "ack"), ("ok", "ack"),
     ("bạn có khỏe không", "how_are_you"), ("🙏🙏", "ack"), (":))", "ack"), ("ừm", "ack"), ("hjhj", "ack"),
     ("ad ơi", "greeting"), ("em tên là gì vậy", "about_bot"), ("bạn có vợ chưa", "about_bot"),
     ("bot dễ thương ghê", "praise"), ("trời đất ơi", "ack"), ("mình tên Mai", "greeting"),
     ("thôi để mai cháu học tiếp nhé", "bye"), ("hay ghê, hôm khác tui hỏi tiếp", "bye")],
)
def test_small_talk_is_recognised(text: str, kind: str) -> None:
    assert small_talk(text) == kind


@pytest.mark.parametrize(
    "text",
    ["chào bạn, AI là gì?", "cảm ơn, thế ChatGPT có mất tiền không", "ok vậy học AI ở đâu", "AI là gì", "chatgpt",
     "tuần lễ học tập", "bot ơi xổ số", "trẻ em mấy tuổi thì dùng được Zalo", "bot có đọc tin nhắn không",
     "ChatGPT có thông minh không", "tôi là người già có học được không", "em bé mấy tuổi thì cho xem điện thoại",
     "để mai học tiếp bài mấy", "làm sao để mai con học tiếp được"],
)
def test_a_question_with_a_greeting_is_still_a_question(text: str) -> None:
    assert small_talk(text) is None


async def test_small_talk_gets_a_friendly_word_not_a_search_result(catalog: Any) -> None:
    svc = AnswerService(catalog)
    for text in ("xin chào", "chào bạn", "cảm ơn nhé"):
        res = await svc.answer(text)
        assert (res.decision, res.refused, res.sources, res.faq_id) == ("smalltalk", False, [], None)
        assert "Nguồn" not in res.full_text and "bên dưới" in res.text
    assert (await svc.answer("chào bạn, AI là gì?")).faq_id == "ai_what"


async def test_web_chat_greeting_shows_the_menu(db_url: str) -> None:
    async with running_bot(make_settings(db_url)) as bot, aiohttp.ClientSession() as http:
        u = WebUser(bot.url, http)
        await u.says("xin chào")
        assert u.last_reply().startswith("Xin chào!") and "Nguồn" not in u.last_reply()
        assert texts.MENU_LEARN in u.keyboard() and texts.MENU_ASK in u.keyboard()
        await u.says("cảm ơn bạn")
        assert "Không có gì" in u.last_reply()
        for chat in ("👍", "bot bao nhiêu tuổi"):  # a sticker-like emoji, a personal question to the bot
            await u.says(chat)
            assert "bên dưới" in u.last_reply() and "Nguồn" not in u.last_reply()
            assert texts.MENU_LEARN in u.keyboard()


@pytest.mark.parametrize(
    ("question", "command"),
    [("cách sử dụng bot này thế nào", "/hoc"), ("muốn học tiếp bài hôm trước", "/hoc"),
     ("xem mình học được bao nhiêu bài rồi", "/tiendo"), ("không muốn bot nhắn tin nữa", "/huy"),
     ("xóa hết dữ liệu của tôi", "/xoadulieu"), ("muốn đổi sang xã khác", "/caidat"),
     ("lỡ hủy rồi giờ muốn nhận lại tin", "/dangky")],
)
def test_questions_about_the_bot_are_answered_with_the_command(catalog: Any, question: str, command: str) -> None:
    res = AnswerService(catalog).plan(question).fallback
    assert res.decision == "answer" and res.faq_id and res.faq_id.startswith("bot_"), (res.faq_id, res.text)
    assert command in res.text


@pytest.mark.parametrize("question", ["tôi bị đau đầu uống thuốc gì", "bi tieu duong nen an gi",
                                      "con tôi sốt cao phải làm sao"])
def test_health_questions_point_to_a_doctor_and_115(catalog: Any, question: str) -> None:
    res = AnswerService(catalog).plan(question).fallback
    assert res.refused and res.out_of_scope and res.text == REFUSE_HEALTH
    assert "bác sĩ" in res.text and "115" in res.text


def test_a_question_about_ai_and_health_stays_ours_and_other_requests_are_refused(catalog: Any) -> None:
    assert out_of_scope("Có nên hỏi ChatGPT về bệnh tật không?") is None
    assert out_of_scope("xổ số miền bắc") == "other" and out_of_scope("bot ngu quá") == "other"
    for question in ("cho tôi vay 5 triệu", "giải giúp em bài toán này", "kết quả bóng đá tối qua"):
        res = AnswerService(catalog).plan(question).fallback
        assert res.refused and res.text == REFUSE_OUT_OF_SCOPE, question


def test_what_is_not_ours_is_refused_when_it_is_what_a_clause_asks_though_another_names_chatgpt(catalog: Any) -> None:
    res = AnswerService(catalog).plan("Hôm qua Việt Nam đá với Indonesia tỉ số mấy vậy, ChatGPT nó nói sai").fallback
    assert res.refused and res.text == REFUSE_OUT_OF_SCOPE
    assert out_of_scope("Tôi hỏi ChatGPT giá vàng hôm nay, nó trả lời sai, có tin được không?") is None
    assert out_of_scope("cài VNeID rồi mà không biết có xuất trình được bằng lái xe không") is None  # one clause


def test_so_typed_with_its_accent_is_no_loan() -> None:
    assert out_of_scope("Tắt giùm nhắc học cho tôi vậy") is None  # "vậy" folds like "vay" (to borrow)
    assert out_of_scope("cho tôi vay 2 triệu") == out_of_scope("cho toi vay it tien") == "other"


@pytest.mark.parametrize(("question", "entry"), [
    ("ông ngoại cháu muốn coi lương hưu trên điện thoại thì cài app gì ạ?", "vssid_what"),
    ("Mấy cái app vay tiền nhanh trên mạng đó có nên mần hông bây?", "loan_apps"),
    ("o benh vien bat wifi mien phi roi vao app ngan hang co sao khong", "public_wifi"),
    ("mẹ tôi đọc trên facebook tin uống nước chanh chữa khỏi ung thư, bà đòi chia sẻ cho cả xóm, làm sao biết tin"
     " thật hay giả", "fake_news"),
])
def test_what_the_story_mentions_does_not_make_the_request_out_of_scope(catalog: Any, question: str,
                                                                        entry: str) -> None:
    res = AnswerService(catalog).plan(question).fallback
    assert out_of_scope(question) is None and res.decision == "answer" and res.faq_id == entry, (res.faq_id, res.text)


def test_the_request_itself_out_of_scope_is_still_refused() -> None:
    for question in ("lương hưu tháng này bao giờ lĩnh", "app vay nào lãi thấp nhất", "nên khám ở bệnh viện nào"):
        assert out_of_scope(question) is not None, question


def _entry(entry_id: str, question: str, answer: str) -> FaqEntry:
    return FaqEntry(id=entry_id, question=question, answer=answer, sources=["s"])


PASSWORDS = [
    _entry("vneid_pw", "Quên mật khẩu VNeID thì làm sao?",
           "Trên màn hình đăng nhập VNeID, chọn Quên mật khẩu; mã xác nhận gửi về số điện thoại đã đăng ký."),
    _entry("pw_safe", "Đặt mật khẩu thế nào cho an toàn?",
           "Dùng mật khẩu dài, mỗi tài khoản (ngân hàng, email, Zalo) một mật khẩu riêng."),
    _entry("chatgpt_free", "ChatGPT có miễn phí không?", "Có bản miễn phí, bản trả phí có thêm tính năng."),
]


@pytest.mark.parametrize("question", ["tôi quên mật khẩu Zalo", "quen mat khau ngan hang", "Gemini có miễn phí không"])
def test_an_answer_about_another_named_thing_is_not_given(question: str) -> None:
    index = SearchIndex(PASSWORDS)
    hits = index.search(question)
    assert hits and not fits(hits[0])  # about another thing, or another action on it
    assert decide(question, hits) != "answer"
    assert "vneid_pw" not in [doc_id for doc_id, _ in AnswerService(None, index).suggestions(hits)]


def test_a_named_thing_asked_about_what_only_the_answer_text_says_is_not_answered() -> None:
    news = FaqEntry(id="news", question="Làm sao nhận biết tin giả?",
                    alternatives=["Tin trên TikTok có đáng tin không?"],
                    answer="Tin giả có tiêu đề giật gân, ảnh hoặc video có thể do AI làm.", sources=["s"])
    index = SearchIndex([news, *PASSWORDS])
    hits = index.search("tiktok có dùng AI không")
    assert hits[0].doc_id == "news" and hits[0].answer_only and decide("tiktok có dùng AI không", hits) != "answer"
    asked = "tin trên tiktok có đáng tin không"
    assert decide(asked, index.search(asked)) == "answer"


def test_a_runner_up_a_syllable_short_with_nearly_the_same_score_is_a_tie() -> None:
    def hit(doc_id: str, score: float, coverage: float) -> Hit:
        return Hit(doc_id, "faq", doc_id, "…", score, coverage, ("s",))

    question = "mấy năm trước tuần lễ toàn nói chuyển đổi số, năm nào cũng vậy à"
    assert decide(question, [hit("purpose", 23.0, 0.73), hit("digital", 22.0, 0.67)]) == "suggest"
    assert decide(question, [hit("purpose", 23.0, 0.73), hit("digital", 22.0, 0.6)]) == "answer"
    assert decide(question, [hit("purpose", 26.0, 0.73), hit("digital", 22.0, 0.73)]) == "answer"


def test_the_named_thing_is_answered_when_an_entry_is_about_it() -> None:
    zalo = _entry("zalo_pw", "Quên mật khẩu Zalo thì lấy lại thế nào?", "Trên màn hình đăng nhập Zalo, chọn Lấy lại "
                  "mật khẩu, nhập số điện thoại và mã xác nhận.")
    index = SearchIndex([*PASSWORDS, zalo])
    hits = index.search("tôi quên mật khẩu zalo")
    assert hits[0].doc_id == "zalo_pw" and not hits[0].missing
    assert decide("tôi quên mật khẩu zalo", hits) == "answer"
    assert decide("quên mật khẩu vneid", index.search("quên mật khẩu vneid")) == "answer"


VNEID = [
    _entry("vneid_pw", "Quên mật khẩu VNeID thì làm sao?", "Chọn Quên mật khẩu trong ứng dụng VNeID chính thức."),
    _entry("vneid_uses", "VNeID dùng được vào những việc gì?",
           "Xuất trình giấy tờ, làm thủ tục; lừa đảo hay bảo chuyển tiền qua VNeID: đừng làm theo."),
    _entry("dvc_login", "Đăng nhập Cổng Dịch vụ công bằng gì?", "Bằng tài khoản VNeID mức 2."),
]


@pytest.mark.parametrize("question", ["vneid có dùng để chuyển tiền được không", "quên tên đăng nhập dịch vụ công",
                                      "vneid bị lỗi không mở được"])
def test_the_right_thing_with_another_action_is_not_answered(question: str) -> None:
    """The entry names the thing and most words, but none of its questions asks to do what the question asks
    (a passing mention in its answer does not count)."""
    index = SearchIndex(VNEID)
    hits = index.search(question)
    assert hits and hits[0].unasked and decide(question, hits) != "answer"


def test_the_same_action_in_other_words_is_answered() -> None:
    index = SearchIndex(VNEID)
    assert decide("vneid dùng làm gì", index.search("vneid dùng làm gì")) == "answer"
    hits = index.search("lỡ quên pass vneid rồi")
    assert hits[0].doc_id == "vneid_pw" and decide("lỡ quên pass vneid rồi", hits) == "answer"


def test_when_unsure_the_fitting_candidate_is_offered_first() -> None:
    svc = AnswerService(None, SearchIndex(PASSWORDS))
    hits = svc.search.search("mật khẩu zalo")
    assert svc.suggestions(hits)[0][0] == "pw_safe"  # names Zalo in its text; the VNeID entry does not fit


def test_key_facts_are_matched_folded_and_word_by_word() -> None:
    assert has_key("Tuần lễ từ ngày 1 đến ngày 7 tháng 10.", ["thang 10", "1/10"])
    assert has_key("Gõ /tiendo để xem.", "/tiendo") and not has_key("Gõ /tiendo2", "/tiendo")
    assert not has_key("học tập suốt đời", "hoc tap suot doi la")
    assert has_keys("Không. Bot miễn phí.", [["mien phi", "khong mat tien"]])
    assert judge({"expect": "answer", "keys": ["vneid"]}, "answer", "Zalo...") == "wrong"
    assert judge({"expect": "unsure", "keys": ["zalo"]}, "refuse", "Xin lỗi") == "right"
    assert judge({"expect": "refuse"}, "suggest", "Có phải…") == "wrong"


def test_a_confident_answer_to_what_no_entry_answers_is_counted_wrong() -> None:
    # Before: an "unsure" question (no entry answers it) with no key facts was scored right whatever was answered:
    # all([]) is true. Test parts B and C then showed 1 and 6 wrong answers instead of 7 and 10.
    unsure: dict[str, Any] = {"expect": "unsure", "keys": []}
    assert judge(unsure, "answer", "Chủ đề năm 2025 là…") == "wrong"
    assert judge(unsure, "refuse", "Xin lỗi") == "right" and judge(unsure, "suggest", "Có phải…") == "right"
    keyed: dict[str, Any] = {"expect": "unsure", "keys": ["chưa có"]}  # an answer saying what it must is right
    assert judge(keyed, "answer", "Hiện chưa có lịch cụ thể.") == "right"
    assert judge(keyed, "answer", "Lịch là ngày 5.") == "wrong"


def test_key_facts_keep_their_accents_but_not_a_tone_placement() -> None:
    assert not has_key("Cổng Dịch vụ công quốc gia", "giả")  # "gia" is not "giả"
    assert not has_key("Bot trả lời được.", "lời giải") and not has_key("Giảm giá", "giả")
    assert not has_key("tin thật hay giả mạo", "thật giả")  # whole words, in order
    assert has_key("Tin GIẢ lan nhanh.", "tin giả")
    assert has_key("Giữ gìn sức khoẻ.", "sức khỏe") and has_key("sức khỏe", "khoẻ")
    assert has_key("Hội đồng hoà giải", "hòa giải") and has_key("công trình thủy lợi", "thuỷ lợi")
    assert has_key("Ủy ban nhân dân xã", "uỷ ban")
    assert has_key(unicodedata.normalize("NFD", "Tuyệt đối không đọc mã"), "tuyệt đối không")
    assert has_key("Tuyệt đối không đọc mã", unicodedata.normalize("NFD", "tuyệt đối không"))
    assert has_key("Bấm Wi-Fi rồi chọn mạng", "Wi-Fi") and not has_key("Bộ Công an", "công ty")


@pytest.fixture
async def fake() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI() as f:
        yield f


async def test_grounded_llm_answers_only_from_the_passages_it_was_given(catalog: Any, fake: FakeOpenAI) -> None:
    fake.grounded()
    llm = LlmAnswerer(api_key=fake.api_key, base_url=fake.base_url, timeout=5.0)
    svc = AnswerService(catalog, llm=llm)
    try:
        res = await svc.answer("tuần lễ học tập suốt đời diễn ra ngày nào")
        assert res.mode == "llm" and "tháng 10" in res.text and res.sources
        given = fake.requests[-1].content("user")
        body = res.text.rsplit("[", 1)[0].strip()
        assert body and body.split(".")[0] in given  # every word came from a passage it was sent
        unsure = await svc.answer("tôi quên mật khẩu telegram")  # no entry is about Telegram
        assert unsure.decision != "answer" and len(fake.requests) == 1  # nothing fits: the LLM is not asked
    finally:
        await svc.aclose()


async def test_a_rambling_message_is_searched_as_the_llm_rewrote_it(catalog: Any, fake: FakeOpenAI) -> None:
    story = ("hôm qua đi chợ gặp bà hàng xóm bà ấy kể chuyện nhà bà ấy con cháu đi làm xa cả năm mới về "
             "một lần nên tôi cũng lo lắng nhiều thứ lắm, rồi bà ấy bảo tôi nên cài cái app màu đỏ của mấy anh công an")

    def model(messages: list[dict[str, Any]]) -> str:
        if "<tin_nhan>" in messages[-1]["content"]:
            return "VNeID là gì?"
        return "VNeID là ứng dụng định danh điện tử của Bộ Công an [1]."

    fake.responder(model)
    llm = LlmAnswerer(api_key=fake.api_key, base_url=fake.base_url, timeout=5.0)
    svc = AnswerService(catalog, llm=llm)
    try:
        assert svc.plan(story).decision != "answer"  # searched as typed, the story finds nothing sure
        res = await svc.answer(story)
        assert (res.mode, res.faq_id) == ("llm", "vneid_what") and res.sources
        rewrite, answer = fake.requests[-2:]
        assert "<tin_nhan>" in rewrite.content("user") and story in rewrite.content("user")
        assert story in answer.content("user")  # the answer is written for the citizen's own words
        fake.responder(lambda _m: "Quên mật khẩu VNeID?")  # a rewrite that drops what was asked about
        telegram = "tôi " + story + ", mà giờ tôi lại quên mất cái mật khẩu telegram"  # no entry is about Telegram
        assert (await svc.answer(telegram)).decision != "answer"
    finally:
        await svc.aclose()


def test_only_a_short_single_question_is_taken_as_a_rewrite() -> None:
    from bot.llm import clean_rewrite

    assert clean_rewrite(' "Quên mật khẩu Zalo thì làm sao?" ') == "Quên mật khẩu Zalo thì làm sao?"
    for odd in ("", "Zalo", "KHÔNG_BIẾT", "Câu hỏi:\nZalo là gì", "x " * 100, "You are hocbot, rules…"):
        assert clean_rewrite(odd) is None, odd


def test_a_story_before_the_question_is_searched_by_its_last_clauses() -> None:
    from content.textnorm import question_tail

    assert question_tail("AI là gì") is None
    tail = question_tail("Con tôi bảo giờ ai cũng phải biết dùng AI, mà tôi chả hiểu cái trí tuệ nhân tạo là gì cả")
    assert tail == "tôi chả hiểu cái trí tuệ nhân tạo là gì cả" and question_core(tail) == "cai ai la gi"
    assert question_tail("Hôm qua tôi đi chợ. Có nên đưa mã OTP cho người lạ không?") == \
        "Có nên đưa mã OTP cho người lạ không"


def test_suggestion_buttons_are_cut_between_words() -> None:
    from handlers.answers.chat import LABEL_MAX, button_label

    long = "Có người gọi điện xưng là công an, bảo tôi liên quan vụ án và chuyển tiền thì làm sao?"
    label = button_label(long)
    assert len(label) <= LABEL_MAX and label.endswith("…") and long.startswith(label[:-1])
    assert long[len(label) - 1] == " "  # the cut falls between two words, not inside "chuyển"
    assert button_label("AI là gì?") == "AI là gì?"


def test_an_entry_about_one_year_is_not_the_answer_for_another_or_for_none() -> None:
    index = SearchIndex([
        _entry("when", "Tuần lễ học tập diễn ra vào ngày nào?", "Từ ngày 1 đến ngày 7 tháng 10 hằng năm."),
        _entry("y2023", "Tuần lễ học tập năm 2023 diễn ra ngày nào, chủ đề gì?", "Từ 2 đến 8/10, chủ đề tự học."),
    ])
    assert index.search("tuần lễ học tập năm 2023 diễn ra ngày nào")[0].doc_id == "y2023"
    assert index.search("tuần lễ học tập diễn ra ngày nào vậy")[0].doc_id == "when"
    hits = index.search("chủ đề tuần lễ năm 2021 là gì")
    assert hits[0].missing == ("2021",) and decide("chủ đề tuần lễ năm 2021 là gì", hits) != "answer"


async def test_ask_json_keeps_its_shape_for_small_talk_and_health(catalog: Any) -> None:
    svc = AnswerService(catalog)
    for text in ("xin chào", "tôi bị đau đầu uống thuốc gì", "bác ơi cho cháu hỏi học AI ở đâu ạ"):
        data = (await svc.answer(text)).to_json()
        assert set(data) == {"question", "answer", "sources", "refused", "mode"}, data


def test_a_lesson_is_answered_whole_not_by_the_passage_that_matched(catalog: Any) -> None:
    """The best passage of "AI làm được gì, không làm được gì" stops before the line about one's own fields."""
    res = AnswerService(catalog).plan("AI có hiểu hoàn cảnh ruộng vườn nhà tôi không").fallback
    _, lesson = catalog.lesson_by_id("m1l4")
    assert res.decision == "answer" and res.faq_id.startswith("m1l4#")
    assert res.text == lesson.text.strip() and "hoàn cảnh riêng" in res.text


def test_the_entry_naming_the_year_asked_wins() -> None:
    index = SearchIndex([
        _entry("week_when", "Tuần lễ học tập tổ chức từ ngày mấy?", "Thường từ ngày 1 đến 7 tháng 10 hằng năm."),
        _entry("week_2023", "Tuần lễ học tập năm 2023 tổ chức ra sao?", "Năm 2023 Tuần lễ diễn ra từ 2 đến 8/10/2023."),
        _entry("ai", "AI là gì?", "Trí tuệ nhân tạo là máy học từ dữ liệu."),
    ])
    assert index.search("nam 2023 tuan le hoc tap to chuc tu ngay may")[0].doc_id == "week_2023"
    assert index.search("tuần lễ học tập tổ chức từ ngày mấy")[0].doc_id == "week_when"


def test_a_comparison_is_answered_only_by_an_entry_that_compares() -> None:
    """The first entry names all the words but says how to choose a password, not whether two may be the same;
    a long message's other actions are a story's, that it compares two things is not."""
    choose = _entry("pw_choose", "Đặt mật khẩu ngân hàng, Zalo thế nào cho dễ nhớ mà vẫn an toàn?",
                    "Dùng một câu dài dễ nhớ với bạn, không dùng ngày sinh.")
    share = _entry("pw_share", "Mật khẩu ngân hàng và Zalo có nên dùng chung không?", "Không: mỗi nơi một mật khẩu.")
    question = "mật khẩu ngân hàng với mật khẩu zalo của tôi có nên dùng chung cho dễ nhớ không hả bot"
    hits = SearchIndex([choose]).search(question)
    assert hits[0].unasked == ("so sanh",) and decide(question, hits) != "answer"
    index = SearchIndex([choose, share])
    hits = index.search(question)
    assert decide(question, hits) == "suggest"  # "Có phải bạn muốn hỏi…", the entry that compares first
    assert AnswerService(None, index).suggestions(hits)[0][0] == "pw_share"


@pytest.mark.parametrize(
    ("text", "about_the_bot"),
    [("xem tiến độ học ở đâu", True), ("cán bộ cho mã nhóm thì nhập vào đâu", True), ("lời nhắc học tắt sao", True),
     ("lấy lại giấy chứng nhận học xong", True), ("làm sổ hồng ở đâu", False), ("cho xin con số đề hôm nay", False),
     ("AI là gì", False)],
)
def test_questions_about_using_the_bot_are_told_apart(text: str, about_the_bot: bool) -> None:
    assert about_using_the_bot(text) is about_the_bot


async def test_a_bot_usage_question_with_no_sure_answer_is_offered_help_not_refused(catalog: Any) -> None:
    svc = AnswerService(catalog)
    res = await svc.answer("mười một giờ đêm mà vẫn có lời nhắc học")
    assert res.decision == "suggest" and not res.refused
    picked = [svc.curated(doc_id) for doc_id, _ in res.suggestions]
    assert picked and all(p is not None and "/" in p.text for p in picked)  # help entries give a command
    land = await svc.answer("giấy chứng nhận quyền sử dụng đất làm ở đâu")  # another certificate: not ours
    assert land.refused and land.out_of_scope


async def test_a_story_whose_ending_asks_nothing_of_its_own_is_not_answered_by_the_thing_it_named(
    catalog: Any,
) -> None:
    """"… đăng lên zalo, vậy tôi phải làm sao": the ending is question form only, so searching it finds Zalo
    entries by the name alone; that guess is offered with the whole story's best hit, never answered."""
    svc = AnswerService(catalog)
    res = await svc.answer("tôi bán bánh ở chợ, con gái bảo nhờ AI soạn lời rao bán đăng lên zalo, "
                           "vậy tôi phải làm sao")
    assert res.decision == "suggest" and not res.refused


async def test_a_question_naming_a_command_is_answered_by_the_help_entry_giving_it(catalog: Any) -> None:
    svc = AnswerService(catalog)
    res = await svc.answer("lỡ bấm /xoadulieu rồi, bài đã học còn không")
    assert (res.decision, res.faq_id) == ("answer", "bot_delete_data") and "/xoadulieu" in res.text
    unsure = await svc.answer("gõ /tiendo mà không thấy gì")  # not covered enough: offered, not refused
    assert unsure.decision == "suggest" and unsure.suggestions[0][0] == "bot_progress"


def test_where_a_story_happened_is_not_what_it_asks_about() -> None:
    """"qua link gửi trên Zalo", "nhóm Zalo": the place of the story. It need not be named by an answer about the
    other thing asked (VNeID) or about nothing named; asked about as such ("quên mật khẩu Zalo"), it must."""
    vneid = _entry("vneid_scam", "Người lạ bảo cài VNeID bản mới qua link thì sao?",
                   "Đó là lừa đảo: chỉ tải VNeID từ kho ứng dụng.")
    job = _entry("job", "Làm nhiệm vụ online nạp tiền nhận hoa hồng có phải lừa đảo?", "Rất có thể là lừa đảo.")
    index = SearchIndex([vneid, job, *PASSWORDS])
    hits = index.search("người lạ gọi bảo cài VNeID bản mới qua link gửi trên Zalo có nên làm theo không")
    assert hits[0].doc_id == "vneid_scam" and fits(hits[0])
    hits = index.search("nhóm Zalo có người rủ làm nhiệm vụ nạp tiền nhận hoa hồng có phải lừa không")
    assert hits[0].doc_id == "job" and fits(hits[0])
    hits = index.search("tôi quên mật khẩu zalo")
    assert all(not fits(h) for h in hits)  # Zalo is what it asks about: the VNeID steps do not answer it


def test_an_amount_in_a_story_is_no_number_the_answer_must_name() -> None:
    """"chuyển 15 triệu" asks about the rule for amounts over 10 million: 15 is no year or resolution number."""
    assert numbers("chuyển 15 triệu, ck 15 củ, nạp 500k") == frozenset()
    assert numbers("Nghị quyết 57 ban hành năm 2024") == {"57", "2024"}
    rule = _entry("biometric", "Chuyển khoản trên 10 triệu phải xác thực khuôn mặt là sao?",
                  "Chuyển khoản trên 10 triệu đồng/lần phải xác thực khuôn mặt.")
    question = "tôi chuyển 15 triệu thì bị bắt quét mặt, chuyển khoản trên bao nhiêu thì phải xác thực khuôn mặt"
    hits = SearchIndex([rule, *PASSWORDS]).search(question)
    assert hits[0].doc_id == "biometric" and not hits[0].missing


def test_a_learning_model_is_named_as_a_whole() -> None:
    """"công dân số" shares its syllables with "cộng đồng", "dân số", "số liệu": an entry that only has those
    scattered in its text is about something else (how to join the association), not about the digital citizen."""
    join = _entry("join", "Làm sao để trở thành hội viên Hội Khuyến học?",
                  "Liên hệ chi hội ở thôn. Ai quan tâm đến việc học của cộng đồng đều tham gia được; "
                  "theo số liệu năm 2024 có hơn 18% dân số là hội viên.")
    citizen = _entry("citizen", "Công dân số là gì?", "Công dân số là người biết dùng công nghệ số an toàn.")
    question = "công dân số là ai, làm sao để trở thành công dân số"
    hits = SearchIndex([join, citizen]).search(question)
    assert [h.doc_id for h in hits if fits(h)] == ["citizen"]


def test_a_typo_is_repaired_the_same_way_whatever_the_hash_seed() -> None:
    """Two known syllables one edit away from a typo, equally common: the same one is taken in every process."""
    code = ("from content.search import SearchIndex\nfrom content.schema import FaqEntry\n"
            "e = [FaqEntry(id=i, question=q, answer='x', sources=['s'])\n"
            "     for i, q in (('a', 'toan hoc'), ('b', 'tuan le'))]\n"
            "print(SearchIndex(e)._repair(['tian']))")
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in range(8)}
    assert len(seen) == 1, seen


def test_a_choice_between_two_numbers_is_answered_by_what_names_both() -> None:
    """"gọi 113 hay 156": the entry on 156 alone answers half of it, with confidence; the one naming both is right."""
    only_156 = _entry("r156", "Báo số điện thoại lừa đảo qua 156 thế nào?", "Gọi tổng đài 156 để báo cuộc gọi lừa đảo.")
    both = _entry("report", "Gặp lừa đảo thì báo cho ai?",
                  "Cuộc gọi lừa đảo: gọi 156. Bị đe dọa, cần công an đến ngay: gọi Cảnh sát 113.")
    question = "kẻ lừa đảo đang đứng trước cổng nhà tôi đòi tiền, gọi 113 hay 156"
    hits = SearchIndex([only_156, both]).search(question)
    assert hits[0].doc_id == "report" and fits(hits[0])
    assert not fits(next(h for h in hits if h.doc_id == "r156"))


def test_the_1945_movement_is_not_the_ai_programme() -> None:
    """"Bình dân học vụ" (1945) is a named thing of its own, next to "Bình dân học vụ số" and "Bình dân học AI"."""
    ai = _entry("bdhai", "Phong trào “Bình dân học AI” là gì?", "Bình dân học AI giúp người dân dùng được AI.")
    why = _entry("why", "Bình dân học AI khác gì Bình dân học vụ?",
                 "Bình dân học vụ là phong trào xóa mù chữ năm 1945; Bình dân học AI mượn tên ấy.")
    question = "phong trào bình dân học vụ ngày xưa là gì mà giờ có bình dân học AI"
    hits = SearchIndex([ai, why]).search(question)
    assert [h.doc_id for h in hits if fits(h)] == ["why"]
    assert entities("nền tảng bình dân học vụ xố") == {"binh dan hoc vu so"}  # a misspelt "số" is still the platform


def test_what_a_question_says_it_is_not_about_is_not_searched() -> None:
    """"…, không phải Zalo nha", "chứ không phải Kết luận 123", "Tôi hay nhầm với …": look-alikes named to be ruled
    out. A "không phải" that is no such aside ("có phải trả tiền không", "không phải trả phí à") stays."""
    assert "zalo" not in fold(without_asides(
        "Facebook của tôi tự nhiên đăng bài lạ, không phải Zalo nha, là Facebook. Bị hack rồi thì lấy lại sao?"))
    for kept in ("dùng bot có phải trả tiền không", "không phải trả phí gì à", "dip fake là gì"):
        assert without_asides(kept) == kept
    nq = _entry("nq57", "Nghị quyết 57 được ban hành ngày nào, do ai ban hành?",
                "Bộ Chính trị ban hành ngày 22/12/2024.")
    kl = _entry("kl123", "Kết luận 123 là gì?", "Kết luận 123 ngày 24/01/2025 bổ sung để thực hiện Nghị quyết 57.")
    service = AnswerService(None, SearchIndex([nq, kl]))
    for question in ("Nghị quyết 57 do ai ban hành, ngày nào? Tôi hỏi Nghị quyết 57 chứ không phải Kết luận 123.",
                     "Nghị quyết 57 ban hành ngày nào? Tôi hay nhầm với Kết luận 123."):
        assert service.plan(question).fallback.faq_id == "nq57", question


def test_a_named_thing_offered_as_a_guess_or_a_choice_need_not_be_named_by_the_answer() -> None:
    """"VssID có phải là VNeID không": the VssID entry tells which; "VNeID hay tài khoản ngân hàng": the entry on
    logging in with VNeID tells which. A thing asked about as such must still be named ("quên mật khẩu Zalo")."""
    vssid = _entry("vssid", "VssID là gì?", "VssID là ứng dụng Bảo hiểm xã hội số, đăng nhập bằng tài khoản định danh.")
    login = _entry("dvc_login", "Đăng nhập Cổng dịch vụ công bằng gì?", "Bằng tài khoản VNeID mức 2.")
    login2 = _entry("dvc_login2", "Đăng nhập Cổng dịch vụ công bằng VNeID thế nào?", "Chọn Đăng nhập bằng VNeID.")
    index = SearchIndex([vssid, login, login2, *PASSWORDS])
    hits = index.search("VssID có phải là VNeID không? VssID dùng để làm gì?")
    assert hits[0].doc_id == "vssid" and fits(hits[0])
    hits = index.search("đăng nhập cổng dịch vụ công thì dùng tài khoản gì, VNeID hay tài khoản ngân hàng")
    assert hits[0].doc_id.startswith("dvc_login") and fits(hits[0])
    assert all(not fits(h) for h in index.search("tôi quên mật khẩu zalo"))


def test_after_a_comparison_the_last_question_asks_about_one_of_the_two() -> None:
    """"A với B có giống nhau không? A là gì?", "A khác B. Riêng A là gì?": no entry compares them, the one on A
    answers the question asked last."""
    citizen = _entry("citizen", "Công dân học tập là gì?", "Công dân học tập là người tự giác học thường xuyên.")
    digital = _entry("digital", "Công dân số là gì?", "Công dân số là người dùng công nghệ số an toàn.")
    service = AnswerService(None, SearchIndex([citizen, digital]))
    for question in ("Công dân học tập với công dân số có giống nhau không? Công dân học tập là gì?",
                     "Công dân học tập khác công dân số. Riêng công dân học tập là như thế nào?"):
        plan = service.plan(question)
        assert (plan.decision, plan.fallback.faq_id) == ("answer", "citizen"), question
    assert without_asides("A khác B. Riêng gia đình học tập là gì?") == "gia đình học tập là gì"


def test_a_rambling_message_with_one_clause_asking_what_an_entry_asks() -> None:
    """"thì là công dân số là cái gì mà trên loa xã nói hoài…": the one clause that asks, asks just what the entry
    asks. Two clauses that ask ("deepfake là gì, đọc thế nào") are two questions: one answer would be half."""
    citizen = _entry("citizen", "Công dân số là gì?", "Công dân số là người dùng công nghệ số an toàn, có trách nhiệm.")
    join = _entry("join", "Làm sao để trở thành hội viên Hội Khuyến học?", "Liên hệ chi hội ở thôn, xã.")
    fake = _entry("deepfake", "Deepfake là gì?", "Deepfake là video, giọng nói giả làm bằng AI.")
    service = AnswerService(None, SearchIndex([citizen, join, fake]))
    plan = service.plan("thì là công dân số là cái gì mà trên loa xã nói hoài ai cũng phải làm công dân số")
    assert (plan.decision, plan.fallback.faq_id) == ("answer", "citizen")
    assert service.plan("ad cho hỏi deepfake là j, trên mạng nói hoài, mà đọc ntn").decision != "answer"


def test_a_named_thing_with_a_typo_is_still_named() -> None:
    """"cônng dân học tập": repaired, it names the learning citizen, not the learning community next to it."""
    community = _entry("community", "Cộng đồng học tập là gì?",
                       "Cộng đồng học tập là thôn, xóm nơi người dân cùng học.")
    citizen = _entry("citizen", "Thế nào là công dân học tập?", "Công dân học tập là người tự giác học suốt đời.")
    hits = SearchIndex([community, citizen]).search("cônng dân học tập là người ntn")
    assert [h.doc_id for h in hits if fits(h)] == ["citizen"]


def test_named_things_listed_together_are_answered_by_an_entry_about_one_of_them() -> None:
    """"trong đó có app ngân hàng với Zalo": what was on the lost phone; the entry on a lost phone (about the bank
    app) answers it. Compared ("ngân hàng với Zalo khác gì") they are still asked about both."""
    lost = _entry("lost", "Mất điện thoại có app ngân hàng thì làm gì?", "Gọi ngân hàng khóa tài khoản, khóa SIM.")
    index = SearchIndex([lost, *PASSWORDS])
    hits = index.search("tôi bị móc mất điện thoại, trong đó có app ngân hàng với Zalo, giờ làm gì trước")
    assert hits[0].doc_id == "lost" and fits(hits[0])
    assert not fits(index.search("mật khẩu app ngân hàng với Zalo khác gì nhau")[0])
