"""The core loop for one inbound event: dedupe, per-user lock, routing, error boundary, sending."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.core import texts
from bot.core.context import Ctx, Services, UserFacingError
from bot.core.delivery import Blocked, DeliveryError, OutsideWindow, Preview, RetryLater, Sender, SentInfo, Transient
from bot.core.faults import DB_DOWN, DatabaseDown, database_down
from bot.core.locks import KeyedLocks
from bot.core.messages import AnswerStream, Choice, Inbound, Kind, Reply
from bot.core.outbound import pending_json, push, set_reachable
from bot.core.payloads import RunCommand, Start
from bot.core.render import plain_label
from bot.core.router import Route, Router
from bot.db import repo
from bot.logs import event_context, user_hash
from content.textnorm import match_label

if TYPE_CHECKING:
    from bot.channels.base import OutputChannel

log = logging.getLogger(__name__)

MENU_ACTION = "menu"
OWN_BUTTONS = (RunCommand,)  # buttons the dispatcher answers itself, not a feature's handler
REPLY_PATIENCE = 120.0  # seconds a reply may wait out flood control (429 retry_after) before it is given up
BUSY_RETRIES = (0.5, 1.5)  # seconds between tries of an event while the database is unavailable
TRANSIENT_TRIES = 3  # network errors / 5xx: tries per reply, 0.5 s then 1 s apart


class Duplicate(Exception):
    """The platform delivered an event we have already handled."""


def menu_reply(text: str = texts.MAIN_MENU) -> Reply:
    return Reply(text=text, keyboard=texts.MAIN_KEYBOARD)


class Dispatcher:
    """Turns inbound events into replies, one user at a time, many users at once."""

    def __init__(self, services: Services, router: Router) -> None:
        self.services = services
        self.router = router
        self.locks = KeyedLocks()

    async def handle(
        self, msg: Inbound, send: Sender, *, preview: Callable[[], Preview] | None = None, tell_busy: bool = True
    ) -> list[Reply]:
        """Process one event and send its replies in order; return them as sent. A repeated event is ignored.
        While the database is unavailable the event is tried again for a few seconds, then the user is told
        “Hệ thống đang bận…” (or, with `tell_busy=False`, DatabaseDown is raised for the caller to answer,
        e.g. a 503). `preview()` opens a preview of one streamed answer where the channel can show it."""
        metrics = self.services.metrics
        metrics.inbound.labels(msg.channel, str(msg.kind)).inc()
        start = time.perf_counter()
        with event_context(msg.channel, msg.user_key, msg.raw_id):
            try:
                replies = await self._handle(msg, send, preview)
            except Exception as exc:
                if not database_down(exc):
                    raise
                DB_DOWN.log(log, "dispatcher", "database unavailable, events are answered “busy”", exc)
                if not tell_busy:
                    raise DatabaseDown() from exc
                replies = await self._tell_busy(msg, send)
        if replies:
            metrics.reply_seconds.labels(msg.channel).observe(time.perf_counter() - start)
        return replies

    async def push(self, channel: OutputChannel, chat_key: str, reply: Reply) -> SentInfo:
        """A message the bot starts (broadcast, reminder, report): see bot/core/outbound.py."""
        return await push(self.services.db, self.locks, channel, chat_key, reply)

    async def _handle(self, msg: Inbound, send: Sender, preview: Callable[[], Preview] | None) -> list[Reply]:
        if not msg.private:
            return await self._from_group(msg, send)
        async with self.locks.hold((msg.channel, msg.user_key)):
            try:
                replies, user_id = await self._process_patiently(msg)
            except Duplicate:
                self.services.metrics.duplicates.labels(msg.channel).inc()
                log.info("duplicate %s event %s ignored", msg.channel, msg.raw_id)
                return []
            return await self._send_all(msg, user_id, replies, send, preview)

    async def _process_patiently(self, msg: Inbound) -> tuple[list[Reply], int]:
        """`_process`, tried again after BUSY_RETRIES while the database is unavailable; then DatabaseDown."""
        for wait in (*BUSY_RETRIES, None):
            try:
                return await self._process(msg)
            except Duplicate:
                raise
            except Exception as exc:
                if not database_down(exc):
                    raise
                if wait is None:
                    raise DatabaseDown() from exc
                await asyncio.sleep(wait)
        raise AssertionError("unreachable")

    async def _tell_busy(self, msg: Inbound, send: Sender) -> list[Reply]:
        """The event could not be processed: say so where a reply is possible (not to a group or a block)."""
        if not msg.private or msg.kind == Kind.BLOCKED:
            return []
        busy = Reply(texts.BUSY)
        try:
            await send(busy)
        except Exception as exc:
            log.warning(
                "busy notice to %s user %s not sent: %s",
                msg.channel,
                user_hash(msg.channel, msg.user_key),
                type(exc).__name__,
            )
            return []
        return [busy]

    async def _from_group(self, msg: Inbound, send: Sender) -> list[Reply]:
        """THE group rule: personal flows live in the private chat only. A command written in a group gets one
        line pointing there; anything else from a group (talk, buttons, the bot added or removed) is ignored,
        and nothing from a group ever touches the user's own account, address or subscription."""
        if msg.kind != Kind.TEXT or msg.command is None:
            return []
        if msg.raw_id:
            async with self.services.db.session() as s:
                if not await repo.record_inbound(s, msg.channel, msg.raw_id, "", msg.kind):
                    return []
        text = texts.GROUP_GO_PRIVATE_LINK.format(url=msg.private_url) if msg.private_url else texts.GROUP_GO_PRIVATE
        replies = [Reply(text)]
        try:
            await send(replies[0])
        except DeliveryError as exc:
            log.info("group pointer to %s:%s not sent: %s", msg.channel, msg.reply_to, exc.reason)
        except Exception:  # an odd answer from the platform: the pointer is a courtesy, never worth a crash
            log.warning("group pointer to %s:%s failed", msg.channel, msg.reply_to, exc_info=True)
        return replies

    async def _process(self, msg: Inbound) -> tuple[list[Reply], int]:
        """Record the event and run its handler in ONE transaction: a repeat fails the unique key."""
        async with self.services.db.session() as s:
            arrived = await repo.arrival(
                s, msg.channel, msg.raw_id, msg.user_key, msg.kind, msg.reply_to, msg.display_name, self.services.now()
            )
            if arrived is None:
                raise Duplicate(msg.raw_id)
            user, ident = arrived
            if msg.kind != Kind.BLOCKED and not ident.reachable_free:
                ident.reachable_free = True  # Zalo OA: the user wrote, free messages may reach them again
            ctx = Ctx(self.services, s, user, ident, msg.channel)
            try:
                replies = await self._route(ctx, msg)
            except UserFacingError as exc:
                replies = [Reply(exc.text)]
            except Exception as exc:
                if database_down(exc):
                    raise DatabaseDown() from exc
                log.exception("handler failed for %s event %s", msg.channel, msg.raw_id)
                self.services.metrics.handler_errors.labels(msg.channel).inc()
                await s.rollback()
                await self._keep_event(msg)
                return [menu_reply(texts.ERROR)], 0
            await self._remember_choices(ctx, replies)
        self._after_commit(ctx)
        return replies, ctx.user_id

    def _after_commit(self, ctx: Ctx) -> None:
        for hook in ctx.committed:
            try:
                hook()
            except Exception:
                log.exception("after-commit hook %r failed", hook)

    async def _keep_event(self, msg: Inbound) -> None:
        """After a handler error the event is still recorded once, so a retry is not re-run."""
        if msg.raw_id:
            async with self.services.db.session() as s:
                await repo.record_inbound(s, msg.channel, msg.raw_id, msg.user_key, msg.kind)

    async def _send_all(
        self, msg: Inbound, user_id: int, replies: list[Reply], send: Sender, preview: Callable[[], Preview] | None
    ) -> list[Reply]:
        """Send the replies in order. A streamed answer is written first (previews where the channel shows
        them) and what it leaves in the database is committed before it is sent: a failed send loses
        nothing, and a button pressed under the answer finds it recorded."""
        sent: list[Reply] = []
        for reply in replies:
            if reply.stream is not None:
                reply = await self._written(msg, reply.stream, reply, preview)
            sent.append(reply)
            if not await self._deliver(msg, user_id, reply, send):
                break
        return sent

    async def _written(
        self, msg: Inbound, stream: AnswerStream, reply: Reply, preview: Callable[[], Preview] | None
    ) -> Reply:
        """Run an answer stream to its end, each preview shown where the channel can, and record its outcome
        in a unit of work of its own; the final reply. A stream that breaks leaves the reply's own text (the
        curated answer)."""
        show = preview() if preview is not None else None
        try:
            async for text in stream.previews():
                if show is None:
                    continue
                try:
                    await show(text)
                except Exception:  # a preview is only a preview: the final reply still goes out
                    log.info("answer preview failed", exc_info=log.isEnabledFor(logging.DEBUG))
            final = stream.final(reply)
        except Exception:
            log.exception("answer stream on %s failed; its curated text goes out", msg.channel)
            final = reply
        await self._complete(msg, stream)
        return replace(final, stream=None)

    async def _complete(self, msg: Inbound, stream: AnswerStream) -> None:
        """A streamed answer's own unit of work (after the conversation's transaction committed)."""
        if not stream.has_outcome:
            return
        try:
            async with self.services.db.session() as s:
                await stream.complete(s)
        except Exception:
            log.warning("answer on %s: recording its outcome failed", msg.channel, exc_info=True)

    async def _deliver(self, msg: Inbound, user_id: int, reply: Reply, send: Sender) -> bool:
        """Send one reply. A 429 is waited out (the reply goes out after `retry_after`, and bulk sending on
        that channel yields to it); a reply that fails otherwise, or whose answer the platform gave in an
        unexpected shape, is logged and the next replies still go out. False: the user cannot be reached
        (blocked the bot, or outside Zalo OA's free window)."""
        try:
            info = await self._send_one(msg, reply, send)
        except Blocked:
            await repo.set_identity_active(self.services.db, msg.channel, msg.user_key, False)
            return False
        except OutsideWindow:
            await set_reachable(self.services.db, msg.channel, msg.reply_to, False)
            return False
        except DeliveryError as exc:
            log.warning("reply to %s user %s failed: %s", msg.channel, user_hash(msg.channel, msg.user_key), exc.reason)
            return True
        except Exception as exc:  # a platform answer we could not read: the message may well be out
            log.warning(
                "reply to %s user %s: unexpected platform response (%s)",
                msg.channel,
                user_hash(msg.channel, msg.user_key),
                type(exc).__name__,
                exc_info=log.isEnabledFor(logging.DEBUG),
            )
            return True
        if reply.quiz is not None and info.poll_id:
            for hook in self.services.poll_sent_hooks:
                await hook(user_id, reply.quiz.attempt_ref, info.poll_id)
        return True

    async def _send_one(self, msg: Inbound, reply: Reply, send: Sender) -> SentInfo:
        loop = asyncio.get_running_loop()
        give_up = loop.time() + REPLY_PATIENCE
        tries = 0
        while True:
            for hook in self.services.yield_hooks:
                hook(msg.channel, 0.0)
            try:
                return await send(reply)
            except RetryLater as exc:
                self.services.metrics.rate_limited.labels(msg.channel).inc()
                wait = max(0.05, exc.retry_after)
                if loop.time() + wait > give_up:
                    raise
                for hook in self.services.yield_hooks:  # broadcasts wait a little longer than this reply
                    hook(msg.channel, wait + 0.5)
                await asyncio.sleep(wait)
            except Transient:
                tries += 1
                if tries >= TRANSIENT_TRIES:
                    raise
                await asyncio.sleep(0.5 * tries)

    async def _remember_choices(self, ctx: Ctx, replies: list[Reply]) -> None:
        """Store the last offered choices so a typed “2” or “dong y” means the right thing later."""
        offered = [r for r in replies if r.choices]
        if offered:
            await repo.set_pending(ctx.session, ctx.user, pending_json(offered[-1].choices))
        elif replies and ctx.user.pending is not None:
            await repo.set_pending(ctx.session, ctx.user, None)

    async def _route(self, ctx: Ctx, msg: Inbound) -> list[Reply]:
        r = self.router
        if msg.kind in (Kind.BLOCKED, Kind.UNBLOCKED, Kind.POLL_ANSWER) or msg.kind in r.kinds:
            route = r.kinds.get(msg.kind)
            if route is None:
                return []
            return await self._call(route, ctx, msg)
        target = self._target(ctx, msg)
        if isinstance(target, list):  # the dispatcher's own word (a sticker, an unknown command): an aside
            replies, aside = target, True
        else:
            route, routed = target
            replies, aside = await self._call(route, ctx, routed), route.aside
        for keep in r.waiting:  # a flow left waiting (the quiz) adds what brings the user back to it
            replies = await keep(ctx, replies, aside)
        return replies

    def _target(self, ctx: Ctx, msg: Inbound) -> tuple[Route, Inbound] | list[Reply]:
        """The handler a text or a button goes to (with the event as it sees it), or the dispatcher's reply."""
        if msg.kind == Kind.CALLBACK:
            return self._button(ctx, msg, msg.choice or "")
        if msg.kind != Kind.TEXT:
            return [menu_reply(texts.UNSUPPORTED_MEDIA)]
        return self._text(ctx, msg)

    def _button(self, ctx: Ctx, msg: Inbound, data: str) -> tuple[Route, Inbound] | list[Reply]:
        run = RunCommand.read(data)
        if run is not None:  # “▶️ /tiendo” offered for a mistyped command: as if it had been typed right
            return self._text(ctx, replace(msg, kind=Kind.TEXT, text="/" + run.name, command=run.name, args="",
                                           choice=None))
        route = self.router.resolve_action(data)
        if route is None:
            return [menu_reply(texts.STALE_BUTTON)]
        return route, _with_choice(msg, data)

    def _unknown_command(self, msg: Inbound) -> Reply:
        """“Mình chưa hiểu lệnh…”, with a button for the command it was nearly (“/tiendoo” → “▶️ /tiendo”)."""
        near = self.router.near_command(msg.command or "", msg.args)
        if near is None:
            return menu_reply(texts.UNKNOWN_COMMAND.format(cmd="/" + (msg.command or "")[:30]))
        return Reply(texts.UNKNOWN_COMMAND_NEAR.format(cmd=msg.text.strip()[:30], near="/" + near),
                     choices=[Choice("▶️ /" + near, RunCommand(near).pack()),
                              Choice(texts.SEE_COMMANDS, RunCommand(texts.HELP_COMMAND).pack())])

    def _text(self, ctx: Ctx, msg: Inbound) -> tuple[Route, Inbound] | list[Reply]:
        text = msg.text.strip()
        if msg.command is not None:
            route = self.router.commands.get(msg.command.lower())
            if route is None:
                return [self._unknown_command(msg)]
            ctx.set_state(None)
            return route, msg
        if not text:
            return [menu_reply(texts.EMPTY)]
        if len(text) > texts.MAX_TEXT:
            return [menu_reply(texts.TOO_LONG.format(n=len(text), max=texts.MAX_TEXT))]
        picked = self._pending_choice(ctx, text)
        if isinstance(picked, str):
            return self._button(ctx, msg, picked)
        menu = self.router.resolve_menu(text)
        if menu is not None:
            ctx.set_state(None)
            return menu, msg
        if ctx.user.state and ctx.user.state in self.router.states:
            return self.router.states[ctx.user.state], msg
        if picked is not None:
            hint = texts.NUMBER_HINT.format(n=picked) if picked > 1 else texts.NUMBER_HINT_ONE
            return [Reply(hint, choices=ctx.offered)]
        if digits := _digits(text):  # nothing else on offer: a number picks a main-menu item (Zalo numbers them)
            n = int(digits)
            item = self.router.resolve_menu(texts.MAIN_ITEMS[n - 1]) if 1 <= n <= len(texts.MAIN_ITEMS) else None
            if item is None:
                return [menu_reply(texts.NUMBER_NOTHING)]
            return item, msg
        if self.router.text is None:
            return [menu_reply(texts.COMING_SOON)]
        return self.router.text, msg

    def _pending_choice(self, ctx: Ctx, text: str) -> str | int | None:
        """The payload a typed answer picks; an int n means “a number, but only 1..n exist”."""
        choices = ctx.offered
        if not choices:
            return None
        digits = _digits(text)
        if digits:
            n = int(digits)
            return choices[n - 1].data if 1 <= n <= len(choices) else len(choices)
        idx = match_label(text, [plain_label(c.label) for c in choices])
        return choices[idx].data if idx is not None else None

    async def _call(self, route: Route, ctx: Ctx, msg: Inbound) -> list[Reply]:
        if route.consent and not ctx.consented:
            return [Reply(texts.CONSENT_NEEDED, choices=[Choice("▶️ Bắt đầu", Start().pack())])]
        return await route.handler(ctx, msg)


def _digits(text: str) -> str:
    """“2”, “2.” or “2)” → "2"; anything else → ""."""
    digits = text.rstrip(".)").strip()
    return digits if digits.isdecimal() else ""  # not isdigit: int("²") fails


def _with_choice(msg: Inbound, data: str) -> Inbound:
    if msg.kind == Kind.CALLBACK and msg.choice == data:  # a button's own press: already what the handler sees
        return msg
    return replace(msg, kind=Kind.CALLBACK, choice=data)
