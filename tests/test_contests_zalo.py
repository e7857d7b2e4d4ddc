"""/thi on the Zalo Bot Platform (no buttons, no polls): the same contest with numbered answers, the timer
checked by the server, one attempt per person."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest

from tests.fakes.zalo_bot_server import FakeBotUser, FakeZaloBot
from tests.harness import running_bot
from tests.test_contests import local, make_contest, option_for
from tests.test_zalo_bot_e2e import zalo_settings


@pytest.fixture
async def fake() -> AsyncIterator[FakeZaloBot]:
    async with FakeZaloBot(idle_timeout=0.2) as server:
        yield server


async def says(user: FakeBotUser, text: str, n: int = 1) -> list[str]:
    """The user types `text`; the next `n` texts the bot sends (patient: a busy machine is not a failure)."""
    await user.send(text)
    return [await user.wait_reply(timeout=10.0) for _ in range(n)]


async def test_zalo_numbered_contest_with_a_timer(db_url: str, fake: FakeZaloBot) -> None:
    now = [local(5, 9)]
    async with running_bot(zalo_settings(db_url, fake)) as bot:
        services = bot.runtime.services
        services.clock = lambda: now[0]
        await make_contest(services, province="Hà Nội", seconds=20)
        lan = fake.user("6ede9afa66b88fe6d6a9", "Lan")
        await says(lan, "/start", 2)
        await says(lan, "1")
        await says(lan, "ha noi", 2)
        await says(lan, "bo qua")

        (intro,) = await says(lan, "/thi")
        assert "Rung chuông vàng số" in intro and "1. ▶️ Bắt đầu thi" in intro
        (ask,) = await says(lan, "1")
        assert "Hiện tên bạn trên bảng xếp hạng?" in ask and "1. Có, hiện tên" in ask and "2. Không, ẩn tên" in ask
        go, q1 = await says(lan, "1", 2)  # Zalo gives her name: it shows
        assert "Tên bạn sẽ hiện trên bảng xếp hạng" in go and q1.startswith("Câu 1/3 (20 giây).") and "\n1. " in q1

        now[0] += dt.timedelta(seconds=6)
        note, q2 = await says(lan, str(option_for(q1, right=True) + 1), 2)
        assert note == "✅ Đúng!" and q2.startswith("Câu 2/3")
        now[0] += dt.timedelta(seconds=25)
        note, q3 = await says(lan, str(option_for(q2, right=True) + 1), 2)  # right, but too late
        assert note == "⏰ Hết giờ: câu 2 tính là chưa trả lời." and q3.startswith("Câu 3/3")
        now[0] += dt.timedelta(seconds=1)
        note, done = await says(lan, str(option_for(q3, right=True) + 1), 2)
        assert note == "✅ Đúng!" and "🏁 Xong! Bạn đúng 2/3 câu, thời gian 27,0 giây." in done
        assert "1. 🏅 Bảng xếp hạng" in done

        (again,) = await says(lan, "/thi")
        assert "Mỗi người chỉ thi một lần" in again
        (board,) = await says(lan, "1")
        assert "1. Lan (bạn) — 2/3 câu, 27,0 giây" in board
