"""Small aiohttp client for the Zalo Official Account API v3: OAuth v4 refresh, CS text, signed webhooks."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, NoReturn, Protocol

import aiohttp

from bot.channels.zalo_bot_client import split_text
from bot.channels.zalo_common import (
    ZaloAuthError,
    ZaloBlocked,
    ZaloError,
    ZaloNotFound,
    ZaloOutsideWindow,
    ZaloRateLimited,
    ZaloServerError,
    as_int,
    event_hash,
)

log = logging.getLogger(__name__)

MAX_BUTTONS = 5
SIGNATURE_HEADER = "X-ZEvent-Signature"
TOKEN_ERRORS = {-216, -220}  # invalid / expired access token → refresh once
WINDOW_ERRORS = {-213, -230, -232}  # not following / no interaction within 7 days
BLOCKED_ERRORS = {-227, -244}  # banned or inactive / restricted this message type
RATE_ERRORS = {-32, -211}


@dataclass(frozen=True)
class TokenPair:
    """An OA access token, its single-use refresh token, and when the access token expires (epoch s)."""

    access_token: str
    refresh_token: str
    expires_at: float  # 0 = unknown/expired: refresh before first use

    def __repr__(self) -> str:  # never print secrets
        return f"TokenPair(expires_at={self.expires_at:.0f})"


class TokenStore(Protocol):
    """Where the current pair lives. `save` must be an atomic compare-and-swap on `old_refresh`."""

    async def load(self) -> TokenPair | None: ...

    async def save(self, new: TokenPair, old_refresh: str) -> bool: ...


class MemoryTokenStore:
    """In-process TokenStore (tests, single worker)."""

    def __init__(self, initial: TokenPair | None = None) -> None:
        self.pair = initial
        self.saves = 0
        self._lock = asyncio.Lock()

    async def load(self) -> TokenPair | None:
        return self.pair

    async def save(self, new: TokenPair, old_refresh: str) -> bool:
        async with self._lock:
            current = self.pair.refresh_token if self.pair else ""
            if current != old_refresh:
                return False
            self.pair = new
            self.saves += 1
            return True


AuthFailureHook = Callable[[ZaloAuthError], Awaitable[None]]


class ZaloOAClient:
    """Sends consultation messages; refreshes the access token ahead of expiry under a lock."""

    def __init__(
        self,
        app_id: str,
        secret_key: str,
        token_store: TokenStore,
        api_base_url: str,
        oauth_base_url: str,
        session: aiohttp.ClientSession | None = None,
        *,
        on_auth_failure: AuthFailureHook | None = None,
        refresh_margin: float = 600.0,
        request_timeout: float = 10.0,
        button_type: str = "oa.query.hide",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._app_id = app_id
        self._secret = secret_key
        self._store = token_store
        self._api = api_base_url.rstrip("/")
        self._oauth = oauth_base_url.rstrip("/")
        self._session = session
        self._own_session = session is None
        self._on_auth_failure = on_auth_failure
        self._margin = refresh_margin
        self._timeout = aiohttp.ClientTimeout(total=request_timeout)
        self._button_type = button_type
        self._clock = clock
        self._pair: TokenPair | None = None
        self._lock = asyncio.Lock()

    async def __aenter__(self) -> ZaloOAClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._own_session and self._session is not None:
            await self._session.close()
            self._session = None

    # ------------------------------------------------------------ sending

    async def send_text(
        self, user_id: str, text: str, buttons: list[tuple[str, str]] | None = None
    ) -> list[str]:
        """Send text (split at 2000 chars); buttons (≤ 5, label → payload) ride on the last chunk."""
        if buttons and len(buttons) > MAX_BUTTONS:
            raise ValueError(f"Zalo OA allows at most {MAX_BUTTONS} buttons, got {len(buttons)}")
        chunks = split_text(text) or ([" "] if buttons else [])
        ids: list[str] = []
        for i, chunk in enumerate(chunks):
            message: dict[str, Any] = {"text": chunk}
            if buttons and i == len(chunks) - 1:
                message["attachment"] = self._buttons(buttons)
            body = {"recipient": {"user_id": user_id}, "message": message}
            data = await self._api_post("/v3.0/oa/message/cs", body)
            ids.append(str(data.get("message_id", "")))
        return ids

    def _buttons(self, buttons: list[tuple[str, str]]) -> dict[str, Any]:
        kind = self._button_type
        items = [{"title": label, "type": kind, "payload": payload} for label, payload in buttons]
        return {"type": "template", "payload": {"buttons": items}}

    async def _api_post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        token = await self.access_token()
        reply = await self._post_json(path, body, token)
        if reply.get("error") in TOKEN_ERRORS:
            log.info("zalo oa access token rejected (%s); refreshing once", reply.get("error"))
            token = await self._refresh(stale=token)
            reply = await self._post_json(path, body, token)
            if reply.get("error") in TOKEN_ERRORS:
                await self._fail(ZaloAuthError(int(reply["error"]), "access token rejected after refresh"))
        return self._check(reply)

    async def _post_json(self, path: str, body: dict[str, Any], token: str) -> dict[str, Any]:
        headers = {"access_token": token}
        return await self._request(f"{self._api}{path}", headers=headers, json_body=body)

    @staticmethod
    def _check(reply: dict[str, Any]) -> dict[str, Any]:
        code = as_int(reply.get("error"))
        if code == 0:
            data = reply.get("data")
            return data if isinstance(data, dict) else {}
        desc = str(reply.get("message") or "")
        if code in WINDOW_ERRORS:
            raise ZaloOutsideWindow(code, desc)
        if code in BLOCKED_ERRORS:
            raise ZaloBlocked(code, desc)
        if code == -201 and "user" in desc.lower():
            raise ZaloNotFound(code, desc)
        if code in RATE_ERRORS:
            raise ZaloRateLimited(code, desc, 60.0)
        raise ZaloError(code, desc)

    async def _request(
        self, url: str, *, headers: dict[str, str], json_body: Any = None, form: Any = None
    ) -> dict[str, Any]:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        try:
            async with self._session.post(
                url, headers=headers, json=json_body, data=form, timeout=self._timeout
            ) as resp:
                status = resp.status
                try:
                    body = await resp.json(content_type=None)
                except ValueError:
                    body = None
        except TimeoutError:
            raise ZaloServerError(408, "Zalo OA request timed out") from None
        except aiohttp.ClientError as exc:
            raise ZaloServerError(0, f"Zalo OA connection failed: {type(exc).__name__}") from None
        if status >= 500:
            raise ZaloServerError(status, f"Zalo OA HTTP {status}")
        if not isinstance(body, dict):
            raise ZaloError(status, f"Zalo OA: unexpected reply (HTTP {status})")
        return body

    # ------------------------------------------------------------ tokens

    async def access_token(self) -> str:
        """A usable access token, refreshed when less than `refresh_margin` seconds remain."""
        if self._pair and self._fresh(self._pair):
            return self._pair.access_token
        async with self._lock:
            if self._pair and self._fresh(self._pair):
                return self._pair.access_token
            stored = await self._store.load()
            if stored and self._fresh(stored):
                self._pair = stored
                return stored.access_token
            return (await self._do_refresh(stored)).access_token

    async def _refresh(self, stale: str) -> str:
        """Force a refresh after Zalo rejected `stale`, unless someone already replaced it."""
        async with self._lock:
            if self._pair and self._pair.access_token != stale and self._fresh(self._pair):
                return self._pair.access_token
            stored = await self._store.load()
            if stored and stored.access_token != stale and self._fresh(stored):
                self._pair = stored
                return stored.access_token
            return (await self._do_refresh(stored)).access_token

    def _fresh(self, pair: TokenPair) -> bool:
        return bool(pair.access_token) and pair.expires_at - self._clock() > self._margin

    async def _do_refresh(self, stored: TokenPair | None) -> TokenPair:
        if stored is None or not stored.refresh_token:
            await self._fail(ZaloAuthError(0, "no Zalo OA refresh token stored"))
        form = {"refresh_token": stored.refresh_token, "app_id": self._app_id, "grant_type": "refresh_token"}
        try:
            reply = await self._request(
                f"{self._oauth}/v4/oa/access_token", headers={"secret_key": self._secret}, form=form
            )
        except ZaloServerError:
            raise  # transient: keep the stored pair, try again later
        except ZaloError as exc:
            reply = {"error": exc.code, "message": exc.description}
        access, refresh = reply.get("access_token"), reply.get("refresh_token")
        if not isinstance(access, str) or not access or not isinstance(refresh, str) or not refresh:
            # Maybe another worker consumed our refresh token and stored its result: use that.
            latest = await self._store.load()
            if latest and latest.refresh_token != stored.refresh_token and self._fresh(latest):
                self._pair = latest
                return latest
            reason = reply.get("error_name") or reply.get("error_description") or reply.get("message") or "?"
            await self._fail(ZaloAuthError(as_int(reply.get("error")), f"token refresh failed: {reason}"))
        expires_in = float(as_int(reply.get("expires_in")) or 3600)
        new = TokenPair(str(access), str(refresh), self._clock() + expires_in)
        if not await self._store.save(new, old_refresh=stored.refresh_token):
            latest = await self._store.load()
            log.warning("zalo oa token pair changed concurrently; using the stored one")
            self._pair = latest if latest and latest.access_token else new
            return self._pair
        log.info("zalo oa access token refreshed")
        self._pair = new
        return new

    async def _fail(self, error: ZaloAuthError) -> NoReturn:
        log.error("zalo oa auth failure: %s", error)
        if self._on_auth_failure is not None:
            try:
                await self._on_auth_failure(error)
            except Exception:
                log.exception("on_auth_failure callback failed")
        raise error


# ---------------------------------------------------------------- webhook


def verify_oa_signature(
    app_id: str, body: bytes, timestamp: str, secret_key: str, signature_header: str
) -> bool:
    """Check `X-ZEvent-Signature: mac=<sha256(app_id + raw body + timestamp + OA secret) hex>`."""
    if not signature_header or not secret_key:
        return False
    got = signature_header.strip()
    if got.lower().startswith("mac="):
        got = got[4:].strip()
    raw = app_id.encode("utf-8") + body + timestamp.encode("utf-8") + secret_key.encode("utf-8")
    want = hashlib.sha256(raw).hexdigest()
    return hmac.compare_digest(got.lower().encode("ascii", "replace"), want.encode("ascii"))


def verify_oa_webhook(app_id: str, body: bytes, secret_key: str, headers: Mapping[str, str]) -> bool:
    """Verify a raw webhook request: the timestamp is read from the body's `timestamp` field."""
    try:
        obj = json.loads(body)
    except ValueError:
        return False
    timestamp = str(obj.get("timestamp", "")) if isinstance(obj, dict) else ""
    header = headers.get(SIGNATURE_HEADER) or next(
        (v for k, v in headers.items() if k.lower() == SIGNATURE_HEADER.lower()), ""
    )
    return verify_oa_signature(app_id, body, timestamp, secret_key, header)


OAKind = Literal["text", "sticker", "image", "follow", "unfollow", "other"]
_OA_KINDS: dict[str, OAKind] = {
    "user_send_text": "text",
    "user_send_sticker": "sticker",
    "user_send_image": "image",
    "user_send_gif": "image",
    "follow": "follow",
    "unfollow": "unfollow",
}


@dataclass(frozen=True)
class ZaloOAEvent:
    """One user event from the OA webhook. Button taps arrive as `text` whose text is the payload."""

    event_id: str
    event_name: str
    kind: OAKind
    user_id: str
    text: str = ""
    timestamp_ms: int = 0
    image_url: str = ""


def parse_oa_event(obj: object) -> ZaloOAEvent | None:
    """Parse an OA webhook body; None for malformed bodies and the OA's own echoes (`oa_send_*`)."""
    if not isinstance(obj, Mapping):
        return None
    name = str(obj.get("event_name") or "")
    if not name or name.startswith("oa_"):
        return None
    user_id = _id(obj.get("follower")) if name in ("follow", "unfollow") else _id(obj.get("sender"))
    user_id = user_id or _id(obj.get("sender")) or _id(obj.get("follower"))
    if not user_id:
        return None
    message = obj.get("message")
    message = message if isinstance(message, Mapping) else {}
    timestamp = str(obj.get("timestamp") or "")
    kind = _OA_KINDS.get(name, "other")
    event_id = str(message.get("msg_id") or "") or event_hash(name, timestamp, user_id)
    return ZaloOAEvent(
        event_id=event_id,
        event_name=name,
        kind=kind,
        user_id=user_id,
        text=str(message.get("text") or "") if kind == "text" else "",
        timestamp_ms=as_int(timestamp),
        image_url=_attachment_url(message) if kind in ("image", "sticker") else "",
    )


def _attachment_url(message: Mapping[str, Any]) -> str:
    attachments = message.get("attachments")
    if isinstance(attachments, list) and attachments and isinstance(attachments[0], Mapping):
        payload = attachments[0].get("payload")
        if isinstance(payload, Mapping):
            return str(payload.get("url") or "")
    return ""


def _id(value: object) -> str:
    return str(value.get("id") or "") if isinstance(value, Mapping) else ""
