"""The dashboard's per-unit numbers, kept in the database (unit_counts) and refreshed by one background step.

Counting 100,000 subscribers' numbers takes about a second; a page must answer in well under 200 ms also when
nobody asked for a while (a new process, an empty cache). So a background step counts every place bucket and named
group at most once a minute (`REFRESH_EVERY`) in a read-only session and replaces the table in one short write; the
pages read the buckets they need and add them up (bot/web/dashboard/stats.py), the same numbers on every page. The
run row says when the last refresh was, so with several workers whoever finds it due refreshes it and the others
read it. A view that finds no numbers (the first start after the migration: they are filled from the existing rows
then), numbers older than `MAX_AGE`, from another week, or without a named group of its scope, waits for a refresh.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
import weakref
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, or_, select, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.context import Services
from bot.core.faults import log_failure
from bot.core.tasks import cancel_and_wait
from bot.db.models import Group
from bot.db.models_dashboard import UnitCount, UnitCountsRun
from bot.web.dashboard import stats

log = logging.getLogger(__name__)

REFRESH_EVERY = 60.0  # seconds: the pages say “tự làm mới mỗi phút”
MAX_AGE = 600.0  # older numbers are not shown: the view waits for a refresh
CHECK_EVERY = 5.0
RUN_ID = 1


@dataclass
class Summary:
    computed_at: dt.datetime
    weeks: stats.Weeks
    places: dict[stats.Bucket, Counter[str]]
    members: dict[int, Counter[str]]  # every named group at the time, members or not

    def numbers(self, lowered: dict[int, str | None]) -> stats.Numbers:
        return stats.Numbers(self.places, self.members, lowered)


async def compute(s: AsyncSession, weeks: stats.Weeks, now: dt.datetime) -> Summary:
    """Every place bucket's and every named group's numbers (a read-only session: no write lock while counting)."""
    places = await stats.place_numbers(s, weeks)
    named = [int(i) for i in (await s.execute(select(col(Group.id)).where(col(Group.kind) != "locality"))).scalars()]
    members = await stats.member_numbers(s, weeks, named)
    return Summary(now, weeks, places, {gid: members.get(gid, Counter()) for gid in named})


def _rows(summary: Summary) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for (province, commune), c in summary.places.items():
        out += [{"province": province, "commune": commune, "group_id": None, "metric": k, "value": v}
                for k, v in c.items() if v]  # fmt: skip
    for gid, c in summary.members.items():  # “subscribers” always: the group is known, even with nobody in it
        c = Counter({"subscribers": 0, **c})
        out += [{"province": None, "commune": None, "group_id": gid, "metric": k, "value": v}
                for k, v in c.items() if v or k == "subscribers"]  # fmt: skip
    return out


async def store(s: AsyncSession, summary: Summary, took_ms: int) -> None:
    """Replace the stored numbers. The run row is written first: on PostgreSQL a worker storing at the same moment
    waits on it, then replaces these rows (it never adds to them)."""
    values: dict[str, Any] = {"computed_at": summary.computed_at, "week_start": summary.weeks.start,
                              "took_ms": took_ms}  # fmt: skip
    res: Any = await s.execute(update(UnitCountsRun).where(col(UnitCountsRun.id) == RUN_ID).values(**values))
    if not res.rowcount:
        s.add(UnitCountsRun(id=RUN_ID, **values))
        await s.flush()
    await s.execute(delete(UnitCount))
    rows = _rows(summary)
    if rows:
        await s.execute(insert(UnitCount), rows)


async def load(
    s: AsyncSession, settings: Any, provinces: list[str] | None = None, group_ids: list[int] | None = None
) -> Summary | None:
    """The stored numbers (None: never computed); with `provinces`, only those provinces' places and the named
    groups `group_ids`."""
    head = await _head(s, settings)
    if head is None:
        return None
    stmt = select(col(UnitCount.province), col(UnitCount.commune), col(UnitCount.group_id), col(UnitCount.metric),
                  col(UnitCount.value))  # fmt: skip
    if provinces is not None:
        stmt = stmt.where(or_(col(UnitCount.province).in_(provinces or []),
                              col(UnitCount.group_id).in_(group_ids or [])))  # fmt: skip
    places: dict[stats.Bucket, Counter[str]] = {}
    members: dict[int, Counter[str]] = {}
    for province, commune, gid, metric, value in (await s.execute(stmt)).all():
        if gid is None:
            places.setdefault((province, commune), Counter())[str(metric)] += int(value)
        else:
            members.setdefault(int(gid), Counter())[str(metric)] += int(value)
    return Summary(head.computed_at, head.weeks, places, members)


async def _head(s: AsyncSession, settings: Any) -> Summary | None:
    """Only the run row (no buckets): when, and for which weeks (None: never computed)."""
    run = await s.get(UnitCountsRun, RUN_ID, populate_existing=True)
    if run is None or run.computed_at is None or run.week_start is None:
        return None
    start = run.week_start.replace(tzinfo=run.week_start.tzinfo or dt.UTC)
    weeks = stats.weeks_of(settings, start + dt.timedelta(weeks=stats.CHART_WEEKS - 1, days=3))  # its Thursday
    return Summary(run.computed_at.replace(tzinfo=run.computed_at.tzinfo or dt.UTC), weeks, {}, {})


class Keeper:
    """Reads the stored numbers for a page, and refreshes them (in the background, or first when unusable)."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[Any]] = set()
        # what pages loaded from the stored numbers of one refresh (its time), by what they asked for
        self._loaded: tuple[dt.datetime | None, dict[Any, Summary]] = (None, {})

    def _weeks(self) -> stats.Weeks:
        return stats.weeks_of(self.services.settings, self.services.now())

    def _age(self, summary: Summary | None) -> float:
        if summary is None or summary.weeks != self._weeks():
            return float("inf")
        return (self.services.now() - summary.computed_at).total_seconds()

    async def get(self, provinces: list[str] | None = None, group_ids: list[int] | None = None) -> Summary:
        """The numbers for a page: stored ones (a refresh started behind them when due), or new ones if unusable
        (none yet, too old, another week's, or missing one of the named groups `group_ids`)."""
        summary = await self._load(provinces, group_ids)
        age = self._age(summary)
        missing = summary is not None and any(g not in summary.members for g in group_ids or [])
        if summary is None or age > MAX_AGE or missing:
            await self.refresh(due_after=0.0 if missing else MAX_AGE)
            summary = await self._load(provinces, group_ids)
            if summary is None:
                raise RuntimeError("dashboard numbers were not stored")
        elif age >= REFRESH_EVERY:
            self.spawn()
        return summary

    async def _load(self, provinces: list[str] | None, group_ids: list[int] | None) -> Summary | None:
        """The stored numbers; read again only after a refresh stored new ones (one small query otherwise)."""
        key = (None if provinces is None else tuple(provinces), tuple(group_ids or ()))
        async with self.services.db.read_session() as s:  # its own snapshot: a refresh just stored is seen
            head = await _head(s, self.services.settings)
            if head is None:
                return None
            at, loaded = self._loaded
            if at != head.computed_at:
                loaded = {}
                self._loaded = (head.computed_at, loaded)
            if key not in loaded:
                if len(loaded) >= 64:
                    loaded.clear()
                got = await load(s, self.services.settings, provinces, group_ids)
                if got is None or got.computed_at != head.computed_at:  # stored meanwhile: read again next time
                    return got
                loaded[key] = got
            return loaded[key]

    def forget(self) -> None:
        """Read the stored numbers again at the next view (benchmarks: a cold request)."""
        self._loaded = (None, {})

    def spawn(self) -> None:
        if not self._lock.locked():
            task = asyncio.create_task(self._quietly())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _quietly(self) -> None:
        try:
            await self.refresh()
        except Exception as exc:
            log_failure(log, "dashboard-summary", "dashboard: refreshing the numbers failed; the old ones stay", exc)

    async def refresh(self, due_after: float = REFRESH_EVERY - CHECK_EVERY) -> bool:
        """Count and store everything, unless the stored numbers are younger than `due_after` seconds (another
        worker, or the view waiting just before, refreshed them); True if it counted."""
        db = self.services.db
        async with self._lock:
            async with db.read_session() as s:
                if due_after > 0 and self._age(await _head(s, self.services.settings)) < due_after:
                    return False
                started, weeks = time.perf_counter(), self._weeks()
                summary = await compute(s, weeks, self.services.now())
            async with db.session() as s:
                await store(s, summary, round((time.perf_counter() - started) * 1000))
            return True

    async def keep_fresh(self, every: float = CHECK_EVERY) -> None:
        """Forever (a background task of the app): refresh whenever the stored numbers are due."""
        while True:
            await self._quietly()
            await asyncio.sleep(every)

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await cancel_and_wait(*self._tasks)


_KEEPERS: weakref.WeakKeyDictionary[Services, Keeper] = weakref.WeakKeyDictionary()


def keeper_of(services: Services) -> Keeper:
    """The stored numbers' keeper of these services (one per process in `hocbot run`)."""
    keeper = _KEEPERS.get(services)
    if keeper is None:
        keeper = _KEEPERS[services] = Keeper(services)
    return keeper
