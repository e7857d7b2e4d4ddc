"""Overview numbers per unit within an officer's scope, in a few aggregate queries (no per-user loops).

Locality groups (a province or a commune) are summed from per-place buckets (province, lower(commune)); code
and interest groups from per-membership buckets. Each metric is one GROUP BY for each of the two groupings.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Integer, cast, func, literal, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Group, Membership, User
from bot.db.models_faq import AnswerLog, UnansweredQuestion
from bot.db.models_learning import ActivityDay, LessonProgress, QuizAttempt
from bot.learning import PASS_PERCENT, week_start
from bot.officers import OfficerInfo
from bot.settings import Settings
from scheduler import outbox

METRICS = ("subscribers", "active", "completed", "quizzes", "passed", "answered", "unanswered")
Bucket = tuple[Any, ...]


@dataclass
class UnitRow:
    group: Group | None  # None: the total row
    label: str
    level: int  # 0 province, 1 commune, 2 named group
    n: Counter[str] = field(default_factory=Counter)

    @property
    def pass_rate(self) -> int | None:
        return round(100 * self.n["passed"] / self.n["quizzes"]) if self.n["quizzes"] else None


def _metric_selects(since_day: dt.date) -> dict[str, tuple[Any, Any, list[Any]]]:
    """metric → (FROM table joined to users on, the count expression, extra conditions)."""
    aud = outbox.audience_filter()
    return {
        "subscribers": (None, func.count(), [aud]),
        "active": (
            (ActivityDay, col(ActivityDay.user_id)), func.count(func.distinct(col(ActivityDay.user_id))),
            [col(ActivityDay.day) >= since_day],
        ),
        "completed": ((LessonProgress, col(LessonProgress.user_id)), func.count(),
                      [col(LessonProgress.completed_at).is_not(None)]),
        "quizzes": (
            (QuizAttempt, col(QuizAttempt.user_id)), func.count(),
            [col(QuizAttempt.finished_at).is_not(None), col(QuizAttempt.kind) == "module"],
        ),
        "passed": (
            (QuizAttempt, col(QuizAttempt.user_id)), func.count(),
            [col(QuizAttempt.finished_at).is_not(None), col(QuizAttempt.kind) == "module",
             col(QuizAttempt.score) >= PASS_PERCENT],
        ),
        "answered": ((AnswerLog, col(AnswerLog.user_id)), func.count(), [col(AnswerLog.refused).is_(False)]),
        "unanswered": ((AnswerLog, col(AnswerLog.user_id)), func.count(), [col(AnswerLog.refused).is_(True)]),
    }  # fmt: skip


async def _buckets(
    s: AsyncSession, metric: tuple[Any, Any, list[Any]], keys: list[Any], where: list[Any], member_ids: list[int]
) -> dict[Bucket, int]:
    table, count, conds = metric
    stmt: Any = select(*keys, count)
    if table is None:
        stmt = stmt.select_from(User)
    else:
        stmt = stmt.select_from(table[0]).join(User, col(User.id) == table[1])
    if member_ids:
        stmt = stmt.join(Membership, col(Membership.user_id) == col(User.id))
        conds = [*conds, col(Membership.group_id).in_(member_ids)]
    stmt = stmt.where(*conds, *where).group_by(*keys)
    rows = (await s.execute(stmt)).all()
    return {tuple(r[:-1]): int(r[-1]) for r in rows}


def order_units(groups: list[Group]) -> list[Group]:
    """Province → its communes → named groups."""

    def key(g: Group) -> tuple[Any, ...]:
        if g.kind == "locality":
            return (0, g.province or "", 1 if g.commune else 0, (g.commune or "").lower(), g.name)
        return (1, "", 0, "", g.name)

    return sorted(groups, key=key)


def _place_match(g: Group, bucket: Bucket) -> bool:
    province, commune = bucket
    return province == g.province and (not g.commune or (commune or "") == g.commune.lower())


async def overview(
    s: AsyncSession, settings: Settings, officer: OfficerInfo, groups: list[Group], now: dt.datetime
) -> list[UnitRow]:
    """One row per unit in scope (and a total first); every metric from aggregate queries."""
    monday = week_start(now, settings.tz).astimezone(settings.tz).date()
    metrics = _metric_selects(monday)
    units = order_units(groups)
    places = [g for g in units if g.kind == "locality" and g.province]
    members = [g.id for g in units if g.kind != "locality" and g.id is not None]
    place_keys = [col(User.province), func.lower(col(User.commune))]
    place_where: list[Any] = []
    if not officer.is_admin:
        place_where.append(col(User.province).in_(sorted({g.province for g in places if g.province})))
    by_place: dict[str, dict[Bucket, int]] = {}
    by_member: dict[str, dict[Bucket, int]] = {}
    for name, metric in metrics.items():
        if places or officer.is_admin:
            by_place[name] = await _buckets(s, metric, place_keys, place_where, [])
        if members:
            by_member[name] = await _buckets(s, metric, [col(Membership.group_id)], [], members)
    total = UnitRow(None, "Tổng" if officer.is_admin else "Tổng (theo địa bàn)", -1)
    rows = [total]
    for g in units:
        row = UnitRow(g, g.title or g.name, (1 if g.commune else 0) if g.kind == "locality" else 2)
        for name in METRICS:
            if g.kind == "locality":
                row.n[name] = sum(v for b, v in by_place.get(name, {}).items() if _place_match(g, b))
            else:
                row.n[name] = by_member.get(name, {}).get((g.id,), 0)
        rows.append(row)
    for name in METRICS:
        buckets = by_place.get(name, {})
        if officer.is_admin:
            total.n[name] = sum(buckets.values())
        else:
            total.n[name] = sum(v for b, v in buckets.items() if any(_place_match(g, b) for g in places))
    if officer.is_admin:
        total.n["open_questions"] = await open_questions(s)
    return rows


async def open_questions(s: AsyncSession) -> int:
    stmt = select(func.count()).select_from(UnansweredQuestion).where(col(UnansweredQuestion.status) == "open")
    return int((await s.execute(stmt)).scalar_one())


async def scope_condition(s: AsyncSession, officer: OfficerInfo, group_ids: list[int] | None) -> Any:
    """A WHERE clause on User: the chosen units, or everything the officer may see."""
    if group_ids is None and officer.is_admin:
        return literal(True)
    return await outbox.groups_condition(s, group_ids or [])


def _week_index(dialect: str, column: Any, start: dt.datetime) -> Any:
    if dialect == "postgresql":
        return cast(func.floor(func.extract("epoch", column - start) / 604800), Integer)
    return cast((func.julianday(column) - func.julianday(start.strftime("%Y-%m-%d %H:%M:%S"))) / 7, Integer)


async def subscribers_per_week(
    s: AsyncSession, cond: Any, now: dt.datetime, weeks: int = 12
) -> list[tuple[dt.date, int]]:
    """Cumulative subscribers at the end of each of the last `weeks` weeks (one GROUP BY + one COUNT)."""
    start = (now - dt.timedelta(weeks=weeks)).replace(hour=0, minute=0, second=0, microsecond=0)
    dialect = s.bind.dialect.name if s.bind is not None else "sqlite"
    base = [outbox.audience_filter(), cond]
    before_stmt = select(func.count()).select_from(User).where(*base, col(User.created_at) < start)
    before = int((await s.execute(before_stmt)).scalar_one())
    idx = _week_index(dialect, col(User.created_at), start).label("w")
    stmt = select(idx, func.count()).where(*base, col(User.created_at) >= start).group_by(idx)
    per = {int(w): int(n) for w, n in (await s.execute(stmt)).all()}
    out, running = [], before
    for i in range(weeks):
        running += per.get(i, 0)
        out.append(((start + dt.timedelta(weeks=i + 1)).date(), running))
    return out


async def completions_per_module(s: AsyncSession, cond: Any) -> dict[str, int]:
    stmt = (
        select(col(LessonProgress.module_id), func.count())
        .join(User, col(User.id) == col(LessonProgress.user_id))
        .where(col(LessonProgress.completed_at).is_not(None), cond)
        .group_by(col(LessonProgress.module_id))
    )
    return {str(m): int(n) for m, n in (await s.execute(stmt)).all()}


async def count_recipients(s: AsyncSession, group_ids: outbox.GroupSel) -> int:
    """How many people (not identities) a broadcast to these groups reaches — a COUNT, not a list."""
    from bot.db.models import Identity

    cond = await outbox.groups_condition(s, group_ids)
    stmt = (
        select(func.count(func.distinct(col(Identity.user_id))))
        .select_from(Identity)
        .join(User, col(User.id) == col(Identity.user_id))
        .where(col(Identity.active).is_(True), outbox.audience_filter(), cond,
               col(Identity.channel).not_in(list(outbox.NO_PUSH_CHANNELS)))
    )  # fmt: skip
    return int((await s.execute(stmt)).scalar_one())


def share(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0

