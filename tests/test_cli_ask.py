"""`hocbot ask` and `hocbot faq unanswered` through the real CLI entry point."""

from __future__ import annotations

import asyncio
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.cli import main
from tests.conftest import make_settings
from tests.fakes.openai_server import FakeOpenAI
from tests.harness import WebUser, running_bot

ROOT = Path(__file__).resolve().parent.parent
KEYS = {"question", "answer", "sources", "refused", "mode"}


def json_lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_ask_one_question_as_json(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'h.db'}")
    assert main(["ask", "--json", "tuan le hoc tap la gi"]) == 0
    [item] = json_lines(capsys.readouterr().out)
    assert set(item) == KEYS
    assert item["question"] == "tuan le hoc tap la gi"
    assert (item["refused"], item["mode"]) == (False, "retrieval")
    assert "ngày 1 đến ngày 7 tháng 10" in item["answer"]
    week = "Tuần lễ hưởng ứng học tập suốt đời, phát động hằng năm (bài khai mạc năm 2020 ở Hà Tĩnh)"
    assert {"id": "tuan-le-htsd", "title": week} in item["sources"]


def test_ask_reads_one_question_per_line_from_stdin(capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    questions = ["Tuần lễ học tập suốt đời là gì?", "", "hoc AI o dau mien phi", "xo so mien bac hom nay ve con gi"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(questions) + "\n"))
    assert main(["ask", "--json"]) == 0
    items = json_lines(capsys.readouterr().out)
    assert [i["question"] for i in items] == [q for q in questions if q]
    assert all(set(i) == KEYS for i in items)
    assert [i["refused"] for i in items] == [False, False, True]
    assert items[2]["sources"] == [] and "Bình dân học AI" in items[2]["answer"]
    assert all(s["id"] and s["title"] for i in items[:2] for s in i["sources"])


def test_ask_plain_text_shows_the_source_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "bi", "nguoi", "la", "goi", "xung", "cong", "an", "thi", "lam", "j"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("❓ bi nguoi la goi xung cong an thi lam j\n") and "\nNguồn: " in out


async def test_ask_uses_the_llm_when_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    async with FakeOpenAI() as fake:
        fake.reply("Tuần lễ diễn ra từ ngày 1 đến ngày 7 tháng 10 hằng năm [1].")
        env = {"PATH": "/usr/bin:/bin", "OPENAI_API_KEY": fake.api_key, "OPENAI_BASE_URL": fake.base_url,
               "HOME": "/tmp"}
        proc = await asyncio.create_subprocess_exec(
            str(ROOT / ".venv/bin/hocbot"), "ask", "--json", "tuan le hoc tap la gi",
            cwd=ROOT / "tests", env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()
    [item] = json_lines(out.decode())
    assert item["mode"] == "llm" and item["answer"].endswith("[1].")
    assert item["sources"][0]["id"] == "tuan-le-htsd"


async def test_out_of_scope_question_appears_in_faq_unanswered(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running_bot(make_settings(db_url)) as bot, aiohttp.ClientSession() as http:
        for text in ("Xổ số hôm nay về con gì?", "xo so hom nay ve con gi", "con mèo nhà tôi tên là gì nhỉ"):
            await WebUser(bot.url, http).says(text)
    monkeypatch.setenv("DATABASE_URL", db_url)
    capsys.readouterr()
    assert await asyncio.to_thread(main, ["faq", "unanswered", "--json"]) == 0
    rows = json_lines(capsys.readouterr().out)
    assert rows[0]["question"] == "Xổ số hôm nay về con gì?" and rows[0]["count"] == 2
    assert rows[0]["reason"] == "out_of_scope"
    assert {"id", "question", "count", "first_seen", "last_seen"} <= set(rows[0])
    assert await asyncio.to_thread(main, ["faq", "resolve", str(rows[0]["id"])]) == 0
    capsys.readouterr()
    assert await asyncio.to_thread(main, ["faq", "unanswered"]) == 0
    out = capsys.readouterr().out
    assert "Xổ số" not in out and "chưa có câu trả lời" in out
