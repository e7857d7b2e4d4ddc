"""Overview numbers per unit within an officer's scope, in a few aggregate queries (no per-user loops).

Locality groups (a province or a commune) are summed from per-place buckets (province, commune); code
and interest groups from per-membership buckets. Each metric is one GROUP BY for each of the two groupings.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Integer, case, cast, func, or_, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.places import covers
from bot.db.models import Group, Membership, User
from bot.db.models_faq import AnswerLog, UnansweredQuestion, disliked
from bot.db.models_learning import ActivityDay, LessonProgress, QuizAttempt
from bot.settings import Settings
from handlers.learning.service import PASS_PERCENT, module_done, week_start
from handlers.officers import audience
from handlers.officers.scope import OfficerInfo

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


Family = tuple[Any, list[tuple[str, Any]], list[Any]]  # (fact table and its user column, counts, conditions)


def _families(since_day: dt.date) -> list[Family]:
    """The metrics, grouped by the table they count, so each table is read once per grouping."""
    passed = case((col(QuizAttempt.score) >= PASS_PERCENT, 1), else_=0)
    # not answered: refused, or the citizen pressed 👎 under the answer (models_faq.disliked)
    missed = case((or_(col(AnswerLog.refused).is_(True), disliked()), 1), else_=0)
    return [
        (None, [("subscribers", func.count())], [audience.recipient_filter()]),
        ((ActivityDay, col(ActivityDay.user_id)), [("active", func.count(func.distinct(col(ActivityDay.user_id))))],
         [col(ActivityDay.day) >= since_day]),
        ((LessonProgress, col(LessonProgress.user_id)), [("completed", func.count())], [module_done()]),
        ((QuizAttempt, col(QuizAttempt.user_id)), [("quizzes", func.count()), ("passed", func.sum(passed))],
         [col(QuizAttempt.finished_at).is_not(None), col(QuizAttempt.kind) == "module"]),
        ((AnswerLog, col(AnswerLog.user_id)), [("answered", func.count() - func.sum(missed)),
                                               ("unanswered", func.sum(missed))], []),
    ]  # fmt: skip


async def _buckets(
    s: AsyncSession, family: Family, keys: list[Any], where: list[Any], member_ids: list[int]
) -> dict[Bucket, Counter[str]]:
    """bucket (the values of `keys`) → the family's counts; one GROUP BY."""
    table, exprs, conds = family
    stmt: Any = select(*keys, *[e for _, e in exprs])
    if table is None:
        stmt = stmt.select_from(User)
    else:
        stmt = stmt.select_from(table[0])
        if where:  # the unit's users first (an index), then their rows by the user_id index
            stmt = stmt.where(table[1].in_(select(col(User.id)).where(*where)))
            where = []
        if keys or member_ids:
            stmt = stmt.join(User, col(User.id) == table[1])
    if member_ids:
        stmt = stmt.join(Membership, col(Membership.user_id) == col(User.id))
        conds = [*conds, col(Membership.group_id).in_(member_ids)]
    if keys:
        stmt = stmt.group_by(*keys)
    out: dict[Bucket, Counter[str]] = {}
    for r in (await s.execute(stmt.where(*conds, *where))).all():
        c = out.setdefault(tuple(r[: len(keys)]), Counter())
        for (name, _), v in zip(exprs, r[len(keys) :], strict=True):
            c[name] += int(v or 0)
    return out


async def _grouped(s: AsyncSession, since_day: dt.date, keys: list[Any], where: list[Any],
                   member_ids: list[int]) -> dict[Bucket, Counter[str]]:  # fmt: skip
    merged: dict[Bucket, Counter[str]] = {}
    for family in _families(since_day):
        for bucket, c in (await _buckets(s, family, keys, where, member_ids)).items():
            merged.setdefault(bucket, Counter()).update(c)
    return merged


def _natural(text: str) -> tuple[Any, ...]:
    """“Xã 2” before “Xã 10”."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text.lower()))


def order_units(groups: list[Group]) -> list[Group]:
    """Province → its communes → named groups."""

    def key(g: Group) -> tuple[Any, ...]:
        if g.kind == "locality":
            return (0, _natural(g.province or ""), 1 if g.commune else 0, _natural(g.commune or ""), g.name)
        return (1, (), 0, (), _natural(g.title or g.name))

    return sorted(groups, key=key)


def _place_match(g: Group, bucket: Bucket) -> bool:
    return bool(g.province) and covers(g.province, g.commune, *bucket)


async def overview(
    s: AsyncSession, settings: Settings, officer: OfficerInfo, groups: list[Group], now: dt.datetime
) -> list[UnitRow]:
    """One row per unit in scope (and a total first); every metric from aggregate queries."""
    monday = monday_of(settings, now)
    units = order_units(groups)
    places = [g for g in units if g.kind == "locality" and g.province]
    members = [g.id for g in units if g.kind != "locality" and g.id is not None]
    place_keys = [col(User.province), col(User.commune)]  # compared lower-cased in Python (SQLite's
    # lower() leaves "Đ" alone)
    place_where: list[Any] = []
    if not officer.is_admin:  # exactly the places in scope (a commune officer reads one commune's rows)
        place_where.append(await audience.groups_condition(s, [g.id for g in places if g.id is not None]))
    by_place = await _grouped(s, monday, place_keys, place_where, []) if places or officer.is_admin else {}
    by_member = await _grouped(s, monday, [col(Membership.group_id)], [], members) if members else {}
    total = UnitRow(None, "Tổng" if officer.is_admin else "Tổng trong phạm vi", -1)
    rows = [total]
    for g in units:
        row = UnitRow(g, g.title or g.name, (1 if g.commune else 0) if g.kind == "locality" else 2)
        if g.kind == "locality":
            for bucket, c in by_place.items():
                if _place_match(g, bucket):
                    row.n.update(c)
        else:
            row.n.update(by_member.get((g.id,), Counter()))
        rows.append(row)
    if officer.is_admin or not members:  # places are disjoint buckets: each counted once even if units overlap
        for bucket, c in by_place.items():
            if officer.is_admin or any(_place_match(g, bucket) for g in places):
                total.n.update(c)
    else:  # named groups overlap places and each other: count people once with one WHERE
        cond = await audience.groups_condition(s, [g.id for g in units if g.id is not None])
        total.n.update(await totals(s, cond, monday))
    if officer.is_admin:
        total.n["open_questions"] = await open_questions(s)
    return rows


async def totals(s: AsyncSession, cond: Any, since_day: dt.date) -> Counter[str]:
    """Every metric for the users matching one WHERE clause (a unit's page, an officer's total)."""
    return (await _grouped(s, since_day, [], [cond], [])).get((), Counter())


def monday_of(settings: Settings, now: dt.datetime) -> dt.date:
    return week_start(now, settings.tz).astimezone(settings.tz).date()


async def open_questions(s: AsyncSession) -> int:
    stmt = select(func.count()).select_from(UnansweredQuestion).where(col(UnansweredQuestion.status) == "open")
    return int((await s.execute(stmt)).scalar_one())


async def scope_condition(s: AsyncSession, officer: OfficerInfo, group_ids: list[int] | None) -> Any:
    """A WHERE clause on User: the chosen units, or everything the officer may see (None: no condition)."""
    if group_ids is None and officer.is_admin:
        return None
    return await audience.groups_condition(s, group_ids or [])


def _week_index(dialect: str, column: Any, start: dt.datetime) -> Any:
    if dialect == "postgresql":
        return cast(func.floor(func.extract("epoch", column - start) / 604800), Integer)
    return cast((func.julianday(column) - func.julianday(start.strftime("%Y-%m-%d %H:%M:%S"))) / 7, Integer)


async def subscribers_per_week(
    s: AsyncSession, cond: Any, now: dt.datetime, tz: Any, weeks: int = 12
) -> list[tuple[dt.date, int]]:
    """Cumulative subscribers by local week (Monday → Sunday), the last `weeks` weeks up to now; each point is
    (its Monday, the count at its end, or now for this week). One COUNT and one GROUP BY."""
    start = week_start(now, tz) - dt.timedelta(weeks=weeks - 1)
    dialect = s.bind.dialect.name if s.bind is not None else "sqlite"
    base = [audience.recipient_filter()] + ([] if cond is None else [cond])
    before_stmt = select(func.count()).select_from(User).where(*base, col(User.created_at) < start)
    before = int((await s.execute(before_stmt)).scalar_one())
    idx = _week_index(dialect, col(User.created_at), start).label("w")
    stmt = select(idx, func.count()).where(*base, col(User.created_at) >= start).group_by(idx)
    per = {int(w): int(n) for w, n in (await s.execute(stmt)).all()}
    out, running = [], before
    for i in range(weeks):
        running += per.get(i, 0) if i < weeks - 1 else sum(n for w, n in per.items() if w >= i)
        out.append(((start + dt.timedelta(weeks=i)).astimezone(tz).date(), running))
    return out


async def completions_per_module(s: AsyncSession, cond: Any) -> dict[str, int]:
    """Completed modules by module id, for the users matching `cond` (None: everyone, no join needed)."""
    stmt: Any = select(col(LessonProgress.module_id), func.count()).where(module_done())
    if cond is not None:
        stmt = stmt.join(User, col(User.id) == col(LessonProgress.user_id)).where(cond)
    stmt = stmt.group_by(col(LessonProgress.module_id))
    return {str(m): int(n) for m, n in (await s.execute(stmt)).all()}


def share(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0

