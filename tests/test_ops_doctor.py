"""`hocbot doctor` against the fake servers: all green on a good installation (exit 0), and on a broken one
a Vietnamese line per problem with what to fix (exit 1)."""

from __future__ import annotations

import asyncio
import email.utils
import re
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from aiohttp import web

from bot.cli import main
from tests.conftest import make_settings
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegram
from tests.fakes.zalo_bot_server import FakeZaloBot
from tests.fakes.zalo_oa_server import FakeZaloOA
from tests.harness import running_bot


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def setenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str) -> None:
    monkeypatch.chdir(tmp_path)
    for key, value in env.items():
        monkeypatch.setenv(key, value)


async def doctor(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = await asyncio.to_thread(main, ["doctor"])
    return code, capsys.readouterr().out


async def test_a_good_installation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'hocbot.db'}"
    async with FakeTelegram() as tg, FakeZaloBot() as zb, FakeZaloOA() as oa, FakeOpenAI() as llm:
        async with running_bot(make_settings(db_url)) as bot:  # the running bot, reached as the public URL
            setenv(
                monkeypatch, tmp_path, DATABASE_URL=db_url, TELEGRAM_BOT_TOKEN=DEFAULT_TOKEN,
                TELEGRAM_API_BASE_URL=tg.base_url, ZALO_BOT_TOKEN=zb.token, ZALO_API_BASE_URL=zb.base_url,
                ZALO_OA_APP_ID=oa.app_id, ZALO_OA_SECRET_KEY=oa.secret_key,
                ZALO_OA_REFRESH_TOKEN=oa.issue_pair().refresh_token, ZALO_OA_API_BASE_URL=oa.base_url,
                ZALO_OA_OAUTH_BASE_URL=oa.base_url, ZALO_OA_WEBHOOK_SECRET=oa.oa_secret,
                OPENAI_API_KEY=llm.api_key, OPENAI_BASE_URL=llm.base_url,
                HOCBOT_PUBLIC_URL=bot.url, HOCBOT_SECRET_KEY="k" * 40, HOCBOT_ADMINS="telegram:1",
            )
            code, out = await doctor(capsys)
    assert code == 0, out
    assert "❌" not in out
    for line in ("✅ Cơ sở dữ liệu: SQLite, cấu trúc mới nhất", "✅ Telegram: bot @", "✅ Zalo Bot: bot",
                 "✅ Zalo OA: access token dùng được", "✅ Trợ lý AI (LLM): mô hình gpt-4o-mini trả lời được",
                 f"✅ Địa chỉ công khai: {bot.url}/healthz trả lời qua proxy", "✅ Đồng hồ: giờ máy"):
        assert line in out, out
    assert DEFAULT_TOKEN not in out and oa.secret_key not in out and llm.api_key not in out


async def test_a_broken_installation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async with FakeTelegram() as tg, FakeZaloBot() as zb, FakeOpenAI() as llm:
        setenv(
            monkeypatch, tmp_path, DATABASE_URL=f"postgresql+asyncpg://hocbot:pw@127.0.0.1:{closed_port()}/hocbot",
            TELEGRAM_BOT_TOKEN="123456:wrong-token", TELEGRAM_API_BASE_URL=tg.base_url,
            TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{closed_port()}/tg",  # no https, no proxy
            TELEGRAM_WEBHOOK_SECRET="s" * 24,
            ZALO_BOT_TOKEN="999:not-this-one", ZALO_API_BASE_URL=zb.base_url,
            OPENAI_API_KEY="sk-wrong", OPENAI_BASE_URL=llm.base_url,
            HOCBOT_PUBLIC_URL=f"http://127.0.0.1:{closed_port()}",
        )
        code, out = await doctor(capsys)
    assert code == 1
    expected = [
        "❌ Cấu hình: TELEGRAM_WEBHOOK_URL phải bắt đầu bằng https://",
        "❌ Cơ sở dữ liệu: không kết nối được",
        "❌ Telegram: token bị từ chối",
        "❌ Zalo Bot: token bị từ chối",
        "❌ Trợ lý AI (LLM): khoá API bị từ chối",
        "❌ Địa chỉ công khai: không mở được",
        "❌ Webhook: không mở được TELEGRAM_WEBHOOK_URL",
    ]
    for line in expected:
        assert line in out, out
    assert out.count("→ Cách sửa:") >= len(expected)
    assert "Kết quả: " in out and "lỗi" in out
    assert "wrong-token" not in out and "sk-wrong" not in out


@asynccontextmanager
async def skewed_site(seconds: float) -> AsyncIterator[str]:
    """A public URL whose server clock is `seconds` ahead: its /healthz is fine, its Date is not ours."""

    async def healthz(request: web.Request) -> web.Response:
        date = email.utils.formatdate(time.time() + seconds, usegmt=True)
        return web.json_response({"status": "ok"}, headers={"Date": date})

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


async def test_a_wrong_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async with skewed_site(-600) as url:
        setenv(monkeypatch, tmp_path, DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'h.db'}", HOCBOT_PUBLIC_URL=url)
        code, out = await doctor(capsys)
    assert code == 1
    clock = next(line for line in out.splitlines() if "Đồng hồ:" in line)
    assert clock.startswith("❌") and re.search(r"lệch (599|600|601) giây", clock), out
    assert "timedatectl set-ntp true" in out
