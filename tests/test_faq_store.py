"""Officers' approved answers are part of the FAQ everywhere: in the chat at once and after a restart, in
`hocbot ask`, and `hocbot faq unanswered` no longer lists the questions they answer."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy.engine import make_url

from bot.app import build_services
from bot.cli import main
from bot.core.context import Services
from bot.db.models_faq import open_unanswered, record_unanswered
from bot.web.dashboard import proposals
from handlers.answers.store import SOURCE
from handlers.officers.scope import OfficerInfo
from tests.conftest import make_settings
from tests.harness import WebUser, running_bot

QUESTION = "Sân bóng của xã mở cửa lúc mấy giờ?"
ANSWER = "Sân bóng của xã mở cửa từ 6 giờ đến 20 giờ mỗi ngày, kể cả thứ Bảy và Chủ nhật."
OTHER = "Làm sao đăng ký lớp học bơi cho trẻ em?"
HOCBOT = str(Path(sys.executable).with_name("hocbot"))  # the installed console script


async def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, Any]]:
    """Run `hocbot …` in-process (in a thread: it has its own event loop) and read its JSON lines."""
    capsys.readouterr()
    assert await asyncio.to_thread(main, list(argv)) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return [json.loads(line) for line in captured.out.splitlines() if line.strip()]


async def approve(services: Services, question_ids: list[int]) -> None:
    async with services.db.session() as s:
        p = await proposals.propose(s, QUESTION, ANSWER, question_ids, OfficerInfo("officer", "admin"))
        await proposals.approve(s, services, p, "admin", services.now())


async def test_approved_answer_reaches_hocbot_ask_and_survives_a_restart(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(db_url)
    monkeypatch.setenv("DATABASE_URL", db_url)
    async with running_bot(settings) as bot, aiohttp.ClientSession() as http:
        citizen = WebUser(bot.url, http)
        await citizen.says("san bong xa mo cua may gio vay")
        assert "chưa có câu trả lời" in citizen.last_reply()
        [before] = await cli(capsys, "ask", "--json", "san bong xa mo cua may gio vay")
        assert before["refused"] is True
        async with bot.runtime.services.db.session() as s:
            ids = [r.id or 0 for r in await open_unanswered(s)]
        await approve(bot.runtime.services, ids)
        await citizen.says("san bong xa mo cua may gio vay")  # at once, no restart
        assert ANSWER in citizen.all_text()

    [item] = await cli(capsys, "ask", "--json", "Sân bóng xã mở cửa lúc mấy giờ ạ")
    assert (item["refused"], item["answer"]) == (False, ANSWER)
    assert item["sources"] == [{"id": SOURCE.id, "title": SOURCE.title}]

    chat = await asyncio.to_thread(  # the terminal chat, a process of its own, knows it too
        subprocess.run, [HOCBOT, "chat"], input="1\nBỏ qua\nBỏ qua\nsan bong xa mo cua luc may gio\n",
        capture_output=True, text=True, timeout=60, env={**os.environ, "DATABASE_URL": db_url},
    )
    assert chat.returncode == 0, chat.stderr
    assert ANSWER in chat.stdout and SOURCE.title in chat.stdout

    async with running_bot(settings) as bot, aiohttp.ClientSession() as http:  # a new process knows it
        citizen = WebUser(bot.url, http)
        await citizen.says("san bong cua xa may gio mo cua")
        assert ANSWER in citizen.all_text() and SOURCE.title in citizen.all_text()


async def test_faq_unanswered_leaves_out_what_an_approved_answer_covers(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    services = await build_services(make_settings(db_url))
    try:
        async with services.db.session() as s:
            asked = await record_unanswered(s, QUESTION, "unknown")
            other = await record_unanswered(s, OTHER, "unknown")
        await approve(services, [asked.id or 0])
        async with services.db.session() as s:
            # asked again on a worker that had not loaded the answer yet: the row is open again
            again = await record_unanswered(s, QUESTION, "unknown")
            worded = await record_unanswered(s, "san bong cua xa mo cua luc may gio vay", "unknown")
            assert {again.id, worded.id, other.id} == {r.id for r in await open_unanswered(s)}
    finally:
        await services.db.dispose()

    monkeypatch.setenv("DATABASE_URL", db_url)
    rows = await cli(capsys, "faq", "unanswered", "--json")
    assert [r["question"] for r in rows] == [OTHER]
    assert await asyncio.to_thread(main, ["faq", "unanswered"]) == 0
    out = capsys.readouterr().out
    assert QUESTION not in out and OTHER in out and "1 câu hỏi chưa có câu trả lời" in out


async def test_hocbot_ask_answers_from_content_when_the_db_cannot_be_read(
    empty_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = make_url(empty_db_url)
    if url.get_backend_name() == "sqlite":
        missing = tmp_path / "missing.db"
        absent = str(url.set(database=str(missing)))
        sqlite3.connect(url.database or "").close()  # exists, never migrated
    else:
        absent = url.set(database=f"{url.database}_missing").render_as_string(hide_password=False)
    for target in (absent, empty_db_url):
        monkeypatch.setenv("DATABASE_URL", target)
        [item] = await cli(capsys, "ask", "--json", "tuan le hoc tap la gi")
        assert item["refused"] is False and "ngày 1 đến ngày 7 tháng 10" in item["answer"]
    if url.get_backend_name() == "sqlite":
        assert not missing.exists()  # `hocbot ask` does not create a database
    assert any("answering from content only" in r.getMessage() and r.levelno == logging.WARNING
               for r in caplog.records)  # fmt: skip
