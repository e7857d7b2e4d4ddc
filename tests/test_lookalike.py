"""Look-alike topics (Zalo vs VNeID vs bank passwords, ChatGPT vs Gemini, OTP vs password, a group's code vs
OTP): the question's named thing decides which entry answers, or that none does."""

from __future__ import annotations

from typing import Any

import pytest

from content.schema import FaqEntry
from content.search import Hit, SearchIndex, _named_first, decide, numbers, places, without_asides
from content.textnorm import fold
from handlers.answers.service import AnswerService


def _entry(entry_id: str, question: str, answer: str, *alternatives: str) -> FaqEntry:
    return FaqEntry(id=entry_id, question=question, alternatives=list(alternatives), answer=answer, sources=["s"])


PASSWORDS = [
    _entry("pw_safe", "Đặt mật khẩu thế nào cho an toàn?",
           "Dùng mật khẩu dài, mỗi tài khoản (ngân hàng, email, Zalo) một mật khẩu riêng.",
           "Mật khẩu các tài khoản có nên đặt giống nhau cho dễ nhớ không?"),
    _entry("zalo_pw", "Quên mật khẩu Zalo thì lấy lại thế nào?", "Chọn Lấy lại mật khẩu trên màn hình đăng nhập Zalo."),
    _entry("vneid_pw", "Quên mật khẩu VNeID thì làm sao?", "Chọn Quên mật khẩu trong ứng dụng VNeID chính thức."),
]


def test_several_named_things_compared_are_answered_by_the_general_entry_that_names_one() -> None:
    index = SearchIndex(PASSWORDS)
    question = "mật khẩu VNeID với mật khẩu Zalo có nên đặt giống nhau cho dễ nhớ không"
    hits = index.search(question)
    assert hits[0].doc_id == "pw_safe" and not hits[0].missing
    assert decide(question, hits) == "answer"
    # one named thing alone is still its own entry's
    assert decide("tôi quên mật khẩu zalo", hits := index.search("tôi quên mật khẩu zalo")) == "answer"
    assert hits[0].doc_id == "zalo_pw"


def test_a_general_entry_naming_none_of_the_compared_things_does_not_answer() -> None:
    index = SearchIndex(PASSWORDS)
    question = "mật khẩu chatgpt với mật khẩu gemini có nên đặt giống nhau không"
    hits = index.search(question)
    assert all(h.missing for h in hits if h.doc_id == "pw_safe")
    assert decide(question, hits) != "answer"


def _hit(doc_id: str, score: float, coverage: float, names: tuple[str, ...] = (),
         missing: tuple[str, ...] = ()) -> Hit:
    return Hit(doc_id, "faq", doc_id, "…", score, coverage, ("s",), missing, names=names)


def test_the_only_candidate_about_the_named_thing_is_answered_not_asked() -> None:
    question = "Kẻ gian đứng trước cổng đòi tiền, gọi 113 hay 156?"
    # just short of answering, the runner-up lacks what is asked about
    assert decide(question, [_hit("report", 14.9, 0.69, ("113", "156")),
                             _hit("report_156", 12.3, 0.62, missing=("113",))]) == "answer"
    # a runner-up about the same thing keeps it asked
    assert decide(question, [_hit("report", 14.9, 0.69, ("113", "156")),
                             _hit("other", 12.3, 0.62, ("113", "156"))]) == "suggest"
    # naming nothing, the same figures are asked
    assert decide(question, [_hit("report", 14.9, 0.69), _hit("report_156", 12.3, 0.62, missing=("113",))]) \
        == "suggest"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("mật khẩu VNeID với mật khẩu Zalo có nên đặt giống nhau cho dễ nhớ không", "password_safety"),
        ("pass fb vs pass ngân hàng để giống nhau cho dễ nhớ dc ko", "password_safety"),
        # ChatGPT's own account entry says it too ("đặt mật khẩu riêng, không dùng chung mật khẩu với ngân hàng")
        ("mật khẩu app ngân hàng có nên dùng chung với mật khẩu chatgpt cho dễ nhớ không", "chatgpt_account"),
        ("mật khẩu app ngân hàng có nên dùng chung với mật khẩu zalo cho dễ nhớ không", "password_safety"),
        ("mã OTP với mật khẩu khác nhau chỗ nào", "otp_never"),
        ("mật khẩu ngân hàng với mã OTP có giống nhau không", "otp_never"),
        ("mã nhóm có phải mã otp không", "bot_join_group"),
        ("Kẻ lừa đảo đang đứng ngay cổng nhà tôi đòi tiền, gọi 113 hay 156?", "report_scam"),
        ("tôi quên mật khẩu zalo", "zalo_forgot_password"),
        ("quên mật khẩu VssID", "vssid_forgot_password"),
        ("quên mật khẩu ngân hàng", "bank_app_password"),
        ("ChatGPT với Gemini có giống nhau không", "chatgpt_vs_gemini"),
        ("mã otp ngân hàng gửi về có nên đưa cho người xưng hỗ trợ zalo không", "otp_never"),
        ("Thẻ CCCD gắn chip tôi làm năm 2021, giờ có bắt đổi sang thẻ căn cước mới không?", "the_can_cuoc"),
        ("cái app định danh của công an tôi quên mật khẩu không vào được, lấy lại sao?", "vneid_forgot_password"),
        ("Bot này có phải là ChatGPT không?", "chatbot_what"),
        ("Copilot là của công ty nào làm ra?", "copilot_what"),
        ("Số 113 khác số 156 sao? Lúc nào thì gọi 113?", "report_scam"),
        ("Tỉnh Bình Dương cũ thí điểm Bình dân học AI từ tháng năm nào?", "bdhai_what"),
        # a typed look-alike address: the entry that tells them apart, not the real site's entry
        ("trang dichvucong.gov.vn.xyz có phải trang thật của nhà nước không", "fake_gov_site"),
        ("Trang dichvucong.gov.vn.abc.com có phải trang dịch vụ công thật không?", "fake_gov_site"),
        ("dichvucong.gov.vn là trang gì", "dvc_what"),
        # what the question says it is not about is left out, what it says instead is kept
        ("Không phải Zalo đâu, là Facebook của tôi bị người khác chiếm mất rồi, làm sao?", "facebook_hacked"),
        ("tôi quên mật khẩu, không phải Zalo mà là VNeID", "vneid_forgot_password"),
        # "A thì …, còn B …?": what is asked is asked of B
        ("ChatGPT thì miễn phí rồi, còn học AI trên bot này có mất tiền không?", "bdhai_free"),
    ],
)
def test_look_alike_questions_get_the_entry_of_what_they_name(svc: AnswerService, question: str,
                                                             entry: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry)


@pytest.mark.parametrize(
    "question",
    ["Gemini có miễn phí không", "Claude là gì", "DeepSeek có an toàn không",
     "trang vneid.gov.vn.app có phải của nhà nước không"],  # not the portal's entry: .gov.vn inside a name
)
def test_a_named_thing_no_entry_covers_is_not_answered_with_another(svc: AnswerService, question: str) -> None:
    result: Any = svc.plan(question).fallback
    assert result.decision != "answer"


@pytest.mark.parametrize("question", ["tôi quên mật khẩu", "quen mat khau", "quên mật khẩu thì làm sao"])
def test_naming_no_thing_when_entries_about_several_fit_asks_which_one(svc: AnswerService, question: str) -> None:
    result = svc.plan(question).fallback
    assert result.decision == "suggest" and len({d for d, _ in result.suggestions}) >= 2


def test_who_a_scammer_claims_to_be_is_part_of_the_story() -> None:
    assert places("có nên đưa mã cho người xưng hỗ trợ zalo không") == {"zalo"}
    assert places("kẻ mạo danh nhân viên ngân hàng gọi") == {"ngan hang"}
    assert places("zalo có an toàn không") == frozenset()


def test_the_name_a_message_bears_is_its_disguise(svc: AnswerService) -> None:
    # Before: "tin nhắn tên điện lực" named the power company as asked about, so the entry on paying the power bill
    # by the bank's app (which names no power company in its questions) lost to the one on impostors.
    assert places("có tin nhắn mang tên điện lực gửi link") == {"dien luc"}
    assert places("tin nhắn tên ngân hàng bảo bấm vào") == {"ngan hang"}
    assert places("điện lực có nhắn tin báo trước không") == frozenset()
    paid = svc.plan("tôi định trả tiền điện bằng ứng dụng ngân hàng, nhưng có tin nhắn tên điện lực gửi đường link "
                    "bảo trả qua đó, trả vậy được không").fallback
    assert paid.decision == "answer" and "mã khách hàng" in paid.text


def test_being_recognised_as_a_thing_is_not_where_it_was_received() -> None:
    # Before: "công nhận cộng đồng học tập" read as "nhận … cộng đồng học tập" (received on it, like "nhận qua
    # Zalo"), so the Learning community asked about was taken for the story's place and the bot's /sangkien help
    # was answered for whether a village was recognised this year.
    assert places("năm nay ấp mình có được công nhận cộng đồng học tập không, xem ở đâu") == frozenset()
    assert places("tôi nhận được tin nhắn qua zalo") == {"zalo"}


def test_the_bots_channel_one_learns_on_is_asked_about_not_the_storys_place(svc: AnswerService) -> None:
    # Before: "học tiếp trên Zalo", "cái bot này trên Telegram" read as where the story happened, so the entry on
    # going on with a lesson (naming no channel) was answered, or nothing, for moving one's progress to Zalo.
    assert places("giờ bà muốn học tiếp trên Zalo") == frozenset()
    assert places("nó chỉ bà dùng cái bot này trên Telegram") == frozenset()
    assert places("có người gửi link trên zalo") == {"zalo"}
    for story in ("Đứa cháu đích tôn đang học cao đẳng dưới tỉnh, dịp nghỉ lễ nó chỉ bà dùng cái bot này trên "
                  "Telegram, nhưng bà lại quen dùng Zalo hơn, giờ bà muốn học tiếp trên Zalo mà không phải học lại "
                  "từ đầu những bài đã học thì có cách nào không?",
                  "Con trai tôi làm công nhân ngoài Bình Dương, hồi tết nó cài cho tôi cái bot này trên Telegram, "
                  "nhưng tôi lại hay dùng Zalo hơn, giờ tôi muốn học tiếp trên Zalo mà không phải học lại từ đầu mấy "
                  "bài đã học thì có cách nào không ạ?"):
        result = svc.plan(story).fallback
        assert result.decision == "answer" and "/lienket" in result.text, story


def test_a_year_the_asker_tells_of_their_own_doings_is_not_asked_about() -> None:
    assert numbers("Thẻ CCCD gắn chip tôi làm năm 2021, giờ có phải đổi không") == frozenset()
    assert numbers("thẻ cấp từ năm 2016 còn dùng được không") == frozenset()
    assert numbers("Chủ đề Tuần lễ học tập suốt đời năm 2021 là gì?") == {"2021"}  # "đời" folds like "đổi"
    assert numbers("chủ đề năm 2023 là gì") == {"2023"}


def test_a_hit_about_just_the_named_thing_goes_before_a_near_tie_about_another_thing_too() -> None:
    both = _hit("bdhvs_vs_bdhai", 18.8, 0.85, ("binh dan hoc ai",), ("+binh dan hoc vu so",))
    alone = _hit("bdhai_what", 18.7, 0.85, ("binh dan hoc ai",))
    assert [h.doc_id for h in _named_first([both, alone])] == ["bdhai_what", "bdhvs_vs_bdhai"]
    far = _hit("bdhai_what", 12.0, 0.85, ("binh dan hoc ai",))
    assert _named_first([both, far])[0].doc_id == "bdhvs_vs_bdhai"  # not near: the comparison stays first
    missing = _hit("other", 18.8, 0.85, ("zalo",), ("vneid",))
    assert _named_first([missing, alone])[0].doc_id == "other"  # about another thing, not about one more


def test_what_is_said_of_one_thing_sets_off_what_is_asked_of_the_other() -> None:
    assert without_asides("Zalo thì tôi biết rồi, còn VNeID cài sao") == "VNeID cài sao"
    # "còn" as "still", with nothing said of another thing before it, is part of the question
    assert without_asides("Tôi bị lừa 5 triệu qua Zalo, còn gọi được cho ai không").startswith("Tôi bị lừa")


def test_the_entry_of_the_year_asked_about_does_not_hide_the_one_that_answers(svc: AnswerService) -> None:
    # Before: "Chủ đề Tuần lễ 2020" ranked first for its year, covered half of the question, and it was refused
    result = svc.plan("le khai mac tuan le hoc tap o thanh pho ha tinh nam 2020 la ngay nao").fallback
    assert result.decision == "answer" and "2/10/2020" in result.text
    theme = svc.plan("Chủ đề tuần lễ học tập năm 2020 là gì").fallback  # the theme stays the theme's entry
    assert theme.decision == "answer" and "Chuyển đổi số thúc đẩy học tập suốt đời" in theme.text


def test_ai_said_of_a_chatbot_is_the_chatbot_when_no_other_is_named(svc: AnswerService) -> None:
    # Before: the bank named as what is shared made the ChatGPT privacy entry "about ChatGPT too": refused
    result = svc.plan("đưa số tài khoản ngân hàng với hình căn cước cho con AI coi giùm có răng không").fallback
    assert result.decision == "answer" and result.faq_id == "chatgpt_privacy"
    assert "không nên" in result.text.lower()
    assert fold("coi giùm có răng không") == fold("xem giùm có sao không")
    compared = svc.plan("AI với ChatGPT khác nhau chỗ nào").fallback  # a chatbot named: AI is not it
    assert compared.faq_id != "chatgpt_vs_gemini"


def test_a_lookalike_named_beside_the_one_asked_about_does_not_stop_the_answer(svc: AnswerService) -> None:
    # Before (dev_m): each was refused; the other thing named (Google, VssID, the bank's OTP, the quiz) is what the
    # question compares with, and "Gúc gồ" is how "Google" sounds.
    copilot = svc.plan("Copilot có phải là ChatGPT của Google không?").fallback
    assert copilot.decision == "answer" and "Microsoft" in copilot.text
    vneid = svc.plan("Mật khẩu VNeID quên rồi, có nhắn tin lấy lại như VssID được không hay phải làm sao?").fallback
    assert vneid.decision == "answer" and "công an xã" in vneid.text
    code = svc.plan("Mã nhóm cán bộ gửi có phải giống mã OTP ngân hàng không, nhập vào đâu?").fallback
    assert code.decision == "answer" and "/start" in code.text
    google = svc.plan("Tra trên Gúc gồ với hỏi ChatGPT thì cách nào chắc ăn hơn?").fallback
    assert google.decision == "answer" and google.text.startswith("Google tìm")
    assert fold("Gúc gồ") == fold("google") == "google"
    contest = svc.plan("Cuộc thi trong Tuần lễ với bài kiểm tra ôn bài trên bot có khác nhau không, vào thi ở đâu?")
    assert contest.fallback.decision == "answer" and "/thi" in contest.fallback.text
    quiz = svc.plan("làm bài kiểm tra ở đâu").fallback  # the quiz alone stays the quiz's entry
    assert quiz.decision == "answer" and quiz.faq_id == "bot_quiz"


def test_a_channel_befriended_on_and_a_disguise_are_both_the_story(svc: AnswerService) -> None:
    # Before: "… kết bạn Zalo gửi link" made Zalo what was asked about, so the entry on the bank's fake face-check
    # link (about banks, not Zalo) was refused; a stranger befriending one on an app is where the scam came from.
    assert places("người lạ kết bạn facebook rồi gửi link") == {"facebook"}
    question = ("Sáng nay có người tự nhận là nhân viên ngân hàng gọi bảo phải xác thực khuôn mặt kẻo khóa tài khoản, "
                "xong kết bạn Zalo nhắn cho tôi cái đường link để quay mặt. Như vậy là lừa phải không?")
    plan = svc.plan(question)
    assert plan.decision == "answer" and plan.fallback.faq_id == "fake_biometric_link"
    # the bank said as who the caller claims to be: both named things are the story's, the bank's entry answers
    disguised = ("Có người xưng nhân viên ngân hàng gọi tôi nói phải cập nhật khuôn mặt, rồi kết bạn Zalo gửi một cái "
                 "link bảo bấm vào. Tôi nghi quá, cái này có phải lừa không?")
    assert svc.plan(disguised).fallback.faq_id == "fake_biometric_link"
    index = SearchIndex([_entry("bank_face", "Ngân hàng có gửi link bắt cập nhật khuôn mặt không?",
                                "Không. Ngân hàng không gửi đường link nào, đó là lừa đảo."),
                         _entry("zalo_pw", "Quên mật khẩu Zalo thì lấy lại thế nào?", "Chọn Lấy lại mật khẩu.")])
    found = index.search("kẻ xưng nhân viên ngân hàng kết bạn Zalo gửi link bảo cập nhật khuôn mặt", 2)
    assert (found[0].doc_id, found[0].missing) == ("bank_face", ())


def test_what_an_entry_says_of_ai_chatbots_is_said_of_the_one_named(svc: AnswerService) -> None:
    # Before: refused. The entry on officers collecting people's data says "không dán danh sách … vào chatbot AI"
    # and names no chatbot: a long question naming Gemini or ChatGPT as the chatbot it would use is about it too.
    question = ("Tôi là thư ký chi hội, đang gõ danh sách hội viên có số căn cước với số điện thoại, định nhờ Gemini "
                "sắp xếp lại cho gọn, có nên không?")
    plan = svc.plan(question)
    assert (plan.decision, plan.fallback.faq_id) == ("answer", "officer_personal_data")
    assert svc.plan("gemini có miễn phí không").fallback.faq_id != "officer_personal_data"


def test_the_identification_account_is_vneid_and_a_contact_list_is_not_it(svc: AnswerService) -> None:
    # Before: "tài khoản định danh" in the VNeID number entry was no name, so its "danh" matched "danh bạ": moving
    # one's contacts to a new phone was answered with how to change the number tied to VNeID.
    from content.search import entities

    assert "vneid" in entities("đổi số trên tài khoản định danh điện tử")
    moving = ("Thằng út mới mua cho bà cái điện thoại mới, bà muốn chuyển danh bạ với hình ảnh từ máy cũ sang máy mới "
              "thì làm thế nào?")
    assert svc.plan(moving).fallback.decision != "answer", moving


@pytest.mark.parametrize("question", [
    "cái điện thoại con gái cho ông bị khóa màn hình rồi, quên mật khẩu mở máy thì làm sao",
    "điện thoại bị khóa màn hình, quên mật khẩu mở khóa máy thì lấy lại sao",
])
def test_a_password_asked_of_no_named_app_is_not_answered_with_one_apps_steps(svc: AnswerService,
                                                                             question: str) -> None:
    # Before: the VNeID password steps, with their source, for the phone's own screen lock: Zalo's and VssID's
    # password entries fit as well, and the message names none of them.
    result = svc.plan(question).fallback
    assert result.decision != "answer", result.text
    assert svc.plan("quên mật khẩu VNeID rồi lấy lại sao").fallback.decision == "answer"


def test_a_long_message_naming_no_app_is_not_answered_by_an_entry_only_about_one(svc: AnswerService) -> None:
    # Before: saving a grandchild's new number in the contacts got how to change the number tied to VNeID.
    result = svc.plan("Ông muốn lưu số mới của thằng cháu vừa đổi sim vào danh bạ điện thoại mà không biết lưu "
                      "thế nào").fallback
    assert result.decision != "answer", result.text


@pytest.mark.parametrize("question", ["vneid của cơ quan nào", "cái app vneid do cơ quan nào làm ra vậy"])
def test_who_makes_vneid_is_never_answered_with_another_vneid_entry(svc: AnswerService, question: str) -> None:
    # Before: new phrasings on other VNeID entries made "vneid" common, and "của cơ quan nào" got the VNeID scam
    # warning with its source line. Who makes the app is said by vneid_what and vneid_install (Bộ Công an).
    result: Any = svc.plan(question).fallback
    assert result.decision in ("answer", "suggest") and result.faq_id in ("vneid_what", "vneid_install"), result


@pytest.mark.parametrize("question", ["ứng dụng Bluezone dùng để làm gì", "phần mềm Misa là gì",
                                      "app Grab có an toàn không"])
def test_an_app_the_content_does_not_know_is_not_answered_with_another(svc: AnswerService, question: str) -> None:
    # Before: answered with what VNeID is, or the loan apps' warning, with a "Nguồn:" line: the app's name is a word no
    # entry has, and what is asked of it is asked of that app.
    assert svc.plan(question).decision != "answer", question
    assert svc.plan("ứng dụng VNeID dùng để làm gì").decision == "answer"


def test_the_level_said_in_words_finds_the_level_two_entry(svc: AnswerService) -> None:
    # Before: refused; "mức hai" is the "mức 2" of the entry's own question.
    result = svc.plan("Bác muốn lên định danh mức hai thì đi chỗ nào làm?").fallback
    assert (result.decision, result.faq_id) == ("answer", "vneid_level2")
