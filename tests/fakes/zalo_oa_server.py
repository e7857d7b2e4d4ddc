"""A local fake of the Zalo Official Account API v3 and OAuth v4 (spec/zalo/NOTES.md §2 and §5.2).

One server plays both hosts: `fake.base_url` is the api_base_url and the oauth_base_url.

    async with FakeZaloOA() as fake:
        pair = fake.issue_pair(expires_in=300)
        fake.webhook_url = "http://127.0.0.1:8080/zalo/oa"   # our server
        lan = fake.user("u1", name="Lan")
        await lan.follow(); await lan.send("xin chào"); await lan.click("#q:1:2")
        lan.texts(), lan.buttons()
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

WINDOW_S = 7 * 24 * 3600
TEXT_LIMIT = 2000


@dataclass
class Issued:
    access_token: str
    refresh_token: str
    expires_in: int
    access_expires_at: float


@dataclass
class OASent:
    text: str
    buttons: list[tuple[str, str]]  # (title, payload)
    button_types: list[str]


@dataclass
class FakeOAUser:
    fake: FakeZaloOA
    user_id: str
    name: str
    following: bool = False
    blocked: bool = False
    last_interaction: float = 0.0  # epoch seconds; 0 = never
    inbox: list[OASent] = field(default_factory=list)

    async def follow(self) -> int:
        self.following = True
        return await self._event("follow", follower={"id": self.user_id}, source="oa_profile")

    async def unfollow(self) -> int:
        self.following = False
        return await self._event("unfollow", follower={"id": self.user_id}, source="oa_profile")

    async def send(self, text: str) -> int:
        msg = {"text": text, "msg_id": secrets.token_hex(10)}
        return await self._event("user_send_text", sender={"id": self.user_id}, message=msg)

    async def click(self, payload: str) -> int:
        """Tapping an oa.query.* button: Zalo delivers the payload as a user_send_text."""
        return await self.send(payload)

    async def send_sticker(self) -> int:
        att = [{"type": "sticker", "payload": {"id": "abc", "url": "https://zalo.invalid/sticker.png"}}]
        msg = {"msg_id": secrets.token_hex(10), "attachments": att}
        return await self._event("user_send_sticker", sender={"id": self.user_id}, message=msg)

    def go_silent(self, days: float = 8) -> None:
        """Pretend the last interaction was `days` ago (> 7 → outside the CS window)."""
        self.last_interaction = time.time() - days * 86400

    def texts(self) -> list[str]:
        return [m.text for m in self.inbox]

    def buttons(self) -> list[tuple[str, str]]:
        """Buttons (title, payload) on the last message the OA sent this user."""
        return list(self.inbox[-1].buttons) if self.inbox else []

    async def _event(self, name: str, **extra: Any) -> int:
        self.last_interaction = time.time()
        if "sender" in extra:
            extra["recipient"] = {"id": self.fake.oa_id}
        else:
            extra["oa_id"] = self.fake.oa_id
        return await self.fake.push(name, user_id_by_app=f"app-{self.user_id}", **extra)


class FakeZaloOA:
    """aiohttp fake on 127.0.0.1 (random port) for /v4/oa/access_token and /v3.0/oa/message/cs."""

    def __init__(
        self,
        app_id: str = "2553928453557884079",
        secret_key: str = "app-secret-key-XyZ",
        oa_secret: str = "oa-secret-key-QwE",
        oa_id: str = "3662729599332560487",
        *,
        expires_in: int = 3600,
    ) -> None:
        self.app_id, self.secret_key, self.oa_secret, self.oa_id = app_id, secret_key, oa_secret, oa_id
        self.expires_in = expires_in
        self.webhook_url: str | None = None
        self.users: dict[str, FakeOAUser] = {}
        self.issued: list[Issued] = []
        self.used_refresh: set[str] = set()
        self.refresh_calls = 0
        self.send_calls = 0
        self.deliveries: list[tuple[dict[str, Any], int]] = []  # (event, status)
        self._faults: list[tuple[int, dict[str, Any] | None]] = []
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.base_url = ""

    async def __aenter__(self) -> FakeZaloOA:
        app = web.Application()
        app.router.add_post("/v4/oa/access_token", self._oauth)
        app.router.add_post("/v3.0/oa/message/cs", self._send_cs)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"
        self._session = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session:
            await self._session.close()
        if self._runner:
            await self._runner.cleanup()

    # ------------------------------------------------------------ test controls

    def user(self, user_id: str, name: str = "", *, following: bool = True) -> FakeOAUser:
        if user_id not in self.users:
            self.users[user_id] = FakeOAUser(self, user_id, name or f"User {user_id}", following)
            self.users[user_id].last_interaction = time.time()
        return self.users[user_id]

    def issue_pair(self, expires_in: int | None = None) -> Issued:
        """Mint a valid access/refresh pair (as the console's API Explorer would)."""
        ttl = self.expires_in if expires_in is None else expires_in
        pair = Issued(secrets.token_urlsafe(24), secrets.token_urlsafe(24), ttl, time.time() + ttl)
        self.issued.append(pair)
        return pair

    def expire_access_tokens(self) -> None:
        """Every access token issued so far now answers -220 (expired or removed)."""
        for pair in self.issued:
            pair.access_expires_at = 0

    def fail_next(self, status: int = 500, count: int = 1) -> None:
        self._faults += [(status, None)] * count

    def error_next(self, code: int, message: str, count: int = 1) -> None:
        """The next `count` sends answer HTTP 200 with `{"error": code}`."""
        self._faults += [(200, {"error": code, "message": message})] * count

    def sign(self, body: bytes, timestamp: str) -> str:
        raw = self.app_id.encode() + body + timestamp.encode() + self.oa_secret.encode()
        return "mac=" + hashlib.sha256(raw).hexdigest()

    async def push(self, event_name: str, *, at_ms: int | None = None, **fields: Any) -> int:
        """POST a correctly signed webhook event (stamped now, or `at_ms`) to `webhook_url`; returns the status."""
        stamp = str(_ms() if at_ms is None else at_ms)
        event = {"app_id": self.app_id, "event_name": event_name, **fields, "timestamp": stamp}
        body = json.dumps(event, ensure_ascii=False).encode()
        status = await self.post_raw(body, self.sign(body, event["timestamp"]))
        self.deliveries.append((event, status))
        return status

    async def push_forged(self, event_name: str = "user_send_text", **fields: Any) -> int:
        """Same as push but signed with a wrong secret."""
        event = {"app_id": self.app_id, "event_name": event_name, **fields, "timestamp": str(_ms())}
        body = json.dumps(event).encode()
        forged = "mac=" + hashlib.sha256(body + b"not-the-secret").hexdigest()
        return await self.post_raw(body, forged)

    async def post_raw(self, body: bytes, signature: str | None) -> int:
        if self.webhook_url is None or self._session is None:
            return 0
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers["X-ZEvent-Signature"] = signature
        async with self._session.post(self.webhook_url, data=body, headers=headers) as resp:
            return resp.status

    # ------------------------------------------------------------ API

    async def _oauth(self, request: web.Request) -> web.Response:
        form = await request.post()
        if request.headers.get("secret_key") != self.secret_key or form.get("app_id") != self.app_id:
            return _oauth_err(-14002, "Invalid app_id or secret_key")
        if form.get("grant_type") != "refresh_token":
            return _oauth_err(-14001, "Unsupported grant_type")
        self.refresh_calls += 1
        token = str(form.get("refresh_token", ""))
        known = any(p.refresh_token == token for p in self.issued)
        if not known or token in self.used_refresh:
            return _oauth_err(-14014, "Invalid refresh token")
        self.used_refresh.add(token)
        pair = self.issue_pair()
        body = {"access_token": pair.access_token, "refresh_token": pair.refresh_token}
        return web.json_response({**body, "expires_in": str(pair.expires_in)})

    async def _send_cs(self, request: web.Request) -> web.Response:
        self.send_calls += 1
        if self._faults:
            status, fault = self._faults.pop(0)
            if fault is None:
                return web.Response(status=status, text="Internal Server Error")
            return web.json_response(fault, status=status)
        token = request.headers.get("access_token", "")
        pair = next((p for p in self.issued if p.access_token == token), None)
        if pair is None:
            return _api_err(-216, "Access token is invalid")
        if pair.access_expires_at <= time.time():
            return _api_err(-220, "access_token is expired or removed")
        body = await request.json()
        user = self.users.get(str(body.get("recipient", {}).get("user_id", "")))
        if user is None:
            return _api_err(-201, "user_id is invalid!")
        if user.blocked:
            return _api_err(-244, "User has restricted this message type from the OA")
        if not user.following:
            return _api_err(-213, "User has not followed OA")
        if time.time() - user.last_interaction > WINDOW_S:
            return _api_err(-230, "User has not interacted with the OA in the past 7 days")
        return self._accept(user, body.get("message") or {})

    def _accept(self, user: FakeOAUser, message: dict[str, Any]) -> web.Response:
        text = str(message.get("text", ""))
        buttons = (message.get("attachment") or {}).get("payload", {}).get("buttons", [])
        if not text or len(text) > TEXT_LIMIT:
            return _api_err(-201, "text is invalid!")
        if len(buttons) > 5:
            return _api_err(-210, "buttons exceeds allowable limit")
        pairs = [(str(b.get("title", "")), str(b.get("payload", ""))) for b in buttons]
        user.inbox.append(OASent(text, pairs, [str(b.get("type", "")) for b in buttons]))
        data = {"message_id": secrets.token_hex(10), "user_id": user.user_id, "sent_time": str(_ms())}
        return web.json_response({"data": data, "error": 0, "message": "Success"})


def _oauth_err(code: int, name: str) -> web.Response:
    body = {"error": code, "error_name": name, "error_reason": name, "error_description": name}
    return web.json_response(body)  # HTTP 200, as Zalo does


def _api_err(code: int, message: str) -> web.Response:
    return web.json_response({"error": code, "message": message})


def _ms() -> int:
    return int(time.time() * 1000)
