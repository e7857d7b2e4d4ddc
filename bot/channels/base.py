"""What every channel adapter offers the core, and the typed delivery outcomes it reports."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal, Protocol

from bot.core import texts
from bot.core.messages import Reply
from bot.core.render import as_text

if TYPE_CHECKING:
    from bot.core.dispatcher import Dispatcher


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


class OutputChannel:
    """The output half of every adapter. Each `send_*` has a default that turns what the platform cannot show
    into text and hands the rest on (Rasa's OutputChannel pattern): buttons and quiz answers become a numbered
    list (“2” then picks the second), a file becomes a note with the web address, a photo a link. An adapter
    implements `send_text` and overrides only what its platform shows (Telegram: buttons, quiz polls, files,
    photos); it never changes the reply it is given and never writes to the database."""

    name: str
    title = "Kênh này"  # how a note names the platform: “Zalo chưa gửi được tệp …”
    dispatcher: Dispatcher

    async def send(self, chat_key: str, reply: Reply) -> SentInfo:
        """A message the bot starts (broadcast, reminder, report): through the core, which remembers the choices
        it shows as numbers (bot/core/outbound.py); raise a DeliveryError subclass on failure."""
        return await self.dispatcher.push(self, chat_key, reply)

    def shows_numbers(self, reply: Reply) -> bool:
        """Whether this reply's choices reach the user as a numbered list (then a typed “2” must mean the
        second choice from the moment the message arrives)."""
        return bool(reply.choices)

    async def deliver(self, chat_key: str, reply: Reply) -> SentInfo:
        """Show one reply in the richest form this platform has: a file, a quiz, a photo, buttons, or text."""
        if reply.document is not None:
            return await self.send_document(chat_key, reply)
        if reply.quiz is not None:
            return await self.send_quiz(chat_key, reply)
        if reply.image:
            return await self.send_image(chat_key, reply)
        if reply.choices or reply.keyboard or reply.remove_keyboard:
            return await self.send_buttons(chat_key, reply)
        return await self.send_text(chat_key, reply.text)

    async def send_text(self, chat_key: str, text: str) -> SentInfo:
        """Plain text, split where the platform needs it: the one thing every adapter must do."""
        raise NotImplementedError

    async def send_buttons(self, chat_key: str, reply: Reply) -> SentInfo:
        """Choices and the main menu: numbered text with “Trả lời 1, 2 hoặc 3” and the menu's items."""
        return await self.send_text(chat_key, as_text(reply))

    async def send_quiz(self, chat_key: str, reply: Reply) -> SentInfo:
        """A quiz question: its answers as choices (numbered where there are no buttons)."""
        if reply.choices:
            return await self.deliver(chat_key, replace(reply, quiz=None))
        return await self.deliver(chat_key, replace(reply, text=as_text(reply), quiz=None))

    async def send_image(self, chat_key: str, reply: Reply) -> SentInfo:
        """A photo: a link under the text (a local file stays unseen), then the rest of the reply."""
        image = reply.image or ""
        text = reply.text
        if image.startswith(("http://", "https://")):
            text = "\n\n".join(p for p in (text, texts.IMAGE_LINK.format(url=image)) if p.strip())
        return await self.deliver(chat_key, replace(reply, text=text, image=None))

    async def send_document(self, chat_key: str, reply: Reply) -> SentInfo:
        """A file: its caption and a note to fetch it on the web, then the rest of the reply."""
        doc = reply.document
        assert doc is not None
        note = texts.NO_FILES.format(
            channel=self.title, filename=doc.filename, url=self.dispatcher.services.settings.web_base_url
        )
        caption = doc.caption if doc.caption.strip() != reply.text.strip() else ""
        text = "\n\n".join(p for p in (caption, reply.text, note) if p.strip())
        return await self.deliver(chat_key, replace(reply, text=text, document=None))
