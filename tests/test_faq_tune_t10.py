"""Tuning rounds T10 and T11 (2026-12-03): what fresh batches in the test part's categories got wrong or refused.
Through AnswerService.plan, what the chat shows without an LLM."""

from __future__ import annotations

from content.intents import out_of_scope, small_talk
from handlers.answers.service import AnswerService


def _plan(svc: AnswerService, question: str) -> tuple[str, str | None]:
    result = svc.plan(question).fallback
    return ("refuse" if result.refused else str(result.decision)), result.faq_id


def test_asking_after_the_bot_is_small_talk() -> None:
    for q in ("Dạo này bot vẫn khỏe chứ, bà hỏi thăm tí", "bot dao nay khoe hong, tui hoi tham chut",
              "hỏi thăm tí thôi"):
        assert small_talk(q) == "how_are_you", q
    for q in ("hỏi thăm đường đến xã", "cho tôi hỏi thăm chút về lớp học AI"):  # asking about something: a question
        assert small_talk(q) is None, q


def test_a_hospital_s_wifi_is_no_illness() -> None:
    q = "đi viện thăm ng nhà, bắt wifi bệnh viện vào app ngân hàng có an toàn ko"
    assert out_of_scope(q) is None
    assert out_of_scope("bệnh viện nào chữa đau lưng tốt") == "health"


def test_how_to_put_a_question_to_chatgpt_is_ours_whatever_it_is_about() -> None:
    q = ("Tôi năm nay 67 tuổi, ở nhà trồng cà phê. Thằng cháu nội cài cho cái ChatGPT, bảo hỏi gì nó cũng trả lời. "
         "Tôi muốn hỏi cách bón phân mà không biết gõ thế nào cho nó hiểu, chỉ tôi với")
    assert out_of_scope(q) is None
    assert out_of_scope("cách bón phân cho cà phê") == "other"  # farming itself is not ours


def test_old_messages_on_a_new_phone_are_not_answered_with_the_scam_links(svc: AnswerService) -> None:
    # before: "Không nên. Đường link lạ…" (the word "chuyển" and "tin nhắn" matched); no entry tells it
    for q in ("doi sang dien thoai moi thi tin nhan zalo cu co chuyen qua duoc khong",
              "chuyển tin nhắn zalo cũ sang điện thoại mới"):
        assert _plan(svc, q)[0] == "refuse", q
    assert _plan(svc, "bấm nút trong tin nhắn cũ của bot không được") == ("answer", "bot_not_responding")


def test_an_emergency_asks_for_113_not_the_scam_line(svc: AnswerService) -> None:
    decision, faq = _plan(svc, "Kẻ trộm đang cạy cửa nhà hàng xóm thì gọi 156 hay gọi số nào")
    assert (decision, faq) == ("answer", "report_scam")
    assert "113" in svc.plan("Kẻ trộm đang cạy cửa nhà hàng xóm thì gọi 156 hay gọi số nào").fallback.text


def test_changing_to_the_merged_commune_is_the_settings(svc: AnswerService) -> None:
    assert _plan(svc, "bot dang de xa cu cua toi, gio sap nhap roi muon doi sang xa moi thi vao dau") == (
        "answer", "bot_settings")


def test_a_desktop_version_no_entry_tells_is_not_the_app_s_entry(svc: AnswerService) -> None:
    # before: the nTrust entry ("tải trên CH Play, App Store") as if it answered whether it runs on a desktop
    for q in ("Ứng dựng nTrust có bản cho máy tinh để bàn không", "ad ơi nTrust có bản cho máy tính ko z"):
        assert _plan(svc, q)[0] == "refuse", q
    q = "Ở cơ quan tôi chỉ có máy tính để bàn, điện thoại thì cục gạch. Vậy tôi có cách nào vào học với bot không?"
    assert _plan(svc, q) == ("answer", "bot_web")  # the bot's web chat is for a desktop


def test_what_it_is_then_a_guess_checked_is_answered_with_what_it_is(svc: AnswerService) -> None:
    # before: the scholarships entry ("khen thưởng người học giỏi" is the guess, not what is asked)
    for q in ("Khuyến tai là gì, có phải là khen thửơng người học giỏi không",
              "Khuyến tài là gì, có phải là trao học bổng không"):
        assert _plan(svc, q) == ("answer", "khuyen_hoc_khuyen_tai"), q
    assert _plan(svc, "Deepfake là gì, có phải là video giả không") == ("answer", "deepfake_what")


def test_a_task_done_on_a_platform_names_where_not_what(svc: AnswerService) -> None:
    q = "co nguoi tuyen lam cong tac vien tha tim tiktok, bao nop 500 nghin moi giao viec, co nen lam khong"
    assert _plan(svc, q) == ("answer", "scam_job_online")  # before: "Có phải…" fake news (TikTok named)


def test_asking_again_from_the_start_has_its_entry(svc: AnswerService) -> None:
    for q in ("Hỏi ChatGPT mà câu trả lời chưa vừ ý thì có phải hỏi lại từ dầu không",
              "chát gpt viết thư mời họp giùm mà dài quá chời, có phải hõi lại từ đầu khôg",
              "tui hỏi con chatgpt nó trả lời dài quá, muốn nó nói ngắn lại thì phải làm sao"):
        decision, faq = _plan(svc, q)
        assert faq == "chatgpt_follow_up" and decision in ("answer", "suggest"), q  # offered first when a story
        # reading found it and the nearest asked questions name another entry (AnswerService._unconfirmed)
        if decision == "answer":
            assert "Không cần hỏi lại từ đầu" in svc.plan(q).fallback.text


def test_thanks_then_so_i_understood_is_small_talk(svc: AnswerService) -> None:
    assert _plan(svc, "Bác cảm ơn bot nhé, giải thích thế là bác vỡ lẽ ra rồi")[0] == "smalltalk"
    assert _plan(svc, "cảm ơn bot, thế là sao")[0] != "smalltalk"  # "thế là sao" asks


def test_listing_the_commands_is_known_words(svc: AnswerService) -> None:
    # "liệt" was no word of the index and was read as the likeliest word one letter away ("biết", then "viết")
    assert _plan(svc, "Bot có những lệnh gì, liệt kê giúp tôi") == ("answer", "bot_learn_command")


def test_a_sick_plant_is_farming_and_a_loan_app_s_hidden_cost_is_ours() -> None:
    assert out_of_scope("gui hinh cho chatgpt dc k, chup cai la cay bi benh hoi no dc ko") is None
    assert out_of_scope("tôi bị bệnh tiểu đường uống thuốc gì") == "health"
    assert out_of_scope("Ứng dụng vay tiền nhanh lại đòi quền đọc dnah bạ, lãi xuất thật ra là bao nhiêu vậy") is None
    assert out_of_scope("cho tôi vay 10 triệu") == "other"


def test_a_group_code_on_paper_asks_the_command_to_join(svc: AnswerService) -> None:
    q = "Chi hội đưa tôi mấy chữ mã nhóm ghi trên giấy, tôi phải gõ lệnh gì kèm theo mã đó?"
    assert _plan(svc, q) == ("answer", "bot_join_group")  # before: "Có phải…" the leaderboard, a certificate


def test_a_reading_s_answer_stands_only_when_the_asked_questions_agree(svc: AnswerService) -> None:
    # A story's last clause read alone found an answer search was unsure of: it is answered when the asked questions
    # nearest to the message name the same entry ...
    plan = svc.plan("Năm nay tôi 72 tuổi, mắt mờ tay run, thằng con cứ bảo bố học AI đi. Tôi thì nghĩ già rồi. "
                    "Bot thấy người như tôi có học nổi cái AI không")
    assert (plan.decision, plan.fallback.faq_id) == ("answer", "ai_old_people") and "story tail" in plan.rules
    # ... and when they name another, the two are offered, the reading's first (before: the portal's description,
    # answered as if it told where to raise an identity account's level)
    plan = svc.plan("VNeID của tôi mới có mức 1, muốn nộp hồ sơ trên mạng có cần lên mức cao hơn không, lên ở đâu?")
    result = plan.fallback
    assert result.decision == "suggest" and "asked disagrees" in plan.rules
    assert [d for d, _ in result.suggestions][:2] == ["dvc_what", "vneid_level2"]
    assert result.text.startswith("Mình chưa có câu trả lời chắc chắn") and not result.sources


def test_t12_out_of_scope_requests_are_refused_and_scams_with_their_words_are_ours() -> None:
    # Round T12 (mostly out-of-scope requests): a sick animal, a land title, work abroad, a broken phone were
    # answered or offered entries; a prize fee, money invited with a promised gain, a fake "like the real one", a
    # rumour to pass on, a bank over a hotel's wifi were refused as lottery, gold, football, medicine, travel.
    for q in ("Con bò nhà tui bị chướng bụng sình hơi, làm sao cứu nó đây mấy chú",
              "lam so do lan dau can nhung giay to gi", "đi Đức làm điều dưỡng cần bằng tiếng gì v ạ",
              "Máy tôi bị treo logo, bấm nút nào trên bot để nó sửa giúp", "xổ số hôm nay về con gì"):
        assert out_of_scope(q) == "other", q
    for q in ("tin nhan bao trung xo so 500 trieu, bat chuyen phi nhan thuong truoc",
              "Có người trong nhóm Zalo rủ bỏ tiền vô mua vàng online, hứa lời 20% một tháng, tui có nên tham gia hông",
              "Tôi xem video cầu thủ bóng đá nổi tiếng rủ góp tiền, nhìn y như thật, cái đó gọi là gì vậy",
              "Trên mạng người ta truyền nhau uống nước lá ổi trị ung thư, tui có nên gửi cho bà con trong xóm hông",
              "đi du lịch xài wifi khách sạn chuyển khoản dc ko", "gọi lại số đó được không"):
        assert out_of_scope(q) is None, q
    assert out_of_scope("có nên gửi tiết kiệm ngân hàng nào") == "other"
    assert out_of_scope("chia sẻ cách nấu phở ngon") == "other"  # sharing is ours only as a rumour passed on
    assert out_of_scope("ung thư là bệnh gì, uống thuốc gì") == "health"  # "là bệnh" is no leaf ("lá") ill
    assert out_of_scope("tôi bị chướng bụng uống thuốc gì") == "health"
