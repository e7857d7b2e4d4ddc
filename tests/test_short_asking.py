"""Issue 16, short questions asked the way people type them: "n" for "l" ("việc nàm", "người nao động"), "lin"
and "share", a kinship address followed by who speaks ("ông ơi, cháu hỏi …"), "nghe hoài mà hổng hiểu" and
"… đó là cái chi" as frames, and FAQ entries asked in their everyday words. Through `hocbot ask --json`."""

from __future__ import annotations

import pytest

from content.textnorm import actions, fold, question_core
from tests.test_asking_ways import _db, ask  # noqa: F401  (_db: the autouse database of `hocbot ask`)


def test_n_typed_for_l_is_read_as_l_where_it_spells_no_word() -> None:
    assert fold("việc nàm của người nao động") == fold("việc làm của người lao động")
    assert fold("bị nừa") == fold("bị lừa")
    assert "nguoi nao" not in actions("AI có cướp mất việc nàm của người nao động không")
    assert fold("năm nào") == "nam nao"  # real words stay


def test_losing_work_asked_with_n_for_l_gets_the_jobs_entry(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "người nao động" was read as "người nào" (who), the jobs entry asks no "who" and it was refused.
    [item] = ask(capsys, "AI có cướp mất việc nàm của người nao động không")
    assert not item["refused"] and "lặp đi lặp lại" in item["answer"]


def test_lin_is_a_link(capsys: pytest.CaptureFixture[str]) -> None:
    assert fold("bấm lin lạ") == fold("bấm link lạ")
    [item] = ask(capsys, "bấm nhầm lin lạ trên zalo rồi giờ phải lam sao")
    assert not item["refused"] and "đổi mật khẩu ngay" in item["answer"]


def test_who_speaks_after_a_kinship_address_is_a_frame() -> None:
    assert question_core("Ông ơi cháu hỏi nhà mình nên có mật khẩu gia đình để làm gì ạ").startswith("nha minh")
    assert question_core("Con ơi, mẹ hỏi ChatGPT có cần mạng không") == "chatgpt co can mang khong"
    assert question_core("Bà hỏi con chút, gia đình học tập là sao hở con?") == "gia dinh hoc tap la sao"
    assert question_core("cháu hỏi bác sĩ thì bác sĩ bảo sao").startswith("bac si")  # whom it asks stays
    for kept in ("cơ hội việc làm cho người già", "câu hỏi này bot trả lời sai", "chi hội trưởng làm gì"):
        assert question_core(kept) == fold(kept), kept


def test_hearing_it_often_without_understanding_is_why_it_is_asked(capsys: pytest.CaptureFixture[str]) -> None:
    assert question_core("Tuần lễ học tập suốt đời đó là cái chi, tui nghe hoài mà hổng hiểu") == (
        "tuan le hoc tap suot doi la cai gi")
    [item] = ask(capsys, "Tuần lễ học tập suốt đời đó là cái chi, tui nghe hoài mà hổng hiểu")
    assert not item["refused"] and "Mỗi năm có một chủ đề" in item["answer"]


@pytest.mark.parametrize(("question", "fact"), [
    ("Cháu ơi, cái AI nó học kiểu gì mà nó biết được nhiều vậy cháu?", "học máy"),
    ("Xin hỏi tôi mới cài VNeID, ứng dụng này làm được những việc gì ạ?", "xuất trình"),
    ("Con ơi, mẹ hỏi ChatGPT có cần mạng không con, trên rẫy mẹ không có sóng.", "máy chủ của công ty"),
    ("Cho tôi hỏi nhờ AI viết giùm lá đơn thì cần để ý những gì nhé", "bản nháp"),
    ("lam sao biet app chatgpt minh tai ve la that hay gia", "đòi nạp tiền ngay"),
    ("Bot ni tui gõ hổng dấu được hông hè, tui gõ dấu chậm lắm", "viết tắt quen thuộc"),
])
def test_entries_answer_their_questions_asked_in_everyday_words(
        capsys: pytest.CaptureFixture[str], question: str, fact: str) -> None:
    [item] = ask(capsys, question)
    assert not item["refused"] and fact in item["answer"] and item["sources"], item["answer"][:80]


def test_the_year_chatgpt_came_out_is_the_generative_ai_entry(capsys: pytest.CaptureFixture[str]) -> None:
    [item] = ask(capsys, "ChatGPT ra đời năm nào vậy")
    assert not item["refused"] and "11/2022" in item["answer"]
    [teen] = ask(capsys, "chatgpt ra đời năm bn v")  # "bn": how many, said of a year; offered first at least
    assert "11/2022" in teen["answer"] or teen["suggestions"][0]["id"] == "generative_ai"


def test_what_an_entry_does_not_answer_stays_unanswered(capsys: pytest.CaptureFixture[str]) -> None:
    # an OTP asked by a caller is the OTP warning, not what to keep from a chatbot
    [item] = ask(capsys, "Hôm qua có đứa gọi bảo là nhân viên ngân hàng, xin mã OTP để mở khóa tài khoản, tôi có nên "
                         "đưa không")
    assert item["answer"].startswith("Tuyệt đối không")
    [year] = ask(capsys, "Gemini ra đời năm nào")
    assert "11/2022" not in year["answer"]


def test_the_family_password_is_answered_by_its_own_entry(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: only a lesson's last line named it, and "Ông ơi cháu hỏi … mật khẩu gia đình để làm gì" was refused.
    for q in ("Ông ơi cháu hỏi nhà mình nên có cái mật khẩu gia đình để làm gì ạ", "mật khẩu gia đình là gì"):
        [item] = ask(capsys, q)
        assert not item["refused"] and item["answer"].startswith("Mật khẩu gia đình là"), q
        assert "số quen thuộc" in item["answer"] and item["sources"]
    for q in ("kể cho tôi một câu chuyện cổ tích", "nhà tôi bị mất điện gọi ai"):  # its common words answer nothing
        [item] = ask(capsys, q)
        assert not item["answer"].startswith("Mật khẩu gia đình"), q


@pytest.mark.parametrize(("question", "fact"), [
    ("mấy cái bot AI nói chuyện vs mk có phải tự khai là máy ko", "đó là máy"),  # the AI law, not this bot's help
    ("dì ơi con bán tạp hóa, sợ mã QR ở tiệm bị đứa nào dán đè thì phải làm sao", "thường xuyên kiểm tra"),
    ("Anh ơi cho em hỏi, thằng em họ nhắn Zalo hỏi vay 5 triệu gấp, em có nên chuyển luôn không?",
     "gọi điện thoại trực tiếp"),
])
def test_short_questions_in_the_asker_s_words_get_the_entry_that_answers_them(
        capsys: pytest.CaptureFixture[str], question: str, fact: str) -> None:
    [item] = ask(capsys, question)
    assert not item["refused"] and fact in item["answer"], item["answer"][:80]


def test_choices_that_each_cover_only_the_question_s_form_words_are_not_offered(
        capsys: pytest.CaptureFixture[str]) -> None:
    # "phải làm sao" is all that Zalo, Facebook and lost-phone entries share with it: a near tie of those is no
    # "Có phải bạn muốn hỏi…" but "not known"
    [item] = ask(capsys, "chó nhà tôi bị ốm phải làm sao")
    assert item["refused"] and "suggestions" not in item


@pytest.mark.parametrize(("question", "fact"), [
    ("Bác ơi cho cháu hỏi Dòng họ học tập là thế nào ạ, họ nhà cháu đang định lập quỹ cho con cháu",
     "quỹ khuyến học của"),  # "là thế nào" asks what it is, not how the five models differ
    ("cái app vneid ng ta share link tải trên fb có dùng dc ko", "CH Play"),
    ("đt cùi bắp có xài đc chatgpt ko hay phải mua máy xịn", "điện thoại thông minh"),
    ("Cô ơi cho con hỏi thằng bé nhà con lớp 7 cứ lấy ChatGPT chép bài văn nộp cô giáo thì có nên không ạ",
     "không phải để chép đáp án"),
    ("Dạ xin hỏi làm thủ tục trực tuyến thì cần chú ý gì cho an toàn ạ", ".gov.vn"),  # dvc_safety, from lesson m8l4
])
def test_what_it_is_and_which_phone_asked_plainly(capsys: pytest.CaptureFixture[str], question: str, fact: str) -> None:
    [item] = ask(capsys, question)
    assert not item["refused"] and fact in item["answer"], item["answer"][:80]


def test_which_phone_to_buy_stays_out_of_scope(capsys: pytest.CaptureFixture[str]) -> None:
    [item] = ask(capsys, "nên mua Samsung hay Oppo để xài ChatGPT, tư vấn máy nào rẻ mà ngon")
    assert item["refused"]
    [homework] = ask(capsys, "viết giùm bài văn tả mẹ lớp 5 bằng AI để con nộp cô giáo")  # doing it, not whether to
    assert homework["refused"]
    [papers] = ask(capsys, "bot xem giúp tôi giấy tờ nhà đất này có bị làm giả không tôi chụp ảnh gửi bot nhé")
    assert papers["refused"]


def test_tax_named_alone_is_not_known(capsys: pytest.CaptureFixture[str]) -> None:
    # "thuế" folds like "thuê" (to hire): an entry asked "có nên thuê …" must not answer the bare word "thuế"
    [item] = ask(capsys, "thuế")
    assert item["refused"]


def test_a_number_said_in_words_names_the_resolution(capsys: pytest.CaptureFixture[str]) -> None:
    assert fold("nghi quyet năm bảy là gì") == "nghi quyet 57 la gi"
    assert fold("nghị quyết năm mươi bảy") == fold("nghị quyết 57")
    assert fold("kết luận một trăm hai mươi ba") == fold("kết luận một hai ba") == "ket luan 123"
    assert fold("luật số chín mốt") == fold("luật số 91")
    assert fold("bác biết nghị quyết năm bảy không") == "bac biet nghi quyet 57 khong"  # the question's "không"
    assert fold("nghị quyết năm 2024") == "nghi quyet nam 2024"  # a year, not a number said in words
    assert fold("nghị quyết năm nay") == "nghi quyet nam nay"
    [item] = ask(capsys, "nghi quyet năm bảy là gì")
    assert not item["refused"] and "22/12/2024" in item["answer"]


def test_how_to_said_with_lam_sao_de_or_man_rang_is_how_to(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "mần răng để cài VNeID" (làm sao để cài) was refused, the install entry asking "như thế nào", "cách tải"
    [item] = ask(capsys, "mần răng để cài VNeID")
    assert not item["refused"] and "CH Play" in item["answer"]
    [stop] = ask(capsys, "làm sao để bot ngừng gửi tin")  # an entry asking "làm sao để" itself still answers
    assert not stop["refused"] and "/huy" in stop["answer"], stop["answer"][:80]


def test_how_many_said_with_may(capsys: pytest.CaptureFixture[str]) -> None:
    assert fold("Có mấy mô hình học tập") == fold("có bao nhiêu mô hình học tập")
    assert fold("có máy tính") == "co may tinh"  # a computer, not "how many"
    [item] = ask(capsys, "Có mấy mô hình học tập, kể tên giúp tôi")
    assert not item["refused"] and "Dòng họ học tập" in item["answer"]


def test_may_cai_is_those_not_a_phone(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "mấy" folded like "máy" (a machine), found in the AI law's answer ("nó là máy"), and it won
    assert fold("mấy cái video giả") == "cai video gia"
    [item] = ask(capsys, "mấy cái video giả bằng AI là cái gì vậy nè")
    assert not item["refused"], item["answer"][:80]
    assert item["answer"].startswith("Deepfake (đọc là “đíp-phếch”) là video"), item["answer"][:80]
