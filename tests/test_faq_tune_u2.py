"""A platform something is done on that no entry names is not answered with a neighbouring entry (tune_u2)."""

from content.catalog import load_catalog
from content.search import SearchIndex, decide

_INDEX = SearchIndex.from_catalog(load_catalog())


def test_unknown_platform_is_not_answered() -> None:
    for q in ("bán quần áo trên lazada có an toàn không", "mua đồ trên tiki có bị lừa không"):
        assert decide(q, _INDEX.search(q, 5)) != "answer", q


def test_a_way_to_do_a_thing_is_not_answered_by_an_entry_that_tells_no_way() -> None:
    for q in ("cách chia sẻ hình qua zalo cho con", "cách đăng video lên tiktok"):
        assert decide(q, _INDEX.search(q, 5)) != "answer", q


def test_a_way_asked_with_lam_sao_is_not_answered_by_an_entry_that_tells_no_way() -> None:
    # before: "Đó là lừa đảo…" (a fake biometrics link) and the deepfake video-call warning, as if answered
    q = "làm sao gửi ảnh cho con qua zalo"  # offered what tells a way, not answered
    assert decide(q, _INDEX.search(q, 5)) != "answer", q
    for q in ("làm sao biết cuộc gọi video là giả", "nàm sao để biết tin giả trên mạng"):  # how to tell: answered
        assert decide(q, _INDEX.search(q, 5)) == "answer", q
    for q in ("làm sao gọi video cho con trên zalo", "lam sao de goi video", "cách chia sẻ hình qua zalo cho con"):
        # no entry tells a way: nothing to offer either (before: the deepfake and scam warnings as the choices)
        assert decide(q, _INDEX.search(q, 5)) == "refuse", q
    q = "làm sao xem tôi học đến đâu rồi"  # the bot's help tells the way: its command
    hits = _INDEX.search(q, 5)
    assert decide(q, hits) == "answer" and hits[0].doc_id == "bot_progress"


def test_teencode_typed_without_accents_is_no_neck_pain() -> None:
    from content.intents import out_of_scope

    assert out_of_scope("zalo bao may la xin ma ma tui dau co dang nhap") is None
    assert out_of_scope("tôi bị đau cổ uống thuốc gì") == "health"


def test_keeping_messages_on_a_new_phone_is_not_the_password_entry() -> None:
    from handlers.answers.service import AnswerService

    svc = AnswerService(load_catalog(), _INDEX)
    for q in ("mua điện thoại mới, làm sao giữ lại tin nhắn zalo cũ",
              "đổi điện thoại mới thì giữ lại tin nhắn zalo kiểu gì"):
        assert svc.plan(q).decision != "answer", q


def test_making_a_song_is_not_the_reminder_entry() -> None:
    q = "con AI có soạn nhạc được không"
    assert decide(q, _INDEX.search(q, 5)) != "answer"


def test_a_phone_setting_no_entry_tells_is_not_answered_with_the_text_size() -> None:
    # before: the text-size steps for the screen timeout, a children's-safety entry for the wallpaper
    from handlers.answers.service import AnswerService

    svc = AnswerService(load_catalog(), _INDEX)
    for q in ("tôi muốn đặt hình cháu nội làm hình nền điện thoại thì làm sao",
              "điện thoại tôi cứ tự tắt màn hình nhanh quá đang đọc thì tối thui chỉnh lâu hơn được không",
              "đổi nhạc chuông điện thoại sao"):
        assert svc.plan(q).decision != "answer", q
    plan = svc.plan("điện thoại chữ nhỏ quá chỉnh to lên sao")  # what the entry tells: still answered
    assert plan.decision == "answer" and plan.fallback.faq_id == "phone_text_size"


def test_recalling_a_message_is_not_the_scam_links_entry() -> None:
    from handlers.answers.service import AnswerService

    svc = AnswerService(load_catalog(), _INDEX)
    for q in ("thu hồi tn zalo gửi nhầm đc hk", "cách thu hồi tin nhắn zalo"):  # before: the scam links entry
        assert svc.plan(q).decision != "answer", q
