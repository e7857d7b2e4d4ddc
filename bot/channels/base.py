"""What every channel adapter offers the core, and the typed delivery outcomes it reports."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal, Protocol

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


Sender = Callable[[Reply], Awaitable[SentInfo]]
Preview = Callable[[str], Awaitable[None]]
"""Shows one answer as it grows (Telegram drafts): called with the checked text so far. Optional: a channel
that can show previews offers `preview(chat_key) -> Preview`; the dispatcher opens one per streamed answer."""

ChannelState = Literal["starting", "ok", "retrying", "failed"]
"""What /readyz shows per channel. The runtime knows starting/ok/failed from start(); a channel that keeps
a connection of its own (long polling, OAuth tokens) may also offer a `state` attribute: "retrying" while
its server fails, "failed" when it cannot work without someone fixing the configuration."""


class Channel(Protocol):
    """A platform adapter: translates inbound events and sends replies."""

    name: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def send(self, chat_key: str, reply: Reply) -> SentInfo:
        """Send one reply; raise a DeliveryError subclass on failure."""
        ...
