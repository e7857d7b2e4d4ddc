"""What a send can end in: the platform's message ids, or a typed failure that says what to do next. Channels
raise these; the dispatcher (replies) and the pacer (broadcasts) act on them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.core.messages import Reply


@dataclass(frozen=True)
class SentInfo:
    """What the platform told us about a sent message."""

    message_id: str | None = None
    poll_id: str | None = None


class DeliveryError(Exception):
    """A send failed; subclasses say what the pacer should do."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Blocked(DeliveryError):
    """The user blocked the bot, left, or does not exist: never retry, mark inactive."""


class OutsideWindow(DeliveryError):
    """Zalo OA: the user can't receive free messages now (not blocked, just unreachable)."""


class RetryLater(DeliveryError):
    """Flood control: wait `retry_after` seconds, then retry the same message."""

    def __init__(self, reason: str, retry_after: float) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class Transient(DeliveryError):
    """5xx, timeout, network: retry with back-off a few times."""


class InDoubt(Transient):
    """The request may have reached the platform (it timed out waiting for the answer): a retry may deliver
    the message twice, so bulk sending stops until the platform answers again (see scheduler/lane.py)."""


class Permanent(DeliveryError):
    """Bad request that will never succeed (e.g. malformed markup)."""


class Stopped(DeliveryError):
    """The channel is stopping (hocbot shuts down) and gave up waiting for its platform: not sent, and not tried
    again in this process (a reply is logged; a broadcast's row is queued again as it was, no attempt used, and
    that channel's lane sends nothing more: scheduler/lane.py)."""


Sender = Callable[[Reply], Awaitable[SentInfo]]
Preview = Callable[[str], Awaitable[None]]
