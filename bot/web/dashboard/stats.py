"""THE per-unit numbers of the dashboard, counted with a few GROUP BYs (no per-user loops).

`unit_numbers(s, weeks, keys, ...)` counts every metric for each bucket of `keys`: per place
(province, lower(commune): the people living there, compared as the audience rule compares them) or per named
group (membership). The background refresh (bot/web/dashboard/summary.py) stores those buckets and the pages add
them up; a scope that cannot be added up from buckets (named groups overlap places) is counted live with the same
function. One counter per unit holds the cards' metrics, “new:<week>” (recipients by the local week they joined,
-1 before the chart's first week) and “module:<id>” (completed modules).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Integer, case, cast, func, or_, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Group, Membership, User
from bot.db.models_faq import AnswerLog, UnansweredQuestion, disliked
from bot.db.models_learning import ActivityDay, LessonProgress, QuizAttempt
from bot.settings import Settings
from handlers.learning.service import PASS_PERCENT, module_done, week_start
from handlers.officers import audience

CHART_WEEKS = 12
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


@dataclass(frozen=True)
class Weeks:
    """The weeks the numbers belong to: “this week” from `monday` (local), the chart from `start` (UTC)."""

    monday: dt.date
    start: dt.datetime  # Monday 00:00 local time CHART_WEEKS - 1 weeks ago, aware UTC


def weeks_of(settings: Settings, now: dt.datetime) -> Weeks:
    this = week_start(now, settings.tz)
    return Weeks(this.astimezone(settings.tz).date(), this - dt.timedelta(weeks=CHART_WEEKS - 1))


def _week_index(dialect: str, column: Any, start: dt.datetime) -> Any:
    """Whole weeks from `start` (-1 for anything before it)."""
    if dialect == "postgresql":
        idx = cast(func.floor(func.extract("epoch", column - start) / 604800), Integer)
    else:
        idx = cast((func.julianday(column) - func.julianday(start.strftime("%Y-%m-%d %H:%M:%S"))) / 7, Integer)
    return case((column < start, -1), else_=idx)


# (fact table and its user column, counts, conditions, split): a split's value is added to the metric's name
Family = tuple[Any, list[tuple[str, Any]], list[Any], Any]


def _families(weeks: Weeks, dialect: str, members: bool) -> list[Family]:
    """The metrics, grouped by the table they count, so each table is read once per grouping. Recipients
    (“subscribers”) are the sum of “new:<week>”: one pass over the people."""
    passed = case((col(QuizAttempt.score) >= PASS_PERCENT, 1), else_=0)
    # not answered: refused, or the citizen pressed 👎 under the answer (models_faq.disliked)
    missed = case((or_(col(AnswerLog.refused).is_(True), disliked()), 1), else_=0)
    joined = _week_index(dialect, col(User.created_at), weeks.start)
    return [
        (None, [("new", func.count())], [audience.recipient_filter(per_person=members)], joined),
        ((ActivityDay, col(ActivityDay.user_id)), [("active", func.count(func.distinct(col(ActivityDay.user_id))))],
         [col(ActivityDay.day) >= weeks.monday], None),
        ((LessonProgress, col(LessonProgress.user_id)), [("module", func.count())], [module_done()],
         col(LessonProgress.module_id)),
        ((QuizAttempt, col(QuizAttempt.user_id)), [("quizzes", func.count()), ("passed", func.sum(passed))],
         [col(QuizAttempt.finished_at).is_not(None), col(QuizAttempt.kind) == "module"], None),
        ((AnswerLog, col(AnswerLog.user_id)), [("answered", func.count() - func.sum(missed)),
                                               ("unanswered", func.sum(missed))], [], None),
    ]  # fmt: skip


async def _buckets(
    s: AsyncSession, family: Family, keys: list[Any], where: list[Any], member_ids: list[int]
) -> dict[Bucket, Counter[str]]:
    """bucket (the values of `keys`) → the family's counts; one GROUP BY."""
    table, exprs, conds, split = family
    parts = [*keys, split] if split is not None else list(keys)
    stmt: Any = select(*parts, *[e for _, e in exprs])
    if member_ids:  # a few thousand members: from the memberships (an index) to their rows
        stmt = stmt.select_from(Membership)
        on = (User, col(User.id)) if table is None else table
        stmt = stmt.join(on[0], on[1] == col(Membership.user_id))
        conds = [*conds, col(Membership.group_id).in_(member_ids)]
    elif table is None:
        stmt = stmt.select_from(User)
    else:
        stmt = stmt.select_from(table[0])
        if where:  # the unit's users first (an index), then their rows by the user_id index
            stmt = stmt.where(table[1].in_(select(col(User.id)).where(*where)))
            where = []
        if keys:
            stmt = stmt.join(User, col(User.id) == table[1])
    if parts:
        stmt = stmt.group_by(*parts)
    out: dict[Bucket, Counter[str]] = {}
    for r in (await s.execute(stmt.where(*conds, *where))).all():
        c = out.setdefault(tuple(r[: len(keys)]), Counter())
        suffix = f":{r[len(keys)]}" if split is not None else ""
        for (name, _), v in zip(exprs, r[len(parts) :], strict=True):
            c[name + suffix] += int(v or 0)
    return out


async def unit_numbers(
    s: AsyncSession, weeks: Weeks, keys: list[Any], where: Sequence[Any] = (), member_ids: Sequence[int] = ()
) -> dict[Bucket, Counter[str]]:
    """Every number for each bucket of `keys` (none: one bucket `()`), for the users matching `where`, or for
    the members of `member_ids` (then `keys` is the membership's group)."""
    dialect = s.bind.dialect.name if s.bind is not None else "sqlite"
    merged: dict[Bucket, Counter[str]] = {}
    for family in _families(weeks, dialect, bool(member_ids)):
        for bucket, c in (await _buckets(s, family, keys, list(where), list(member_ids))).items():
            merged.setdefault(bucket, Counter()).update(c)
    for c in merged.values():
        c["subscribers"] = sum(v for k, v in c.items() if k.startswith("new:"))
        c["completed"] = sum(v for k, v in c.items() if k.startswith("module:"))
    return merged


PLACE_KEYS: list[Any] = [col(User.province), func.lower(col(User.commune))]  # as audience.groups_condition


async def place_numbers(s: AsyncSession, weeks: Weeks, where: Sequence[Any] = ()) -> dict[Bucket, Counter[str]]:
    """(province, lower(commune)) → numbers: disjoint buckets, each person in exactly one."""
    return await unit_numbers(s, weeks, PLACE_KEYS, where)


async def member_numbers(s: AsyncSession, weeks: Weeks, group_ids: list[int]) -> dict[int, Counter[str]]:
    """Named group id → the numbers of its members."""
    if not group_ids:
        return {}
    got = await unit_numbers(s, weeks, [col(Membership.group_id)], [], group_ids)
    return {int(k[0]): c for k, c in got.items()}


async def live_numbers(s: AsyncSession, weeks: Weeks, cond: Any) -> Counter[str]:
    """Every number for the users matching one WHERE clause (a scope that buckets cannot add up)."""
    return (await unit_numbers(s, weeks, [], [cond])).get((), Counter())


async def lowered_communes(s: AsyncSession, groups: list[Group]) -> dict[int, str | None]:
    """Locality group id → lower(commune) as the database lowers it (SQLite's lower() leaves “Đ” alone): the
    buckets were lowered by the same function, so a unit holds exactly the people a broadcast to it reaches."""
    ids = [g.id for g in groups if g.kind == "locality" and g.id is not None]
    if not ids:
        return {}
    stmt = select(col(Group.id), func.lower(col(Group.commune))).where(col(Group.id).in_(ids))
    return {int(i): c for i, c in (await s.execute(stmt)).all()}


def in_place(g: Group, lowered: dict[int, str | None], bucket: Bucket) -> bool:
    """Whether a place bucket lies in a locality group: bot/core/places.covers_sql (what a broadcast to the group
    reaches) on values both lowered by the database, so exactly the people audience.groups_condition selects."""
    province, commune = bucket
    if g.kind != "locality" or not g.province or province != g.province:
        return False
    return not g.commune or commune == lowered.get(g.id or 0)


def add_up(buckets: dict[Bucket, Counter[str]], pick: Any) -> Counter[str]:
    """The sum of the buckets `pick(bucket)` accepts (each bucket once)."""
    total: Counter[str] = Counter()
    for bucket, c in buckets.items():
        if pick(bucket):
            total.update(c)
    return total


def series(n: Counter[str], weeks: Weeks, tz: Any) -> list[tuple[dt.date, int]]:
    """Cumulative recipients at the end of each chart week (this week: up to now), from the “new:<week>” counts."""
    per: Counter[int] = Counter()
    for k, v in n.items():
        if k.startswith("new:"):
            per[min(int(k[4:]), CHART_WEEKS - 1)] += v
    out, running = [], per[-1]
    for i in range(CHART_WEEKS):
        running += per[i]
        out.append(((weeks.start + dt.timedelta(weeks=i)).astimezone(tz).date(), running))
    return out


def per_module(n: Counter[str]) -> dict[str, int]:
    return {k[7:]: v for k, v in n.items() if k.startswith("module:")}


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


@dataclass
class Numbers:
    """Place buckets and named groups' numbers, from the stored summary or counted live for one scope."""

    places: dict[Bucket, Counter[str]]
    members: dict[int, Counter[str]]
    lowered: dict[int, str | None]  # locality group id → lower(commune), as the database lowers it

    def unit(self, g: Group) -> Counter[str]:
        if g.kind == "locality":
            return add_up(self.places, lambda b: in_place(g, self.lowered, b))
        return Counter(self.members.get(g.id or 0, Counter()))

    def places_of(self, groups: list[Group]) -> Counter[str]:
        """People living in any of these locality groups, each counted once."""
        return add_up(self.places, lambda b: any(in_place(g, self.lowered, b) for g in groups))

    def everyone(self) -> Counter[str]:
        return add_up(self.places, lambda b: True)


def unit_rows(units: list[Group], numbers: Numbers, total: Counter[str], admin: bool) -> list[UnitRow]:
    """The total row first (“Tổng” for an admin), then one row per unit in order."""
    rows = [UnitRow(None, "Tổng" if admin else "Tổng trong phạm vi", -1, total)]
    for g in order_units(units):
        level = (1 if g.commune else 0) if g.kind == "locality" else 2
        rows.append(UnitRow(g, g.title or g.name, level, numbers.unit(g)))
    return rows


async def open_questions(s: AsyncSession) -> int:
    stmt = select(func.count()).select_from(UnansweredQuestion).where(col(UnansweredQuestion.status) == "open")
    return int((await s.execute(stmt)).scalar_one())


def share(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0
