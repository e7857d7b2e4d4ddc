"""Quiz attempts: question order, the question reply, scoring an answer, the poll id → attempt map.

Scoring rule: an answer is right when at least one option is picked and every picked option is one of the
question's correct options. A single tap on any correct option of a multiple-correct question counts.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.messages import Choice, QuizSpec, Reply
from bot.core.payloads import AnswerQuiz
from bot.db.models_learning import QuizAnswer, QuizAttempt, QuizPoll
from content.schema import QuizQuestion
from handlers.learning import texts as t
from handlers.learning.service import PASS_PERCENT, add_points, touch_day

DAILY = "today"  # module_id of the quiz of the day
DAILY_SIZE = 5


def daily_question_ids(catalog: Any, day: dt.date) -> list[str]:
    """The same few mixed questions for everyone on a given day."""
    ids = sorted(q.id for m in catalog.modules for q in m.quiz)
    return random.Random(f"hocbot-{day.isoformat()}").sample(ids, min(DAILY_SIZE, len(ids)))


def question_ids(attempt: QuizAttempt) -> list[str]:
    return list(json.loads(attempt.question_ids))


def is_right(question: QuizQuestion, picked: tuple[int, ...]) -> bool:
    return bool(picked) and all(p in question.correct for p in picked)


def offered(catalog: Any, attempt: QuizAttempt, picked: tuple[int, ...]) -> bool:
    """True when every picked option exists in the awaited question (a forged or garbled vote is not an
    answer: it is ignored, never scored wrong)."""
    ids = question_ids(attempt)
    q = catalog.question(ids[attempt.index]) if 0 <= attempt.index < len(ids) else None
    return q is not None and bool(picked) and all(0 <= p < len(q.options) for p in picked)


def passed(attempt: QuizAttempt) -> bool:
    return attempt.score is not None and attempt.score >= PASS_PERCENT


async def open_attempt(s: AsyncSession, user_id: int) -> list[QuizAttempt]:
    res = await s.exec(
        select(QuizAttempt).where(QuizAttempt.user_id == user_id, col(QuizAttempt.finished_at).is_(None))
    )
    return list(res.all())


async def start_attempt(
    s: AsyncSession, catalog: Any, user_id: int, module_id: str, now: dt.datetime, tz: ZoneInfo
) -> QuizAttempt:
    """Resume the learner's unfinished attempt of this quiz, or start a new one (other open ones stop)."""
    ids = (
        daily_question_ids(catalog, now.astimezone(tz).date())
        if module_id == DAILY
        else [q.id for q in catalog.questions(module_id)]
    )
    for old in await open_attempt(s, user_id):
        if old.module_id == module_id and question_ids(old) == ids:
            return old
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
    return attempt


def question_reply(catalog: Any, attempt: QuizAttempt) -> Reply:
    """The current question: a native quiz poll where possible, buttons / numbers everywhere."""
    ids = question_ids(attempt)
    i = attempt.index
    q = catalog.question(ids[i])
    assert q is not None and attempt.id is not None
    text = t.QUESTION.format(i=i + 1, n=len(ids), question=q.question)
    spec = QuizSpec(
        question=text,
        options=tuple(q.options),
        correct=tuple(q.correct),
        explanation=q.explanation,
        attempt_ref=f"{attempt.id}:{i}",
    )
    choices = [Choice(opt, AnswerQuiz(attempt.id, i, n).pack()) for n, opt in enumerate(q.options)]
    return Reply(text, choices=choices, quiz=spec)


@dataclass(frozen=True)
class Scored:
    question: QuizQuestion
    right: bool
    finished: bool


def stale_reason(attempt: QuizAttempt | None, user_id: int, index: int) -> str | None:
    """Why an answer cannot be scored (a short note to show), or None when it is the awaited answer."""
    if attempt is None or attempt.user_id != user_id or attempt.abandoned:
        return t.OLD_QUIZ
    if attempt.finished_at is not None:
        return t.DONE_QUIZ
    if index != attempt.index:
        return t.ANSWERED
    return None


async def score_answer(
    s: AsyncSession,
    catalog: Any,
    attempt: QuizAttempt,
    picked: tuple[int, ...],
    now: dt.datetime,
    tz: ZoneInfo,
) -> Scored:
    """Store the answer to the current question, move on, and close the attempt after the last one."""
    assert attempt.id is not None
    ids = question_ids(attempt)
    q = catalog.question(ids[attempt.index])
    assert q is not None
    right = is_right(q, picked)
    s.add(QuizAnswer(attempt_id=attempt.id, index=attempt.index, question_id=q.id,
                     option=picked[0] if picked else -1, correct=right, at=now))
    attempt.index += 1
    if right:
        attempt.correct += 1
        await add_points(s, attempt.user_id, "answer", attempt.module_id, now)
    await touch_day(s, attempt.user_id, now, tz)
    finished = attempt.index >= len(ids)
    if finished:
        attempt.finished_at = now
        attempt.score = attempt.correct * 100 // max(1, attempt.total)
    return Scored(q, right, finished)


def feedback(question: QuizQuestion, right: bool) -> str:
    if right:
        head = t.RIGHT
    else:
        answer = " / ".join(question.options[i] for i in question.correct)
        head = t.WRONG.format(answer=answer)
    return f"{head}\n💡 {question.explanation}"


async def record_poll(s: AsyncSession, user_id: int, attempt_ref: str, poll_id: str) -> None:
    """Remember which attempt and question a sent poll belongs to."""
    attempt_id, _, index = attempt_ref.partition(":")
    if not (attempt_id.isdigit() and index.isdigit()):
        return
    s.add(QuizPoll(poll_id=poll_id, attempt_id=int(attempt_id), index=int(index), user_id=user_id))


async def poll_target(s: AsyncSession, poll_id: str) -> QuizPoll | None:
    res = await s.exec(select(QuizPoll).where(QuizPoll.poll_id == poll_id))
    return res.first()
