"""Lost ID card, forgotten Gmail password and a caller to block get their own entry, not a neighbouring one."""

from content.catalog import load_catalog
from content.search import SearchIndex
from handlers.answers.service import AnswerService

_SVC = AnswerService(load_catalog(), SearchIndex.from_catalog(load_catalog()))


def _answered(q: str) -> str | None:
    res = _SVC.plan(q).fallback
    return res.faq_id if res.decision == "answer" else None


def test_a_lost_id_card_is_answered_with_how_to_get_a_new_one() -> None:
    for q in ("mất thẻ căn cước rồi thì làm lại sao", "the can cuoc bi gay lam lai o dau",
              "lam lai cccd tren vneid dc ko"):
        assert _answered(q) == "can_cuoc_cap_lai", q
    res = _SVC.plan("mất thẻ căn cước rồi thì làm lại sao").fallback
    assert "Cấp lại thẻ căn cước" in res.text and "công an xã" in res.text


def test_the_fee_of_a_new_id_card_is_not_answered_with_the_steps() -> None:
    assert _answered("làm lại thẻ căn cước bị mất tốn bao nhiêu tiền lệ phí") is None


def test_a_forgotten_gmail_password_is_answered_and_other_apps_are_not() -> None:
    for q in ("quên mật khẩu gmail rồi", "quen mk gmail lay lai sao"):
        assert _answered(q) == "gmail_forgot_password", q
    assert "accounts.google.com" in _SVC.plan("quên mật khẩu gmail rồi").fallback.text
    for q in ("quên mật khẩu telegram thì lấy lại sao", "quên mật khẩu iCloud thì lấy lại sao"):
        assert _answered(q) is None, q


def test_a_caller_to_block_is_answered_and_reporting_still_goes_to_156() -> None:
    for q in ("số lạ gọi hoài, chặn sao", "chan so dien thoai tren iphone"):
        assert _answered(q) == "block_caller", q
    assert "Gần đây" in _SVC.plan("số lạ gọi hoài, chặn sao").fallback.text
    assert _answered("nhắn tin 5656 báo lừa đảo thế nào") == "report_156"
