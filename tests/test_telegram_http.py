"""The Telegram channel's HTTP (PTB's requests on aiohttp): what httpx did for PTB, the same way."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.channels.telegram_http import AiohttpRequest


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, list[dict[str, object]]]]:
    """A Bot API stand-in that records each request's form (files as name, filename, bytes) and can stall."""
    seen: list[dict[str, object]] = []

    async def handle(request: web.Request) -> web.Response:
        if request.path.endswith("/slow"):
            await asyncio.sleep(5)
        if request.path.endswith("/refuse"):
            return web.json_response({"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
                                     status=400)  # fmt: skip
        if request.content_type == "application/json":
            seen.append(await request.json())
        else:
            form = await request.post()
            seen.append(
                {k: (v.filename, v.file.read()) if isinstance(v, web.FileField) else v for k, v in form.items()}
            )
        return web.json_response({"ok": True, "result": True}, status=200)

    app = web.Application()
    app.router.add_post("/{tail:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}/botX", seen
    finally:
        await runner.cleanup()


async def test_parameters_go_as_json_and_files_as_multipart(
    server: tuple[str, list[dict[str, object]]],
) -> None:
    base, seen = server
    async with AiohttpRequest() as request:
        params = [
            RequestParameter.from_input("chat_id", 5),
            RequestParameter.from_input("reply_markup", {"inline_keyboard": [[]]}),
        ]
        status, body = await request.do_request(f"{base}/sendMessage", "POST", RequestData(params))
        assert status == 200 and json.loads(body)["ok"]
        doc = RequestParameter.from_input("document", InputFile(b"%PDF-1 x", filename="a.pdf"))
        await request.do_request(
            f"{base}/sendDocument", "POST", RequestData([RequestParameter.from_input("chat_id", 5), doc])
        )
    assert seen[0] == {"chat_id": 5, "reply_markup": {"inline_keyboard": [[]]}}
    assert seen[1]["chat_id"] == "5" and seen[1]["document"] == ("a.pdf", b"%PDF-1 x")


async def test_a_slow_answer_is_timed_out_and_a_closed_port_a_network_error(
    server: tuple[str, list[dict[str, object]]],
) -> None:
    base, _ = server
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    async with AiohttpRequest(read_timeout=0.2) as request:
        with pytest.raises(TimedOut):
            await request.do_request(f"{base}/slow", "POST")
        with pytest.raises(NetworkError):
            await request.do_request(f"http://127.0.0.1:{closed}/botX/getMe", "POST")


def test_the_proxy_comes_from_the_environment_once_per_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.lan:3128")
    monkeypatch.setenv("NO_PROXY", "internal.example")
    request = AiohttpRequest()
    assert request._proxy("https://api.telegram.org/botX/getMe") == "http://proxy.lan:3128"
    assert request._proxy("https://internal.example/botX/getMe") is None
    monkeypatch.delenv("HTTPS_PROXY")
    assert request._proxy("https://api.telegram.org/botX/sendMessage") == "http://proxy.lan:3128"  # looked up once


async def test_json_parameters_go_without_ptbs_parameter_objects_and_fail_as_ptb_fails(
    server: tuple[str, list[dict[str, object]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """post_json: parameters that are already JSON reach the Bot API as Bot._post sends them (None dropped, an enum
    as its value), with no RequestParameter built; the answer's "result" comes back, an error status is PTB's
    error."""
    from telegram.constants import ParseMode
    from telegram.error import BadRequest

    from bot.channels.telegram_http import post_json

    base, seen = server

    def built(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a RequestParameter was built")

    monkeypatch.setattr(RequestParameter, "from_input", built)
    params = {"chat_id": 5, "text": "Chào bạn", "parse_mode": ParseMode.HTML, "reply_markup": None}
    async with AiohttpRequest() as request:
        assert await post_json(request, f"{base}/sendMessage", params) is True
        with pytest.raises(BadRequest, match="Chat not found"):
            await post_json(request, f"{base}/refuse", {"chat_id": 5})
    assert seen[0] == {"chat_id": 5, "text": "Chào bạn", "parse_mode": "HTML"}
