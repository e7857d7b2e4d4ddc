"""FAQ content gaps: citizen questions that were refused or answered with another entry because no entry said
what they ask (a leaked Facebook password, a Facebook password hard to guess, VNeID asking to be updated), and
questions no entry should answer (who holds a state office, tomorrow's weather). Through `hocbot ask --json`."""

from __future__ import annotations

from typing import Any

import pytest

from handlers.answers.service import NO_LOCAL
from tests.test_asking_ways import _db, ask  # noqa: F401  (_db: the autouse database of `hocbot ask`)


def test_a_leaked_facebook_password_is_changed_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused; the Facebook entry said nothing of a password that got out.
    leaked, teen = ask(capsys, "bị lộ mật khẩu facebook rồi phải làm gì", "fb bị lộ mk rồi làm sao")
    for item in (leaked, teen):
        assert not item["refused"] and "Lỡ để lộ mật khẩu" in item["answer"] and "đổi mật khẩu ngay" in item["answer"]


def test_a_facebook_password_hard_to_guess_gets_the_password_advice(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused; the password advice named Zalo, not Facebook, and the Facebook entry was about recovery.
    [item] = ask(capsys, "mật khẩu facebook nên đặt thế nào cho khó đoán")
    assert not item["refused"] and item["answer"].startswith("Dùng mật khẩu dài, khó đoán")
    assert "Zalo, Facebook) một mật khẩu riêng" in item["answer"]


def test_other_apps_leaked_passwords_are_not_answered_with_facebook_s(capsys: pytest.CaptureFixture[str]) -> None:
    for item in ask(capsys, "mật khẩu zalo bị lộ phải làm sao", "bị lộ mật khẩu vneid thì sao",
                    "lộ mật khẩu ngân hàng rồi"):
        assert "Facebook" not in item["answer"], item


def test_tomorrow_s_weather_is_not_ours(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: the Facebook entry's new words made it a suggestion; the weather is out of scope however it is asked.
    for item in ask(capsys, "ngày mai trời có nắng không để tôi phơi lúa", "mai trời nắng không"):
        assert item["refused"] and "Facebook" not in item["answer"], item


def test_who_holds_a_state_office_is_not_answered_with_chatgpt_s_maker(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "ai là chủ tịch nước" got "ChatGPT là một trợ lý trí tuệ nhân tạo … của công ty OpenAI" ("của nước
    # nào", "ai làm ra" in its questions); the bot keeps no list of who holds an office.
    for item in ask(capsys, "ai là chủ tịch nước", "chủ tịch nước là ai", "ai là giám đốc công an tỉnh"):
        assert item["refused"] and "ChatGPT" not in item["answer"], item
    [maker] = ask(capsys, "ai là người làm ra chatgpt")  # who made ChatGPT is still ours
    assert not maker["refused"] and "OpenAI" in maker["answer"]


def test_who_is_minister_or_prime_minister_is_not_answered_with_the_week_s_organiser(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "ai là bộ trưởng bộ giáo dục" ("ai" read as AI) got who organises the Week ("Hằng năm Bộ Giáo dục và
    # Đào tạo có công văn…"), "ai la thu tuong" got what Bình dân học vụ số is (the Prime Minister launched it).
    for item in ask(capsys, "ai là bộ trưởng bộ giáo dục", "ai la thu tuong", "thủ tướng bây giờ là ai vậy",
                    "ai là tổng bí thư"):
        assert item["refused"] and "Hằng năm" not in item["answer"] and "phong trào" not in item["answer"], item
    # what the offices did in the movement is still answered
    [article, launch] = ask(capsys, "Tổng Bí thư viết gì về học tập suốt đời?",
                            "thủ tướng phát động bình dân học vụ số ngày nào")
    assert not article["refused"] and not launch["refused"] and "26/3/2025" in launch["answer"], (article, launch)


def test_vneid_asking_to_be_updated_is_updated_from_the_official_store(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "Đó là lừa đảo", the entry about a caller sending an update link, for the app's own update notice.
    for item in ask(capsys, "con ơi cái app vneid nó bắt cập nhật hoài", "vneid báo cập nhật có nên bấm không"):
        assert not item["refused"] and item["answer"].startswith("Nên cập nhật"), item
        assert "CH Play" in item["answer"] and "App Store" in item["answer"]
    # a caller or a message with an update link is still the scam
    for item in ask(capsys, "có người gọi bảo cập nhật vneid qua link", "tin nhắn bảo bấm link cập nhật vneid"):
        assert item["answer"].startswith("Đó là lừa đảo"), item


def test_a_relative_borrowing_on_zalo_till_the_afternoon_is_checked_by_a_phone_call(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: the story was refused and the short one answered with the lesson on hacked accounts, whose first
    # lines stop before what to do.
    story, short = ask(capsys, "hôm qua đứa cháu nhắn zalo hỏi mượn 5 triệu chiều trả, mà bình thường nó có bao "
                               "giờ mượn đâu, tôi có nên chuyển không",
                       "Người quen nhắn zalo hỏi mượn 10 triệu chiều trả, tôi nên làm gì trước khi chuyển?")
    for item in (story, short):
        assert item["answer"].startswith("Rất có thể tài khoản của người đó đã bị chiếm"), item
        assert "gọi điện thoại trực tiếp" in item["answer"]
    [install] = ask(capsys, "cách tải zalo về máy")  # "máy" is no "mấy triệu": not the borrowing scam
    assert "bị chiếm" not in install["answer"]


def test_an_officer_asked_to_delete_a_citizen_s_number_helps_them_do_it(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: the data-law entry answered with the law's dates and consent, nothing on a request to delete.
    [item] = ask(capsys, "Cho tôi hỏi, người dân đề nghị Hội xóa số điện thoại của họ khỏi danh sách lớp học thì "
                         "cán bộ phải làm thế nào ạ")
    assert "Người dân muốn xem, sửa hoặc xóa thông tin của mình thì giúp họ làm" in item["answer"]
    [own] = ask(capsys, "tôi muốn xóa dữ liệu của tôi")  # one's own data in the bot stays the bot's command
    assert "/xoadulieu" in own["answer"]


def test_ai_writing_the_year_end_report_is_given_the_real_figures(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused, or answered with what ChatGPT does for officers in general, never that it makes up figures.
    for item in ask(capsys, "báo cáo tổng kết năm của chi hội tôi nhờ AI tự điền số liệu cho nhanh có được không",
                    "Tôi làm chi hội trưởng, cuối năm phải viết báo cáo. Cậu cán bộ văn hóa bảo cứ nhờ ChatGPT viết. "
                    "Nhưng nhỡ nó tự điền số hội viên thì sao?"):
        assert item["answer"].startswith("Không để AI tự “điền” số liệu: nó có thể bịa ra con số"), item
        assert "so với sổ sách" in item["answer"]
    [general] = ask(capsys, "ChatGPT giúp gì cho cán bộ hội?")  # what it does for officers stays its own entry
    assert general["answer"].startswith("Cán bộ có thể nhờ ChatGPT gợi ý")


def test_a_pupil_revising_with_ai_gets_prompts_that_teach_not_answers(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: the homework entry said only "nhờ giải thích, gợi ý cách làm", no way to ask for revision questions.
    [item] = ask(capsys, "cô ơi con hỏi, con muốn dùng AI ôn bài lịch sử mà không phải chép bài thì dùng sao ạ")
    assert "Ra 5 câu hỏi ôn tập bài Lịch sử này" in item["answer"] and "AI học thay mình" in item["answer"]
    [exam] = ask(capsys, "cho e xin đáp án đề thi hk1 toán 8")  # asking for an exam's answers stays refused
    assert exam["refused"]


def test_questions_in_everyday_words_get_the_entry_that_answers_them(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: each was refused although an entry says it.
    parcel, sim, both_apps, bdhvs = ask(
        capsys, "tôi bị một số lạ gọi báo có bưu phẩm bị giữ phải đóng phí mới nhận, mà tôi chưa đặt gì cả",
        "Có người gọi nói nhà mạng nâng cấp sim lên 5G miễn phí, bảo tôi đọc giùm cái mã 6 số vừa gửi về máy. "
        "Tôi chưa đọc. Cái mã đó là gì, đưa cho họ được không?",
        "tôi tải cả gemini lẫn chatgpt rồi, nên giữ lại cái nào",
        "bình dân học vụ số có phải do hội khuyến học làm không")
    assert parcel["answer"].startswith("Kẻ gian hay giả làm nhân viên") and "quầy giao dịch" in parcel["answer"]
    assert sim["answer"].startswith("Tuyệt đối không. Mã OTP là mã xác nhận dùng một lần")
    assert "Bạn dùng cái nào thấy dễ là được" in both_apps["answer"]
    assert "Bộ Công an phối hợp với Đại" in bdhvs["answer"]
    # a bank's alert about an odd payment is no impersonation, having read an OTP out is no "never give it"
    alert, told = ask(capsys, "ứng dụng ngân hàng gữi cảnh báo giao dịch lạ cũng là AI à",
                      "vợ tôi lỡ đọc mã OTP cho người xưng nhân viên ngân hàng rồi, giờ phải làm sao")
    assert not alert["answer"].startswith("Kẻ gian hay giả làm") and not told["answer"].startswith("Tuyệt đối không")


def test_a_phone_reminder_to_take_medicine_is_set_by_voice(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused; only lesson m3l4's story of Bà Sáu said it.
    [item] = ask(capsys, "Dạ cho hỏi AI có giúp người già đặt nhắc uống thuốc hằng ngày được không ạ")
    assert item["answer"].startswith("Được. Nhờ trợ lý giọng nói của điện thoại đặt lời nhắc uống thuốc")
    # which medicine to take is still not asked of the machine, and the bot's own reminders stay its own
    medicine, bot = ask(capsys, "AI chữa bệnh tiểu đường được không, chỉ tui toa thuốc uống luôn",
                        "bot có nhắc tôi học không")
    assert medicine["refused"] and "/caidat" in bot["answer"]



def test_an_otp_already_read_out_gets_what_to_do_now(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused ("Xin lỗi, mình chưa có câu trả lời"): the OTP entry only says never to give it.
    [told] = ask(capsys, "vợ tôi lỡ đọc mã OTP cho người lạ rồi giờ sao")
    assert told["answer"].startswith("Làm ngay: gọi tổng đài ngân hàng") and "OTP" in told["answer"], told
    [never] = ask(capsys, "có ai hỏi mã otp thì đưa không")  # not read out yet: never give it
    assert never["answer"].startswith("Tuyệt đối không"), never


def test_an_amount_or_a_date_the_answer_lacks_is_not_answered_with_the_topic(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "Có. Hội khuyến học các cấp thường trao học bổng…" for how much one scholarship is, and the Week's
    # usual dates for this year's opening time in one commune: an answer on the topic, confident, without what was
    # asked. Now the bot says it has no figure or date for it and offers the nearest entries as choices.
    for item in ask(capsys, "Dạ cho con hỏi học bổng khuyến học cho học sinh nghèo mỗi suất được bao nhiêu tiền ạ?",
                    "tphcm dc unesco cong nhan tp hoc tap nam nao z ad",
                    # the law's answer has numbers (its own, its dates) but no fine
                    "Tôi xem thời sự thấy nói có Luật Trí tuệ nhân tạo rồi. Vậy ai làm video giả người khác thì bị "
                    "phạt bao nhiêu tiền?",
                    # an answer that names a command (/mohinh) is not the bot's help for that: no sum in it either
                    "Nhà tui được công nhận Gia đình học tập thì được thưởng chi, bao nhiêu tiền rứa?"):
        assert not item["refused"] and item["answer"].startswith("Mình chưa có con số hay ngày giờ cụ thể"), item
        assert "•" in item["answer"] and not item["answer"].startswith("Có."), item
    # an answer that has the figure is still given; "bao giờ" meaning "ever" asks no date; the bot's help says
    # where to see a count
    quet, ever, seen = ask(capsys, "chuyển khoản trên bao nhiêu tiền thì phải quét mặt",
                           "ông ơi cháu hỏi cái, AI có nói sai bao giờ không",
                           "muốn xem mình đã học được bao nhiêu rồi")
    assert "10 triệu" in quet["answer"], quet
    assert not ever["answer"].startswith("Mình chưa có"), ever
    assert "/tiendo" in seen["answer"], seen


def test_a_count_the_answer_does_not_give_is_not_answered_with_the_topic(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: the five learning models for how many communes are recognised, the bot's /mohinh registration for how
    # many criteria a Learning family has: the topic, with a date or none, as if it were the count.
    for item in ask(capsys, "Cả nước hiện có bao nhiêu xã được công nhận cộng đồng học tập?",
                    "Mô hình Gia đình học tập có bao nhiêu tiêu chí?"):
        assert item["answer"].startswith("Mình chưa có con số hay ngày giờ cụ thể") and "•" in item["answer"], item
    # an answer that gives the count of that thing is still given; "bao nhiêu rồi" counts nothing named
    areas, seen = ask(capsys, "năng lực số gồm bao nhiêu miền", "tôi học được bao nhiêu rồi")
    assert "6 miền" in areas["answer"], areas
    assert "/tiendo" in seen["answer"], seen


def test_a_price_asked_before_the_ending_or_of_the_paid_version_is_not_answered_with_the_topic(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "Có. Hội khuyến học các cấp thường trao học bổng…" for how much one scholarship is when the message
    # goes on to ask something else, and what Copilot is ("miễn phí") for what its paid plan costs a month.
    for item in ask(capsys, "Học bổng khuyến học mỗi suất bao nhiêu tiền, con tôi học giỏi có xin được không?",
                    "Copilot gói trả phí giá bao nhiêu một tháng vậy, dùng bản thường được không?"):
        assert item["answer"].startswith("Mình chưa có con số hay ngày giờ cụ thể") and "•" in item["answer"], item
    [free] = ask(capsys, "dùng chatgpt mất bao nhiêu tiền")  # what it costs, asked of the thing: it has a free one
    assert free["answer"].startswith("ChatGPT có bản miễn phí"), free


def test_the_bot_s_help_gives_no_prize_money(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: how to send an initiative (/sangkien) for how much money a praised one gets: the bot's help was let
    # through whatever detail was asked; it says where to look for one's own progress, not a sum.
    [item] = ask(capsys, "Gửi sáng kiến lên bot mà được biểu dương thì được thưởng bao nhiêu tiền?")
    assert item["answer"].startswith("Mình chưa có con số hay ngày giờ cụ thể") and "•" in item["answer"], item


def test_one_of_a_numbered_series_the_answer_does_not_name_is_not_answered(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: what the Association is for the third congress, how to enter the contest for its third round: the
    # answer tells of the whole (or of the first one), not of the one asked.
    for item in ask(capsys, "Đại hội Hội Khuyến học Việt Nam lần thứ ba tổ chức ở đâu?",
                    "Kỳ thứ ba cuộc thi trong Tuần lễ học tập thi mấy câu"):
        assert item["answer"].startswith("Điều bạn hỏi thì mình chưa có thông tin chắc chắn"), item
        assert "•" in item["answer"], item
    # the one the answer names is answered; two levels compared are not one asked of the other
    first, levels = ask(capsys, "Hội Khuyến học Việt Nam đại hội lần thứ nhất năm nào",
                        "VNeID mức 1 với mức 2 khác gì nhau")
    assert "1996" in first["answer"], first
    assert levels["answer"].startswith("Tài khoản định danh điện tử mức 2"), levels


def test_a_certificate_or_an_app_the_answer_does_not_name_is_not_answered(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: how to log in to binhdanhocvuso.gov.vn for whether it gives a diploma or has an app, the portal's
    # address for whether it has an app: about the thing, confident, silent on what was asked.
    for item in ask(capsys, "Học bình dân học vụ số trên trang web xong có được cấp văn bằng không",
                    "Học trên nền tảng Bình dân học vụ số bằng VNeID xong có giấy chứng nhận hoàn thành không?",
                    "Muốn học Bình dân học vụ số thì có phải tải app về máy không?",
                    "Cổng Dịch vụ công quốc gia có ứng dụng riêng không hay chỉ có trang web?"):
        assert item["answer"].startswith("Điều bạn hỏi thì mình chưa có thông tin chắc chắn"), item
        assert "•" in item["answer"], item
    # the bot's own certificate is told; an app the story has in the lost phone asks nothing of it
    cert, lost = ask(capsys, "học xong bình dân học AI có giấy chứng nhận không",
                     "mất điện thoại mà trong máy có app ngân hàng với VNeID, giờ làm gì trước")
    assert cert["answer"].startswith("Có. Học xong, bot gửi giấy chứng nhận"), cert
    assert lost["answer"].startswith("Làm ngay"), lost


def test_papers_opening_days_turning_off_or_taking_money_out_the_answer_does_not_name_are_not_answered(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: which procedures can be filed online for what papers a birth registration takes and whether the
    # one-stop office opens on Sunday; what Meta AI is for how to turn it off; what VssID is for withdrawing one's
    # social insurance; what a Learning community is for whether one got a certificate of merit; what VssID is for
    # why it does not show one's contributions.
    for item in ask(capsys, "Dạ đi làm giấy khai sinh ở xã thì cần mang những giấy tờ gì ạ?",
                    "Bộ phận một cửa của xã chủ nhật có làm việc không?",
                    "Trong Messenger có cái vòng tròn tím Meta AI, muốn tắt đi thì làm sao?",
                    "Rút tiền bảo hiểm xã hội một lần làm trên VssID được không?",
                    "Tổ dân phố tôi được công nhận cộng đồng học tập rồi thì có giấy khen không?"):
        assert item["answer"].startswith("Điều bạn hỏi thì mình chưa có thông tin chắc chắn"), item
        assert "•" in item["answer"], item
    # why it does not show: what VssID is tells no cause ("không hiện" is a thing no entry tells of, words.yaml
    # `things`), but the entries about VssID are near: told it is not known for sure, with them offered (was: refused)
    for q, near in (("Sao VssID của tôi không hiện quá trình đóng bảo hiểm vậy?", "VssID là gì"),
                    ("VNeID không hiện giấy phép lái xe", "VNeID dùng được vào những việc gì")):
        [why] = ask(capsys, q)
        assert why["answer"].startswith("Điều bạn hỏi thì mình chưa có thông tin chắc chắn"), why
        assert f"• {near}" in why["answer"] and not why["sources"], why
        assert "Bảo hiểm xã hội số" not in why["answer"], why
    # such a thing asked of nothing named keeps the plain refusal: the entries near "chuông" are not about a ringer
    [ringer] = ask(capsys, "chuông đt bé quá ông ko nghe thấy, chỉnh to lên ntn")
    assert ringer["refused"] and "•" not in ringer["answer"], ringer
    # an answer that says how to stop it is given; "tóm tắt" turns nothing off
    stop, summary = ask(capsys, "muốn tắt thông báo của bot", "ChatGPT có tóm tắt văn bản dài được không?")
    assert stop["answer"].startswith("Gõ /huy"), stop
    assert not summary["answer"].startswith("Điều bạn hỏi"), summary


def test_another_app_s_ai_is_not_answered_with_the_bot_s_help(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: the bot's list of commands for whether Telegram has an AI assistant, how to stop the bot's messages
    # (/huy) for turning Meta AI off on Facebook: the help names neither in its questions, the question does not
    # speak of the bot.
    for item in ask(capsys, "Telegram có trợ lý AI không, dùng thế nào",
                    "Meta AI trên Facebook phiền quá, tắt hẳn được không?"):  # not the bot's /huy either
        # asked which one is meant, or told that there is no answer (no entry tells how to turn Meta AI off)
        assert item["answer"].startswith(("Có phải bạn muốn hỏi", "Xin lỗi, mình chưa có câu trả lời",
                                          "Mình chưa có câu trả lời chắc chắn")), item
        assert "/huy" not in item["answer"] and "/trogiup" not in item["answer"].split("\n")[0], item
    [cost] = ask(capsys, "Dùng bot này trên Zalo có mất tiền không?")  # the bot named: its help answers
    assert cost["answer"].startswith("Không. Bot miễn phí"), cost


def test_when_something_happens_where_the_asker_lives_is_for_the_place_s_officers(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "Ngày Khuyến học Việt Nam là một ngày, 2/10 hằng năm…" for this week's meeting in one hamlet, and the
    # Week's usual dates for this year's opening hour in one commune: general dates as if they were the place's.
    for item in ask(capsys, "có ai bít lịch họp hội khuyến học thôn mk tuần này ko",
                    "Năm ngoái xã tôi khai mạc Tuần lễ học tập ở nhà văn hóa. Năm nay lễ khai mạc ở xã Tân Lập tổ "
                    "chức mấy giờ, ở đâu vậy?"):
        assert item["answer"].startswith(NO_LOCAL), item
        assert "cán bộ Hội Khuyến học xã, phường" in item["answer"] and "•" in item["answer"], item
    # when the Week is, asked by someone from a hamlet, is still the Week's dates
    [week] = ask(capsys, "tôi là hội viên khuyến học ở thôn, năm nào cũng nghe nói tuần lễ học tập, nhưng thật ra "
                         "tuần lễ đó diễn ra vào lúc nào")
    assert "tháng 10" in week["answer"] and not week["answer"].startswith(NO_LOCAL), week


def test_whether_the_asker_s_place_does_something_this_year_is_for_its_officers(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "Có. Hội khuyến học các cấp thường trao học bổng…" for whether one ward's association gives grants
    # this year, a class's plan for whether one hamlet opens a class this year: the general practice as if it were
    # that place's.
    for item in ask(capsys, "Năm nay hội khuyến học phường tôi có trao học bổng cho học sinh nghèo không?",
                    "thôn mình năm nay có mở lớp bình dân học AI không"):
        assert item["answer"].startswith(NO_LOCAL), item
        assert "•" in item["answer"], item
    [week] = ask(capsys, "năm nay có tuần lễ học tập suốt đời không")  # this year, no place of the asker's
    assert not week["answer"].startswith(NO_LOCAL), week


def test_a_bank_s_or_an_app_s_own_hotline_is_not_answered_with_the_scam_hotline(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "Cuộc gọi, tin nhắn lừa đảo: gọi tổng đài 156…" as if 156 were Agribank's or Zalo's own number.
    for item in ask(capsys, "Anh ơi tổng đài Agribank số mấy anh, em cần gọi gấp",
                    "Zalo có số tổng đài hỗ trợ hông, số mấy vậy, tui gọi hỏi cho lẹ"):
        assert item["answer"].startswith("Mình chưa có con số"), item
    [scam] = ask(capsys, "tổng đài báo lừa đảo số mấy")  # the number the content has is still given
    assert "156" in scam["answer"] and not scam["answer"].startswith("Mình chưa có"), scam


def test_vssid_typed_in_two_words_is_vssid(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "vss id" was not read as VssID, and the VNeID password steps were answered ("Hãy làm theo hướng dẫn
    # lấy lại mật khẩu ngay trong ứng dụng VNeID").
    [item] = ask(capsys, "quên mất mật khẩu vss id rồi mà số điện thoại vẫn còn thì nhắn tin cái gì để lấy lại")
    assert item["answer"].startswith("Có hai cách lấy lại mật khẩu VssID") and "8079" in item["answer"], item
    [vneid] = ask(capsys, "cài vne id ở đâu")
    assert "VNeID" in vneid["answer"] and not vneid["refused"], vneid


def test_asking_the_bot_how_it_is_today_is_small_talk(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "hôm" made it a question, and "khỏe" got what AI can say about one's health.
    for item in ask(capsys, "Bot hôm nay có khỏe không?", "bữa nay bot có khỏe không?"):
        assert item["answer"].startswith("Cảm ơn bạn, mình vẫn sẵn sàng giúp bạn!"), item
    [lesson] = ask(capsys, "chào bot, hôm nay học gì?")  # what to learn today is still asked
    assert not lesson["answer"].startswith("Cảm ơn bạn, mình vẫn sẵn sàng"), lesson


def test_chi_gium_asks_who_shows_the_way(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "chỉ giùm" was dropped as "chị", and what to watch out for online was answered ("Chỉ dùng trang
    # web có tên kết thúc bằng .gov.vn").
    for item in ask(capsys, "Tui hổng rành làm thủ tục trên mạng, nhờ ai chỉ giùm đây?",
                    "làm giấy tờ trên mạng ai chỉ dùm tôi"):
        assert "Trung tâm Phục vụ hành chính công" in item["answer"] and "tổ công nghệ số" in item["answer"], item


def test_someone_asking_for_the_zalo_activation_code_is_not_given_it(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: the activation-code alert entry only said to press "Chặn mã kích hoạt", not to keep the code.
    [item] = ask(capsys, "Có người nhắn xin tôi đọc cái mã kích hoạt Zalo vừa gửi về máy, xưng là nhân viên Zalo. "
                         "Có nên đọc không?")
    assert "Không đọc mã kích hoạt cho bất kỳ ai, kể cả người xưng là nhân viên Zalo" in item["answer"], item


def test_a_medicine_asked_after_a_story_naming_ai_is_for_a_doctor(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "hỏi AI" in the story kept it ours, and reminders on the phone were offered ("Có phải bạn muốn hỏi…").
    [item] = ask(capsys, "Dạo này tôi hay bị chóng mặt buổi sáng, con dâu bảo cứ hỏi AI. Vậy bot cho tôi hỏi chóng "
                         "mặt thì uống thuốc gì?")
    assert item["refused"] and "115" in item["answer"] and "Có phải bạn muốn hỏi" not in item["answer"], item
    # asking whether AI can be asked about it stays ours
    [ai] = ask(capsys, "Mẹ tôi bị đau lưng, con bảo hỏi ChatGPT. Hỏi AI về bệnh có tin được không?")
    assert not ai["refused"], ai


def test_money_gone_to_another_name_is_no_land_transfer(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "tiền chạy sang tên một người nào đó" was read as "sang tên" (a land transfer) and refused as out of
    # scope ("mình không cho vay tiền, … không tư vấn … pháp luật"); transferring land or a vehicle still is.
    [qr] = ask(capsys, "Tôi bán tạp hóa, hôm trước khách quét mã QR trả tiền mà tiền lại chạy sang tên một người "
                       "nào đó chứ không phải tên tôi. Sao lại thế ạ?")
    assert "nằm ngoài phạm vi" not in qr["answer"], qr
    for item in ask(capsys, "thủ tục sang tên sổ đỏ thế nào", "sang tên xe máy cần giấy gì"):
        assert item["refused"] and "nằm ngoài phạm vi" in item["answer"], item


def test_whether_a_loan_app_is_ok_gets_the_loan_app_warning(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "có ổn không" was not read as asking whether it is safe, and it was refused as a loan request.
    [item] = ask(capsys, "app vay tiền nhanh trên mạng có ổn ko mn")
    assert item["answer"].startswith("Rất rủi ro. Nhiều app vay tiền nhanh là tín dụng đen"), item
    [loan] = ask(capsys, "cho tôi vay 5 triệu")  # borrowing is still not ours
    assert loan["refused"], loan


def test_chatgpt_spelt_as_said_is_chatgpt(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "chát gờ pờ tê" stayed four words and the question was refused.
    [item] = ask(capsys, "ứng dụng chát gờ pờ tê có nhớ mình hỏi gì khôg")
    assert item["answer"].startswith("Khi bạn đăng nhập, ChatGPT thường lưu các cuộc trò chuyện"), item


def test_heard_on_tv_but_not_understood_is_why_it_is_asked(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "tôi nghe tivi nói mãi mà chưa hiểu" was searched as part of the question, which was refused.
    [item] = ask(capsys, "Cho tôi hỏi AI là cái gì ạ, tôi nghe tivi nói mãi mà chưa hiểu.")
    assert item["answer"].startswith("AI (trí tuệ nhân tạo) là các chương trình máy tính"), item


def test_whom_to_contact_to_become_a_member_gets_how_to_join(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: where the commune's association is ("Hội Khuyến học thường có ở xã, phường…") was answered: the joining
    # entry had no way of asking whom to contact.
    [item] = ask(capsys, "Dạ cho tôi hỏi muốn vào làm hội viên Hội Khuyến học thì liên hệ ai ạ?")
    assert item["answer"].startswith("Bạn hãy liên hệ chi hội khuyến học"), item
    [where] = ask(capsys, "Muốn liên hệ Hội Khuyến học ở xã thì làm sao?")  # contacting it still gets where it is
    assert where["answer"].startswith("Hội Khuyến học thường có ở xã, phường"), where


def test_wanting_the_bot_to_forget_one_is_deleting_one_s_data(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused; "quên" was read as forgetting a password.
    [item] = ask(capsys, "Tôi muốn bot quên hết mọi thông tin về tôi")
    assert item["answer"].startswith("Gõ /xoadulieu rồi bấm xác nhận"), item
    [lesson] = ask(capsys, "sao bot quên bài tôi học hôm qua rồi")  # the bot losing one's place is not deleting
    assert "/xoadulieu" not in lesson["answer"], lesson


def test_a_class_at_a_named_village_s_cultural_house_this_month_is_for_its_officers(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "Mỗi buổi một việc thật, ngắn khoảng một giờ…" (how officers run a class) as if it told this month's
    # class at one village's cultural house ("thôn Đông" named, not "thôn mình"; "tháng này")
    [village] = ask(capsys, "Chú hỏi con, tháng này ở nhà văn hóa thôn Đông có lớp dạy dùng điện thoại cho người già "
                            "không con")
    assert village["answer"].startswith(NO_LOCAL), village
    # how such a class is run, asked of no place and no time, is still answered
    [how] = ask(capsys, "dạy người già dùng điện thoại thế nào")
    assert how["answer"].startswith("Mỗi buổi một việc thật"), how


def test_daily_interest_from_an_app_the_neighbours_put_money_in_is_a_scam_sign(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused; folded, "lãi" (interest) was "lại" (again), and "bỏ tiền vào", "góp" said nothing of investing
    [app] = ask(capsys, "Mấy bà trong xóm rủ nhau bỏ tiền vào một cái app, bảo mỗi ngày lãi 3%, ai cũng khoe được "
                        "tiền. Tôi có nên góp không?")
    assert app["answer"].startswith("Lời hứa lãi rất cao, nhanh, “không rủi ro” là dấu hiệu lừa đảo"), app
    # the banks' interest rates are still not ours
    [rate] = ask(capsys, "lãi suất ngân hàng nào cao nhất")
    assert rate["refused"] and "ngoài phạm vi" in rate["answer"], rate


def test_a_thing_the_asked_one_is_likened_to_is_not_asked_about(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: "cũng miễn phí như ChatGPT" made ChatGPT a second thing asked about, and the Copilot entry, which
    # names no ChatGPT, was not given: refused.
    [item] = ask(capsys, "Copilot của Microsoft có mất tiền không hay cũng miễn phí như ChatGPT?")
    assert item["answer"].startswith("Copilot là trợ lý AI (chatbot) của hãng Microsoft"), item


def test_the_ending_of_a_state_site_s_address_is_asked_as_its_ending(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused: the state-site entry had no "đuôi" (the address's ending).
    [site] = ask(capsys, "trang web that cua nha nuoc thi duoi la gi")
    assert ".gov.vn" in site["answer"] and site["answer"].startswith("Trang web của cơ quan nhà nước"), site


def test_saying_two_things_get_mixed_up_asks_how_they_differ(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: refused: "tôi thấy lẫn lộn quá" was searched as part of the question, and said no comparison.
    [item] = ask(capsys, "Ngày 2/10 là ngày khuyến học hay là tuần lễ học tập, tôi thấy lẫn lộn quá.")
    assert item["answer"].startswith("Ngày Khuyến học Việt Nam là một ngày, 2/10 hằng năm"), item
    assert "Tuần lễ" in item["answer"], item
    # telling true from false is no comparison
    [tell] = ask(capsys, "Làm sao phân biệt tin thật tin giả trên Facebook?")
    assert not tell["refused"], tell


def test_the_public_service_portal_named_without_quoc_gia_is_what_it_is(svc: Any) -> None:
    # Before: "cổng dịch vụ công đó là gì, vào đấy làm được việc gì" (no "quốc gia") was offered the login entry, or
    # answered with the list of procedures: the entry saying what the portal is, and what is done there, answers.
    for question in ("bác hỏi cái cổng dịch vụ công đó là gì, vào đấy thì làm được việc gì hả cháu",
                     "cổng dịch vụ công là gì vậy, trên đó làm được gì"):
        plan = svc.plan(question)
        assert (plan.decision, plan.fallback.faq_id) == ("answer", "dvc_what"), question


def test_seconds_a_phone_number_or_a_paid_plan_s_price_the_answer_lacks_are_not_answered(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: how to enter the contest for how many seconds a question gets ("giới hạn số giây" tells none), how to
    # reach the Association ("100% phường có hội": no phone number) for its chairman's phone number, that ChatGPT has a
    # free version for what "bản chatgpt plus" costs ("nhiu tiền": teencode for "bao nhiêu tiền").
    for item in ask(capsys, "Thi trên bot thì mỗi câu được bao nhiêu giây vậy",
                    "cuộc thi tuần lễ trên bot mỗi câu bao nhiêu phút",
                    "Bác ơi, chủ tịch hội khuyến học phường con là ai, số điện thoại bao nhiêu ạ",
                    "bản chatgpt plus nhiu tiền vậy"):
        assert item["answer"].startswith("Mình chưa có con số hay ngày giờ cụ thể") and "•" in item["answer"], item
    # how to reach it, asked as such, is still answered; so is whether ChatGPT costs money
    contact, free = ask(capsys, "Muốn liên hệ hội khuyến học xã thì làm sao", "xài chat gpt tốn tiền ko")
    assert contact["answer"].startswith("Hội Khuyến học thường có ở xã"), contact
    assert free["answer"].startswith("ChatGPT có bản miễn phí"), free


def test_a_count_of_ones_own_place_or_its_phone_number_is_not_answered_with_the_topic(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: how to join the Association for how many members one's commune has, how to reach it ("100% phường có
    # hội") for the hamlet branch's phone number asked at the end of a long clause.
    members, phone = ask(capsys, "hội khuyến học phường tôi có bao nhiêu hội viên vậy",
                         "cho hỏi số điện thoại chi hội khuyến học thôn là số nào")
    assert members["answer"].startswith(NO_LOCAL.split(";")[0]) and "•" in members["answer"], members
    assert phone["answer"].startswith("Mình chưa có con số hay ngày giờ cụ thể") and "•" in phone["answer"], phone
    # the scam hotline asked the same way is still given; so is a computer in the home ("có máy tính")
    hotline, device = ask(capsys, "tổng đài báo lừa đảo là số nào",
                          "nhà có máy tính với điện thoại thì dùng AI trên cái nào tiện hơn")
    assert "156" in hotline["answer"], hotline
    assert not device["answer"].startswith("Việc cụ thể ở nơi bạn"), device


def test_how_long_which_weekday_a_fee_and_a_paid_plans_price_are_details_the_answer_must_hold(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before: each got the nearest entry as if it told it (how questions are passed to officers, how the leaderboard
    # scores, how to change VNeID's phone number, that ChatGPT has a free version), none of which says how long,
    # which day, whether the call is charged, or what the paid plan costs.
    wait, day, fee, price = ask(
        capsys, "Cháu ơi câu hỏi bot chuyển cho cán bộ thì bao lâu cán bộ mới trả lời vậy cháu",
        "bãng xếp hạn trên bot mỗi tuần tính lại từ thứ mấy",
        "Cháu ơi cho bác hỏi gọi tổng đài 1900 0368 đổi số VNeID thì có bị tính cước không cháu",
        "Con tôi bảo ChatGPT có gói trả tiền xịn hơn, tôi muốn mua cho nó thì mỗi tháng giá bao nhiêu")
    for item in (wait, day, fee, price):
        assert not item["sources"], item["answer"][:80]
    assert wait["answer"].startswith("Mình chưa có con số hay ngày giờ cụ thể")
    assert day["answer"].startswith("Mình chưa có con số hay ngày giờ cụ thể") and "bảng xếp hạng" in day["answer"]
    assert "đổi số điện thoại" in fee["answer"]  # the entry near it is offered, not given as the answer
    # what an answer does tell stays answered: a rank asked, a fee asked of the bot
    rank, bot_fee = ask(capsys, "Xem mình đứng thứ mấy trên bảng xếp hạng", "dùng bot có bị tính phí không")
    assert rank["answer"].startswith("Gõ /bangxephang") and bot_fee["answer"].startswith("Không. Bot miễn phí")
