"""A local fake Telegram Bot API server (Bot API 10.0) that the real python-telegram-bot 22.8 can talk to.

    async with FakeTelegram(token="123:ABC") as tg:
        app = Application.builder().token("123:ABC").base_url(tg.base_url).build()
        lan = tg.user(5550001, first_name="Lan")
        await lan.send("/start")
        reply = await lan.wait_reply()
        tg.assert_clean()

Requests are validated against tests/fakes/data/telegram_bot_api_10.0.json; anything Telegram would refuse as
malformed is kept in `tg.violations`. Runtime refusals (blocked users, 429, "message is not modified") are
answered with Telegram's wording but are not violations. Method logic lives in telegram_methods.py, users in
telegram_users.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession, ClientTimeout, web

from tests.fakes.telegram_methods import ApiError, ChatState, Methods
from tests.fakes.telegram_spec import SPEC_PATH, Invalid, Spec, Upload, check_rules
from tests.fakes.telegram_users import SimUser

__all__ = ["ApiError", "Call", "ChatState", "FakeTelegram", "SimUser", "Upload"]

DEFAULT_TOKEN = "7000000001:TEST-token_for-hocbot"
_NOT_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_LIMITED_PREFIXES = ("send", "edit", "copy", "forward", "stopPoll")
_UNLIMITED = frozenset({"sendChatAction", "sendMessageDraft"})


@dataclass
class Call:
    """One request as the fake saw it."""

    method: str
    params: dict[str, Any]
    status: int
    time: float
    result: Any = None
    description: str | None = None
    generic: bool = False

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")


@dataclass
class _Fault:
    status: int
    remaining: int
    retry_after: int | None
    description: str | None


@dataclass
class _Bucket:
    rate: float
    capacity: float
    tokens: float
    stamp: float

    def take(self, now: float) -> bool:
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


@dataclass
class _RateLimit:
    global_per_sec: float
    per_chat_per_sec: float
    burst: float
    retry_after: int
    global_bucket: _Bucket
    chats: dict[Any, _Bucket] = field(default_factory=dict)


class FakeTelegram(Methods):
    """In-process HTTP fake of api.telegram.org for one bot token."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "hoctap_bot",
        bot_name: str = "HocTap",
        poll_timeout_cap: float = 1.0,
        webhook_retries: int = 3,
        clock: Callable[[], float] = time.monotonic,
        spec: Spec | None = None,
        latency: float = 0.0,
        port: int = 0,
    ) -> None:
        self.token = token
        self.latency = latency  # simulated network round trip for every call but getUpdates
        head = token.split(":", 1)[0]
        self.bot_user: dict[str, Any] = {
            "id": int(head) if head.isdigit() else 7000000001,
            "is_bot": True,
            "first_name": bot_name,
            "username": bot_username,
        }
        self.spec = spec or Spec(SPEC_PATH)
        self.poll_timeout_cap = poll_timeout_cap
        self.webhook_retries = webhook_retries
        self.clock = clock
        self.violations: list[str] = []
        self.transcript: list[Call] = []
        self.chats: dict[int, ChatState] = {}
        self.users: dict[int, SimUser] = {}
        self.webhook: dict[str, Any] | None = None
        self.webhook_errors: list[str] = []
        self.allowed_updates: list[str] | None = None
        self._queue: list[dict[str, Any]] = []
        self._next_update_id = random.randint(100_000_000, 900_000_000)
        self._new_update = asyncio.Event()
        self._poll_generation = 0
        self._faults: dict[str, list[_Fault]] = {}
        self._limit: _RateLimit | None = None
        self._garbled: dict[str, int] = {}
        self._sent: dict[tuple[Any, str], int] = {}
        self._changed = asyncio.Condition()
        self._deliveries: set[asyncio.Task[None]] = set()
        self._chat_locks: dict[Any, asyncio.Lock] = {}
        self._session: ClientSession | None = None
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.port = port  # 0: any free port; a fixed one lets a test bring "Telegram" up after hocbot started
        super().__init__()

    # -- lifecycle --------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self) -> FakeTelegram:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.*}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        server = site._server
        assert server is not None and server.sockets  # type: ignore[attr-defined]
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self

    async def stop(self) -> None:
        self._closing = True
        self._new_update.set()
        for task in list(self._deliveries):
            task.cancel()
        for task in list(self._deliveries):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- test-facing API --------------------------------------------------------------------------
    def user(self, user_id: int, first_name: str = "Người dùng", **extra: Any) -> SimUser:
        """The simulated private-chat user `user_id` (created on first use)."""
        if user_id not in self.users:
            self.users[user_id] = SimUser(self, user_id, first_name, **extra)
            self.chats[user_id] = ChatState(self.users[user_id].chat_json())
        return self.users[user_id]

    def add_chat(self, chat_id: int, chat_type: str = "group", title: str = "Nhóm học tập") -> None:
        self.chats[chat_id] = ChatState({"id": chat_id, "type": chat_type, "title": title})

    def set_fate(self, chat_id: int, fate: str | None) -> None:
        """ "blocked" | "deactivated" | "not_found" | None, applied silently (no update)."""
        if fate not in (None, "blocked", "deactivated", "not_found"):
            raise ValueError(f"unknown fate {fate!r}")
        if chat_id not in self.chats:
            self.chats[chat_id] = ChatState({"id": chat_id, "type": "private", "first_name": f"U{chat_id}"})
        self.chats[chat_id].fate = fate

    def assert_clean(self) -> None:
        if self.violations:
            lines = "\n  ".join(self.violations)
            raise AssertionError(f"{len(self.violations)} Bot API protocol violation(s):\n  {lines}")

    def calls(self, method: str | None = None, status: int | None = None) -> list[Call]:
        return [
            c
            for c in self.transcript
            if (method is None or c.method.lower() == method.lower())
            and (status is None or c.status == status)
        ]

    def sent_to(self, chat_id: int, method: str = "sendMessage") -> int:
        """How many successful `method` calls reached `chat_id`."""
        return self._sent.get((chat_id, method), 0)

    def drafts(self, chat_id: int) -> list[dict[str, Any]]:
        return list(self.chats[chat_id].drafts) if chat_id in self.chats else []

    def fail_next(
        self,
        method: str,
        status: int = 500,
        count: int = 1,
        retry_after: int | None = None,
        description: str | None = None,
    ) -> None:
        """The next `count` calls of `method` ("*" = any but getUpdates) fail with `status`."""
        if retry_after is not None and status == 500:
            status = 429
        key = "*" if method == "*" else (self.spec.resolve(method) or method)
        self._faults.setdefault(key, []).append(_Fault(status, count, retry_after, description))

    def restart_update_ids(self, first: int) -> None:
        """The update_id sequence starts again at `first` (Telegram does this after a week without updates)."""
        self._next_update_id = first

    def garble_next(self, method: str, count: int = 1) -> None:
        """The next `count` successful calls of `method` do their work, but the returned Message carries a
        reply_markup of an unexpected shape ({"remove_keyboard": true}, which python-telegram-bot cannot read
        back as an inline keyboard): the bot sees an error although the user got the message."""
        key = self.spec.resolve(method) or method
        self._garbled[key] = self._garbled.get(key, 0) + count

    def rate_limit(
        self,
        global_per_sec: float | None = 30.0,
        per_chat_per_sec: float = 1.0,
        burst: float = 3.0,
        retry_after: int = 1,
    ) -> None:
        """Enable 429 flood control for message-sending methods; `rate_limit(None)` switches it off."""
        if global_per_sec is None:
            self._limit = None
            return
        now = self.clock()
        bucket = _Bucket(global_per_sec, max(1.0, global_per_sec), max(1.0, global_per_sec), now)
        self._limit = _RateLimit(global_per_sec, per_chat_per_sec, burst, retry_after, bucket)

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 15.0) -> None:  # noqa: ASYNC109
        """Wait until `predicate()` holds: re-checked after every request the fake answers, and every 10 ms
        (the predicate may look at bot-side state that changes without a request)."""
        deadline = time.monotonic() + timeout
        async with self._changed:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    recent = ", ".join(f"{c.method}:{c.status}" for c in self.transcript[-8:])
                    raise AssertionError(f"condition not met within {timeout}s; last calls: {recent}")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), min(remaining, 0.01))

    def pending_updates(self) -> list[dict[str, Any]]:
        return list(self._queue)

    # -- updates ----------------------------------------------------------------------------------
    def emit(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Queue an update (or deliver it by webhook); returns the update dict."""
        update = {"update_id": self._next_update_id, kind: payload}
        self._next_update_id += 1
        allowed = set(self.allowed_updates) if self.allowed_updates else None
        if (allowed is not None and kind not in allowed) or (allowed is None and kind in _NOT_DEFAULT):
            return update
        self._queue.append(update)
        if self.webhook is not None:
            self._spawn_delivery(update)
        self._new_update.set()
        return update

    def _take_updates(self, offset: int | None, limit: int) -> list[dict[str, Any]]:
        if offset is not None and offset < 0:
            self._queue = self._queue[offset:] if -offset < len(self._queue) else self._queue
        elif offset:
            self._queue = [u for u in self._queue if u["update_id"] >= offset]
        return self._queue[:limit]

    async def _get_updates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        if "allowed_updates" in p:
            self.allowed_updates = list(p["allowed_updates"] or [])
        limit = max(1, min(100, int(p.get("limit") or 100)))
        deadline = time.monotonic() + min(float(p.get("timeout") or 0), self.poll_timeout_cap)
        self._poll_generation += 1
        generation = self._poll_generation
        self._new_update.set()  # wake (and so abort) an older long poll
        await asyncio.sleep(0)
        while True:
            batch = self._take_updates(p.get("offset"), limit)
            if batch or self._closing:
                return batch
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return []
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), remaining)

    # -- webhook delivery -------------------------------------------------------------------------
    def _spawn_delivery(self, update: dict[str, Any]) -> None:
        task = asyncio.get_running_loop().create_task(self._deliver(update))
        self._deliveries.add(task)
        task.add_done_callback(self._deliveries.discard)

    async def _deliver(self, update: dict[str, Any]) -> None:
        hook = self.webhook
        if hook is None:
            return
        if self._session is None:
            self._session = ClientSession(timeout=ClientTimeout(total=10))
        payload = next(v for k, v in update.items() if k != "update_id")
        chat = payload.get("chat") or (payload.get("message") or {}).get("chat") or {}
        key = chat.get("id") or (payload.get("from") or payload.get("user") or {}).get("id")
        lock = self._chat_locks.setdefault(key, asyncio.Lock())
        headers = {"Content-Type": "application/json"}
        if hook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = hook["secret_token"]
        async with lock, hook["semaphore"]:
            for attempt in range(self.webhook_retries):
                if self.webhook is not hook:
                    return
                try:
                    async with self._session.post(
                        hook["url"], data=json.dumps(update), headers=headers
                    ) as resp:
                        if 200 <= resp.status < 300:
                            if update in self._queue:
                                self._queue.remove(update)
                            hook["delivered"] += 1
                            return
                        hook["last_error"] = f"Wrong response from the webhook: {resp.status} {resp.reason}"
                except (OSError, TimeoutError) as exc:
                    hook["last_error"] = f"Connection failed: {exc}"
                hook["last_error_date"] = int(time.time())
                await asyncio.sleep(0.05 * (attempt + 1))
            self.webhook_errors.append(f"update {update['update_id']}: {hook.get('last_error')}")

    def set_webhook_state(self, url: str, secret: str | None, max_connections: int, drop: bool) -> None:
        if drop:
            self._queue.clear()
        self.webhook = {
            "url": url,
            "secret_token": secret,
            "max_connections": max_connections,
            "semaphore": asyncio.Semaphore(max_connections),
            "delivered": 0,
        }
        self._poll_generation += 1
        self._new_update.set()
        for update in list(self._queue):
            self._spawn_delivery(update)

    def delete_webhook_state(self, drop: bool) -> None:
        self.webhook = None
        for task in list(self._deliveries):
            task.cancel()
        if drop:
            self._queue.clear()

    # -- HTTP -------------------------------------------------------------------------------------
    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        stored = self.files_by_path.get(request.match_info["path"])
        if stored is None:
            return _error(404, "Not Found")
        return web.Response(body=stored.data, content_type=stored.content_type)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        name = request.match_info["method"]
        method = self.spec.resolve(name)
        if method is None:
            self.violations.append(f"unknown Bot API method {name!r}")
            await self._record(Call(name, {}, 404, time.time(), description="Not Found: method not found"))
            return _error(404, "Not Found: method not found")
        raw = await _read_params(request)
        if self.latency and method != "getUpdates":
            await asyncio.sleep(self.latency)
        params, errors = self.spec.decode(method, raw)
        params = {k: self._resolve_attach(v, raw) for k, v in params.items()}
        call = Call(method, params, 200, time.time())
        try:
            if errors:
                raise Invalid(f"Bad Request: {errors[0]}", "; ".join(errors))
            check_rules(method, params)
            self._apply_faults(method)
            self._apply_rate_limit(method, params)
            handler = self.handlers.get(method)
            call.generic = handler is None
            call.result = True if handler is None else await handler(params)
        except Invalid as exc:
            self.violations.append(f"{method}: {exc.violation}")
            call.status, call.description = 400, exc.description
            response = _error(400, exc.description)
        except ApiError as exc:
            call.status, call.description = exc.status, exc.description
            response = _error(exc.status, exc.description, exc.parameters)
        else:
            if "chat_id" in params:
                key = (params["chat_id"], method)
                self._sent[key] = self._sent.get(key, 0) + 1
            result = call.result
            if self._garbled.get(method) and isinstance(result, dict):
                self._garbled[method] -= 1
                result = {**result, "reply_markup": {"remove_keyboard": True}}
            response = web.json_response({"ok": True, "result": result})
        await self._record(call)
        return response

    def _resolve_attach(self, value: Any, raw: dict[str, Any]) -> Any:
        if isinstance(value, str) and value.startswith("attach://"):
            return raw.get(value[len("attach://") :], value)
        return value

    async def _record(self, call: Call) -> None:
        self.transcript.append(call)
        chat = self.chats.get(call.chat_id) if isinstance(call.chat_id, int) else None
        if chat is not None:
            await chat.notify()
        async with self._changed:
            self._changed.notify_all()

    def _apply_faults(self, method: str) -> None:
        for key in (method, "*"):
            queue = self._faults.get(key)
            if not queue or (key == "*" and method == "getUpdates"):
                continue
            fault = queue[0]
            fault.remaining -= 1
            if fault.remaining <= 0:
                queue.pop(0)
            if fault.retry_after is not None:
                text = fault.description or f"Too Many Requests: retry after {fault.retry_after}"
                raise ApiError(fault.status, text, {"retry_after": fault.retry_after})
            raise ApiError(fault.status, fault.description or _default_description(fault.status))

    def _apply_rate_limit(self, method: str, params: dict[str, Any]) -> None:
        limit = self._limit
        if limit is None or method in _UNLIMITED or not method.startswith(_LIMITED_PREFIXES):
            return
        now = self.clock()
        chat_id = params.get("chat_id")
        bucket = limit.chats.get(chat_id)
        if bucket is None:
            bucket = limit.chats[chat_id] = _Bucket(limit.per_chat_per_sec, limit.burst, limit.burst, now)
        if not bucket.take(now):
            raise _too_many(limit.retry_after)
        if not limit.global_bucket.take(now):
            bucket.tokens += 1.0
            raise _too_many(limit.retry_after)


def _too_many(seconds: int) -> ApiError:
    return ApiError(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})


def _default_description(status: int) -> str:
    return {
        400: "Bad Request",
        401: "Unauthorized",
        403: "Forbidden",
        404: "Not Found",
        409: "Conflict",
        429: "Too Many Requests: retry after 1",
        502: "Bad Gateway",
    }.get(status, "Internal Server Error")


def _error(status: int, description: str, parameters: dict[str, Any] | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)


async def _read_params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query)
    if not request.can_read_body:
        return params
    if request.content_type == "application/json":
        body = json.loads(await request.read())  # as request.json() (UTF-8), without decoding to str first
        if isinstance(body, dict):
            params.update(body)
        return params
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            params[key] = Upload(value.filename, value.file.read(), value.content_type)
        else:
            params[key] = value
    return params
