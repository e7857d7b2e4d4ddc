"""What every channel adapter offers the core, and the typed delivery outcomes it reports."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Literal, Protocol

from bot.core import texts
from bot.core.delivery import SentInfo
from bot.core.messages import Reply
from bot.core.render import as_text

if TYPE_CHECKING:
    from bot.core.dispatcher import Dispatcher


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

    async def deliver(self, chat_key: str, reply: Reply) -> SentInfo:
        """Send a reply to the person's own message (no choices remembered: the dispatcher does that)."""
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
        it shows as numbers (bot/core/outbound.py) under the user's lock; raise a DeliveryError subclass on
        failure. Replies to an event go to `dispatcher.handle(msg, partial(channel.deliver, chat))` instead:
        the dispatcher already holds that lock and remembers their choices itself."""
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
