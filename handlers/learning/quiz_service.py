"""Quiz attempts: question order, the question reply, scoring an answer, the poll id → attempt map.

Scoring rule: an answer is right when at least one option is picked and every picked option is one of the
question's correct options. A single tap on any correct option of a multiple-correct question counts.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import json
import logging
import random
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, bindparam, column, func, insert, literal, select, update
from sqlalchemy.orm.attributes import get_history, set_committed_value
from sqlmodel import col
from sqlmodel import select as orm_select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.context import Services
from bot.core.faults import database_down
from bot.core.messages import Choice, QuizSpec, Reply
from bot.core.outbound import pending_json
from bot.core.payloads import AnswerQuiz
from bot.db import hot
from bot.db.engine import Database
from bot.db.models import User, utcnow
from bot.db.models_learning import LearningEvent, QuizAnswer, QuizAttempt, QuizPoll
from content.schema import QuizQuestion
from handlers.learning import texts as t
from handlers.learning.service import PASS_PERCENT, add_point, local_day, touch_day

_attempts: Table = QuizAttempt.__table__  # type: ignore[attr-defined]
_answers: Table = QuizAnswer.__table__  # type: ignore[attr-defined]
_polls: Table = QuizPoll.__table__  # type: ignore[attr-defined]
_events: Table = LearningEvent.__table__  # type: ignore[attr-defined]
_users: Table = User.__table__  # type: ignore[attr-defined]

log = logging.getLogger(__name__)

DAILY = "today"  # module_id of the quiz of the day
DAILY_SIZE = 5


@dataclass(frozen=True)
class Attempt:
    """A quiz attempt as answering reads it: one row, no ORM object (the hot path of a quiz)."""

    id: int
    user_id: int
    kind: str  # module | daily
    module_id: str
    ids: tuple[str, ...]  # the question ids, in the order asked
    asked: str  # the same, as stored (JSON)
    index: int  # the question waiting for an answer
    correct: int
    total: int
    score: int | None
    finished: bool
    abandoned: bool
    answered_at: dt.datetime | None = None  # when the question before the awaited one was answered (if known)


_PREVIOUS = (
    select(_answers.c.at)
    .where(_answers.c.attempt_id == _attempts.c.id, _answers.c.index == _attempts.c.index - 1)
    .scalar_subquery()
)
_ATTEMPT = (_attempts.c.id, _attempts.c.user_id, _attempts.c.kind, _attempts.c.module_id, _attempts.c.question_ids,
            _attempts.c.index, _attempts.c.correct, _attempts.c.total, _attempts.c.score,
            _attempts.c.finished_at, _attempts.c.abandoned, _PREVIOUS)  # fmt: skip
# The answer path's statements, built once: SQLAlchemy then reuses their cache key and compiled form (building a
# statement per message cost about as much as running it).
_LOAD = hot.Hot(select(*_ATTEMPT).where(_attempts.c.id == bindparam("attempt_id")))
# Moving on matches only the awaited question of the open attempt as it was read (a question answered meanwhile,
# a quiz closed or abandoned, a row id SQLite gave again after a deletion: no row); the point is added in SQL.
_AWAITED = (_attempts.c.id == bindparam("attempt_id"), _attempts.c.user_id == bindparam("learner"),
            _attempts.c.question_ids == bindparam("asked"), _attempts.c.index == bindparam("awaited"),
            _attempts.c.finished_at.is_(None))  # fmt: skip
_MOVE_ON_SQL = (
    update(_attempts).where(*_AWAITED)
    .values(index=bindparam("awaited") + 1, correct=_attempts.c.correct + bindparam("point"))
    .returning(_attempts.c.correct)
)  # fmt: skip
_CLOSE_SQL = (
    update(_attempts).where(*_AWAITED)
    .values(index=bindparam("awaited") + 1, correct=_attempts.c.correct + bindparam("point"),
            finished_at=bindparam("now"), score=(_attempts.c.correct + bindparam("point")) * 100 // _attempts.c.total)
    .returning(_attempts.c.correct, _attempts.c.score)
)  # fmt: skip
_MOVE_ON, _CLOSE = hot.Hot(_MOVE_ON_SQL), hot.Hot(_CLOSE_SQL)
_ADD_ANSWER = hot.Hot(insert(_answers))


@functools.cache
def _scored_together(finished: bool, right: bool, offer: bool = False) -> hot.Hot:
    """PostgreSQL: _MOVE_ON (or _CLOSE), _ADD_ANSWER and the point of a right answer as one statement (the INSERTs
    are data-modifying CTEs fed by the UPDATE's row: nothing is written when no row moved), one round trip instead
    of two or three. Same rows, same errors (the answer's unique key fails the whole statement). With `offer`, the
    learner's User.pending is set to :pending too (the choices the next question offers), when a row moved."""
    moved = (_CLOSE_SQL if finished else _MOVE_ON_SQL).returning(
        _attempts.c.id, _attempts.c.user_id, _attempts.c.module_id
    ).cte("moved")
    answer = insert(_answers).from_select(
        ["attempt_id", "index", "question_id", "option", "correct", "at"],
        select(moved.c.id, bindparam("awaited", type_=_answers.c.index.type),
               bindparam("question_id", type_=_answers.c.question_id.type),
               bindparam("option", type_=_answers.c.option.type), bindparam("right", type_=_answers.c.correct.type),
               bindparam("now", type_=_answers.c.at.type)),
    ).cte("answer")  # fmt: skip
    together = select(moved.c.correct, *([moved.c.score] if finished else [])).add_cte(answer)
    if right:
        point = insert(_events).from_select(
            ["user_id", "kind", "module_id", "points", "at"],
            select(moved.c.user_id, literal("answer", _events.c.kind.type), moved.c.module_id,
                   literal(1, _events.c.points.type), bindparam("now", type_=_events.c.at.type)),
        ).cte("point")  # fmt: skip
        together = together.add_cte(point)
    if offer:
        offered = (update(_users).where(_users.c.id == select(moved.c.user_id).scalar_subquery())
                   .values(pending=bindparam("pending")).cte("offered"))  # fmt: skip
        together = together.add_cte(offered)
    return hot.Hot(together)
# A sent poll, written only while its attempt is there (not deleted since by /xoadulieu): one statement per poll,
# run by bot/db/hot.py (an IN list read first and a Core executemany cost several times the writes on PostgreSQL,
# where the polls written together are one statement: _add_polls_together).
_ADD_POLL = hot.Hot(
    insert(_polls).from_select(
        ["poll_id", "attempt_id", "index", "user_id", "created_at"],
        select(bindparam("poll_id", type_=_polls.c.poll_id.type), _attempts.c.id,
               bindparam("index", type_=_polls.c.index.type), bindparam("user_id", type_=_polls.c.user_id.type),
               bindparam("now", type_=_polls.c.created_at.type))
        .where(_attempts.c.id == bindparam("attempt_id")),
    )
)  # fmt: skip


@functools.cache
def _add_polls_together() -> hot.Hot:
    """PostgreSQL (built on first use): _ADD_POLL for many polls at once, their fields as four arrays unnested."""
    from sqlalchemy.dialects.postgresql import ARRAY

    fields = [_polls.c.poll_id, _polls.c.attempt_id, _polls.c.index, _polls.c.user_id]
    sent = (func.unnest(*(bindparam(name, type_=ARRAY(c.type)) for name, c in
                          zip(("poll_ids", "attempt_ids", "indexes", "user_ids"), fields, strict=True)))
            .table_valued(*(column(c.name, c.type) for c in fields)).render_derived(name="sent"))  # fmt: skip
    return hot.Hot(insert(_polls).from_select(
        ["poll_id", "attempt_id", "index", "user_id", "created_at"],
        select(sent.c.poll_id, _attempts.c.id, sent.c.index, sent.c.user_id,
               bindparam("now", type_=_polls.c.created_at.type))
        .join_from(sent, _attempts, _attempts.c.id == sent.c.attempt_id),
    ))  # fmt: skip


_POLL_TARGET = hot.Hot(
    select(_polls.c.user_id, _polls.c.index, *_ATTEMPT)
    .select_from(_polls.outerjoin(_attempts, _attempts.c.id == _polls.c.attempt_id))
    .where(_polls.c.poll_id == bindparam("poll_id"))
)


def _attempt(row: Sequence[Any]) -> Attempt:
    """An Attempt from the values of _ATTEMPT, in that order."""
    id_, user_id, kind, module_id, question_ids, index, correct, total, score, finished_at, abandoned, at = row
    return Attempt(id_, user_id, kind, module_id, tuple(json.loads(question_ids)), question_ids, index, correct, total,
                   score, finished_at is not None, bool(abandoned), at)  # fmt: skip


def _view(a: QuizAttempt) -> Attempt:
    assert a.id is not None
    return Attempt(a.id, a.user_id, a.kind, a.module_id, tuple(json.loads(a.question_ids)), a.question_ids, a.index,
                   a.correct, a.total, a.score, a.finished_at is not None, a.abandoned)  # fmt: skip


async def load_attempt(s: AsyncSession, attempt_id: int) -> Attempt | None:
    conn = await hot.connection(s)
    row = (await hot.run(conn, _LOAD, {"attempt_id": attempt_id})).first()
    return _attempt(row) if row is not None else None


def daily_question_ids(catalog: Any, day: dt.date) -> list[str]:
    """The same few mixed questions for everyone on a given day."""
    ids = sorted(q.id for m in catalog.modules for q in m.quiz)
    return random.Random(f"hocbot-{day.isoformat()}").sample(ids, min(DAILY_SIZE, len(ids)))


def is_right(question: QuizQuestion, picked: tuple[int, ...]) -> bool:
    return bool(picked) and all(p in question.correct for p in picked)


def awaited(catalog: Any, attempt: Attempt) -> QuizQuestion | None:
    """The question the attempt waits for (None past its end, or for a question no longer in the content)."""
    return _question(catalog, attempt, attempt.index)


def _question(catalog: Any, attempt: Attempt, index: int) -> QuizQuestion | None:
    if not 0 <= index < len(attempt.ids):
        return None
    q: QuizQuestion | None = catalog.question(attempt.ids[index])
    return q


def next_question(catalog: Any, attempt: Attempt) -> Reply | None:
    """The question after the awaited one, as `question_reply` will ask it once this answer moved the attempt on;
    None after the last one (or for a question no longer in the content)."""
    following = attempt.index + 1
    return question_reply(catalog, attempt, following) if _question(catalog, attempt, following) else None


def offered(catalog: Any, attempt: Attempt, picked: tuple[int, ...]) -> bool:
    """True when every picked option exists in the awaited question (a forged or garbled vote is not an
    answer: it is ignored, never scored wrong)."""
    q = awaited(catalog, attempt)
    return q is not None and bool(picked) and all(0 <= p < len(q.options) for p in picked)


def passed(attempt: Attempt) -> bool:
    return attempt.score is not None and attempt.score >= PASS_PERCENT


async def open_attempt(s: AsyncSession, user_id: int) -> list[QuizAttempt]:
    res = await s.exec(
        orm_select(QuizAttempt).where(QuizAttempt.user_id == user_id, col(QuizAttempt.finished_at).is_(None))
    )
    return list(res.all())


async def left_attempt(s: AsyncSession, catalog: Any, user_id: int) -> Attempt | None:
    """The learner's quiz left in the middle: the latest open attempt whose awaited question is still there."""
    for row in sorted(await open_attempt(s, user_id), key=lambda a: a.id or 0, reverse=True):
        attempt = _view(row)
        if awaited(catalog, attempt) is not None:
            return attempt
    return None


async def start_attempt(
    s: AsyncSession, catalog: Any, user_id: int, module_id: str, now: dt.datetime, tz: ZoneInfo
) -> Attempt:
    """Resume the learner's unfinished attempt of this quiz, or start a new one (other open ones stop)."""
    ids = (
        daily_question_ids(catalog, now.astimezone(tz).date())
        if module_id == DAILY
        else [q.id for q in catalog.questions(module_id)]
    )
    for old in await open_attempt(s, user_id):
        if old.module_id == module_id and json.loads(old.question_ids) == ids:
            return _view(old)
        old.finished_at, old.abandoned = now, True
    attempt = QuizAttempt(
        user_id=user_id,
        kind="daily" if module_id == DAILY else "module",
        module_id=module_id,
        question_ids=json.dumps(ids),
        total=len(ids),
        started_at=now,
    )
    s.add(attempt)
    await s.flush()
    return _view(attempt)


def question_reply(catalog: Any, attempt: Attempt, index: int | None = None) -> Reply:
    """The current question (or the attempt's question `index`): a native quiz poll where possible, buttons /
    numbers everywhere."""
    i, n = attempt.index if index is None else index, len(attempt.ids)
    q = _question(catalog, attempt, i)
    assert q is not None
    text = t.QUESTION.format(i=i + 1, n=n, question=q.question)
    spec = QuizSpec(
        question=text,
        options=tuple(q.options),
        correct=tuple(q.correct),
        explanation=q.explanation,
        attempt_ref=f"{attempt.id}:{i}",
    )
    choices = [Choice(opt, AnswerQuiz(attempt.id, i, k).pack()) for k, opt in enumerate(q.options)]
    return Reply(text, choices=choices, quiz=spec)


@dataclass(frozen=True)
class Scored:
    question: QuizQuestion
    right: bool
    attempt: Attempt  # after this answer: the next question waits, or it is finished and scored

    @property
    def finished(self) -> bool:
        return self.attempt.finished


def stale_reason(attempt: Attempt | None, user_id: int, index: int) -> str | None:
    """Why an answer cannot be scored (a short note to show), or None when it is the awaited answer."""
    if attempt is None or attempt.user_id != user_id or attempt.abandoned:
        return t.OLD_QUIZ
    if attempt.finished:
        return t.DONE_QUIZ
    if index != attempt.index:
        return t.ANSWERED
    return None


async def score_answer(
    s: AsyncSession,
    catalog: Any,
    attempt: Attempt,
    picked: tuple[int, ...],
    now: dt.datetime,
    tz: ZoneInfo,
    offer: tuple[User, Sequence[Choice]] | None = None,
) -> Scored | None:
    """Store the answer to the awaited question, move on, and close the attempt after the last one: one guarded
    UPDATE and one INSERT (plus the point and the day). None when the question was answered meanwhile (the same
    answer handled at once by another worker): nothing is written twice. `offer`: the learner (loaded in `s`) and
    the choices the reply will offer them; on PostgreSQL they are stored as User.pending by the same statement,
    as the dispatcher would store them after the reply (which then finds nothing to write)."""
    q = awaited(catalog, attempt)
    assert q is not None
    right = is_right(q, picked)
    finished = attempt.index + 1 >= len(attempt.ids)
    conn = await hot.connection(s)
    option = picked[0] if picked else -1
    move = {"attempt_id": attempt.id, "learner": attempt.user_id, "asked": attempt.asked, "awaited": attempt.index,
            "point": int(right), "now": now}  # fmt: skip
    if conn.dialect.name == "postgresql":
        pending = _pending(attempt, offer)
        params = {**move, "question_id": q.id, "option": option, "right": right}
        if pending is not None:
            params["pending"] = pending
        moved = (await hot.run(conn, _scored_together(finished, right, pending is not None), params)).first()
        if moved is None:
            return None
        if offer is not None and pending is not None:
            set_committed_value(offer[0], "pending", pending)  # stored as loaded: no change for the commit to flush
    else:
        moved = (await hot.run(conn, _CLOSE if finished else _MOVE_ON, move)).first()
        if moved is None:
            return None
        await hot.run(conn, _ADD_ANSWER, {"attempt_id": attempt.id, "index": attempt.index, "question_id": q.id,
                                         "option": option, "correct": right, "at": now})  # fmt: skip
        if right:
            await add_point(s, attempt.user_id, "answer", attempt.module_id, now)
    correct, score = moved[0], moved[1] if finished else None
    if attempt.answered_at is None or local_day(attempt.answered_at, tz) != local_day(now, tz):
        await touch_day(s, attempt.user_id, now, tz)  # the answer before was on another day (or is unknown)
    after = replace(attempt, index=attempt.index + 1, correct=correct, score=score, finished=finished, answered_at=now)
    return Scored(q, right, after)


def _pending(attempt: Attempt, offer: tuple[User, Sequence[Choice]] | None) -> str | None:
    """User.pending for `offer` when the score's statement can store it: the learner's own loaded row, with no
    change of it waiting for the ORM, and a value other than the stored one."""
    if offer is None or not offer[1]:
        return None
    user, choices = offer
    if user.id != attempt.user_id or get_history(user, "pending").has_changes():
        return None
    pending = pending_json(choices)
    return pending if pending != user.pending else None


def feedback(question: QuizQuestion, right: bool) -> str:
    if right:
        head = t.RIGHT
    else:
        answer = " / ".join(question.options[i] for i in question.correct)
        head = t.WRONG.format(answer=answer)
    return f"{head}\n💡 {question.explanation}"


@dataclass(frozen=True)
class SentPoll:
    """The learner, attempt and question a sent quiz poll asks."""

    user_id: int
    attempt_id: int
    index: int


class SentPolls:
    """Quiz polls sent and not yet written to quiz_polls. A poll's id is known only once it is sent, after the
    answer's unit of work committed; a unit of work per poll cost about as much CPU as all of the answer's own
    writes. Here every poll sent while the database is busy (the SQLite writer taken, or the last batch still being
    written) goes in one unit of work, started at once; a vote that arrives before its poll is written finds it
    here (another worker finds it in the database: written milliseconds after the send, before a learner can
    have read the question). `flush()` (on shutdown) waits for the last write."""

    RETRY = 1.0  # seconds between tries while the database is unavailable
    PATIENCE = 10.0  # seconds `flush` waits for them

    def __init__(self, db: Database) -> None:
        self._db = db
        self._waiting: dict[str, SentPoll] = {}
        self._writer: asyncio.Task[None] | None = None

    def add(self, user_id: int, attempt_ref: str, poll_id: str) -> None:
        attempt_id, _, index = attempt_ref.partition(":")
        if not (attempt_id.isdigit() and index.isdigit()):
            return
        self._waiting[poll_id] = SentPoll(user_id, int(attempt_id), int(index))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())

    def get(self, poll_id: str) -> SentPoll | None:
        return self._waiting.get(poll_id)

    async def flush(self) -> None:
        if self._writer is not None and not self._writer.done():
            try:
                await asyncio.wait_for(asyncio.shield(self._writer), self.PATIENCE)
            except TimeoutError:
                log.error("%d sent quiz polls not written (database unavailable)", len(self._waiting))
                self._writer.cancel()

    async def _write(self) -> None:
        while self._waiting:
            batch: dict[str, SentPoll] = {}
            try:
                async with self._db.session() as s:
                    batch = dict(self._waiting)  # with every poll sent while this waited for the database
                    await _add_polls(s, batch)
            except Exception as exc:
                if database_down(exc) or not batch:
                    log.warning("sent quiz polls not written yet (%s); trying again", type(exc).__name__)
                    await asyncio.sleep(self.RETRY)
                    continue
                await self._one_by_one(batch)  # a poll the database refuses does not hold up the others
            for poll_id in batch:
                del self._waiting[poll_id]

    async def _one_by_one(self, batch: dict[str, SentPoll]) -> None:
        for poll_id, poll in batch.items():
            try:
                async with self._db.session() as s:
                    await _add_polls(s, {poll_id: poll})
            except Exception:
                log.exception("quiz poll %s not written", poll_id)


async def _add_polls(s: AsyncSession, polls: dict[str, SentPoll]) -> None:
    """INSERT the polls whose attempt is still there (not deleted since by /xoadulieu): on PostgreSQL all of them
    in one statement (the polls as arrays), elsewhere one statement each."""
    conn = await hot.connection(s)
    now = utcnow()
    if conn.dialect.name == "postgresql" and len(polls) > 1:
        sent = list(polls.values())
        await hot.run(conn, _add_polls_together(), {
            "poll_ids": list(polls), "attempt_ids": [p.attempt_id for p in sent], "indexes": [p.index for p in sent],
            "user_ids": [p.user_id for p in sent], "now": now,
        })  # fmt: skip
        return
    for poll_id, p in polls.items():
        await hot.run(conn, _ADD_POLL, {"poll_id": poll_id, "attempt_id": p.attempt_id, "index": p.index,
                                        "user_id": p.user_id, "now": now})  # fmt: skip


_SENT_POLLS: weakref.WeakKeyDictionary[Services, SentPolls] = weakref.WeakKeyDictionary()


def sent_polls(services: Services) -> SentPolls:
    """This process's polls waiting to be written."""
    found = _SENT_POLLS.get(services)
    if found is None:
        found = _SENT_POLLS[services] = SentPolls(services.db)
    return found


class RecentAttempts:
    """The attempts this process moved on last, as their answer was committed: the next tap on the question it
    asked then needs no read (the guarded UPDATE checks the row is still so). Bounded, oldest out first."""

    SIZE = 10_000

    def __init__(self) -> None:
        self._known: dict[int, Attempt] = {}

    def awaiting(self, attempt_id: int, user_id: int, index: int) -> Attempt | None:
        """The attempt if this learner's question `index` is the one it asked last here."""
        found = self._known.get(attempt_id)
        return found if found is not None and found.user_id == user_id and found.index == index else None

    def remember(self, attempt: Attempt) -> None:
        self._known.pop(attempt.id, None)
        if attempt.finished:
            return
        self._known[attempt.id] = attempt
        if len(self._known) > self.SIZE:
            del self._known[next(iter(self._known))]


_RECENT: weakref.WeakKeyDictionary[Services, RecentAttempts] = weakref.WeakKeyDictionary()


def recent_attempts(services: Services) -> RecentAttempts:
    found = _RECENT.get(services)
    if found is None:
        found = _RECENT[services] = RecentAttempts()
    return found


@dataclass(frozen=True)
class PollTarget:
    user_id: int
    index: int
    attempt: Attempt | None


async def poll_target(s: AsyncSession, waiting: SentPolls, poll_id: str) -> PollTarget | None:
    """The learner, question and attempt a quiz poll was sent for (one query); None for no learning quiz's poll."""
    conn = await hot.connection(s)
    sent = waiting.get(poll_id)
    if sent is not None:
        return PollTarget(sent.user_id, sent.index, await load_attempt(s, sent.attempt_id))
    row = (await hot.run(conn, _POLL_TARGET, {"poll_id": poll_id})).first()
    if row is None:
        return None
    user_id, index, *attempt = row
    return PollTarget(user_id, index, _attempt(attempt) if attempt[0] is not None else None)
