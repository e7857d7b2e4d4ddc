"""`hocbot run` answers before it has read its search index: a greeting or the menu at once, a question once
the index is read (in a thread a moment after start-up, or by the first question that needs it). Nothing a
citizen asks is answered differently for it, and an answer officers approve meanwhile is not lost."""

from __future__ import annotations

import asyncio
import threading

import aiohttp
import pytest

from bot import warmup
from bot.web.dashboard import proposals
from handlers.officers.scope import OfficerInfo
from tests.conftest import make_settings
from tests.harness import WebUser, running_bot

FREE_LESSONS = "Bình dân học vụ số"  # in the FAQ answer to "Học AI ở đâu miễn phí?"
QUESTION = "Sân bóng của xã mở cửa lúc mấy giờ?"
ANSWER = "Sân bóng của xã mở cửa từ 6 giờ đến 20 giờ mỗi ngày, kể cả thứ Bảy và Chủ nhật."


@pytest.fixture
def no_warm_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warmup, "WARM_AFTER", 3600.0)  # the test decides when the index is needed


@pytest.mark.usefixtures("no_warm_up")
async def test_a_greeting_is_answered_before_the_index_is_read_and_a_question_after(db_url: str) -> None:
    async with running_bot(make_settings(db_url)) as bot, aiohttp.ClientSession() as http:
        search = bot.runtime.services.search
        citizen = WebUser(bot.url, http)
        await citizen.says("xin chào")
        assert "Xin chào" in citizen.all_text()
        await citizen.says("/hoc")
        assert citizen.buttons(), citizen.all_text()
        assert not search.ready  # neither needed the index
        await citizen.says("hoc AI o dau mien phi")
        assert FREE_LESSONS in citizen.all_text()
        assert search.ready


async def test_the_index_is_read_in_the_background_soon_after_start_up(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(warmup, "WARM_AFTER", 0.0)
    async with running_bot(make_settings(db_url)) as bot:
        assert await asyncio.to_thread(bot.runtime.services.search.wait, 60)


@pytest.mark.usefixtures("no_warm_up")
async def test_an_answer_approved_before_the_index_is_read_is_found(db_url: str) -> None:
    async with running_bot(make_settings(db_url)) as bot, aiohttp.ClientSession() as http:
        services = bot.runtime.services
        async with services.db.session() as s:
            p = await proposals.propose(s, QUESTION, ANSWER, [], OfficerInfo("officer", "admin"))
            await proposals.approve(s, services, p, "admin", services.now())
        assert not services.search.ready
        citizen = WebUser(bot.url, http)
        await citizen.says("san bong xa mo cua may gio vay")
        assert ANSWER in citizen.all_text()



async def test_a_warm_up_build_is_awaited_and_a_stop_does_not_wait_for_it() -> None:
    # The asked questions' index takes tens of seconds of CPU on a fresh machine: a Ctrl-C during it must not wait
    # (asyncio.to_thread's pool is joined at exit; tests/test_startup.py times the whole Ctrl-C).
    built: list[str] = []
    await warmup.in_daemon_thread(lambda: built.append(threading.current_thread().name))
    assert built and built[0] != threading.main_thread().name

    def fails() -> None:
        raise ValueError("broken content")

    with pytest.raises(ValueError, match="broken content"):
        await warmup.in_daemon_thread(fails)

    release = threading.Event()
    task = asyncio.create_task(warmup.in_daemon_thread(release.wait))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 1.0)  # the awaiting task stops at once, the build goes on alone
    [thread] = [t for t in threading.enumerate() if t.name == "hocbot-warm-up"]
    assert thread.daemon  # so the interpreter does not wait for it at exit
    release.set()
