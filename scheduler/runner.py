"""The campaign timer: an APScheduler 3.x AsyncIOScheduler interval job that asks the DB what is due.

Why an interval job and not one job per fire time: campaigns are added by the CLI and by other workers
at any moment, leadership moves between workers, and clocks jump. Asking the database every
`interval` seconds ("what fires are due now?") handles all of these with one cheap query, and the
unique CampaignFire row keeps every fire single. The job runs once right at start to catch up fires
missed while the bot was down (sent if younger than the grace period, else recorded as skipped).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.core.context import Services
from bot.core.faults import log_failure
from bot.db import repo
from handlers.week.campaigns import tick
from handlers.week.nudges import run_nudges
from scheduler.leader import Leader

log = logging.getLogger(__name__)

TICK_SECONDS = 30.0
STOP_WAIT = 10.0  # seconds a running step may take to finish when hocbot stops
NUDGE_EVERY = dt.timedelta(minutes=10)
PRUNE_EVERY = dt.timedelta(hours=1)


class CampaignScheduler:
    """Async context manager: starts the timer on enter, stops it (and gives up leadership) on exit."""

    def __init__(self, services: Services, interval: float = TICK_SECONDS) -> None:
        self.services = services
        self.interval = interval
        self.leader = Leader(services.db)
        self.scheduler = AsyncIOScheduler(timezone=services.settings.tz)
        self._last_nudges: dt.datetime | None = None
        self._busy: asyncio.Task[Any] | None = None  # the step running now, if any
        self._last_prune: dt.datetime | None = None
        self._remind = False

    async def step(self) -> None:
        """One wake-up: lead or stand by; if leading, run due fires and (every few minutes) nudges."""
        self._busy = asyncio.current_task()
        led = False
        try:
            if not await self.leader.ensure():
                return
            led = True
            now = self.services.now()
            for fired in await tick(self.services, now):
                self.services.metrics.campaign_fires.labels(fired.status).inc()
            if self._last_nudges is None or now - self._last_nudges >= NUDGE_EVERY:
                self._last_nudges = now
                await run_nudges(self.services, now)
                self._remind = True
            if self._last_prune is None or now - self._last_prune >= PRUNE_EVERY:
                self._last_prune = now
                if pruned := await repo.prune_inbound(self.services.db):
                    log.info("forgot %d inbound event ids older than %s", pruned, repo.INBOUND_KEEP)
            if self._remind:  # the learning models' reminders, at the nudges' cadence (after the clean-up)
                self._remind = False
                from handlers.learning_models.service import remind_due

                await remind_due(self.services, now)
        except Exception as exc:
            log_failure(log, "scheduler", "campaign scheduler step failed; retrying at the next tick", exc)
        finally:
            self._busy = None
            if led:  # fires, nudges and reminders queued deliveries: this worker's pacer claims them at once
                self.services.wake_outbox()

    async def __aenter__(self) -> CampaignScheduler:
        self.scheduler.add_job(
            self.step,
            "interval",
            seconds=self.interval,
            id="campaigns",
            next_run_time=dt.datetime.now(dt.UTC),
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )
        self.scheduler.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        # A step already running finishes first (APScheduler's shutdown would cancel it mid-way and log the
        # CancelledError as a failed job): Ctrl-C right after start-up stays quiet.
        self.scheduler.pause()
        if self._busy is not None:
            await asyncio.wait([self._busy], timeout=STOP_WAIT)
        self.scheduler.shutdown(wait=False)
        await self.leader.release()
