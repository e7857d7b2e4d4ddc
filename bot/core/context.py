"""What a handler receives besides the message: services, its DB session and the current user."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.messages import Choice
from bot.core.throttle import Throttles
from bot.db.engine import Database
from bot.db.models import Identity, User
from bot.metrics import Metrics
from bot.settings import Settings

if TYPE_CHECKING:  # types only: numpy and the answer service load when bot/app.py builds them
    from content.catalog import Catalog
    from content.deferred_index import Index
    from handlers.answers.service import AnswerService

ForgetHook = Callable[[AsyncSession, int], Awaitable[None]]
SentHook = Callable[[int, str, str], Awaitable[None]]  # (user_id, attempt_ref, poll_id)
YieldHook = Callable[[str, float], None]  # (channel, seconds): bulk sending makes room for a reply


class UserFacingError(Exception):
    """Raised by handlers: the router shows `text` (Vietnamese) instead of a generic apology."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def system_clock() -> dt.datetime:
    """Aware UTC now; tests replace it with a controllable clock."""
    return dt.datetime.now(dt.UTC)


def _no_outbox() -> None:
    """Without a pacer (one-off commands, tests without sending) queued deliveries wait for the next start."""


@dataclass(eq=False)  # one per process: compared and hashed by identity (per-services caches)
class Services:
    """Long-lived collaborators, built once by the composition root (bot/app.py: `build_services`) for
    `hocbot run`, every CLI command, the benches and the tests. Every field is typed; nothing is looked up by
    name. The hook lists are filled by bot/app.py only."""

    settings: Settings
    db: Database
    catalog: Catalog
    search: Index
    answers: AnswerService  # retrieval + optional LLM (handlers/answers/service.py)
    clock: Callable[[], dt.datetime] = system_clock
    throttles: Throttles = field(default_factory=Throttles)
    metrics: Metrics = field(default_factory=Metrics)  # this process's numbers (GET /metrics)
    button_key: bytes = field(default_factory=lambda: secrets.token_bytes(32))  # signs buttons until a restart
    forget_hooks: list[ForgetHook] = field(default_factory=list)  # /xoadulieu in what is not a feature (channels)
    poll_sent_hooks: list[SentHook] = field(default_factory=list)
    yield_hooks: list[YieldHook] = field(default_factory=list)  # the pacer: replies go ahead of broadcasts
    wake_outbox: Callable[[], None] = _no_outbox  # the pacer claims newly queued deliveries at once

    def now(self) -> dt.datetime:
        return self.clock()


@dataclass
class Ctx:
    """One inbound event's unit of work."""

    services: Services
    session: AsyncSession
    user: User
    identity: Identity
    channel: str
    committed: list[Callable[[], None]] = field(default_factory=list)  # see after_commit

    def after_commit(self, hook: Callable[[], None]) -> None:
        """Run `hook` once this event's unit of work has committed (never after a rollback): e.g. wake the
        pacer for deliveries queued here, which it could not see before the commit."""
        self.committed.append(hook)

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def user_id(self) -> int:
        assert self.user.id is not None
        return self.user.id

    @property
    def consented(self) -> bool:
        return self.user.consent_at is not None and self.user.deleted_at is None

    def now(self) -> dt.datetime:
        return self.services.now()

    def set_state(self, name: str | None, data: dict[str, Any] | None = None) -> None:
        self.user.state = name
        self.user.state_data = json.dumps(data, ensure_ascii=False) if data else None

    @property
    def offered(self) -> list[Choice]:
        """The choices offered last, which a typed number picks (User.pending: written by the dispatcher for
        replies and by bot/core/outbound.py for pushed messages)."""
        pending = self.user.pending
        return [Choice(label, data) for label, data in json.loads(pending)] if pending else []

    @property
    def state_data(self) -> dict[str, Any]:
        return json.loads(self.user.state_data) if self.user.state_data else {}
