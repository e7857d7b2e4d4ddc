"""Issue 16, what a question asks of the things it names: two things listed together are both asked about (an
entry that says nothing of one of them does not answer), money sent to the wrong account by mistake is no scam, and
an account on a named site is that site's (reporting it is done there), not the place of a story; "trước tiên"
(first) is no money. Through AnswerService.plan (what the chat shows, no LLM)."""

from __future__ import annotations

import pytest

from content.search import places
from content.textnorm import fold
from handlers.answers.service import AnswerService


@pytest.mark.parametrize("question", [
    "rơi mất điện thoại ngoài chợ, giờ muốn khóa vneid với app ngân hàng trong máy thì làm kiểu gì",
    "bị trộm điện thoại rồi, cái VssID với ứng dụng ngân hàng trong đó làm sao khóa được",
])
def test_a_thing_listed_with_another_is_not_answered_by_an_entry_silent_on_it(svc: AnswerService,
                                                                               question: str) -> None:
    result = svc.plan(question).fallback
    assert result.decision != "answer" or result.faq_id != "lost_phone", question


@pytest.mark.parametrize("question", [
    "bị giật điện thoại ngoài đường, giờ cái zalo với app ngân hàng trong đó phải làm sao",  # it says what of Zalo
    "mất điện thoại trên xe buýt, máy có vneid với app ngân hàng, giờ phải làm gì trước",  # what the phone had
])
def test_things_listed_that_the_entry_speaks_of_or_a_story_has_are_still_answered(svc: AnswerService,
                                                                                   question: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", "lost_phone")


@pytest.mark.parametrize("question", [
    "hôm qua ra quầy chuyển khoản nhầm cho một người không quen, gọi họ không nghe máy, làm sao đòi lại",
    "em gõ sai số tài khoản nên tiền sang người khác rồi, có lấy lại được không",
    "mẹ tôi chuyển tiền nhầm số tài khoản của ai đó thì xử lý thế nào",
])
def test_money_sent_to_the_wrong_account_by_mistake_is_not_answered_with_the_scam_steps(
        svc: AnswerService, question: str) -> None:
    result = svc.plan(question).fallback
    assert result.decision != "answer", (question, result.faq_id)


def test_a_scam_transfer_is_still_answered(svc: AnswerService) -> None:
    result = svc.plan("tôi bị lừa chuyển khoản 5 triệu cho người xưng công an rồi phải làm sao").fallback
    assert (result.decision, result.faq_id) == ("answer", "scam_victim")


def test_an_account_on_a_site_is_that_sites_own() -> None:
    assert places("báo cáo kênh giả mạo trên youtube thế nào") == frozenset()
    assert places("nick lừa đảo trên facebook") == frozenset()
    assert places("bị lừa qua tin nhắn trên zalo") == {"zalo"}


@pytest.mark.parametrize("question", [
    "muốn báo cáo cái kênh giả mạo trên youtube thì bấm vào đâu",
    "làm sao tố cáo nick lừa đảo trên facebook cho nó bị khóa",
])
def test_reporting_an_account_on_a_site_is_not_answered_with_the_hotlines(svc: AnswerService, question: str) -> None:
    result = svc.plan(question).fallback
    assert result.decision != "answer" or result.faq_id != "report_scam", question


def test_a_scam_seen_on_a_site_is_still_reported_to_the_hotlines(svc: AnswerService) -> None:
    result = svc.plan("gặp đứa lừa đảo qua tin nhắn trên zalo thì báo cho ai").fallback
    assert (result.decision, result.faq_id) == ("answer", "report_scam")


@pytest.mark.parametrize(("typed", "folded"), [
    ("đánh rơi ví thì làm gì trước tiên", "danh roi vi thi lam gi truoc"),
    ("danh roi vi thi lam gi truoc tien", "danh roi vi thi lam gi truoc"),
    ("trước tiên bác cần chuẩn bị gì", "truoc bac can chuan bi gi"),
    ("truoc tien can chuan bi gi", "truoc can chuan bi gi"),
    ("bên bán bắt trả trước tiền cọc", "ben ban bat tra truoc tien coc"),  # the money, paid before
    ("ben ban bat tra truoc tien coc", "ben ban bat tra truoc tien coc"),
])
def test_first_of_all_is_no_money(typed: str, folded: str) -> None:
    assert fold(typed) == folded


@pytest.mark.parametrize(("question", "entry"), [
    ("đi chợ về mới biết mất cái điện thoại, giờ trước tiên cần làm gì", "lost_phone"),
    ("bi mat dien thoai roi viec truoc tien la gi", "lost_phone"),
    ("mẹ tôi bị lừa chuyển tiền rồi, trước tiên phải làm gì", "scam_victim"),
    ("bi lua chuyen tien roi truoc tien phai lam gi", "scam_victim"),
])
def test_what_to_do_first_is_answered_with_the_story_s_steps(svc: AnswerService, question: str, entry: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry)


@pytest.mark.parametrize(("typed", "folded"), [
    ("nick zalo của mẹ tôi", "tai khoan zalo cua me toi"),
    ("acc fb bị khóa", "tai khoan facebook bi khoa"),
])
def test_a_nick_is_an_account(typed: str, folded: str) -> None:
    assert fold(typed) == folded


@pytest.mark.parametrize(("question", "entry"), [
    ("thằng nào chiếm mất nick fb của tôi rồi, giờ lấy lại sao", "facebook_hacked"),
    ("nick zalo của bố tôi bị kẻ gian chiếm rồi phải làm thế nào", "zalo_hacked_loan"),
])
def test_a_nick_taken_over_is_answered_as_an_account(svc: AnswerService, question: str, entry: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", entry)


def test_a_site_named_as_where_an_ad_was_seen_is_a_place() -> None:
    assert places("thấy quảng cáo trên mạng facebook") == {"facebook"}
    assert places("xem trên trang zalo thấy tin báo trúng thưởng") == {"zalo"}


@pytest.mark.parametrize("question", [
    "lướt facebook thấy clip bác sĩ nổi tiếng giới thiệu thuốc chữa khỏi đau khớp, có phải deepfake không",
    "trên mạng tiktok có video ông bác sĩ bán thuốc chữa khỏi bệnh gan, có phải AI làm giả không",
])
def test_a_doctor_faked_in_an_ad_seen_on_a_site_is_a_deepfake_question(svc: AnswerService, question: str) -> None:
    result = svc.plan(question).fallback
    assert not result.out_of_scope, question
    assert result.decision != "answer" or result.faq_id in ("deepfake_what", "fake_news", "ai_images"), question


def test_a_medicine_asked_of_is_still_for_a_doctor(svc: AnswerService) -> None:
    result = svc.plan("trên video có bác sĩ bảo thuốc này chữa khỏi đau khớp, tôi uống được không").fallback
    assert result.out_of_scope


@pytest.mark.parametrize("question", [
    "mấy chị em phụ nữ trong thôn muốn học chung với nhau cho có bạn thì làm sao",
    "các cụ trong hội người cao tuổi rủ nhau học nhóm được không",
])
def test_learning_together_is_answered_with_group_learning(svc: AnswerService, question: str) -> None:
    result = svc.plan(question).fallback
    assert (result.decision, result.faq_id) == ("answer", "bdhai_group_learning")


@pytest.mark.parametrize(("typed", "folded"), [
    ("cách nào giữ tiền an toàn nhất", "cach nao giu tien an toan"),
    ("cach nao giu tien an toan nhat", "cach nao giu tien an toan"),
    ("làm sao cập nhật zalo", "lam sao cap nhat zalo"),
    ("chủ nhật xã có làm việc không", "chu nhat xa co lam viec khong"),
    ("người thứ nhất được giải nhất", "nguoi thu nhat duoc giai nhat"),
    ("có nhất định phải cài không", "co nhat dinh phai cai dat khong"),
])
def test_the_most_is_no_update(typed: str, folded: str) -> None:
    assert fold(typed) == folded


def test_a_superlative_is_not_answered_with_updating(svc: AnswerService) -> None:
    result = svc.plan("đặt mật khẩu zalo kiểu gì là chắc ăn nhất").fallback
    assert result.faq_id != "vneid_update"
    assert "vneid_update" not in {doc_id for doc_id, _ in result.suggestions}
