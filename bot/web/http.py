"""HTTP helpers the web chat and the dashboard share: the client's address and the 429 answer."""

from __future__ import annotations

from aiohttp import web

from bot.settings import Settings

TOO_MANY = "Bạn thử quá nhiều lần trong thời gian ngắn. Vui lòng đợi vài phút rồi thử lại."


def client_ip(request: web.Request, settings: Settings) -> str:
    """The client's address; behind a trusted reverse proxy, the one it appended to X-Forwarded-For."""
    remote = request.remote or ""
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded and remote in settings.trusted_proxy_set:
        return forwarded.rsplit(",", 1)[-1].strip()[:64] or remote
    return remote


def too_many(*, json: bool = True) -> web.Response:
    """HTTP 429 with the Vietnamese explanation (JSON for the web chat, plain text for pages)."""
    headers = {"Retry-After": "60"}
    if json:
        return web.json_response({"error": TOO_MANY}, status=429, headers=headers)
    return web.Response(text=TOO_MANY, status=429, headers=headers, content_type="text/plain", charset="utf-8")
