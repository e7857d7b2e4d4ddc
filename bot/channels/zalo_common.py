"""What both Zalo adapters share: the Zalo error types and their delivery outcomes, per-user ordered work,
and small readers of Zalo's JSON."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from functools import partial

from bot.core.delivery import Blocked, DeliveryError, OutsideWindow, Permanent, RetryLater, Transient

log = logging.getLogger(__name__)


class ZaloError(Exception):
    """A Zalo API call failed; `code` is the platform's error code, `description` its text."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(f"Zalo error {code}: {description}")
        self.code = code
        self.description = description


class ZaloBlocked(ZaloError):
    """The user cannot be reached (blocked the bot/OA, banned, restricted)."""


class ZaloNotFound(ZaloBlocked):
    """The chat/user id is unknown to Zalo; also unreachable."""


class ZaloOutsideWindow(ZaloError):
    """OA only: the user has not interacted within the consultation window (or does not follow)."""


class ZaloRateLimited(ZaloError):
    """Quota or rate limit reached; wait `retry_after` seconds before trying again."""

    def __init__(self, code: int, description: str, retry_after: float = 60.0) -> None:
        super().__init__(code, description)
        self.retry_after = retry_after


class ZaloServerError(ZaloError):
    """5xx, timeout or connection failure; safe to retry later."""


class ZaloAuthError(ZaloError):
    """The token is invalid/expired and could not be renewed; an admin must act."""


def delivery_error(exc: ZaloError) -> DeliveryError:
    """Zalo client errors → the outcomes the dispatcher and the pacer understand."""
    if isinstance(exc, ZaloOutsideWindow):
        return OutsideWindow(str(exc))
    if isinstance(exc, ZaloBlocked):
        return Blocked(str(exc))
    if isinstance(exc, ZaloRateLimited):
        return RetryLater(str(exc), exc.retry_after)
    if isinstance(exc, ZaloServerError | ZaloAuthError):
        return Transient(str(exc))
    return Permanent(str(exc))


async def guarded(call: Callable[[], Awaitable[list[str]]]) -> list[str]:
    try:
        return await call()
    except ZaloError as exc:
        raise delivery_error(exc) from None


class OrderedTasks:
    """Background work per user, run in arrival order; every task is kept so `drain` can await it. At most
    `limit` events are held at once: `spawn` waits for room, so polling stops fetching (and a webhook delivery
    waits) until hocbot catches up, instead of one task per waiting event piling up in memory."""

    def __init__(self, limit: int = 256) -> None:
        self.tasks: set[asyncio.Task[None]] = set()
        self._tails: dict[str, asyncio.Task[None]] = {}
        self.limit = limit
        self._room = asyncio.Event()
        self._room.set()

    async def spawn(self, key: str, work: Callable[[], Awaitable[object]]) -> None:
        while len(self.tasks) >= self.limit:
            self._room.clear()
            await self._room.wait()
        prev = self._tails.get(key)

        async def run() -> None:
            if prev is not None:
                await asyncio.gather(prev, return_exceptions=True)
            try:
                await work()
            except Exception:
                log.exception("zalo event for %s failed", key)

        task = asyncio.create_task(run())
        self.tasks.add(task)
        self._tails[key] = task
        task.add_done_callback(partial(self._done, key))

    def _done(self, key: str, task: asyncio.Task[None]) -> None:
        self.tasks.discard(task)
        if len(self.tasks) < self.limit:
            self._room.set()
        if self._tails.get(key) is task:
            del self._tails[key]

    async def drain(self) -> None:
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)


def as_int(value: object) -> int:
    """A number Zalo sent as text or number; 0 when it is neither."""
    try:
        return int(str(value))
    except ValueError:
        return 0


def event_hash(*parts: str) -> str:
    """A stable id for an event Zalo sent without one (dedupe)."""
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:20]
