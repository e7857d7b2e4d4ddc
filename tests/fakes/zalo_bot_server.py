"""A local fake of the Zalo Bot Platform API (bot-api.zaloplatforms.com), faithful to spec/zalo/NOTES.md §5.1.

    async with FakeZaloBot() as fake:
        client = ZaloBotClient(fake.token, fake.base_url)
        lan = fake.user("u1", name="Lan")
        await lan.send("xin chào")          # queued for getUpdates, or POSTed to the webhook if set
        reply = await lan.wait_reply()      # next text the bot sent to Lan
"""

from __future__ import annotations

import asyncio
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

TEXT_LIMIT = 2000


@dataclass
class Call:
    method: str
    params: dict[str, Any]


@dataclass
class Outbound:
    kind: str  # "text" | "photo" | "sticker"
    text: str
    photo: str = ""


@dataclass
class FakeBotUser:
    fake: FakeZaloBot
    user_id: str
    name: str
    fate: str | None = None  # None | "blocked" | "not_found"
    inbox: list[Outbound] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    _read: int = 0

    async def send(self, text: str) -> int:
        """The user types `text`; returns the webhook HTTP status (0 when queued for polling)."""
        return await self.fake.deliver(self._message("message.text.received", text=text))

    async def send_sticker(self, sticker: str = "bfe458bf64fa8da4d4eb") -> int:
        url = f"https://zalo-api.zadn.vn/api/emoticon/sticker/webpc?eid={sticker}"
        return await self.fake.deliver(self._message("message.sticker.received", sticker=sticker, url=url))

    async def send_image(self, url: str = "https://example.invalid/a.jpg", caption: str = "") -> int:
        return await self.fake.deliver(self._message("message.image.received", photo=url, caption=caption))

    def block(self) -> None:
        self.fate = "blocked"

    def texts(self) -> list[str]:
        """Every text the bot showed this user (messages and photo captions), in order."""
        return [m.text for m in self.inbox if m.text]

    async def wait_reply(self, timeout: float = 10.0) -> str:  # noqa: ASYNC109
        """The next unread text the bot sent to this user."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._read >= len(self.inbox):
            if loop.time() > deadline:
                raise TimeoutError(f"no reply to {self.user_id} within {timeout}s")
            async with self.fake._changed:
                try:
                    await asyncio.wait_for(self.fake._changed.wait(), max(0.0, deadline - loop.time()))
                except TimeoutError:
                    pass
        self._read += 1
        return self.inbox[self._read - 1].text

    def _message(self, event_name: str, **content: str) -> dict[str, Any]:
        message = {
            "from": {"id": self.user_id, "display_name": self.name, "is_bot": False},
            "chat": {"id": self.user_id, "chat_type": "PRIVATE"},
            "message_id": secrets.token_hex(10),
            "date": int(time.time() * 1000),
            **{k: v for k, v in content.items() if v},
        }
        return {"event_name": event_name, "message": message}


class FakeZaloBot:
    """aiohttp fake on 127.0.0.1 with a random port; token in the path as `/bot<TOKEN>/<method>`."""

    def __init__(
        self,
        token: str = "1234567890123456789:fake-secret-AbC",
        *,
        idle_timeout: float = 0.3,
        strict_webhook: bool = False,
        wrapped: bool = True,
        monthly_quota: int | None = None,
        port: int = 0,
    ) -> None:
        self.token = token
        self.port = port  # 0: any free port; a fixed one lets a test bring "Zalo" up after hocbot started
        self.idle_timeout = idle_timeout
        self.strict_webhook = strict_webhook
        self.wrapped = wrapped  # webhook body `{ok, result}` (True) or flat `{event_name, message}`
        self.monthly_quota = monthly_quota
        self.duplicate_deliveries = False
        self.calls: list[Call] = []
        self.users: dict[str, FakeBotUser] = {}
        self.webhook: dict[str, Any] | None = None  # {"url", "secret_token", "updated_at"}
        self.webhook_ever_set = False
        self.sent = 0
        self._faults: list[tuple[str | None, int, dict[str, Any]]] = []
        self._updates: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.base_url = ""

    async def __aenter__(self) -> FakeZaloBot:
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
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

    def user(self, user_id: str, name: str = "", fate: str | None = None) -> FakeBotUser:
        if user_id not in self.users:
            self.users[user_id] = FakeBotUser(self, user_id, name or f"User {user_id}", fate)
        return self.users[user_id]

    def fail_next(self, status: int = 500, count: int = 1, method: str | None = None) -> None:
        """The next `count` calls (of `method`, or any) answer HTTP `status`."""
        body = {"ok": False, "error_code": status, "description": "Internal Server Error"}
        self._faults += [(method, status, body)] * count

    def rate_limit_next(self, count: int = 1, method: str | None = None) -> None:
        body = {"ok": False, "error_code": 429, "description": "Quota exceeded"}
        self._faults += [(method, 429, body)] * count

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def deliver(self, update: dict[str, Any]) -> int:
        """Hand an update to the bot: POST to the webhook if set, else queue it for getUpdates."""
        if self.webhook is None:
            await self._updates.put(update)
            return 0
        body = {"ok": True, "result": update} if self.wrapped else update
        status = await self.post_webhook(body, self.webhook["secret_token"])
        if self.duplicate_deliveries:
            await self.post_webhook(body, self.webhook["secret_token"])
        return status

    async def post_webhook(self, body: dict[str, Any], secret: str | None) -> int:
        """POST a raw body to the registered webhook with the given secret header (None → no header)."""
        assert self.webhook is not None and self._session is not None, "no webhook set"
        headers = {"User-Agent": "Java/1.8.0_412"}
        if secret is not None:
            headers["X-Bot-Api-Secret-Token"] = secret
        async with self._session.post(self.webhook["url"], json=body, headers=headers) as resp:
            return resp.status

    # ------------------------------------------------------------ API

    async def _handle(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        prefix, _, method = path.rpartition("/")
        if not prefix.startswith("bot") or prefix[3:] != self.token:
            return _err(401, "Unauthorized")
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
                params.update(body if isinstance(body, dict) else {})
            else:
                params.update(await request.post())
        self.calls.append(Call(method, params))
        for i, (only, status, body) in enumerate(self._faults):
            if only in (None, method):
                del self._faults[i]
                return web.json_response(body, status=status)
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return _err(400, "Bad request: invalid API name")
        response: web.Response = await handler(params)
        return response

    async def _m_getMe(self, params: dict[str, Any]) -> web.Response:
        bot_id = self.token.split(":", 1)[0]
        me = {"id": bot_id, "account_name": "bot.hocbot", "account_type": "BASIC", "can_join_groups": False}
        return _ok(me)

    async def _m_getUpdates(self, params: dict[str, Any]) -> web.Response:
        if self.webhook is not None:
            return _err(400, "Webhook is active; call deleteWebhook to use getUpdates")
        try:
            wait = min(float(params.get("timeout", 30)), self.idle_timeout)
        except ValueError:
            return _err(400, "Bad request: timeout")
        try:
            update = await asyncio.wait_for(self._updates.get(), wait)
        except TimeoutError:
            return _err(408, "Request timeout")
        return _ok(update)

    async def _m_setWebhook(self, params: dict[str, Any]) -> web.Response:
        url, secret = str(params.get("url", "")), str(params.get("secret_token", ""))
        if not url.startswith("https://") and (self.strict_webhook or not url.startswith("http://")):
            return _err(400, "Bad request: url must be https")
        if not 8 <= len(secret) <= 256:
            return _err(400, "Bad request: secret_token must be 8-256 characters")
        self.webhook = {"url": url, "secret_token": secret, "updated_at": _ms()}
        self.webhook_ever_set = True
        return _ok({"url": url, "updated_at": self.webhook["updated_at"]})

    async def _m_deleteWebhook(self, params: dict[str, Any]) -> web.Response:
        self.webhook = None
        return _ok({"url": "", "updated_at": _ms()})

    async def _m_getWebhookInfo(self, params: dict[str, Any]) -> web.Response:
        if not self.webhook_ever_set:
            return web.json_response({"ok": False, "description": "Not Found"}, status=404)
        hook = self.webhook or {"url": "", "updated_at": _ms()}
        return _ok({"url": hook["url"], "updated_at": hook["updated_at"]})

    async def _m_sendMessage(self, params: dict[str, Any]) -> web.Response:
        text = str(params.get("text", ""))
        if not 1 <= len(text) <= TEXT_LIMIT:
            return _err(400, f"Bad request: text must be 1-{TEXT_LIMIT} characters")
        return await self._deliver_out(params, Outbound("text", text))

    async def _m_sendPhoto(self, params: dict[str, Any]) -> web.Response:
        photo, caption = str(params.get("photo", "")), params.get("caption")
        if not photo:
            return _err(400, "Bad request: photo is required")
        if caption is not None and not 1 <= len(str(caption)) <= TEXT_LIMIT:
            return _err(400, f"Bad request: caption must be 1-{TEXT_LIMIT} characters")
        return await self._deliver_out(params, Outbound("photo", str(caption or ""), photo))

    async def _m_sendSticker(self, params: dict[str, Any]) -> web.Response:
        return await self._deliver_out(params, Outbound("sticker", "", str(params.get("sticker", ""))))

    async def _m_sendChatAction(self, params: dict[str, Any]) -> web.Response:
        user = self.users.get(str(params.get("chat_id", "")))
        if params.get("action") != "typing":
            return _err(400, "Bad request: action")
        if user is None or user.fate == "not_found":
            return _err(404, "Not Found")
        user.actions.append("typing")
        return web.json_response({"ok": True})

    async def _deliver_out(self, params: dict[str, Any], out: Outbound) -> web.Response:
        user = self.users.get(str(params.get("chat_id", "")))
        if user is None or user.fate == "not_found":
            return _err(404, "Not Found")
        if user.fate == "blocked":
            return _err(403, "Forbidden: user is not reachable")
        if self.monthly_quota is not None and self.sent >= self.monthly_quota:
            return _err(429, "Quota exceeded")
        self.sent += 1
        user.inbox.append(out)
        async with self._changed:
            self._changed.notify_all()
        return _ok({"message_id": secrets.token_hex(10), "date": _ms()})


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _err(code: int, description: str) -> web.Response:
    return web.json_response({"ok": False, "error_code": code, "description": description}, status=code)


def _ms() -> int:
    return int(time.time() * 1000)
