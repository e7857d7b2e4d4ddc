"""Neutral message types shared by handlers and channel adapters."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Text from outside made safe to store and show: lone UTF-16 surrogates (which no database or JSON
    encoder accepts) become “\ufffd”, control characters such as NUL are dropped."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


class Kind(StrEnum):
    """What an inbound event is, independent of the platform."""

    TEXT = "text"
    CALLBACK = "callback"  # a button press; `choice` holds the packed payload
    POLL_ANSWER = "poll_answer"
    STICKER = "sticker"
    VOICE = "voice"
    PHOTO = "photo"
    OTHER = "other"  # anything else a user can send (files, locations, …)
    BLOCKED = "blocked"  # the user blocked / unfollowed the bot
    UNBLOCKED = "unblocked"  # the user came back (unblock / follow)


@dataclass(frozen=True)
class Inbound:
    """One event from a user, already translated out of the platform's shape."""

    channel: str
    user_key: str  # the platform's user id, as text
    text: str = ""
    kind: Kind = Kind.TEXT
    command: str | None = None  # "start" for "/start abc"
    args: str = ""  # "abc" for "/start abc"
    choice: str | None = None  # packed callback payload (button or resolved numbered answer)
    display_name: str = ""
    raw_id: str | None = None  # platform event id used for dedupe
    chat_key: str | None = None  # where replies go; defaults to user_key
    poll_id: str | None = None
    option_ids: tuple[int, ...] = ()
    private: bool = True  # False in a group chat: only a pointer to the private chat is answered there
    origin: str = ""  # the web chat client's IP address (for throttles); "" on platforms
    private_url: str = ""  # where this user can talk to the bot privately (a Telegram deep link)
    photo: str = ""  # a photo the user sent, as the platform's file id (Telegram), never downloaded

    def __post_init__(self) -> None:
        """Every channel's text passes here: what a user typed is cleaned once, for every surface."""
        for name in ("user_key", "text", "command", "args", "choice", "display_name", "raw_id", "chat_key"):
            value = getattr(self, name)
            if isinstance(value, str):
                cleaned = clean_text(value)
                if cleaned is not value:
                    object.__setattr__(self, name, cleaned)

    @property
    def reply_to(self) -> str:
        return self.chat_key or self.user_key


@dataclass(frozen=True)
class Command:
    """A typed command: “/start@hocbot abc” → name "start", args "abc", addressee "hocbot"."""

    name: str
    args: str = ""
    addressee: str = ""  # the bot a group command names after “@”; "" when none


def parse_command(text: str) -> Command | None:
    """THE command syntax, for every channel: a “/” and a word, then its arguments; None for other text."""
    text = text.strip()
    if not text.startswith("/") or len(text) < 2:
        return None
    head, _, args = text[1:].partition(" ")
    name, _, addressee = head.partition("@")
    return Command(name, args.strip(), addressee)


def typed(text: str, **fields: Any) -> Inbound:
    """What a user typed, as an Inbound: a command when it is one, otherwise plain text."""
    command = parse_command(text)
    if command is None:
        return Inbound(text=text, **fields)
    return Inbound(text=text, command=command.name, args=command.args, **fields)


@dataclass(frozen=True)
class Choice:
    """A button: the label the user sees and the packed payload (≤ 64 bytes) we get back."""

    label: str
    data: str


@dataclass(frozen=True)
class QuizSpec:
    """A quiz question that a channel may show as a native quiz poll."""

    question: str
    options: tuple[str, ...]
    correct: tuple[int, ...]
    explanation: str = ""
    attempt_ref: str = ""  # our reference to map the poll back to an attempt
    open_period: int | None = None  # seconds the poll stays open (5–600); the server checks the same timer
    buttons: tuple[Choice, ...] = ()  # shown under the native poll only (e.g. “Câu tiếp” once it closes)


@dataclass(frozen=True)
class Document:
    """A file to send (e.g. the certificate PDF)."""

    filename: str
    content: bytes
    caption: str = ""


@dataclass(frozen=True)
class Reply:
    """One message to show the user. Immutable: adapters degrade what their platform cannot show into what
    they send, never into the reply (one Reply may go to many recipients); a changed copy is
    `dataclasses.replace(reply, …)`."""

    text: str
    choices: Sequence[Choice] = ()  # kept as a tuple
    quiz: QuizSpec | None = None
    image: str | None = None  # URL or local path of a photo
    keyboard: Sequence[Sequence[str]] | None = None  # persistent main-menu keyboard labels (kept as tuples)
    document: Document | None = None
    stream: AnswerStream | None = None  # an answer still being written; `text` goes out if the stream is not run
    columns: int = 1  # buttons per row where buttons exist
    remove_keyboard: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "choices", tuple(self.choices))
        if self.keyboard is not None:
            object.__setattr__(self, "keyboard", tuple(tuple(row) for row in self.keyboard))


class AnswerStream(ABC):
    """An answer still being written (the LLM's). The dispatcher drives it, never a channel: each preview
    goes to the channel's optional `preview` (Telegram drafts); then the dispatcher runs `complete` once, in a
    unit of work of its own, and sends `final(reply)`."""

    @abstractmethod
    def previews(self) -> AsyncIterator[str]:
        """The whole answer so far, each time it grows; only text that already passed the answer check."""

    @abstractmethod
    def final(self, reply: Reply) -> Reply:
        """The reply to send once the previews have ended: `reply` (the one that carried this stream, whose
        choices are already remembered) with the text the user gets."""

    @property
    def has_outcome(self) -> bool:
        """Whether `complete` has anything to record (no database session is opened otherwise)."""
        return True

    @abstractmethod
    async def complete(self, session: AsyncSession) -> None:
        """Record what became of the answer (e.g. which mode answered); the caller commits."""


@dataclass(frozen=True)
class Outbound:
    """A message queued for delivery to a chat outside a conversation (broadcasts, reminders)."""

    channel: str
    chat_key: str
    reply: Reply
    meta: dict[str, str] = field(default_factory=dict)
