"""The web chat and the terminal chat through their real entry points."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

from tests.conftest import make_settings
from tests.harness import WebUser, running_bot

HOCBOT = str(Path(sys.executable).with_name("hocbot"))  # the installed console script


async def test_web_chat_page_and_onboarding(db_url: str) -> None:
    async with running_bot(make_settings(db_url)) as bot, aiohttp.ClientSession() as http:
        async with http.get(bot.url + "/") as resp:
            page = await resp.text()
        assert resp.status == 200 and 'lang="vi"' in page and "viewport" in page and "/api/chat" in page
        lan = WebUser(bot.url, http)
        await lan.says("/start")
        assert "Hội Khuyến học" in lan.all_text() and lan.buttons() == ["✅ Đồng ý", "❌ Không đồng ý"]
        await lan.says("1")  # typed number = first button
        assert "Hà Nội" in lan.buttons() and "⏭ Bỏ qua" in lan.buttons()
        await lan.says("ha noi")
        assert "Đã lưu nơi ở: Hà Nội" in lan.all_text()
        await lan.press("Bỏ qua")
        assert "📚 Học AI" in lan.keyboard()
        await lan.says("7")  # no pending choice any more: not a crash
        assert lan.replies


async def test_web_chat_rejects_garbage_and_ignores_repeats(db_url: str) -> None:
    async with running_bot(make_settings(db_url)) as bot, aiohttp.ClientSession() as http:
        async with http.post(bot.url + "/api/chat", data=b"not json") as resp:
            assert resp.status == 400 and "không hợp lệ" in (await resp.json())["error"]
        body = {"session": "sess-12345678", "id": "m-1", "text": "/trogiup"}
        async with http.post(bot.url + "/api/chat", json=body) as resp:
            first = (await resp.json())["replies"]
        async with http.post(bot.url + "/api/chat", json=body) as resp:
            second = (await resp.json())["replies"]
        assert "Hướng dẫn" in first[0]["text"] and second == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ZALO_", "OPENAI_"))}
    env.update(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}", **extra)
    return env


def test_terminal_chat_with_numbered_choices(tmp_path: Path) -> None:
    script = "1\nhue\nBỏ qua\n/trogiup\n"
    out = subprocess.run(
        [HOCBOT, "chat"],
        input=script,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(tmp_path),
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert "1. ✅ Đồng ý" in out.stdout and "Trả lời 1 hoặc 2." in out.stdout
    assert "Đã lưu nơi ở: Huế" in out.stdout and "/kiemtra" in out.stdout


def test_a_greeting_before_consent_asks_for_consent_again(tmp_path: Path) -> None:
    """A newcomer who says hello before answering the consent question is asked it again, so the "1" typed next
    agrees (it used to open the main menu's "Học AI", which then said consent was needed)."""
    out = subprocess.run([HOCBOT, "chat"], input="xin chào\n1\n", capture_output=True, text=True,
                         cwd=tmp_path, env=_env(tmp_path), timeout=60)  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("Bạn có đồng ý không?") == 2
    assert "Bạn đang sống ở tỉnh/thành phố nào?" in out.stdout and "Phần này cần lưu tiến độ" not in out.stdout


def test_terminal_chat_does_not_promise_reminders_it_cannot_send(tmp_path: Path) -> None:
    """The terminal chat gets no pushed messages: asking to be reminded of the Week says so, and makes no
    promise it must then take back."""
    out = subprocess.run([HOCBOT, "chat"], input="1\nhue\nBỏ qua\n/tuanle\n1\n", capture_output=True, text=True,
                         cwd=tmp_path, env=_env(tmp_path), timeout=60)  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "1. 🔔 Nhắc tôi" in out.stdout and "Đã xong!" in out.stdout
    assert "không nhận được tin nhắn gửi sau" in out.stdout
    assert "Bot sẽ nhắc bạn" not in out.stdout


def test_hocbot_run_serves_web_chat_fast_with_no_configuration(tmp_path: Path) -> None:
    port = _free_port()
    started = time.monotonic()
    proc = subprocess.Popen(
        [HOCBOT, "run"],
        cwd=tmp_path,
        env=_env(tmp_path, HOCBOT_WEB_PORT=str(port)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready = None
        while time.monotonic() - started < 20:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    ready = time.monotonic() - started
                    break
            except OSError:
                time.sleep(0.05)
        assert ready is not None, proc.stderr.read() if proc.poll() is not None else "not listening"
        print(f"hocbot run ready in {ready:.2f}s")  # the issue asks < 2 s; see bench for the figure
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert proc.returncode == 0


def test_bad_setting_stops_start_with_one_line(tmp_path: Path) -> None:
    out = subprocess.run(
        [HOCBOT, "run"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(tmp_path, HOCBOT_WEB_PORT="tám nghìn"),
        timeout=30,
    )
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "HOCBOT_WEB_PORT" in out.stderr
