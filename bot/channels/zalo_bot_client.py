"""Small aiohttp client for the Zalo Bot Platform (Telegram-like bot API, token in the URL path).

Also home of the text splitter shared with the Official Account client (the error types are in zalo_common).
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import aiohttp

from bot.channels.zalo_common import (
    ZaloAuthError,
    ZaloBlocked,
    ZaloError,
    ZaloNotFound,
    ZaloRateLimited,
    ZaloServerError,
    as_int,
    event_hash,
)
from bot.core import render

log = logging.getLogger(__name__)

TEXT_LIMIT = 2000  # characters per sendMessage text / sendPhoto caption (official)
SECRET_HEADER = "X-Bot-Api-Secret-Token"


# ---------------------------------------------------------------- text splitting


def split_text(text: str) -> list[str]:
    """Text in parts Zalo accepts (TEXT_LIMIT UTF-16 units each), cut where a reader would pause."""
    return render.split_text(text, TEXT_LIMIT)


# ---------------------------------------------------------------- inbound parsing

BotKind = Literal["text", "sticker", "image", "other"]
_KINDS: dict[str, BotKind] = {
    "message.text.received": "text",
    "message.sticker.received": "sticker",
    "message.image.received": "image",
}


@dataclass(frozen=True)
class ZaloBotEvent:
    """One inbound Bot Platform event in a flat shape."""

    event_id: str  # message_id (or a stable hash when absent) — use for dedupe
    user_id: str
    chat_id: str
    display_name: str
    kind: BotKind
    text: str  # the text, or the photo caption; "" otherwise
    event_name: str = ""
    chat_type: str = "PRIVATE"
    photo_url: str = ""
    date_ms: int = 0
    is_bot: bool = False


def parse_bot_update(obj: object) -> ZaloBotEvent | None:
    """Parse a webhook body or getUpdates result (wrapped `{ok, result}` or flat); None if unusable."""
    if not isinstance(obj, Mapping):
        return None
    inner = obj.get("result") if "result" in obj else obj
    if not isinstance(inner, Mapping):
        return None
    message = inner.get("message")
    if not isinstance(message, Mapping):
        return None
    sender, chat = _map(message.get("from")), _map(message.get("chat"))
    user_id = _s(sender.get("id")) or _s(chat.get("id"))
    if not user_id:
        return None
    event_name = _s(inner.get("event_name"))
    kind = _KINDS.get(event_name, "other")
    date_ms = as_int(message.get("date"))
    event_id = _s(message.get("message_id")) or event_hash(event_name, str(date_ms), user_id)
    text = message.get("text") if kind == "text" else message.get("caption") if kind == "image" else ""
    name = sender.get("display_name") or sender.get("first_name") or sender.get("name") or ""
    return ZaloBotEvent(
        event_id=event_id,
        user_id=user_id,
        chat_id=_s(chat.get("id")) or user_id,
        display_name=_s(name),
        kind=kind,
        text=_s(text),
        event_name=event_name,
        chat_type=_s(chat.get("chat_type")) or "PRIVATE",
        photo_url=_s(message.get("photo") or message.get("url")) if kind in ("image", "sticker") else "",
        date_ms=date_ms,
        is_bot=sender.get("is_bot") is True,
    )


def verify_bot_webhook(headers: Mapping[str, str], secret: str) -> bool:
    """True if the X-Bot-Api-Secret-Token header equals our secret (constant-time compare)."""
    got = headers.get(SECRET_HEADER)
    if got is None:
        got = next((v for k, v in headers.items() if k.lower() == SECRET_HEADER.lower()), None)
    if not got or not secret:
        return False
    return hmac.compare_digest(got.encode("utf-8"), secret.encode("utf-8"))


def _map(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _s(value: object) -> str:
    return "" if value is None or isinstance(value, Mapping | list) else str(value)


# ---------------------------------------------------------------- client


class ZaloBotClient:
    """Calls `POST {base_url}/bot{token}/{method}` with JSON; the token is never logged."""

    def __init__(
        self,
        token: str,
        base_url: str,
        session: aiohttp.ClientSession | None = None,
        *,
        request_timeout: float = 15.0,
    ) -> None:
        self._token = token
        self._base = base_url.rstrip("/")
        self._session = session
        self._own_session = session is None
        self._timeout = request_timeout

    async def __aenter__(self) -> ZaloBotClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._own_session and self._session is not None:
            await self._session.close()
            self._session = None

    def redact(self, text: str) -> str:
        return text.replace(self._token, "<token>") if self._token else text

    async def get_me(self) -> dict[str, Any]:
        return dict(await self._call("getMe"))

    async def get_updates(self, timeout: float = 30) -> list[dict[str, Any]]:  # noqa: ASYNC109
        """Long-poll once; the platform returns at most one update. Idle (408) → []."""
        try:
            result = await self._call("getUpdates", {"timeout": str(int(timeout))}, wait=timeout)
        except ZaloServerError as exc:
            if exc.code == 408:
                return []
            raise
        if isinstance(result, list):
            return [r for r in result if isinstance(r, dict)]
        return [result] if isinstance(result, dict) and result else []

    async def set_webhook(self, url: str, secret_token: str) -> dict[str, Any]:
        return dict(await self._call("setWebhook", {"url": url, "secret_token": secret_token}))

    async def delete_webhook(self) -> dict[str, Any]:
        return dict(await self._call("deleteWebhook"))

    async def get_webhook_info(self) -> dict[str, Any]:
        """The webhook settings; `{"url": ""}` when none was ever set (the platform answers 404)."""
        try:
            return dict(await self._call("getWebhookInfo"))
        except ZaloNotFound:
            return {"url": ""}

    async def send_message(self, chat_id: str, text: str) -> list[str]:
        """Send text, split under the 2000-character limit; returns the message ids in order."""
        ids: list[str] = []
        for chunk in split_text(text):
            result = await self._call("sendMessage", {"chat_id": chat_id, "text": chunk})
            ids.append(_s(result.get("message_id")) if isinstance(result, dict) else "")
        return ids

    async def send_photo(self, chat_id: str, photo_url: str, caption: str = "") -> list[str]:
        """Send a photo by URL; a caption over the limit continues as text messages."""
        chunks = split_text(caption)
        payload: dict[str, Any] = {"chat_id": chat_id, "photo": photo_url}
        if chunks:
            payload["caption"] = chunks[0]
        result = await self._call("sendPhoto", payload)
        ids = [_s(result.get("message_id")) if isinstance(result, dict) else ""]
        for chunk in chunks[1:]:
            ids += await self.send_message(chat_id, chunk)
        return ids

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        await self._call("sendChatAction", {"chat_id": chat_id, "action": action})

    async def _call(self, method: str, payload: dict[str, Any] | None = None, wait: float = 0) -> Any:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        url = f"{self._base}/bot{self._token}/{method}"
        timeout = aiohttp.ClientTimeout(total=self._timeout + wait)
        try:
            async with self._session.post(url, json=payload or {}, timeout=timeout) as resp:
                status = resp.status
                retry_header = resp.headers.get("Retry-After")
                try:
                    body = await resp.json(content_type=None)
                except (ValueError, aiohttp.ContentTypeError):
                    body = None
        except TimeoutError:
            raise ZaloServerError(408, f"{method}: timed out") from None
        except aiohttp.ClientError as exc:
            raise ZaloServerError(0, self.redact(f"{method}: {type(exc).__name__}")) from None
        if isinstance(body, dict) and body.get("ok") is True and status < 400:
            return body.get("result", {})
        raise self._error(method, status, body, retry_header)

    def _error(self, method: str, status: int, body: object, retry_header: str | None) -> ZaloError:
        body = body if isinstance(body, dict) else {}
        code = as_int(body.get("error_code")) or status
        desc = self.redact(f"{method}: {_s(body.get('description')) or 'HTTP ' + str(status)}")
        log.debug("zalo bot %s failed: %s %s", method, code, desc)
        if code == 429 or status == 429:
            retry = _map(body.get("parameters")).get("retry_after") or retry_header or 60
            return ZaloRateLimited(429, desc, float(as_int(retry) or 60))
        if code == 401:
            return ZaloAuthError(code, desc)
        if code == 403:  # assumption: the platform documents 403 vaguely; treat as unreachable user
            return ZaloBlocked(code, desc)
        if code == 404:
            return ZaloNotFound(code, desc)
        if code == 408 or status >= 500 or code >= 500:
            return ZaloServerError(code, desc)
        return ZaloError(code, desc)
