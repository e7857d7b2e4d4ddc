"""Privacy: /xoadulieu leaves nothing that leads back to the person (every table scanned); officers see only
their units' questions, with phone, ID-card and e-mail numbers masked, and the LLM never receives them."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select as sa_select
from sqlmodel import SQLModel, select

from bot.cli import main
from bot.db.models import User
from bot.db.models_faq import UnansweredQuestion, record_unanswered
from bot.db.models_learning import Certificate
from bot.db.models_officers import Broadcast, Delivery
from bot.llm import Passage, build_messages
from tests.conftest import make_settings
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegram
from tests.harness import running_bot
from tests.test_dashboard_http import ADMIN, OFFICER_A, add_officer, client, logged_in, settings_for
from tests.test_telegram_e2e import onboard, presses, says

TG_ID = 7700770077
NAME = "Lê Thị Mai"
PHONE = "0912345678"
QUESTION = f"tôi tên {NAME} số điện thoại {PHONE}, con bò nhà tôi bị ốm thì mua thuốc thú y ở đâu"
CODE = "HB-5ZWM-3TW5"


async def every_cell(db: Any) -> list[tuple[str, str, Any]]:
    """(table, column, value) for every cell of every table."""
    cells: list[tuple[str, str, Any]] = []
    async with db.session() as s:
        for table in SQLModel.metadata.sorted_tables:
            for row in (await s.execute(sa_select(table))).mappings().all():
                cells += [(table.name, column, value) for column, value in row.items()]
    return cells


async def test_deleting_my_data_leaves_nothing_that_leads_back_to_me(db_url: str) -> None:
    async with FakeTelegram() as tg:
        settings = make_settings(db_url, telegram_bot_token=DEFAULT_TOKEN, telegram_api_base_url=tg.base_url)
        async with running_bot(settings) as bot, aiohttp.ClientSession() as http:
            db = bot.runtime.services.db
            mai = tg.user(TG_ID, first_name=NAME)
            await onboard(mai)
            await says(mai, QUESTION)  # unanswered: goes to the officers' list
            await says(mai, "Tuần lễ học tập suốt đời là gì?")
            await presses(mai, "Chưa đúng")  # feedback, and the question on the list as disliked
            await says(mai, "/lienket")  # a link code
            await says(mai, "/thongbao")  # refused: the audit log names her account
            await says(mai, "/sangkien")
            await presses(mai, "Gửi sáng kiến")
            await says(mai, f"Nhà {NAME} mở lớp dạy ông bà dùng điện thoại thông minh mỗi tối thứ Bảy.")
            sent = await mai.send_photo(caption="lớp học buổi tối")  # an initiative with its photo
            photo_id = sent["message"]["photo"][-1]["file_id"]
            await mai.wait_for(lambda m: "Đã gửi sáng kiến" in (m[-1]["text"] or ""))
            async with db.session() as s:
                uid = (await s.exec(select(User))).one().id
                assert uid is not None
                s.add(Certificate(user_id=uid, code=CODE, name=NAME))
                b = Broadcast(text="Họp dân lúc 8h", status="done")
                s.add(b)
                await s.flush()
                assert b.id is not None
                later = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
                s.add(Delivery(broadcast_id=b.id, user_id=uid, channel="telegram", chat_id=str(TG_ID), state="sent"))
                b2 = Broadcast(text="Thông báo mới", status="queued")
                s.add(b2)
                await s.flush()
                assert b2.id is not None
                s.add(Delivery(broadcast_id=b2.id, user_id=uid, channel="telegram", chat_id=str(TG_ID),
                               next_attempt_at=later))  # fmt: skip
            async with db.session() as s:
                listed = (await s.exec(select(UnansweredQuestion))).all()
                assert any("thuốc thú y" in q.question for q in listed)

            needles = (str(TG_ID), NAME, PHONE, "thú y", "thu y", CODE, photo_id, "điện thoại thông minh")
            before = [v for _, _, v in await every_cell(db) if isinstance(v, str)]
            assert [n for n in needles if not any(n in v for v in before)] == []  # the scan sees them now
            confirm = await says(mai, "/xoadulieu")
            assert "Chứng nhận" in confirm[0]["text"] and "thu hồi theo yêu cầu" in confirm[0]["text"]
            await presses(mai, "Có, xoá")

            cells = await every_cell(db)
            texts = [(t, c, v) for t, c, v in cells if isinstance(v, str)]
            for needle in needles:
                found = [(t, c) for t, c, v in texts if needle in v and not (t == "revoked_certificates")]
                assert not found, (needle, found)
            linked = {t for t, c, v in cells if c == "user_id" and v == uid}
            assert linked <= {"deliveries", "learning_events", "lesson_progress"}, linked  # anonymous numbers only
            async with db.session() as s:
                user = await s.get(User, uid)
                assert user is not None and user.deleted_at is not None and user.display_name == ""
                assert (await s.exec(select(Delivery))).one().chat_id == ""  # the queued one is gone

            async with http.get(f"{bot.url}/verify/{CODE}") as resp:
                page = await resp.text()
            assert resp.status == 410 and "đã thu hồi theo yêu cầu" in page.lower() and NAME not in page


async def test_officers_see_only_their_units_questions_with_numbers_masked(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with running_bot(settings_for(db_url)) as bot, client() as http_a, client() as http_admin:
        db = bot.runtime.services.db
        async with db.session() as s:
            await record_unanswered(s, f"Tôi là Mai, SĐT {PHONE}, thôn Đông, bò bị ốm mua thuốc thú y ở đâu?",
                                    "unknown", province="Ninh Bình", commune="Gia Viễn")  # fmt: skip
            await record_unanswered(s, "CCCD 001234567890 của tôi bị sai, email an.nguyen@example.vn, sửa ở đâu?",
                                    "unknown", province="Hà Nội", commune="Ba Đình")  # fmt: skip
            await record_unanswered(s, "Câu hỏi của người chưa cho biết nơi ở, gọi 0987 654 321", "unknown")
            stored = " ".join(q.question + q.folded for q in (await s.exec(select(UnansweredQuestion))).all())
        assert PHONE not in stored and "001234567890" not in stored and "example.vn" not in stored

        await add_officer(db, OFFICER_A, "Gia Viễn")
        page = await (await logged_in(bot, http_a, OFFICER_A)).get("/dashboard/questions")
        assert "thuốc thú y" in page and "***" in page
        assert "CCCD" not in page and "chưa cho biết nơi ở" not in page  # other units' and placeless ones
        page = await (await logged_in(bot, http_admin, ADMIN)).get("/dashboard/questions")
        assert "thuốc thú y" in page and "CCCD" in page and "chưa cho biết nơi ở" in page
        assert PHONE not in page and "001234567890" not in page and "example.vn" not in page
        assert "654 321" not in page

    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("HOCBOT_ADMINS", f"telegram:{ADMIN}")
    capsys.readouterr()
    assert await asyncio.to_thread(main, ["faq", "unanswered", "--json", "--officer", f"telegram:{OFFICER_A}"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert [r["province"] for r in rows] == ["Ninh Bình"] and PHONE not in rows[0]["question"]


def test_personal_numbers_never_reach_the_llm() -> None:
    messages = build_messages("AI là gì, tôi là Nguyễn Văn An 0912345678, mail an@example.vn",
                              [Passage("[1]", "ai", "AI", "AI là trí tuệ nhân tạo.")])  # fmt: skip
    sent = json.dumps(messages, ensure_ascii=False)
    assert "0912345678" not in sent and "an@example.vn" not in sent and "AI là gì" in sent
