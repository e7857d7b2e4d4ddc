"""Contests of the Week, platform-free: creating one inside the Week and the officer's unit, who may join, one
attempt per person in a random order, the timer per question (checked here, on every channel), the score.

Scoring: the most correct answers win; a tie is broken by the total time used (less is better), then by who
finished first. An unanswered or late question counts its whole time, so skipping never buys time.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.context import UserFacingError
from bot.core.places import covers
from bot.db import repo
from bot.db.models import User
from bot.db.models_contests import Contest, ContestAnswer, ContestAttempt, ContestPoll
from content.schema import QuizQuestion
from handlers.answers.store import EVERYONE, default_scope
from handlers.contests import texts as t
from handlers.officers.scope import OfficerInfo, place_in_scope, refuse
from handlers.week.service import week_of_year

MIN_SECONDS, MAX_SECONDS = 5, 600  # Telegram's open_period range
GRACE = dt.timedelta(seconds=2)  # the network between the question shown and the answer received
TITLE_MIN, TITLE_MAX = 3, 200


class ContestError(UserFacingError):
    """A contest an officer cannot create as typed (the text says why, in Vietnamese)."""


def local_text(when: dt.datetime, tz: ZoneInfo) -> str:
    return when.astimezone(tz).strftime("%H:%M %d/%m/%Y")


def place_text(province: str | None, commune: str | None) -> str:
    return ", ".join(p for p in (commune, province) if p) or t.WHOLE


def question_pool(catalog: Any, modules: Sequence[str], questions: Sequence[str]) -> list[str]:
    """The catalog question ids of the chosen modules and question ids, each once, in catalog order."""
    ids: list[str] = []
    for module_id in modules:
        if catalog.module(module_id) is None:
            raise ContestError(t.UNKNOWN_MODULE.format(id=module_id))
        ids += [q.id for q in catalog.questions(module_id)]
    for qid in questions:
        if catalog.question(qid) is None:
            raise ContestError(t.UNKNOWN_QUESTION.format(id=qid))
        ids.append(qid)
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise ContestError(t.NO_QUESTIONS)
    return ids


async def _check_week(s: AsyncSession, catalog: Any, opens: dt.datetime, closes: dt.datetime, tz: ZoneInfo) -> int:
    """The year of the Week both times lie in (bot/week_year.py: the officer's dates or the curated ones)."""
    if opens >= closes:
        raise ContestError(t.BAD_ORDER)
    year = opens.astimezone(tz).year
    week = await week_of_year(s, catalog.week, year)
    if not (week.start <= opens.astimezone(tz).date() and closes.astimezone(tz).date() <= week.end):
        raise ContestError(t.OUTSIDE_WEEK.format(year=year, start=week.start.strftime("%d/%m"),
                                                 end=week.end.strftime("%d/%m")))  # fmt: skip
    return year


async def _place(
    s: AsyncSession, officer: OfficerInfo, province: str | None, commune: str | None
) -> tuple[str | None, str | None]:
    """The contest's unit: as asked when it is the officer's own (else refused and audited), or their unit."""
    if province is None:
        area = await default_scope(s, officer)
        if area == EVERYONE and not officer.is_admin:
            raise ContestError(t.NO_AREA)
        return area
    if not place_in_scope(officer, province, commune):
        try:
            await refuse(s, officer, "contest.add", {"province": province, "commune": commune})
        except UserFacingError:
            raise ContestError(t.OUT_OF_SCOPE) from None
    return province, commune or None


async def create(
    s: AsyncSession, catalog: Any, officer: OfficerInfo, *, title: str, question_ids: list[str],
    opens: dt.datetime, closes: dt.datetime, seconds: int, tz: ZoneInfo, province: str | None = None,
    commune: str | None = None, winners: int = 3,
) -> Contest:
    """A new contest in the officer's unit, inside the Week; audited. Raises ContestError with the reason."""
    title = " ".join(unicodedata.normalize("NFC", title).split())
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise ContestError(t.BAD_TITLE)
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise ContestError(t.BAD_SECONDS.format(lo=MIN_SECONDS, hi=MAX_SECONDS))
    if not 1 <= winners <= 100:
        raise ContestError(t.BAD_WINNERS)
    if not question_ids:
        raise ContestError(t.NO_QUESTIONS)
    year = await _check_week(s, catalog, opens, closes, tz)
    province, commune = await _place(s, officer, province, commune)
    c = Contest(title=title, province=province, commune=commune, question_ids=json.dumps(question_ids),
                seconds=seconds, opens_at=opens, closes_at=closes, year=year, winners=winners,
                created_by=officer.actor)  # fmt: skip
    s.add(c)
    await s.flush()
    await repo.audit(s, officer.actor, "contest.add", {"contest_id": c.id, "title": title, "province": province,
                                                       "commune": commune, "questions": len(question_ids)})  # fmt: skip
    return c


def ids_of(row: Contest | ContestAttempt) -> list[str]:
    return list(json.loads(row.question_ids))


def _for_place(province: str | None, commune: str | None) -> list[Any]:
    return [
        or_(col(Contest.province).is_(None), col(Contest.province) == province),
        or_(col(Contest.commune).is_(None), func.lower(col(Contest.commune)) == (commune or "").lower()),
    ]


def is_for(contest: Contest, user: User) -> bool:
    return covers(contest.province, contest.commune, user.province, user.commune)


async def open_for(s: AsyncSession, user: User, now: dt.datetime) -> list[Contest]:
    """Contests open now for the user's place (nationwide ones, their province's, their commune's)."""
    stmt = select(Contest).where(col(Contest.opens_at) <= now, col(Contest.closes_at) > now,
                                 *_for_place(user.province, user.commune))  # fmt: skip
    return list((await s.exec(stmt.order_by(col(Contest.closes_at), col(Contest.id)))).all())


async def next_for(s: AsyncSession, user: User, now: dt.datetime) -> Contest | None:
    stmt = select(Contest).where(col(Contest.opens_at) > now, *_for_place(user.province, user.commune))
    return (await s.exec(stmt.order_by(col(Contest.opens_at)).limit(1))).first()


async def closed_of(s: AsyncSession, user_id: int, now: dt.datetime, days: int = 60) -> list[Contest]:
    """Contests the user took that have closed in the last `days` (their results and certificates)."""
    stmt = (select(Contest).join(ContestAttempt, col(ContestAttempt.contest_id) == col(Contest.id))
            .where(ContestAttempt.user_id == user_id, col(Contest.closes_at) <= now,
                   col(Contest.closes_at) > now - dt.timedelta(days=days)))  # fmt: skip
    return list((await s.exec(stmt.order_by(col(Contest.closes_at).desc()).limit(5))).all())


async def attempt_of(s: AsyncSession, contest_id: int, user_id: int) -> ContestAttempt | None:
    stmt = select(ContestAttempt).where(ContestAttempt.contest_id == contest_id, ContestAttempt.user_id == user_id)
    return (await s.exec(stmt)).first()


async def running_attempt(s: AsyncSession, user_id: int, now: dt.datetime) -> tuple[ContestAttempt, Contest] | None:
    """The user's unfinished attempt of a contest still open."""
    stmt = (select(ContestAttempt, Contest).join(Contest, col(Contest.id) == col(ContestAttempt.contest_id))
            .where(ContestAttempt.user_id == user_id, col(ContestAttempt.finished_at).is_(None),
                   col(Contest.closes_at) > now))  # fmt: skip
    row = (await s.exec(stmt)).first()
    return (row[0], row[1]) if row else None


async def start(s: AsyncSession, contest: Contest, user: User, now: dt.datetime) -> ContestAttempt:
    """The person's one attempt: the contest's questions in a fresh random order, the first one asked now."""
    assert contest.id is not None and user.id is not None
    ids = ids_of(contest)
    random.SystemRandom().shuffle(ids)
    attempt = ContestAttempt(contest_id=contest.id, user_id=user.id, question_ids=json.dumps(ids), asked_at=now,
                             province=user.province, commune=user.commune, started_at=now)  # fmt: skip
    s.add(attempt)
    await s.flush()
    return attempt


def question(catalog: Any, attempt: ContestAttempt) -> QuizQuestion:
    q = catalog.question(ids_of(attempt)[attempt.index])
    assert q is not None
    return q


def deadline(contest: Contest, attempt: ContestAttempt) -> dt.datetime:
    assert attempt.asked_at is not None
    return attempt.asked_at + dt.timedelta(seconds=contest.seconds)


def is_late(contest: Contest, attempt: ContestAttempt, now: dt.datetime) -> bool:
    return attempt.asked_at is not None and now > deadline(contest, attempt) + GRACE


@dataclass(frozen=True)
class Outcome:
    index: int  # the question answered (0-based)
    right: bool
    late: bool
    finished: bool


async def record(
    s: AsyncSession, catalog: Any, contest: Contest, attempt: ContestAttempt, option: int | None, now: dt.datetime
) -> Outcome:
    """Score the current question (None, or an answer after the timer: unanswered) and ask the next one now."""
    assert attempt.id is not None and attempt.asked_at is not None
    q = question(catalog, attempt)
    full = contest.seconds * 1000
    late = option is not None and is_late(contest, attempt, now)
    answered = option is not None and not late
    right = answered and option in q.correct
    used = min(full, max(0, int((now - attempt.asked_at).total_seconds() * 1000))) if answered else full
    s.add(ContestAnswer(attempt_id=attempt.id, index=attempt.index, question_id=q.id,
                        option=option if answered and option is not None else -1, correct=right, late=late,
                        ms=used, at=now))  # fmt: skip
    index = attempt.index
    attempt.index += 1
    attempt.correct += int(right)
    attempt.total_ms += used
    finished = attempt.index >= len(ids_of(attempt))
    attempt.asked_at = None if finished else now
    if finished:
        attempt.finished_at = now
    return Outcome(index, right, late, finished)


async def close_left(s: AsyncSession, catalog: Any, now: dt.datetime) -> int:
    """Attempts left unfinished when their contest closed are closed too (once the question shown has run out):
    every question not answered counts as unanswered, with its whole time; they then take their place on the
    leaderboard. How many were closed."""
    stmt = (select(ContestAttempt, Contest).join(Contest, col(Contest.id) == col(ContestAttempt.contest_id))
            .where(col(ContestAttempt.finished_at).is_(None), col(Contest.closes_at) <= now))  # fmt: skip
    closed = 0
    for attempt, contest in (await s.exec(stmt)).all():
        if attempt.asked_at is not None and not is_late(contest, attempt, now):
            continue  # still answering the question shown before the close
        while attempt.finished_at is None:
            await record(s, catalog, contest, attempt, None, now)
        s.add(attempt)
        closed += 1
    return closed


async def record_poll(s: AsyncSession, user_id: int, ref: str, poll_id: str) -> None:
    """Remember which attempt and question a sent quiz poll belongs to (ref “c:<attempt>:<index>”)."""
    kind, _, rest = ref.partition(":")
    attempt_id, _, index = rest.partition(":")
    if kind == "c" and attempt_id.isdigit() and index.isdigit():
        s.add(ContestPoll(poll_id=poll_id, attempt_id=int(attempt_id), index=int(index), user_id=user_id))


async def poll_target(s: AsyncSession, poll_id: str) -> ContestPoll | None:
    return (await s.exec(select(ContestPoll).where(ContestPoll.poll_id == poll_id))).first()


async def forget(s: AsyncSession, user_id: int) -> None:
    """/xoadulieu: the person's attempts, answers and polls go (their place on a leaderboard too)."""
    attempts = select(ContestAttempt.id).where(ContestAttempt.user_id == user_id)
    await s.exec(delete(ContestPoll).where(col(ContestPoll.user_id) == user_id))  # type: ignore[call-overload]
    await s.exec(delete(ContestAnswer).where(col(ContestAnswer.attempt_id).in_(attempts)))  # type: ignore[call-overload]
    await s.exec(delete(ContestAttempt).where(col(ContestAttempt.user_id) == user_id))  # type: ignore[call-overload]
