"""Issue 16: long questions (a story of a few sentences before the question, voice-typed run-ons) get the answer
the question asks for, through `hocbot ask --json`: the clause that asks is found where people put it, and what the
story only tells in passing does not decide the answer."""

from __future__ import annotations

import pytest

from content.textnorm import asking_clause, story_clauses, told_then_asked
from handlers.answers.service import NEAR_INTRO
from tests.test_asking_ways import _db, ask  # noqa: F401  (_db: the autouse database of `hocbot ask`)


def test_a_run_on_is_not_cut_inside_a_word_of_two_syllables() -> None:
    # Before: "bao giờ", "số liệu", "Bây giờ" and "phải làm sao" were cut at "giờ", "liệu" and "làm sao" (words that
    # open a clause in a voice-typed run-on), and a lone "tôi" before "có nên" was a clause of its own.
    assert story_clauses("hôm qua đứa cháu nhắn zalo hỏi mượn tiền, mà bình thường nó có bao giờ mượn đâu, tôi có "
                         "nên chuyển không") == ["hôm qua đứa cháu nhắn zalo hỏi mượn tiền",
                                                 "bình thường nó có bao giờ mượn đâu", "tôi có nên chuyển không"]
    assert story_clauses("Nên đưa số liệu vào sao cho nó không viết bậy") == [
        "Nên đưa số liệu vào sao cho nó không viết bậy"]
    assert story_clauses("Bây giờ phải làm gì trước cho kịp") == ["Bây giờ phải làm gì trước cho kịp"]
    assert story_clauses("Tôi phải làm sao") == ["Tôi phải làm sao"]
    assert asking_clause("con tôi đi làm xa, nó dặn cả nhà đặt mật khẩu gia đình, tôi phải làm sao") == (
        "tôi phải làm sao")


def test_the_amount_a_story_tells_does_not_decide_what_its_vague_ending_asks(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "20 triệu" matched the entry about the amount above which a transfer needs one's face, as well as the
    # scam victim's steps, and the bot asked which one was meant; the ending ("giờ phải làm gì") asks nothing of
    # its own, so the story decides, and the amount is only what happened.
    lost, video = ask(capsys, "tuần trước tôi bị lừa chuyển mất 20 triệu qua mạng, giờ phải làm những gì",
                      "Con gái tôi đi làm ở Hàn Quốc, tối qua có cuộc gọi video hình nó mờ mờ, nói vài câu rồi bảo "
                      "mẹ chuyển gấp 20 triệu vào số tài khoản lạ. Tôi phải làm sao?")
    assert not lost["refused"] and "tra soát" in lost["answer"] and lost["sources"]
    assert not video["refused"] and "gọi lại" in video["answer"] and video["sources"]


def test_an_amount_the_ending_asks_about_still_counts(capsys: pytest.CaptureFixture[str]) -> None:
    # The ending asks about the transfer itself (whether it needs one's face): the amount told before it stays.
    [item] = ask(capsys, "Tôi hay chuyển khoản 15 triệu mỗi tháng cho con đi học, như vậy có phải quét mặt không?")
    assert not item["refused"] and "10 triệu" in item["answer"] and item["sources"]


def test_a_story_ending_in_what_now_asks_about_the_last_thing_the_story_says_was_done(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "Chọn một mục" between forgetting the VNeID password and changing its phone number, both told by the
    # story; "Giờ làm sao?" asks what to do about the last of them, the password forgotten.
    [item] = ask(capsys, "Năm ngoái tôi làm định danh ở công an xã rồi, nay đổi số điện thoại nên không vào được "
                         "VNeID, lại quên mật khẩu. Giờ làm sao?")
    assert not item["refused"] and "lấy lại mật khẩu" in item["answer"] and item["sources"]


def test_what_now_after_a_deed_is_not_answered_by_whether_to_do_it(capsys: pytest.CaptureFixture[str]) -> None:
    # The OTP is already given: the entry on whether to give it ("Có ai hỏi mã OTP thì có nên đưa không?") is not
    # what to do now, however well the story's action matches it.
    [item] = ask(capsys, "vợ tôi lỡ đọc mã OTP cho người xưng nhân viên ngân hàng rồi, giờ phải làm sao")
    assert item["refused"] or item["answer"].startswith("Có phải bạn muốn hỏi") or "tra soát" in item["answer"]


def test_a_story_asking_one_thing_gets_its_clear_winner(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused: the story's own words (the neighbour, "ngày nào cũng", going to bed early) left too little of
    # the message and of its asking clause covered, though one entry was far ahead of every other.
    invest, night = ask(capsys, "Bà hàng xóm rủ tôi vào nhóm Zalo đầu tư tiền ảo, họ khoe ngày nào cũng lãi mấy phần "
                                "trăm. Tôi có nên bỏ tiền vào không?",
                        "con bot này có gửi tin cho tôi lúc nửa đêm không chứ tôi ngủ sớm mà điện thoại cứ kêu lúc "
                        "khuya là tôi thức giấc luôn")
    assert not invest["refused"] and "lừa đảo" in invest["answer"] and invest["sources"]
    assert not night["refused"] and "ban đêm" in night["answer"] and night["sources"]


def test_a_story_asking_two_details_is_not_answered_by_the_entry_on_the_topic(
        capsys: pytest.CaptureFixture[str]) -> None:
    # The documents, the deadline: the entry about the Hội's scholarships, however far ahead, gives neither.
    [item] = ask(capsys, "Cháu tôi học giỏi mà nhà nghèo, nghe nói Hội Khuyến học xã có học bổng. Hồ sơ gồm những "
                         "gì, hạn nộp khi nào?")
    assert item["refused"] or item["answer"].startswith("Có phải bạn muốn hỏi")


def test_a_no_that_denies_is_not_a_second_question(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused: "… lạ lắm không giống nó mọi khi" was counted as a second question (a "không" that denies),
    # and with two questions a near second document was taken for a tie. One thing is asked: whether the nephew's
    # Zalo was taken over.
    [item] = ask(capsys, "bác ơi thằng cháu tôi nhắn zalo hỏi mượn ba triệu bảo mai trả mà giọng văn lạ lắm không "
                         "giống nó mọi khi thì có phải zalo nó bị người ta chiếm rồi không")
    assert not item["refused"] and "gọi điện thoại" in item["answer"] and item["sources"]


def test_two_questions_of_a_run_on_get_both_halves(capsys: pytest.CaptureFixture[str]) -> None:
    # What lifelong learning means, and what is left to learn once retired: search finds a near tie, which was
    # offered; the asked questions nearest to it (this one among them, a tuning question) name lifelong_what, whose
    # answer tells both halves: every age, and what to learn (new skills, using the phone).
    [item] = ask(capsys, "học tập suốt đời nghĩa là sao tôi đã về hưu rồi thì còn phải học gì nữa")
    assert "mọi lứa tuổi" in item["answer"] and "học dùng điện thoại" in item["answer"] and item["sources"], item


def test_a_story_that_names_a_topic_not_ours_in_passing_is_answered_about_what_it_asks(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused as out of scope: the story names poultry farming ("kỹ thuật nuôi gà"), and "xem ngay" (see right
    # away) folds like "xem ngày" (picking a lucky day). What is asked is the community learning centre, and how to
    # see one's social insurance years on the phone. Asking for the farming advice or the lucky day stays refused.
    centre, years, lucky, farming = ask(
        capsys,
        "Chủ nhật này xã mở lớp chuyển giao kỹ thuật nuôi gà ở trung tâm học tập cộng đồng. Trung tâm đó là gì vậy?",
        "Bố tôi về hưu rồi, muốn biết mình đã đóng bảo hiểm xã hội được bao nhiêu năm. Có cách nào xem ngay trên điện "
        "thoại không?",
        "Năm nay tôi định xây nhà, nhờ xem ngày tốt giúp tôi, tháng nào thì được?",
        "Nhà tôi nuôi gà mà gà bị dịch chết mấy con, kỹ thuật nuôi gà sao cho khỏe, có cách nào không?")
    assert not centre["refused"] and "Trung tâm học tập cộng đồng" in centre["answer"] and centre["sources"]
    assert not years["refused"] and "VssID" in years["answer"] and years["sources"]
    assert lucky["refused"] and "ngoài phạm vi" in lucky["answer"]
    assert farming["refused"] and "ngoài phạm vi" in farming["answer"]


def test_a_long_message_holding_the_whole_of_one_entrys_question_gets_that_entry(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused or asked which one: the story's own words (who, when, to whom) left too little of the message
    # covered by any entry, though the message holds every word of one entry's question ("bị lừa chuyển tiền rồi phải
    # làm sao", "Tuần lễ học tập có hoạt động gì?", "ChatGPT có miễn phí không?") and of no other one as much.
    mother, uncle, week, paid = ask(
        capsys,
        "Mẹ tôi bị lừa chuyển 30 triệu cho người xưng nhân viên điện lực hồi chiều rồi. Giờ phải làm gì trước?",
        "Chú tôi bị lừa chuyển 15 triệu cho đứa xưng cán bộ ngân hàng hôm qua rồi, bây giờ phải làm gì?",
        "trong tuần lễ học tập người ta hay tổ chức mấy cái hoạt động gì để tôi dắt mấy đứa nhỏ đi cho biết nha",
        "con tôi bảo dùng chatgpt phải trả tiền hàng tháng mới xài được, vậy có đúng không")
    for item in (mother, uncle):
        assert not item["refused"] and "tra soát" in item["answer"] and item["sources"]
    assert not week["refused"] and "triển lãm sách" in week["answer"] and week["sources"]
    assert not paid["refused"] and "bản miễn phí" in paid["answer"] and paid["sources"]


def test_a_message_holding_an_entrys_question_but_asking_more_is_not_answered_by_it(
        capsys: pytest.CaptureFixture[str]) -> None:
    # "Hội khuyến học là gì" is all in the first message, which asks how much the fee is: not answered with what
    # the Hội is. The second holds "bot này dùng như thế nào" only in scattered words ("hôm nay", "đứng" folded like
    # "dùng"): it is not answered with the bot's commands, but (its asking clause "bấm nút cũng không ăn. Phải làm
    # sao" searched with the story as context) with what to do when the bot does not respond.
    fee, frozen = ask(capsys,
                      "nghe nói vô hội khuyến học phải đóng hội phí mỗi năm vậy đóng bao nhiêu một người đóng cho ai",
                      "Tôi đang học trên bot được mấy bài rồi, hôm nay mở ra thì bot đứng im, bấm nút cũng không ăn. "
                      "Phải làm sao?")
    assert fee["refused"] and "chưa có câu trả lời" in fee["answer"]
    assert not frozen["answer"].startswith("/hoc") and "Gõ /start để hiện lại bảng chọn" in frozen["answer"]


def test_a_story_is_answered_by_what_its_question_asks_not_by_what_it_tells(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before (dev_m): "về hưu" got the entry on joining the Association, "băng rôn … đầu tháng 10" the week's dates,
    # and the other stories were refused although their question is one the FAQ answers.
    old, farmer, lost, rumour, link = ask(
        capsys,
        "Tôi năm nay 68 tuổi, về hưu rồi, thấy con cháu cứ nói chuyện AI suốt, không biết người già như tôi học có "
        "nổi không?",
        "Tôi thấy ủy ban treo băng rôn tuần lễ học tập suốt đời đầu tháng 10, tôi là nông dân thì hưởng ứng kiểu gì?",
        "Bà hàng xóm nhà tôi bị lừa mất 50 triệu qua điện thoại hôm kia, giờ bà ấy nên làm gì để còn cơ may lấy lại "
        "tiền?",
        "Tôi đọc được trên mạng tin là sắp cấm xe máy toàn quốc, hàng xóm ai cũng chia sẻ, làm sao biết tin này thật "
        "hay giả?",
        "tôi lỡ bấm vào cái đường link người ta gửi trên zalo rồi còn nhập mật khẩu vào nữa bây giờ làm sao")
    assert old["answer"].startswith("Hoàn toàn được") and "Zalo" in old["answer"]
    assert "đọc sách" in farmer["answer"] and "/tuanle" in farmer["answer"]
    assert "tra soát" in lost["answer"] and lost["sources"]
    assert "báo chính thống" in rumour["answer"].lower() or "chính thống" in rumour["answer"]
    assert "đổi mật khẩu" in link["answer"] and "khóa tài khoản" in link["answer"]


def test_a_story_then_its_question_is_split_where_the_question_starts() -> None:
    # The asking clause ends the message and takes the clauses before it while it has too few words of its own; a
    # message whose question is not at its end, or of one clause, is not a story then a question.
    assert told_then_asked("Cuối tháng nào tôi cũng ra bưu điện đóng tiền điện, nghe nói trả bằng điện thoại được mà "
                           "sợ bị lừa thì trả sao cho an toàn") == (
        "Cuối tháng nào tôi cũng ra bưu điện đóng tiền điện nghe nói trả bằng điện thoại được sợ bị lừa",
        "thì trả sao cho an toàn")
    assert told_then_asked("Luật đó có bao nhiêu điều vậy, tôi cần ghi vào báo cáo của chi hội") is None
    assert told_then_asked("Làm sao nhận biết tin giả") is None


def test_a_story_told_before_its_question_is_answered_by_what_the_question_asks(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused: the story's words (the post office, the fertiliser price, the shop) left too little of the
    # message covered by any entry, and the asking clause alone ("trả sao cho an toàn", "nó cũng nói sai được hả")
    # found passwords or nothing sure. Searched as the question, with the story as weak context, each finds the entry
    # the story is about, far ahead, and the whole message's best hit agrees.
    post, queue, wrong = ask(
        capsys,
        "Cuối tháng nào tôi cũng phải ra bưu điện đóng tiền điện, nghe nói trả bằng điện thoại cũng được mà sợ bị lừa "
        "thì trả sao cho an toàn",
        "Nhà tôi tháng nào cũng phải ra điểm thu xếp hàng đóng tiền điện mệt lắm, mà sợ bị lừa thì trả qua điện thoại "
        "sao cho an toàn",
        "Thằng cháu cài cho tôi cái ChatGPT, tôi hỏi giá phân bón thì nó nói rất chắc mà ra cửa hàng thì khác hẳn. Vậy "
        "nó cũng nói sai được hả?")
    for item in (post, queue):
        assert not item["refused"] and "thanh toán hóa đơn" in item["answer"] and item["sources"]
    assert not wrong["refused"] and "ChatGPT" in wrong["answer"] and wrong["sources"]


def test_a_story_asking_what_a_thing_means_asks_two_things(capsys: pytest.CaptureFixture[str]) -> None:
    # "học tập suốt đời là sao" opens the run-on: what is asked last (what is left to learn when old) is half of it,
    # and the entry on why one learns all one's life is not answered for it. The entry on what it is answers both
    # halves (at every age, anywhere, any time: learning a trade, a skill, the phone, reading), so it may.
    for item in ask(capsys,
                    "học tập suốt đời là sao tôi cứ nghĩ đi học là lúc còn nhỏ chứ già rồi thì học cái gì nữa",
                    "học tập suốt đời là sao tôi tưởng chỉ con nít mới đi học chứ già rồi thì học cái gì nữa"):
        assert item["refused"] or item["answer"].startswith(("Có phải bạn muốn hỏi", NEAR_INTRO)) \
            or item["answer"].startswith("Học tập suốt đời là học liên tục ở mọi lứa tuổi"), item
        assert "Thế giới thay đổi từng ngày" not in item["answer"]  # the entry on why


def test_what_now_said_of_who_is_to_act_asks_nothing_of_its_own(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused: "cả nhà", "nhà con", "ông ấy" (who is to act) and "cho kịp" (how soon) were read as what the
    # ending asks, so the story did not decide and its amount ("15 triệu") was dropped, leaving "chuyển" without the
    # money. Now the ending asks what to do about the story's transfer, and the amount is money sent.
    for item in ask(capsys,
                    "Chú tôi lỡ chuyển 15 triệu cho bọn lừa đảo rồi, giờ cả nhà phải làm gì trước?",
                    "Bác ơi, ba con lỡ chuyển 8 triệu cho tụi lừa đảo hôm qua rồi, giờ nhà con phải làm gì trước ạ?",
                    "Ông tôi bị lừa chuyển 12 triệu cho đứa giả làm công an, giờ ông ấy phải làm gì cho kịp?"):
        assert not item["refused"]
        assert "tra soát" in item["answer"] or "• Lỡ chuyển tiền cho kẻ lừa đảo rồi thì phải làm gì?" in item["answer"]


def test_an_ending_that_asks_nothing_of_its_own_does_not_decide_the_story(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "… giờ phải làm gì trước tiên?" was answered with the scam victim's steps though the story told of a
    # phone lost: the ending, searched alone, found them by its form words and the "tiền" that "tiên" (first) folds
    # to, and the whole story ranked them only a hair ahead. An ending of form and time words alone tells nothing.
    [dropped] = ask(capsys, "Anh trai tôi làm rơi mất điện thoại ngoài chợ, giờ phải làm gì trước tiên?")
    assert not dropped["refused"] and "khóa SIM" in dropped["answer"] and "tra soát" not in dropped["answer"]
    [lost] = ask(capsys, "Mẹ tôi bị lừa chuyển khoản cho người lạ, giờ phải làm gì trước tiên?")
    assert not lost["refused"] and "tra soát" in lost["answer"]


def test_a_voice_typed_run_on_is_cut_at_its_fillers() -> None:
    # Before: "ờ", "à" said between two clauses did not cut them, and a lone "à" or "thì là" stood as a clause.
    assert story_clauses("à hôm trước đi họp thôn nghe nói có lớp học điện thoại ờ người già có được vào học "
                         "không") == [
        "à hôm trước đi họp thôn nghe nói có lớp học điện thoại", "ờ người già có được vào học không"]
    assert story_clauses("con tôi đặt cho cái mật khẩu dài lắm thì là giờ quên rồi") == [
        "con tôi đặt cho cái mật khẩu dài lắm thì là", "giờ quên rồi"]
    assert story_clauses("vậy à") == ["vậy à"]


def test_a_voice_typed_run_on_whose_clauses_agree_is_answered(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused: with no punctuation the asking clause ("ờ phòng thế nào") asks nothing the story does not
    # tell, and the whole message covered too little of the voice-cloning entry, though its clauses each find it.
    # A run-on asking two things (what the week holds, whether the old may join) was left unanswered; the tuning
    # questions nearest to it (one nearly word for word) are all answered by the week's activities, and that half
    # is answered now (refusing such two-question messages turned 25 right tuning answers into offers).
    clone, two = ask(capsys, "à hôm kia có đứa gọi cho ông giọng giống y thằng cháu đích tôn nói đang bị công an tạm "
                             "giữ cần tiền gấp mà thằng cháu thì đang ngồi ăn cơm với ông thì là AI nó nhái được giọng "
                             "người nhà vậy luôn hả ờ phòng thế nào",
                     "ờ cái vụ tuần lễ học tập ở xã thì là thường tổ chức những hoạt động gì ờ người già có được "
                     "tham gia không hay chỉ dành cho học sinh")
    assert not clone["refused"] and "bắt chước giọng" in clone["answer"] and clone["sources"]
    assert not two["refused"] and "triển lãm sách" in two["answer"] and two["sources"], two
