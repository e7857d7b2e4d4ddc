"""What a citizen in the web chat notices: the certificate name is confirmed before the PDF, a commune typed
without accents is stored by its official name (or asked which), and a number typed after an aside in a quiz
answers the quiz."""

from __future__ import annotations

import aiohttp
from sqlmodel import select

from bot.db.models_learning import Certificate
from bot.settings import Settings
from handlers.onboarding.communes import normalise_commune
from tests.harness import WebUser, running_bot
from tests.test_learning import CATALOG, correct_number, read_module, seed_passed, user_id_of, web_onboard


async def test_certificate_name_is_capitalised_confirmed_and_can_be_changed(settings: Settings) -> None:
    last = CATALOG.modules[-1]
    async with running_bot(settings) as bot, aiohttp.ClientSession() as http:
        db = bot.runtime.services.db
        u = WebUser(bot.url, http)
        await web_onboard(u)
        await seed_passed(db, await user_id_of(db, "web", u.session), [m.id for m in CATALOG.modules[:-1]])
        await read_module(u, last.title)
        await u.press("Làm bài kiểm tra")
        while u.last_reply().startswith("Câu "):
            await u.says(correct_number(u.last_reply()))
        await u.says("tran  van hung")
        # proposed with capitals, a hint about accents, and no PDF yet
        assert "Tên in trên chứng nhận: “Tran Van Hung”. Đúng chưa?" in u.all_text()
        assert "không có dấu" in u.all_text() and not any(r.get("document") for r in u.replies)
        assert u.buttons() == ["✅ Đúng rồi, in chứng nhận", "✏️ Sửa tên"]
        await u.says("trần văn hùng")  # typed again: the new proposal replaces the first
        assert "“Trần Văn Hùng”" in u.all_text() and "không có dấu" not in u.all_text()
        await u.says("đúng")  # typed instead of tapped
        assert "Chúc mừng Trần Văn Hùng" in u.all_text() and any(r.get("document") for r in u.replies)
        async with db.session() as s:
            cert = (await s.exec(select(Certificate))).one()
        code = cert.code
        # later: /chungnhan offers to change the name; the code stays the same
        await u.says("/chungnhan")
        assert "✏️ Sửa tên trên chứng nhận" in u.buttons()
        await u.press("Sửa tên trên chứng nhận")
        assert "Bạn muốn ghi tên gì" in u.last_reply()
        await u.says("NGUYỄN THỊ LAN")
        assert "“Nguyễn Thị Lan”" in u.all_text() and not any(r.get("document") for r in u.replies)
        await u.press("Đúng rồi")
        assert f"“Nguyễn Thị Lan”. Mã xác minh vẫn là {code}" in u.all_text()
        assert any(r.get("document") for r in u.replies)
        async with http.get(f"{bot.url}/verify/{code}") as resp:
            page = await resp.text()
        assert "Nguyễn Thị Lan" in page and "Trần Văn Hùng" not in page
        await u._post({"choice": "certok"})  # the old confirm button again: nothing is re-issued
        assert "Nút này đã cũ" in u.all_text()


async def test_certificate_proposes_the_channel_name_before_the_pdf(settings: Settings) -> None:
    """A channel that gives a name (Telegram) still asks: the name is confirmed before anything is printed."""
    async with running_bot(settings) as bot, aiohttp.ClientSession() as http:
        db = bot.runtime.services.db
        u = WebUser(bot.url, http)
        await web_onboard(u)
        uid = await user_id_of(db, "web", u.session)
        await seed_passed(db, uid, [m.id for m in CATALOG.modules])
        async with db.session() as s:
            from bot.db.models import User

            user = await s.get(User, uid)
            assert user is not None
            user.display_name = "le thi  mai"
            s.add(user)
        await u.says("/chungnhan")
        assert "Tên in trên chứng nhận: “Le Thi Mai”" in u.all_text()
        assert not any(r.get("document") for r in u.replies)
        await u.says("1")  # the first button
        assert "Chúc mừng Le Thi Mai" in u.all_text() and any(r.get("document") for r in u.replies)


def test_commune_is_stored_without_its_unit_word_in_title_case() -> None:
    assert normalise_commune("xa  gia   vien") == "Gia Vien"
    assert normalise_commune("Xã Gia Viễn") == "Gia Viễn"
    assert normalise_commune("phuong hoa lu") == "Hoa Lu"
    assert normalise_commune("PHƯỜNG HOA LƯ") == "Hoa Lư"
    assert normalise_commune("thi tran me") == "Me" == normalise_commune("Thị trấn Me")
    assert normalise_commune("gia vien, ninh binh") == "Gia Vien"
    # a name that only looks like a unit word keeps it; a lone unit word is kept rather than emptied
    assert normalise_commune("Phương Trung") == "Phương Trung"
    assert normalise_commune("Xà Phiên") == "Xà Phiên"
    assert normalise_commune("xã") == "Xã"


async def test_commune_typed_without_accents_is_saved_by_its_official_name(settings: Settings) -> None:
    """Before any group exists: “xa gia vien” is Gia Viễn of Ninh Bình's official list at once."""
    async with running_bot(settings) as bot, aiohttp.ClientSession() as http:
        for typed, shown in (("xa gia vien", "Gia Viễn"), ("Phường  Hoa Lư", "Hoa Lư"), ("GIA VIỄN", "Gia Viễn")):
            u = WebUser(bot.url, http)
            for text in ("/start", "dong y", "ninh binh", typed):
                await u.says(text)
            assert f"Đã lưu nơi ở: {shown}, Ninh Bình." in u.all_text()


async def test_commune_alike_is_asked_and_unknown_is_told_at_start_and_in_settings(settings: Settings) -> None:
    """Two communes of Tây Ninh fold to “tan thanh”: the citizen picks one (accents typed pick it at once); a
    name the province does not have is told, with the nearest names when there are some; /caidat asks the same."""
    async with running_bot(settings) as bot, aiohttp.ClientSession() as http:
        u = WebUser(bot.url, http)
        for text in ("/start", "dong y", "tay ninh", "xa tan thanh"):
            await u.says(text)
        assert "Ở Tây Ninh có 2 nơi tên giống “xa tan thanh”. Bạn ở nơi nào?" in u.all_text()
        assert u.buttons() == ["Xã Tân Thạnh", "Xã Tân Thành", "⏭ Bỏ qua"]
        await u.says("2")
        assert "Đã lưu nơi ở: Tân Thành, Tây Ninh." in u.all_text()
        await u.says("/caidat")
        await u.press("nơi ở")
        for text in ("ninh binh", "gia vein"):  # a typo: the nearest names
            await u.says(text)
        assert "Mình chưa thấy xã/phường “gia vein” ở Ninh Bình. Có phải bạn ở" in u.all_text()
        assert "Xã Gia Viễn" in u.buttons()
        await u.says("khong co xa nay")  # nothing near: told, and asked again
        assert "Mình chưa thấy xã/phường “khong co xa nay” ở Ninh Bình." in u.all_text()
        assert "gõ tên xã/phường mới" in u.all_text() and u.buttons() == ["⏭ Bỏ qua"]
        # A greeting or a question typed here is answered, not looked up as a commune; the commune is asked again.
        await u.says("xin chao")
        assert u.last_reply().startswith("Bạn ở xã/phường nào?") and "xin chao" not in u.all_text()
        assert "Xin chào! 👋" in u.all_text() and "bên dưới nhé" not in u.all_text() and not u.keyboard()
        await u.says("bi lo mat khau facebook roi phai lam gi")
        assert "đổi mật khẩu ngay" in u.all_text() and u.buttons()[-1] == "⏭ Bỏ qua"
        await u.says("Hoàn Kiếm")  # a ward of Hà Nội, not of Ninh Bình
        assert "Đã lưu nơi ở" not in u.all_text()
        await u.says("gia vien")
        assert "Đã lưu nơi ở: Gia Viễn, Ninh Bình." in u.all_text()
        await u.says("/caidat")
        await u.press("nơi ở")
        for text in ("tay ninh", "Tân Thạnh"):  # typed with its accents: that one, no question
            await u.says(text)
        assert "Đã lưu nơi ở: Tân Thạnh, Tây Ninh." in u.all_text()


async def test_a_question_typed_for_the_commune_without_a_province_is_answered_not_saved(settings: Settings) -> None:
    """Province skipped: there is no list to check a commune against. A short question typed there ("vneid la gi",
    no "?") is answered and the commune asked again; a commune's name with a question word ("Thanh Hà") is saved."""
    async with running_bot(settings) as bot, aiohttp.ClientSession() as http:
        u = WebUser(bot.url, http)
        for text in ("/start", "dong y"):
            await u.says(text)
        await u.press("Bỏ qua")
        assert u.last_reply().startswith("Bạn ở xã/phường nào?")
        await u.says("vneid la gi")
        assert "Đã lưu nơi ở" not in u.all_text() and "Bộ Công an" in u.all_text()
        assert u.last_reply().startswith("Bạn ở xã/phường nào?") and u.buttons()[-1] == "⏭ Bỏ qua"
        await u.says("xa thanh ha")
        assert "Đã lưu nơi ở: Thanh Ha." in u.all_text()


async def in_first_quiz(url: str, http: aiohttp.ClientSession) -> WebUser:
    """A web chat user who agreed, read the first module and is at its quiz's first question."""
    u = WebUser(url, http)
    await web_onboard(u)
    await read_module(u, CATALOG.modules[0].title)
    await u.press("Làm bài kiểm tra")
    assert u.last_reply().startswith("Câu 1/")
    return u


async def test_a_number_after_an_aside_in_a_quiz_answers_the_quiz(settings: Settings) -> None:
    async with running_bot(settings) as bot, aiohttp.ClientSession() as http:
        u = await in_first_quiz(bot.url, http)
        await u.says("cho hỏi tuần lễ học tập suốt đời là ngày nào")  # an aside, answered with 👍/👎
        assert u.last_reply().startswith("Câu 1/")  # then the quiz question again
        await u.says(correct_number(u.last_reply()))
        assert "Đúng rồi" in u.all_text() and u.last_reply().startswith("Câu 2/")
        assert "chuyển câu hỏi cho cán bộ" not in u.all_text()
        await u.says("thời tiết hôm nay thế nào")  # an aside the bot refuses: the quiz still comes back
        assert u.last_reply().startswith("Câu 2/")
        await u.says(correct_number(u.last_reply()))
        assert u.last_reply().startswith("Câu 3/")


async def test_progress_or_help_in_the_middle_of_a_quiz_keeps_the_quiz(settings: Settings) -> None:
    """/tiendo and /trogiup during a quiz show what was asked, then the quiz question again: a number typed
    next answers the quiz (it used to pick from the progress screen's buttons)."""
    async with running_bot(settings) as bot, aiohttp.ClientSession() as http:
        u = await in_first_quiz(bot.url, http)
        await u.says("/tiendo")
        assert "Mô-đun đã xong" in u.all_text() and u.last_reply().startswith("Câu 1/")
        await u.says(correct_number(u.last_reply()))
        assert u.last_reply().startswith("Câu 2/")
        await u.says("/trogiup")
        assert "/kiemtra" in u.all_text() and u.last_reply().startswith("Câu 2/")
        await u.says(correct_number(u.last_reply()))
        assert u.last_reply().startswith("Câu 3/")


async def test_another_command_in_the_middle_of_a_quiz_keeps_it_for_kiemtra(settings: Settings) -> None:
    """/hoc, /caidat or a menu item during a quiz: that screen works (its numbers are its own), one line says
    how to come back, and /kiemtra resumes at the question the learner was on. /kiemtra typed while that
    question is on screen lists the quizzes. An unknown command or a greeting is an aside: the question again."""
    async with running_bot(settings) as bot, aiohttp.ClientSession() as http:
        u = await in_first_quiz(bot.url, http)
        await u.says(correct_number(u.last_reply()))
        assert u.last_reply().startswith("Câu 2/")
        await u.says("/hoc")
        assert "Chọn một mô-đun để học" in u.all_text()
        assert u.last_reply() == "📝 Bài kiểm tra đang làm dở: gõ /kiemtra để làm tiếp."
        await u.says("2")  # the module list's second item, not an answer to the quiz
        assert f"📖 {CATALOG.modules[1].title}" in u.all_text() and "Đúng rồi" not in u.all_text()
        await u.says("/kiemtra")
        assert "bạn đang làm dở, mình tiếp tục từ câu 2/" in u.all_text() and u.last_reply().startswith("Câu 2/")
        await u.says(correct_number(u.last_reply()))  # typed as a number: it counts
        assert "Đúng rồi" in u.all_text() and u.last_reply().startswith("Câu 3/")
        await u.says("cài đặt")  # a menu item typed
        assert "Nơi ở" in u.all_text() and "gõ /kiemtra để làm tiếp" in u.last_reply()
        await u.says("/kiemtra")
        assert u.last_reply().startswith("Câu 3/")
        await u.says("/kiemtra")  # again, with the question on screen: the list, and the way back
        assert "Câu hỏi hôm nay" in u.buttons()[0] and "gõ /kiemtra để làm tiếp" in u.last_reply()
        await u.says("/kiemtra")
        assert u.last_reply().startswith("Câu 3/")
        for aside in ("xin chào", "/khongcolenhnay"):
            await u.says(aside)
            assert u.last_reply().startswith("Câu 3/")
            # no main menu with the question, so no word of one (“… hoặc chọn trong bảng bên dưới” before)
            assert "bên dưới" not in u.all_text() and "Câu hỏi kiểm tra vẫn chờ bạn" in u.all_text()
            assert u.keyboard() == []
        await u.says(correct_number(u.last_reply()))
        assert "Đúng rồi" in u.all_text() and u.last_reply().startswith("Câu 4/")


async def test_showing_my_name_on_the_leaderboard_asks_for_it_when_the_chat_gave_none(settings: Settings) -> None:
    from bot.db.models import Group, Membership
    from handlers.week.chat import WEEK_GROUP

    async with running_bot(settings) as bot, aiohttp.ClientSession() as http:
        db = bot.runtime.services.db
        u = WebUser(bot.url, http)
        await web_onboard(u)
        uid = await user_id_of(db, "web", u.session)
        async with db.session() as s:
            club, week = Group(name="clb-tin-hoc", title="CLB Tin học"), Group(name=WEEK_GROUP, title="Nhắc Tuần lễ")
            s.add_all([club, week])
            await s.flush()
            s.add_all([Membership(user_id=uid, group_id=club.id or 0), Membership(user_id=uid, group_id=week.id or 0)])
        await read_module(u, CATALOG.modules[0].title)
        await u.says("/bangxephang")
        board = u.last_reply()
        assert "CLB Tin học" in board and "Nhắc Tuần lễ" not in board  # the reminder list is not a class
        assert "Một học viên (bạn)" in board and "Muốn hiện tên, vào /caidat." in board
        await u.says("/caidat")
        await u.press("Hiện tên")
        assert "Bạn muốn hiện tên gì" in u.last_reply()
        await u.says("co  lan")
        assert "sẽ hiện trên bảng xếp hạng" in u.all_text()
        await u.says("/bangxephang")
        assert "1. Co Lan (bạn)" in u.last_reply() and "Muốn hiện tên" not in u.last_reply()


async def test_asking_how_to_fix_the_certificate_name_points_to_the_way(settings: Settings) -> None:
    async with running_bot(settings) as bot, aiohttp.ClientSession() as http:
        u = WebUser(bot.url, http)
        await web_onboard(u)
        await u.says("tôi muốn sửa tên trên giấy chứng nhận")
        assert "/chungnhan" in u.all_text() and "Sửa tên trên chứng nhận" in u.all_text()
