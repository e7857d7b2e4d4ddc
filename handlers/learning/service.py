"""Learning progress: lessons read, activity days and streaks, points, module status, leaderboard, forget."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, and_, bindparam, delete, func, insert, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db import hot
from bot.db.models import Membership, User
from bot.db.models_learning import (
    ActivityDay,
    Certificate,
    LearningEvent,
    LessonProgress,
    QuizAnswer,
    QuizAttempt,
    QuizPoll,
    RevokedCertificate,
)

PASS_PERCENT = 80  # a quiz counts as passed from this score on
_days: Table = ActivityDay.__table__  # type: ignore[attr-defined]


def local_day(now: dt.datetime, tz: ZoneInfo) -> dt.date:
    return now.astimezone(tz).date()


async def progress_of(s: AsyncSession, user_id: int, module_id: str) -> LessonProgress | None:
    res = await s.exec(
        select(LessonProgress).where(LessonProgress.user_id == user_id, LessonProgress.module_id == module_id)
    )
    return res.first()


async def all_progress(s: AsyncSession, user_id: int) -> dict[str, LessonProgress]:
    res = await s.exec(select(LessonProgress).where(LessonProgress.user_id == user_id))
    return {p.module_id: p for p in res.all()}


async def touch_day(s: AsyncSession, user_id: int, now: dt.datetime, tz: ZoneInfo) -> None:
    """Remember that the learner learned something today (local time), once per day: one INSERT that does
    nothing when the day is already there."""
    conn = await hot.connection(s)
    await hot.run(conn, _add_day(conn.dialect.name), {"user_id": user_id, "day": local_day(now, tz)})


@functools.cache
def _add_day(dialect: str) -> hot.Hot:
    """INSERT … ON CONFLICT DO NOTHING in the database's own dialect, built once."""
    stmt: Any = sqlite_insert(_days)
    if dialect == "postgresql":  # imported here: SQLite's `hocbot run` starts without PostgreSQL's dialect
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt = pg_insert(_days)
    stmt = stmt.values(user_id=bindparam("user_id"), day=bindparam("day"))
    return hot.Hot(stmt.on_conflict_do_nothing(index_elements=["user_id", "day"]))


async def add_point(s: AsyncSession, user_id: int, kind: str, module_id: str, now: dt.datetime) -> None:
    """One point: a lesson read for the first time (kind "lesson") or a right quiz answer ("answer")."""
    conn = await hot.connection(s)
    await hot.run(conn, _POINT, {"learner": user_id, "kind": kind, "module": module_id, "now": now})


async def read_lesson(
    s: AsyncSession, user_id: int, module_id: str, index: int, lessons: int, now: dt.datetime, tz: ZoneInfo
) -> bool:
    """Move the bookmark to lesson `index`; True when this read finishes the module's lessons. Core statements
    built once: the bookmark is read, then written (an UPDATE, or the first INSERT), a point for a lesson read for
    the first time; the day of the streak only on the first read of a local day (a bookmark moved earlier today
    was moved together with it)."""
    conn = await hot.connection(s)
    key = {"learner": user_id, "module": module_id}
    row = (await hot.run(conn, _READ_BOOKMARK, key)).first()
    seen, completed_at, last_read = row if row is not None else (0, None, None)
    read = max(seen, index + 1)
    finished_now = read >= lessons and completed_at is None
    done_at = now if finished_now else completed_at
    params = {**key, "position": index, "read": read, "done_at": done_at, "now": now}
    await hot.run(conn, _MOVE_BOOKMARK if row is not None else _NEW_BOOKMARK, params)
    if index + 1 > seen:
        await hot.run(conn, _POINT, {**key, "kind": "lesson", "now": now})
    if last_read is None or local_day(last_read, tz) != local_day(now, tz):
        await touch_day(s, user_id, now, tz)
    return finished_now


_bookmarks: Table = LessonProgress.__table__  # type: ignore[attr-defined]
_THIS_BOOKMARK = and_(_bookmarks.c.user_id == bindparam("learner"), _bookmarks.c.module_id == bindparam("module"))
_READ_BOOKMARK = hot.Hot(
    select(_bookmarks.c.seen, _bookmarks.c.completed_at, _bookmarks.c.updated_at).where(_THIS_BOOKMARK)
)
_BOOKMARK: dict[str, Any] = {"position": bindparam("position"), "seen": bindparam("read"),
                              "completed_at": bindparam("done_at"), "updated_at": bindparam("now")}  # fmt: skip
_MOVE_BOOKMARK = hot.Hot(update(_bookmarks).where(_THIS_BOOKMARK).values(_BOOKMARK))
_NEW_BOOKMARK = hot.Hot(
    insert(_bookmarks).values(user_id=bindparam("learner"), module_id=bindparam("module"), **_BOOKMARK)
)
_POINT = hot.Hot(insert(LearningEvent.__table__).values(  # type: ignore[attr-defined]
    user_id=bindparam("learner"), kind=bindparam("kind"), module_id=bindparam("module"), points=1,
    at=bindparam("now"),
))  # fmt: skip


async def best_scores(s: AsyncSession, user_id: int) -> dict[str, int]:
    """Best finished score (percent) per module quiz."""
    res = await s.exec(
        select(QuizAttempt.module_id, func.max(QuizAttempt.score))
        .where(
            QuizAttempt.user_id == user_id,
            QuizAttempt.kind == "module",
            col(QuizAttempt.score).is_not(None),
        )
        .group_by(col(QuizAttempt.module_id))
    )
    return {m: int(score) for m, score in res.all() if score is not None}


async def streak(s: AsyncSession, user_id: int, today: dt.date) -> int:
    """Consecutive local days with learning, ending today (or yesterday, if today is still open)."""
    res = await s.exec(
        select(col(ActivityDay.day))
        .where(ActivityDay.user_id == user_id, ActivityDay.day <= today)
        .order_by(col(ActivityDay.day).desc())
        .limit(400)
    )
    days: list[dt.date] = list(res.all())
    if not days or days[0] < today - dt.timedelta(days=1):
        return 0
    count, expect = 0, days[0]
    for day in days:
        if day != expect:
            break
        count += 1
        expect = day - dt.timedelta(days=1)
    return count


@dataclass
class CourseStatus:
    """Per-module state of one learner, in course order."""

    progress: dict[str, LessonProgress]
    best: dict[str, int]
    done: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # module ids not done yet

    @property
    def complete(self) -> bool:
        return not self.missing


def module_done() -> Any:
    """THE rule for “học xong một mô-đun”, as a WHERE clause on a LessonProgress row: every lesson was read and
    the module's quiz scored at least 80% at least once. /tiendo, the certificate and the dashboard's “Học xong”
    numbers all use it."""
    passed = select(QuizAttempt.id).where(
        col(QuizAttempt.user_id) == col(LessonProgress.user_id),
        col(QuizAttempt.module_id) == col(LessonProgress.module_id),
        col(QuizAttempt.kind) == "module", col(QuizAttempt.score) >= PASS_PERCENT,
    )  # fmt: skip
    return and_(col(LessonProgress.completed_at).is_not(None), passed.exists())


async def done_modules(s: AsyncSession, user_id: int) -> set[str]:
    stmt = select(LessonProgress.module_id).where(col(LessonProgress.user_id) == user_id, module_done())
    return set((await s.exec(stmt)).all())


async def course_complete(s: AsyncSession, catalog: Any, user_id: int) -> bool:
    """Every module of the course done (module_done), as the certificate asks: one query."""
    done = await done_modules(s, user_id)
    return all(m.id in done for m in catalog.modules)


async def course_status(s: AsyncSession, catalog: Any, user_id: int) -> CourseStatus:
    status = CourseStatus(await all_progress(s, user_id), await best_scores(s, user_id))
    done = await done_modules(s, user_id)
    for m in catalog.modules:
        (status.done if m.id in done else status.missing).append(m.id)
    return status


def week_start(now: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """Monday 00:00 local time of this week, as aware UTC."""
    local = now.astimezone(tz)
    monday = (local - dt.timedelta(days=local.weekday())).date()
    return dt.datetime.combine(monday, dt.time(0), tzinfo=tz).astimezone(dt.UTC)


@dataclass(frozen=True)
class BoardRow:
    user_id: int
    name: str | None  # None: the learner did not agree to show their name
    points: int


async def user_groups(s: AsyncSession, user_id: int) -> list[Any]:
    from bot.db.models import Group

    res = await s.exec(
        select(Group)
        .join(Membership, col(Membership.group_id) == col(Group.id))
        .where(Membership.user_id == user_id)
        .order_by(col(Group.id))
    )
    return list(res.all())


async def leaderboard(s: AsyncSession, group_id: int, since: dt.datetime, limit: int = 10) -> list[BoardRow]:
    """Top learners of a group since `since`: lessons read for the first time + correct answers."""
    total = func.sum(LearningEvent.points).label("total")
    res = await s.exec(
        select(LearningEvent.user_id, total)
        .join(Membership, col(Membership.user_id) == col(LearningEvent.user_id))
        .where(Membership.group_id == group_id, col(LearningEvent.at) >= since)
        .group_by(col(LearningEvent.user_id))
        .order_by(total.desc(), col(LearningEvent.user_id))
        .limit(limit)
    )
    rows = [(uid, int(points)) for uid, points in res.all() if uid is not None]
    found = await s.exec(select(User).where(col(User.id).in_([r[0] for r in rows])))
    users = {u.id: u for u in found.all()}
    out = []
    for uid, points in rows:
        u = users.get(uid)
        shown = u is not None and u.show_name and u.deleted_at is None and bool(u.display_name)
        out.append(BoardRow(uid, u.display_name if shown and u else None, points))
    return out


async def forget(s: AsyncSession, user_id: int) -> None:
    """Delete a learner's learning data; their points stay only as anonymous counts (user_id NULL). A
    certificate's code is kept alone, so /verify says it was withdrawn on request."""
    for code in (await s.exec(select(Certificate.code).where(Certificate.user_id == user_id))).all():
        s.add(RevokedCertificate(code=code))
    attempts = select(QuizAttempt.id).where(QuizAttempt.user_id == user_id)
    await s.exec(delete(QuizPoll).where(col(QuizPoll.user_id) == user_id))  # type: ignore[call-overload]
    await s.exec(delete(QuizAnswer).where(col(QuizAnswer.attempt_id).in_(attempts)))  # type: ignore[call-overload]
    for table in (QuizAttempt, LessonProgress, ActivityDay, Certificate):
        await s.exec(delete(table).where(col(table.user_id) == user_id))  # type: ignore[call-overload, attr-defined]
    await s.exec(
        update(LearningEvent).where(col(LearningEvent.user_id) == user_id).values(user_id=None)  # type: ignore[call-overload]
    )
