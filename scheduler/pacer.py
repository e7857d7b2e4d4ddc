"""The pacer: drains the delivery outbox per channel at the platform's rate, crash-safe and multi-worker.

One `ChannelLane` per push channel claims due rows (`queued`, next_attempt_at ≤ now) in small batches with
ONE statement: `UPDATE … SET state='sending', claimed_by=me WHERE id IN (SELECT … [FOR UPDATE SKIP LOCKED]
LIMIT n) RETURNING …` — on PostgreSQL several workers claim disjoint rows; on SQLite the statement runs
under the write lock. Sends go out through `rt.channels[name].send` behind a token bucket
(HOCBOT_BROADCAST_RATE for Telegram, ZALO_BROADCAST_RATE for Zalo) and a per-chat gap
(HOCBOT_PER_CHAT_INTERVAL). Outcomes are written back in small batches (every ≤ 50 ms):

    sent → sent · Blocked → blocked (+ identity inactive) · OutsideWindow → unreachable · Permanent → failed
    RetryLater → the lane pauses retry_after s and the same row is retried (not an attempt)
    Transient/other → queued again with back-off (1, 2, 4 s …); after MAX_ATTEMPTS → failed with the reason
    user unsubscribed / deleted / inactive at send time, or broadcast cancelled → skipped
    a campaign row claimed during quiet hours → queued again for the end of the quiet window (officers'
    own broadcasts go out when the officer confirms them)

Crash bound: a row stays `sending` while claimed. A worker heartbeats its claims; rows whose claim is older
than LEASE seconds (dead worker), and on SQLite every `sending` row at start-up, go back to `queued`.
Claimed rows not yet sent are simply re-sent by the next worker (nobody got them). A recipient gets a
message twice only if it was in flight at the kill: its request had left (or its success was not yet
written back, ≤ 50 ms) — at most `concurrency` + one flush batch rows per killed worker, in practice a few.

When a broadcast has no queued/sending rows left it is marked done and, once (guarded by report_sent), its
officer gets a report on the channel the broadcast names.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import socket
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, bindparam, exists, select, update
from sqlmodel import col

from bot.channels.base import Blocked, OutsideWindow, Permanent, RetryLater
from bot.db.engine import Database
from bot.db.models import Identity, User, utcnow
from bot.db.models_officers import QUEUED, SENDING, Broadcast, Delivery
from bot.messages import Reply
from scheduler.outbox import NO_PUSH_CHANNELS, audience_filter, broadcast_reply, report_text
from scheduler.schedule import defer_quiet

if TYPE_CHECKING:
    from bot.app import Runtime

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
LEASE = 60.0
FLUSH_EVERY = 0.05
DT: Any = Delivery.__table__  # type: ignore[attr-defined]


class TokenBucket:
    """`await take()` returns when one more message fits the rate; `pause(s)` stops it for s seconds."""

    def __init__(self, rate: float, burst: float = 1.0) -> None:
        self.rate = rate
        self.capacity = max(1.0, burst)
        self.tokens = self.capacity
        self.stamp = time.monotonic()
        self.paused_until = 0.0
        self._lock = asyncio.Lock()

    def pause(self, seconds: float) -> None:
        self.paused_until = max(self.paused_until, time.monotonic() + seconds)
        self.tokens = 0.0

    async def take(self) -> None:
        async with self._lock:
            while True:
                now = time.monotonic()
                if now < self.paused_until:
                    await asyncio.sleep(self.paused_until - now)
                    self.stamp = time.monotonic()
                    continue
                self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
                self.stamp = now
                if self.tokens >= 1.0:
                    self.tokens -= 1.0
                    return
                await asyncio.sleep((1.0 - self.tokens) / self.rate)


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

    async def run(self) -> None:
        p = self.pacer
        sem = asyncio.Semaphore(self.concurrency)
        tasks: set[asyncio.Task[None]] = set()
        while not p.stopping:
            if not self.pending:
                jobs = await p.guard(self.claim())
                if not jobs:
                    await p.idle()
                    continue
                self.pending.extend(jobs)
            job = self.pending.popleft()
            wait = self.last_sent.get(job.chat_id, -1e9) + p.per_chat - time.monotonic()
            if wait > 0:  # this chat got a message moments ago: hand the row back for later
                p.record(Outcome(job.id, QUEUED, job.attempts, None, utcnow() + dt.timedelta(seconds=wait)))
                continue
            await self.bucket.take()
            await sem.acquire()
            self.last_sent[job.chat_id] = time.monotonic()
            task = asyncio.create_task(self.send(job))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            task.add_done_callback(lambda _t: sem.release())
            if len(self.last_sent) > 50_000:
                cutoff = time.monotonic() - p.per_chat
                self.last_sent = {k: v for k, v in self.last_sent.items() if v > cutoff}
        for t in list(tasks):
            t.cancel()

    async def claim(self) -> list[Job]:
        p = self.pacer
        now = utcnow()
        sub = (
            select(DT.c.id)
            .where(DT.c.state == QUEUED, DT.c.channel == self.name, DT.c.next_attempt_at <= now)
            .order_by(DT.c.id)
            .limit(self.batch)
        )
        if p.db.is_postgres:
            sub = sub.with_for_update(skip_locked=True)
        stmt = (
            update(DT)
            .where(DT.c.id.in_(sub.scalar_subquery()))
            .values(state=SENDING, claimed_by=p.worker_id, claimed_at=now)
            .returning(DT.c.id, DT.c.broadcast_id, DT.c.user_id, DT.c.chat_id, DT.c.attempts)
        )
        async with p.db.session() as s:
            rows = (await s.execute(stmt)).all()
            if not rows:
                return []
            jobs = sorted((Job(*r) for r in rows), key=lambda j: j.id)
            await p.load_broadcasts(s, {j.broadcast_id for j in jobs})
            eligible = await self.eligible(s, [j.user_id for j in jobs])
        out: list[Job] = []
        resume = p.resume_at(now)
        for j in jobs:
            b = p.broadcasts.get(j.broadcast_id)
            if b is None or b.status == "cancelled":
                p.record(Outcome(j.id, "skipped", j.attempts, "cancelled"))
            elif b.kind == "campaign" and resume > now:  # a long campaign run reached quiet hours
                p.record(Outcome(j.id, QUEUED, j.attempts, None, resume))
            elif j.user_id not in eligible:
                p.record(Outcome(j.id, "skipped", j.attempts, "unsubscribed or inactive"))
            else:
                out.append(j)
        return out

    async def eligible(self, s: Any, user_ids: list[int]) -> set[int]:
        stmt = (
            select(Identity.user_id)  # type: ignore[call-overload]
            .join(User, col(User.id) == col(Identity.user_id))
            .where(col(Identity.user_id).in_(user_ids), Identity.channel == self.name)
            .where(col(Identity.active).is_(True), audience_filter())
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
            return
        except Blocked as exc:
            p.record(Outcome(job.id, "blocked", job.attempts + 1, exc.reason[:300]))
            p.blocked_users.append((job.user_id, self.name))
            return
        except OutsideWindow as exc:
            p.record(Outcome(job.id, "unreachable", job.attempts + 1, exc.reason[:300]))
            return
        except Permanent as exc:
            p.record(Outcome(job.id, "failed", job.attempts + 1, exc.reason[:300]))
            return
        except Exception as exc:  # Transient and anything unexpected: back off, then give up
            reason = (getattr(exc, "reason", None) or f"{type(exc).__name__}: {exc}")[:300]
            attempts = job.attempts + 1
            if attempts >= MAX_ATTEMPTS:
                p.record(Outcome(job.id, "failed", attempts, reason))
            else:
                delay = p.backoff * (2 ** (attempts - 1))
                p.record(Outcome(job.id, QUEUED, attempts, reason, utcnow() + dt.timedelta(seconds=delay)))
            return
        del b
        p.sent_count += 1
        p.record(Outcome(job.id, "sent", job.attempts + 1))


class Pacer:
    """Background delivery worker; `install(rt)` runs one per `hocbot run`."""

    def __init__(
        self,
        db: Database,
        channels: dict[str, Any],
        *,
        rate: float,
        zalo_rate: float,
        per_chat: float,
        worker_id: str | None = None,
        single_worker: bool | None = None,
        backoff: float = 1.0,
        poll: float = 0.25,
        resume_at: Callable[[dt.datetime], dt.datetime] | None = None,
    ) -> None:
        self.db = db
        self.resume_at = resume_at or (lambda t: t)  # when campaign messages may go out (quiet hours)
        self.channels = channels
        self.rate, self.zalo_rate, self.per_chat = rate, zalo_rate, per_chat
        self.worker_id = worker_id or f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.single_worker = db.is_sqlite if single_worker is None else single_worker
        self.backoff = backoff
        self.poll = poll
        self.stopping = False
        self.broadcasts: dict[int, Broadcast] = {}
        self.replies: dict[int, Reply] = {}
        self.outcomes: list[Outcome] = []
        self.blocked_users: list[tuple[int, str]] = []
        self.sent_count = 0
        self.retry_waits = 0
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def wake(self) -> None:
        """New rows were queued in this process: claim now instead of at the next poll."""
        self._wake.set()

    async def idle(self) -> None:
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), self.poll)

    async def guard(self, coro: Any) -> Any:
        try:
            return await coro
        except Exception:
            log.exception("pacer database step failed; retrying")
            await asyncio.sleep(self.poll)
            return []

    def record(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)

    async def load_broadcasts(self, s: Any, ids: set[int]) -> None:
        rows = (await s.execute(select(Broadcast).where(col(Broadcast.id).in_(ids)))).scalars().all()
        for b in rows:
            self.broadcasts[b.id] = b
            self.replies[b.id] = broadcast_reply(b)
        await s.execute(
            update(Broadcast).where(col(Broadcast.id).in_(ids), col(Broadcast.status) == "queued")
            .values(status="sending")
        )

    def lane_names(self) -> list[str]:
        return [n for n in self.channels if n not in NO_PUSH_CHANNELS]

    async def start(self) -> None:
        if self.single_worker:
            await self.requeue_stale(everything=True)
        for name in self.lane_names():
            rate = self.zalo_rate if name.startswith("zalo") else self.rate
            lane = ChannelLane(
                self, name, TokenBucket(rate), batch=max(1, min(500, int(rate))),
                concurrency=max(4, min(64, int(rate / 10))),
            )
            self._tasks.append(asyncio.create_task(lane.run(), name=f"pacer-{name}"))
        self._tasks.append(asyncio.create_task(self._flusher(), name="pacer-flush"))
        self._tasks.append(asyncio.create_task(self._housekeeping(), name="pacer-house"))

    async def stop(self) -> None:
        self.stopping = True
        self._wake.set()
        await asyncio.sleep(0)
        for t in self._tasks:
            t.cancel()
        for t in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await t
        await self.flush()
        self._tasks.clear()

    async def _flusher(self) -> None:
        while True:
            await asyncio.sleep(FLUSH_EVERY)
            await self.guard(self.flush())

    async def flush(self) -> None:
        """Write outcomes back in one transaction (executemany per statement)."""
        if not self.outcomes and not self.blocked_users:
            return
        batch, self.outcomes = self.outcomes, []
        blocked, self.blocked_users = self.blocked_users, []
        now = utcnow()
        rows = [
            {"b_id": o.id, "b_state": o.state, "b_attempts": o.attempts, "b_error": o.error,
             "b_next": o.retry_at or now, "b_sent": now if o.state == "sent" else None,
             "b_claimed": None}
            for o in batch
        ]
        stmt = (
            update(DT)
            .where(DT.c.id == bindparam("b_id"), DT.c.state == SENDING)
            .values(
                state=bindparam("b_state"), attempts=bindparam("b_attempts"), last_error=bindparam("b_error"),
                next_attempt_at=bindparam("b_next"), sent_at=bindparam("b_sent"),
                claimed_by=bindparam("b_claimed"),
            )
        )
        try:
            async with self.db.session() as s:
                conn = await s.connection()
                if rows:
                    await conn.execute(stmt, rows)
                for user_id, channel in blocked:
                    await conn.execute(
                        update(Identity)
                        .where(col(Identity.user_id) == user_id, col(Identity.channel) == channel)
                        .values(active=False)
                    )
        except Exception:
            self.outcomes[:0] = batch
            self.blocked_users[:0] = blocked
            raise

    async def _housekeeping(self) -> None:
        last_lease = time.monotonic()
        while True:
            await asyncio.sleep(min(0.5, self.poll * 2))
            if time.monotonic() - last_lease > LEASE / 4:
                last_lease = time.monotonic()
                await self.guard(self.heartbeat())
                await self.guard(self.requeue_stale())
            await self.guard(self.finish_broadcasts())

    async def heartbeat(self) -> None:
        async with self.db.session() as s:
            await s.execute(
                update(DT)
                .where(DT.c.claimed_by == self.worker_id, DT.c.state == SENDING)
                .values(claimed_at=utcnow())
            )

    async def requeue_stale(self, *, everything: bool = False) -> int:
        """Rows left `sending` by a dead worker (lease expired; on a single worker: all) go back to queued."""
        cond = DT.c.state == SENDING
        if not everything:
            cond = and_(cond, DT.c.claimed_at < utcnow() - dt.timedelta(seconds=LEASE))
        async with self.db.session() as s:
            res: Any = await s.execute(update(DT).where(cond).values(state=QUEUED, claimed_by=None))
        n = int(res.rowcount or 0)
        if n:
            log.warning("pacer: %d deliveries left in flight by a stopped worker were queued again", n)
        return n

    async def finish_broadcasts(self) -> None:
        open_rows = exists().where(
            DT.c.broadcast_id == Broadcast.id, col(DT.c.state).in_([QUEUED, SENDING])  # type: ignore[arg-type]
        )
        async with self.db.session() as s:
            await s.execute(
                update(Broadcast)
                .where(col(Broadcast.status).in_(["queued", "sending"]), ~open_rows)
                .values(status="done", finished_at=utcnow())
            )
        await send_reports(self.db, self.channels)


async def send_reports(db: Database, channels: dict[str, Any]) -> None:
    """Each finished broadcast's officer gets one report (report_sent is claimed before sending)."""
    async with db.session() as s:
        due = (await s.execute(
            select(col(Broadcast.id), col(Broadcast.report_channel), col(Broadcast.report_chat_id))
            .where(col(Broadcast.status) == "done", col(Broadcast.report_sent).is_(False))
            .where(col(Broadcast.report_channel).is_not(None))
        )).all()
    for bid, channel_name, chat_id in due:
        async with db.session() as s:
            res: Any = await s.execute(
                update(Broadcast).where(col(Broadcast.id) == bid, col(Broadcast.report_sent).is_(False))
                .values(report_sent=True)
            )
            if not res.rowcount:
                continue
            text = await report_text(s, bid)
        channel = channels.get(channel_name)
        if channel is None or not chat_id:
            continue
        try:
            await channel.send(chat_id, Reply(text))
        except Exception:
            log.warning("report of broadcast %s could not be sent to %s:%s", bid, channel_name, chat_id)


@contextlib.asynccontextmanager
async def pacer_background(rt: Runtime) -> AsyncIterator[None]:
    pacer: Pacer = rt.services.extras["pacer"]
    pacer.channels = rt.channels
    await pacer.start()
    try:
        yield
    finally:
        await pacer.stop()


def install(rt: Runtime) -> None:
    s = rt.settings
    rt.services.extras["pacer"] = Pacer(
        rt.services.db, rt.channels, rate=s.broadcast_rate, zalo_rate=s.zalo_broadcast_rate,
        per_chat=s.per_chat_interval, resume_at=lambda t: defer_quiet(t, s.quiet_window, s.tz),
    )
    rt.background.append(pacer_background)
