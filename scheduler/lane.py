"""One channel's lane of the pacer: a token bucket for the platform's rate, and the loop that claims due
deliveries, sends them and hands outcomes back to the pacer (see scheduler/pacer.py for the whole story)."""

from __future__ import annotations

import asyncio
import datetime as dt
import heapq
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, select, update
from sqlmodel import col

from bot.core.delivery import Blocked, InDoubt, OutsideWindow, Permanent, RetryLater, Stopped
from bot.db.models import Identity, User, utcnow
from bot.db.models_officers import FAILED, QUEUED, SENDING, SENT, SKIPPED, UNREACHABLE, BroadcastStatus, Delivery
from handlers.officers.audience import person_ok
from handlers.officers.reasons import refused_state

if TYPE_CHECKING:
    from scheduler.pacer import Pacer

MAX_ATTEMPTS = 4
DT: Any = Delivery.__table__  # type: ignore[attr-defined]


class TokenBucket:
    """`await take()` returns when one more message fits the rate; `pause(s)` stops it for s seconds.

    Sends are paced on a timeline (one slot every 1/rate s), not by tokens capped at one: a send that starts
    a little late (a busy event loop, a claim query) is made up by the next ones, each at most CATCH_UP times
    the rate, so a broadcast keeps its configured rate from the first message on instead of losing every
    moment of lateness. At most SLACK seconds of lateness are made up, and none after `rest()` (the lane had
    nothing to send): an idle spell is not lateness, so it never turns into a burst."""

    CATCH_UP = 1.1  # while behind, messages go out at most 10 % faster than the rate
    SLACK = 1.0  # seconds of lateness that are made up at most

    def __init__(self, rate: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:
        self.rate = rate
        self.interval = 1.0 / rate
        self.min_gap = self.interval / self.CATCH_UP
        self.clock, self.sleep = clock, sleep
        now = clock()
        self.next_at = now  # the next send's slot on the timeline
        self.last_at = now - self.interval  # when the last send went out
        self.rested = True
        self.paused_until = 0.0
        self._lock = asyncio.Lock()

    def rest(self) -> None:
        """Nothing to send for now: the next send starts a new timeline."""
        self.rested = True

    def pause(self, seconds: float) -> None:
        self.paused_until = max(self.paused_until, self.clock() + seconds)
        self.next_at = max(self.next_at, self.paused_until)

    def spend(self, n: float = 1.0) -> None:
        """Someone else (an interactive reply) used n messages of the platform's rate: bulk waits for them,
        at most one second's worth behind."""
        now = self.clock()
        self.next_at = min(self._slot(now) + n * self.interval, now + 1.0)

    def _slot(self, now: float) -> float:
        if self.rested:
            self.next_at, self.rested = max(self.next_at, now), False
        return max(self.next_at, now - self.SLACK)

    async def take(self) -> None:
        async with self._lock:
            while True:
                now = self.clock()
                if now < self.paused_until:
                    await self.sleep(self.paused_until - now)
                    continue
                slot = self._slot(now)
                at = max(slot, self.last_at + self.min_gap)
                if at <= now:
                    self.next_at = slot + self.interval
                    self.last_at = now
                    return
                await self.sleep(at - now)


@dataclass
class Job:
    id: int
    broadcast_id: int
    user_id: int
    chat_id: str
    attempts: int


@dataclass
class Outcome:
    id: int
    state: str
    attempts: int
    error: str | None = None
    retry_at: dt.datetime | None = None


@dataclass
class ChannelLane:
    """Claims and sends one channel's deliveries."""

    pacer: Pacer
    name: str
    bucket: TokenBucket
    batch: int
    concurrency: int
    pending: deque[Job] = field(default_factory=deque)
    last_sent: dict[str, float] = field(default_factory=dict)
    stalled: bool = False  # a send timed out (it may have been delivered): no new sends until the platform answers
    cut: bool = False  # the channel is stopping (hocbot shuts down): nothing more is sent in this process
    woken: asyncio.Event = field(default_factory=asyncio.Event)  # set by Pacer.wake(): rows were queued
    idle_wait: float = 0.0  # the next idle wait (Pacer.idle: from `poll`, doubled up to idle_poll)
    due: list[float] = field(default_factory=list)  # heap: when rows this lane put back for later are due
    _claim: Any = None  # the claim statement, built once

    async def run(self) -> None:
        """Send the pending rows at the bucket's pace. The next batch is claimed while the last half of this
        one goes out, so sending never stops for a claim query; a claim that came back short means the
        outbox is drained for now, and nothing more is claimed ahead until the rows in hand are out."""
        p = self.pacer
        sem = asyncio.Semaphore(self.concurrency)
        tasks: set[asyncio.Task[None]] = set()
        ahead: asyncio.Task[list[Job]] | None = None
        drained = False
        try:
            while not p.stopping and not self.cut:
                if ahead is None and self.pending and not drained and len(self.pending) <= self.batch // 2:
                    ahead = asyncio.create_task(p.guard(self.claim()))
                if ahead is not None and (ahead.done() or not self.pending):
                    jobs = await ahead
                    ahead = None
                    drained = len(jobs) < self.batch
                    self.pending.extend(jobs)
                if not self.pending:
                    self.woken.clear()  # before the claim: rows queued while it runs wake the idle wait below
                    jobs = await p.guard(self.claim())
                    drained = len(jobs) < self.batch
                    if not jobs:
                        self.bucket.rest()
                        await p.idle(self)
                        continue
                    self.idle_wait = p.poll
                    self.pending.extend(jobs)
                await self._next(sem, tasks)
        finally:
            if ahead is not None:
                ahead.cancel()
            for t in list(tasks):
                t.cancel()

    async def _next(self, sem: asyncio.Semaphore, tasks: set[asyncio.Task[None]]) -> None:
        """Send the first pending row (or hand it back for later when its chat got a message moments ago)."""
        p = self.pacer
        job = self.pending.popleft()
        wait = self.last_sent.get(job.chat_id, -1e9) + p.per_chat - time.monotonic()
        if wait > 0:
            self.record(Outcome(job.id, QUEUED, job.attempts, None, utcnow() + dt.timedelta(seconds=wait)))
            return
        if self.stalled:
            self.pending.appendleft(job)
            await self.recover()
            return
        try:
            await self.bucket.take()
            await sem.acquire()
        except asyncio.CancelledError:  # stopping: the row is still ours to hand back (release())
            self.pending.appendleft(job)
            raise
        if self.stalled or self.cut:  # a send timed out, or the channel was cut, while this one waited its turn
            sem.release()
            self.pending.appendleft(job)
            return
        self.last_sent[job.chat_id] = time.monotonic()
        task = asyncio.create_task(self.send(job))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        task.add_done_callback(lambda _t: sem.release())
        if len(self.last_sent) > 50_000:
            cutoff = time.monotonic() - p.per_chat
            self.last_sent = {k: v for k, v in self.last_sent.items() if v > cutoff}

    def release(self) -> None:
        """On stop: the rows claimed but not yet handed to the platform go back to the queue as they were (no
        attempt used), so another worker or the next start sends them at once instead of after the lease."""
        while self.pending:
            job = self.pending.popleft()
            self.record(Outcome(job.id, QUEUED, job.attempts))

    async def recover(self) -> None:
        """After a send timed out, wait until the platform answers a cheap call again (the channel's `ping`,
        every 1, 2, 4 … 30 s) before sending more: while it is frozen, only the messages already in flight
        (at most `concurrency`) can end up delivered twice, not a new batch every timeout."""
        ping = getattr(self.pacer.channels.get(self.name), "ping", None)
        delay = 1.0
        while not self.pacer.stopping:
            await asyncio.sleep(delay)
            if ping is None:
                break
            try:
                await ping()
                break
            except Exception:
                delay = min(delay * 2, 30.0)
        self.stalled = False

    def record(self, outcome: Outcome) -> None:
        """Hand an outcome to the pacer and count it (/metrics): final states, and retries after errors."""
        m = self.pacer.metrics
        if outcome.state == QUEUED:
            if outcome.retry_at is not None:  # the lane claims again when it is due, even if idle by then
                later = (outcome.retry_at - utcnow()).total_seconds()
                heapq.heappush(self.due, time.monotonic() + max(0.0, later) + 0.06)  # + written back (≤ 50 ms)
            if outcome.error is not None:
                m.retries.labels(self.name).inc()
        else:
            m.deliveries.labels(self.name, outcome.state).inc()
        self.pacer.record(outcome)

    def claim_statement(self) -> Any:
        """`UPDATE … SET state='sending' WHERE id IN (the first `batch` due rows of this channel) RETURNING …`,
        built once per lane: the time and the worker are bound parameters (c_now, c_me)."""
        if self._claim is None:
            now = bindparam("c_now", type_=DT.c.next_attempt_at.type)
            sub = (
                select(DT.c.id)
                .where(DT.c.state == QUEUED, DT.c.channel == self.name, DT.c.next_attempt_at <= now)
                .order_by(DT.c.id)
                .limit(self.batch)
            )
            if self.pacer.db.is_postgres:
                sub = sub.with_for_update(skip_locked=True)
            self._claim = (
                update(DT)
                .where(DT.c.id.in_(sub.scalar_subquery()))
                .values(state=SENDING, claimed_by=bindparam("c_me"), claimed_at=now)
                .returning(DT.c.id, DT.c.broadcast_id, DT.c.user_id, DT.c.chat_id, DT.c.attempts)
            )
        return self._claim

    async def claim(self) -> list[Job]:
        p = self.pacer
        now = utcnow()
        async with p.db.session() as s:
            rows = (await s.execute(self.claim_statement(), {"c_now": now, "c_me": p.worker_id})).all()
            if not rows:
                return []
            p.active_at = time.monotonic()
            jobs = sorted((Job(*r) for r in rows), key=lambda j: j.id)
            await p.load_broadcasts(s, {j.broadcast_id for j in jobs})
            eligible = await self.eligible(s, [j.user_id for j in jobs])
        out: list[Job] = []
        resume = p.resume_at(now)
        for j in jobs:
            b = p.broadcasts.get(j.broadcast_id)
            if b is None or b.status == BroadcastStatus.CANCELLED:
                self.record(Outcome(j.id, SKIPPED, j.attempts, "cancelled"))
            elif b.kind == "campaign" and resume > now:  # a long campaign run reached quiet hours
                self.record(Outcome(j.id, QUEUED, j.attempts, None, resume))
            elif j.user_id not in eligible:
                self.record(Outcome(j.id, SKIPPED, j.attempts, "unsubscribed or inactive"))
            else:
                out.append(j)
        return out

    async def eligible(self, s: Any, user_ids: list[int]) -> set[int]:
        stmt = (
            select(Identity.user_id)  # type: ignore[call-overload]
            .join(User, col(User.id) == col(Identity.user_id))
            .where(col(Identity.user_id).in_(user_ids), Identity.channel == self.name)
            .where(col(Identity.active).is_(True), person_ok())
        )
        return {int(u) for u in (await s.execute(stmt)).scalars().all()}

    async def send(self, job: Job) -> None:
        p = self.pacer
        b = p.broadcasts[job.broadcast_id]
        channel = p.channels.get(self.name)
        try:
            if channel is None:
                raise OutsideWindow(f"channel {self.name} not configured")
            await channel.send(job.chat_id, p.replies[job.broadcast_id])
        except RetryLater as exc:
            self.bucket.pause(exc.retry_after)
            self.pending.appendleft(job)
            p.retry_waits += 1
            p.metrics.rate_limited.labels(self.name).inc()
            return
        except Stopped:  # not sent, and not tried: queued again as it was, for the next start (no attempt used)
            self.cut = True
            self.record(Outcome(job.id, QUEUED, job.attempts))
            return
        except Blocked as exc:
            self.record(Outcome(job.id, refused_state(exc.reason), job.attempts + 1, exc.reason[:300]))
            p.blocked_users.append((job.user_id, self.name))
            return
        except OutsideWindow as exc:
            self.record(Outcome(job.id, UNREACHABLE, job.attempts + 1, exc.reason[:300]))
            return
        except Permanent as exc:
            self.record(Outcome(job.id, FAILED, job.attempts + 1, exc.reason[:300]))
            return
        except Exception as exc:  # Transient and anything unexpected: back off, then give up
            if isinstance(exc, InDoubt):
                self.stalled = True
            reason = (getattr(exc, "reason", None) or f"{type(exc).__name__}: {exc}")[:300]
            attempts = job.attempts + 1
            if attempts >= MAX_ATTEMPTS:
                self.record(Outcome(job.id, FAILED, attempts, reason))
            else:
                delay = p.backoff * (2 ** (attempts - 1))
                self.record(Outcome(job.id, QUEUED, attempts, reason, utcnow() + dt.timedelta(seconds=delay)))
            return
        del b
        p.sent_count += 1
        self.record(Outcome(job.id, SENT, job.attempts + 1))
