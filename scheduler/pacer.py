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

Idle: a lane whose claim came back empty waits `poll` (0.25 s), then twice as long after each empty claim, up to
`idle_poll` (2 s), and the housekeeping pass runs every `idle_poll` too once nothing was sent for a few seconds:
an idle bot made 8 claims and 2 finishing passes a second (≈40 ms of CPU a second, mostly building and running
the same statements). Rows queued in this process wake the lanes at once (`wake()`: an officer's broadcast, the
dashboard, a campaign fire or nudge of this worker's scheduler), so nobody waits for the back-off; rows queued
by another process (`hocbot broadcast send`, another worker on PostgreSQL) go out within `idle_poll`. A lane
that put a row back for later (a retry after an error, the per-chat gap) wakes when that row is due. The claim
and finishing statements are built once (bound parameters), not on every poll.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import heapq
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, bindparam, exists, select, update
from sqlmodel import col

from bot.core.faults import log_failure
from bot.core.messages import Reply
from bot.core.tasks import cancel_and_wait
from bot.db.engine import Database
from bot.db.models import Identity, utcnow
from bot.db.models_officers import OPEN_STATUSES, QUEUED, SENDING, SENT, Broadcast, BroadcastStatus
from bot.metrics import Metrics
from handlers.officers.audience import receives_pushed
from handlers.officers.outbox import broadcast_reply, report_text
from handlers.week.schedule import defer_quiet
from scheduler.lane import DT, ChannelLane, Outcome, TokenBucket

if TYPE_CHECKING:
    from bot.core.context import Services

log = logging.getLogger(__name__)

LEASE = 60.0
FLUSH_EVERY = 0.05
IDLE_POLL = 2.0  # seconds: the longest a lane waits between two claims when nothing wakes it
ACTIVE_FOR = 5.0  # seconds after the last row claimed or written back during which housekeeping runs often


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
        idle_poll: float = IDLE_POLL,
        resume_at: Callable[[dt.datetime], dt.datetime] | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.db = db
        self.metrics = metrics or Metrics()
        self.resume_at = resume_at or (lambda t: t)  # when campaign messages may go out (quiet hours)
        self.channels = channels
        self.rate, self.zalo_rate, self.per_chat = rate, zalo_rate, per_chat
        self.worker_id = worker_id or f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.single_worker = db.is_sqlite if single_worker is None else single_worker
        self.backoff = backoff
        self.poll = poll
        self.idle_poll = idle_poll
        self.active_at = time.monotonic()  # when a row was last claimed or an outcome written back
        self.stopping = False
        self.broadcasts: dict[int, Broadcast] = {}
        self.replies: dict[int, Reply] = {}
        self.outcomes: list[Outcome] = []
        self.blocked_users: list[tuple[int, str]] = []
        self.sent_count = 0
        self.retry_waits = 0
        self._house_wake = asyncio.Event()
        self._outcomes_ready = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self.lanes: dict[str, ChannelLane] = {}

    def make_room(self, channel: str, seconds: float) -> None:
        """An interactive reply goes ahead of bulk: it takes one message of this channel's rate from the
        broadcasts (seconds == 0), or, after a 429, broadcasts pause `seconds` (longer than the reply waits)."""
        lane = self.lanes.get(channel)
        if lane is None:
            return
        if seconds > 0:
            lane.bucket.pause(seconds)
        else:
            lane.bucket.spend()

    def wake(self) -> None:
        """New rows were queued in this process: claim now instead of at the next poll."""
        for lane in self.lanes.values():
            lane.woken.set()
        self._house_wake.set()

    async def idle(self, lane: ChannelLane) -> None:
        """After an empty claim: wait for `wake()`, for a row this lane put back for later to be due, or for the
        lane's poll interval, which doubles after each empty claim (from `poll` up to `idle_poll`). The lane
        clears its event before it claims, so a wake that comes during the claim is not lost."""
        now = time.monotonic()
        due = lane.due
        while due and due[0] <= now:
            heapq.heappop(due)
        wait = max(self.poll, lane.idle_wait)
        lane.idle_wait = min(max(self.poll, self.idle_poll), wait * 2)
        if due:
            wait = min(wait, due[0] - now)
        if await _wait(lane.woken, wait):
            lane.idle_wait = self.poll

    async def guard(self, coro: Any) -> Any:
        try:
            return await coro
        except Exception as exc:
            log_failure(log, "pacer", "pacer database step failed; retrying", exc)
            await asyncio.sleep(self.poll)
            return []

    def record(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        self._outcomes_ready.set()

    async def load_broadcasts(self, s: Any, ids: set[int]) -> None:
        rows = (await s.execute(select(Broadcast).where(col(Broadcast.id).in_(ids)))).scalars().all()
        for b in rows:
            self.broadcasts[b.id] = b
            self.replies[b.id] = broadcast_reply(b)
        await s.execute(
            update(Broadcast).where(col(Broadcast.id).in_(ids), col(Broadcast.status) == BroadcastStatus.QUEUED)
            .values(status=BroadcastStatus.SENDING)
        )

    def lane_names(self) -> list[str]:
        return [n for n in self.channels if receives_pushed(n)]

    async def start(self) -> None:
        if self.single_worker:
            await self.requeue_stale(everything=True)
        for name in self.lane_names():
            own = getattr(self.channels[name], "push_rate", None)  # the web chat's inbox: no platform limit
            rate = own or (self.zalo_rate if name.startswith("zalo") else self.rate)
            lane = ChannelLane(
                self, name, TokenBucket(rate), batch=max(1, min(500, int(rate))),
                concurrency=max(4, min(64, int(rate / 10))),
            )
            self.lanes[name] = lane
            self._tasks.append(asyncio.create_task(lane.run(), name=f"pacer-{name}"))
        self._tasks.append(asyncio.create_task(self._flusher(), name="pacer-flush"))
        self._tasks.append(asyncio.create_task(self._housekeeping(), name="pacer-house"))

    async def stop(self) -> None:
        self.stopping = True
        self.wake()
        await asyncio.sleep(0)
        with contextlib.suppress(Exception):
            await cancel_and_wait(*self._tasks)
        for lane in self.lanes.values():
            lane.release()
        await self.flush()
        self._tasks.clear()

    async def _flusher(self) -> None:
        """Outcomes are written back FLUSH_EVERY s after the first one of a batch (nothing runs while idle)."""
        while True:
            await self._outcomes_ready.wait()
            await asyncio.sleep(FLUSH_EVERY)
            self._outcomes_ready.clear()
            await self.guard(self.flush())
            if self.outcomes or self.blocked_users:  # the write failed (guard waited): try again
                self._outcomes_ready.set()

    async def flush(self) -> None:
        """Write outcomes back in one transaction (executemany per statement)."""
        if not self.outcomes and not self.blocked_users:
            return
        batch, self.outcomes = self.outcomes, []
        blocked, self.blocked_users = self.blocked_users, []
        self.active_at = time.monotonic()
        now = utcnow()
        rows = [
            {"b_id": o.id, "b_state": o.state, "b_attempts": o.attempts, "b_error": o.error,
             "b_next": o.retry_at or now, "b_sent": now if o.state == SENT else None,
             "b_claimed": None}
            for o in batch
        ]
        try:
            async with self.db.session() as s:
                conn = await s.connection()
                if rows:
                    await conn.execute(_WRITE_BACK, rows)
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
        """Finished broadcasts every 0.5 s while rows go out (and ACTIVE_FOR s after), every `idle_poll` s when
        idle or at once when woken; claims heartbeated and dead workers' claims taken back every LEASE/4 s."""
        last_lease = time.monotonic()
        while True:
            busy = time.monotonic() - self.active_at < ACTIVE_FOR or any(la.pending for la in self.lanes.values())
            wait = min(0.5, self.poll * 2) if busy else max(self.poll, self.idle_poll)
            await _wait(self._house_wake, wait)
            self._house_wake.clear()  # before the pass: a wake during it is kept for the next one
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
        async with self.db.session() as s:
            await s.execute(_FINISH, {"f_now": utcnow()})
        await send_reports(self.db, self.channels)


async def _wait(event: asyncio.Event, seconds: float) -> bool:
    """Wait until `event` is set (True) or `seconds` have passed (False). Not asyncio.wait_for: on Python 3.11
    a cancel (Pacer.stop) that comes as the event is set is lost, and the task never ends."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(max(0.0, seconds)):
            await event.wait()
    return event.is_set()


# Statements run on every pass, built once (SQLAlchemy also keeps their cache key instead of computing it again).
_WRITE_BACK: Any = (
    update(DT)
    .where(DT.c.id == bindparam("b_id"), DT.c.state == SENDING)
    .values(
        state=bindparam("b_state"), attempts=bindparam("b_attempts"), last_error=bindparam("b_error"),
        next_attempt_at=bindparam("b_next"), sent_at=bindparam("b_sent"), claimed_by=bindparam("b_claimed"),
    )
)
_FINISH: Any = (
    update(Broadcast)
    .where(
        col(Broadcast.status).in_(OPEN_STATUSES),
        ~exists().where(
            DT.c.broadcast_id == Broadcast.id, col(DT.c.state).in_([QUEUED, SENDING])  # type: ignore[arg-type]
        ),
    )
    .values(status=BroadcastStatus.DONE, finished_at=bindparam("f_now"))
    .execution_options(synchronize_session=False)  # a new session: no loaded Broadcast to bring up to date
)
_REPORTS_DUE: Any = (
    select(col(Broadcast.id), col(Broadcast.report_channel), col(Broadcast.report_chat_id))
    .where(col(Broadcast.status) == BroadcastStatus.DONE, col(Broadcast.report_sent).is_(False))
    .where(col(Broadcast.report_channel).is_not(None))
)


async def send_reports(db: Database, channels: dict[str, Any]) -> None:
    """Each finished broadcast's officer gets one report (report_sent is claimed before sending)."""
    async with db.session() as s:
        due = (await s.execute(_REPORTS_DUE)).all()
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


def build_pacer(services: Services) -> Pacer:
    """The process's pacer, on the bot's settings and clock (bot/app.py starts it with the channels)."""
    s = services.settings

    def resume_at(now: dt.datetime) -> dt.datetime:
        """Quiet hours are judged on the bot's clock (`Services.now`, the one campaigns fire on), so the two agree;
        in production that clock is the real one and this is `defer_quiet(now)`."""
        clock = services.now()
        return now + (defer_quiet(clock, s.quiet_window, s.tz) - clock)

    return Pacer(
        services.db, {}, rate=s.broadcast_rate, zalo_rate=s.zalo_broadcast_rate,
        per_chat=s.per_chat_interval, resume_at=resume_at, metrics=services.metrics,
    )
