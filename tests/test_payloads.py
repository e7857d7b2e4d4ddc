"""Button payloads: typed, packed in one place, and the buttons of messages sent before still work."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlmodel import select

from bench.broadcast import seed_subscribers
from bot.cli import main
from bot.core import payloads
from bot.db.engine import Database
from bot.db.migrate import upgrade
from bot.db.models_officers import Broadcast
from tests.fakes.telegram_server import FakeTelegram
from tests.harness import running_bot
from tests.test_telegram_e2e import onboard, tg_settings


@pytest.fixture
async def tg() -> Any:
    async with FakeTelegram() as fake:
        yield fake


@pytest.mark.parametrize(
    "button",
    [payloads.Start(), payloads.Consent("y"), payloads.ModuleList(), payloads.OpenModule("m1"),
     payloads.OpenLesson("m1", 3), payloads.StartQuiz("m2"), payloads.AnswerQuiz(12, 1, 3), payloads.QuizMenu(),
     payloads.ShowProgress(), payloads.Feedback(7, "d", "tag-_x")],
)  # fmt: skip
def test_every_button_reads_back_what_it_packed(button: payloads.Button) -> None:
    assert type(button).read(button.pack()) == button
    assert payloads.OpenModule.read(payloads.QuizMenu().pack()) is None  # another button's data is not this one


async def test_buttons_in_messages_sent_before_still_open_what_they_opened(db_url: str, tg: FakeTelegram) -> None:
    """Announcements sent earlier carry callback data as earlier versions packed it (“lo|m1”, “ls|m1|1”, “ls|m1”,
    “toc”, “qs|m1”): pressed today, each still opens what it opened."""
    from handlers.officers import outbox

    olds = ["lo|m1", "ls|m1|1", "ls|m1", "toc", "qs|m1"]
    async with running_bot(tg_settings(db_url, tg)) as bot:
        lan = tg.user(5550101, first_name="Lan")
        await onboard(lan)
        before = len(lan.messages())
        async with bot.runtime.services.db.session() as s:
            for i, data in enumerate(olds):
                b = await outbox.create_broadcast(s, text=f"Thông báo {i}", created_by="test", group_ids="all",
                                                  button_label=f"Nút {i}", button_data=data)  # fmt: skip
                await outbox.queue_broadcast(s, b)
        await lan.wait_for(before + len(olds), timeout=20)
        sent = {m["text"]: m["message_id"] for m in lan.messages()[before:]}

        async def press(i: int) -> str:
            n = len(lan.messages())
            await lan.press(olds[i], sent[f"Thông báo {i}"])
            msgs = await lan.wait_for(n + 1)
            return "\n".join(m.get("text") or m.get("caption") or "" for m in msgs[n:])

        assert "Bài 1/" in await press(0)
        assert "Bài 2/" in await press(1)
        assert "Bài 1/" in await press(2)  # a lesson button without its number opens the first lesson
        assert "Chọn một mô-đun" in await press(3)
        assert "câu hỏi" in await press(4)


def test_the_cli_attaches_a_button_by_name_like_campaigns_and_the_dashboard(
    db_url: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`hocbot broadcast send --button quiz:m1` (as `campaign add --button`); the packed form it took before
    (“Học ngay=ls|m1|0”) still works; anything else is refused before anything is sent."""
    import asyncio

    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.chdir(tmp_path)

    async def seed() -> None:
        db = Database(db_url)
        try:
            await upgrade(db)
            await seed_subscribers(db, 2)
        finally:
            await db.dispose()

    async def buttons() -> list[tuple[str | None, str | None]]:
        db = Database(db_url)
        try:
            async with db.session() as s:
                rows = (await s.exec(select(Broadcast).order_by(Broadcast.id))).all()  # type: ignore[arg-type]
            return [(b.button_label, b.button_data) for b in rows]
        finally:
            await db.dispose()

    asyncio.run(seed())
    for button in ("quiz:m1", "Đọc ngay=lesson:m1:2", "Học ngay=ls|m1|0"):
        code = main(["broadcast", "send", "--to", "all", "--text", "Học bài", "--button", button, "--yes", "--json"])
        out = capsys.readouterr()
        assert code == 0, out.err
        assert json.loads(out.out)["recipients"] == 2
    for bad in ("quiz", "xoa|1", "=module:m1"):
        assert main(["broadcast", "send", "--to", "all", "--text", "x", "--button", bad, "--yes"]) == 1
        assert "--button" in capsys.readouterr().err
    want = [("📝 Làm bài kiểm tra", "qs|m1"), ("Đọc ngay", "ls|m1|2"), ("Học ngay", "ls|m1|0")]
    assert asyncio.run(buttons()) == want


def test_every_typed_button_has_a_handler() -> None:
    """A button class whose action no handler registered would answer “this button is old” to everyone."""
    from bot.core.dispatcher import OWN_BUTTONS
    from handlers import build_router

    router = build_router()

    def subclasses(cls: type[payloads.Button]) -> list[type[payloads.Button]]:
        return [c for sub in cls.__subclasses__() for c in (sub, *subclasses(sub))]

    typed = [c for c in subclasses(payloads.Button) if hasattr(c, "action")]  # YesNo is a base, not a button
    assert len(typed) >= 25
    missing = [c.__name__ for c in typed if router.resolve_action(c.action) is None and c not in OWN_BUTTONS]
    assert missing == []
