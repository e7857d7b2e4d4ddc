"""FAQ tables: every answer given (for feedback and numbers), feedback, and the unanswered list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Column, Index, Text, update
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import User, utcnow
from bot.redact import mask_pii
from content.textnorm import fold


class AnswerLog(SQLModel, table=True):
    """One question and how it was answered. `user_id` is NULL for users without consent or after
    /xoadulieu (then the question text is blanked too)."""

    __tablename__ = "answer_log"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    channel: str = Field(default="", max_length=32)
    question: str = Field(default="", sa_column=Column(Text))
    decision: str = Field(default="answer", max_length=16)  # answer | suggest | refuse
    mode: str = Field(default="retrieval", max_length=16)  # llm | retrieval
    refused: bool = False
    faq_id: str | None = Field(default=None, max_length=64)  # the best curated entry (or lesson passage)
    created_at: dt.datetime = Field(default_factory=utcnow, index=True)


class Feedback(SQLModel, table=True):
    """👍 / 👎 on one answer; pressing again changes the vote."""

    __tablename__ = "answer_feedback"

    id: int | None = Field(default=None, primary_key=True)
    answer_log_id: int = Field(foreign_key="answer_log.id", index=True, unique=True)
    user_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    value: str = Field(max_length=1)  # "u" (👍) | "d" (👎)
    created_at: dt.datetime = Field(default_factory=utcnow)


class UnansweredQuestion(SQLModel, table=True):
    """A question the bot could not answer (or a 👎), grouped by its folded text, for officers."""

    __tablename__ = "unanswered_questions"
    __table_args__ = (Index("ix_unanswered_status_count", "status", "count"),)

    id: int | None = Field(default=None, primary_key=True)
    question: str = Field(default="", sa_column=Column(Text))
    folded: str = Field(max_length=500, index=True)
    count: int = 1
    reason: str = Field(default="unknown", max_length=16)  # unknown | out_of_scope | disliked
    first_seen: dt.datetime = Field(default_factory=utcnow)
    last_seen: dt.datetime = Field(default_factory=utcnow, index=True)
    status: str = Field(default="open", max_length=16)  # open | answered
    province: str | None = Field(default=None, max_length=120, index=True)  # where the askers live (scope)
    commune: str | None = Field(default=None, max_length=120)


# ---- queries -------------------------------------------------------------------------------------------


def disliked() -> Any:
    """An AnswerLog row the citizen marked 👎 (a WHERE clause): it does not count as answered."""
    return col(AnswerLog.id).in_(select(Feedback.answer_log_id).where(Feedback.value == "d"))


async def record_unanswered(
    s: AsyncSession, question: str, reason: str, now: dt.datetime | None = None, *,
    province: str | None = None, commune: str | None = None,
) -> UnansweredQuestion:
    """Add a question to the unanswered list, or count it again (same folded text from the same place; reopened
    if answered). Phone, ID-card and e-mail numbers are masked before it is stored: officers never see them.
    The place (the asker's province/commune, if they gave it) decides which officers see it."""
    now = now or utcnow()
    question = mask_pii(question)
    folded = unanswered_key(question)
    stmt = select(UnansweredQuestion).where(
        UnansweredQuestion.folded == folded, _same(UnansweredQuestion.province, province),
        _same(UnansweredQuestion.commune, commune),
    )  # fmt: skip
    row = (await s.exec(stmt)).first()
    if row is None:
        row = UnansweredQuestion(question=question[:1000], folded=folded, reason=reason,
                                 first_seen=now, last_seen=now, province=province, commune=commune)
    else:
        row.count += 1
        row.last_seen = now
        row.status = "open"
    s.add(row)
    await s.flush()
    return row


def unanswered_key(question: str) -> str:
    """How the list groups a question (its masked, folded text)."""
    return fold(mask_pii(question))[:500] or "?"


def _same(column: Any, value: str | None) -> Any:
    return col(column).is_(None) if value is None else col(column) == value


async def forget_unanswered(s: AsyncSession, questions: list[str], province: str | None,
                            commune: str | None) -> None:  # fmt: skip
    """/xoadulieu: take this person's questions off the officers' list (one ask less; gone if only theirs)."""
    for question in questions:
        stmt = select(UnansweredQuestion).where(UnansweredQuestion.folded == unanswered_key(question))
        rows = sorted((await s.exec(stmt)).all(),
                      key=lambda r: (r.province != province, r.commune != commune))  # fmt: skip
        if not rows:
            continue
        row = rows[0]
        if row.count <= 1:
            await s.delete(row)
        else:
            row.count -= 1
            s.add(row)
    await s.flush()


async def open_unanswered(s: AsyncSession, limit: int = 200) -> list[UnansweredQuestion]:
    """Open questions, most asked first."""
    stmt = (
        select(UnansweredQuestion)
        .where(UnansweredQuestion.status == "open")
        .order_by(col(UnansweredQuestion.count).desc(), col(UnansweredQuestion.last_seen).desc())
        .limit(limit)
    )
    return list((await s.exec(stmt)).all())


async def set_feedback(s: AsyncSession, log_id: int, user_id: int | None, value: str) -> Feedback:
    """Store 👍 ("u") or 👎 ("d") for one answer; a second press changes the vote."""
    row = (await s.exec(select(Feedback).where(Feedback.answer_log_id == log_id))).first()
    if row is None:
        row = Feedback(answer_log_id=log_id, user_id=user_id, value=value)
    else:
        row.value = value
        row.created_at = utcnow()
    s.add(row)
    await s.flush()
    return row


async def forget_answers(s: AsyncSession, user_id: int) -> None:
    """/xoadulieu: take the user's questions off the officers' list, blank the question texts and unlink the
    answers and votes (they stay only as anonymous numbers)."""
    user = await s.get(User, user_id)
    asked = (await s.exec(select(AnswerLog.question).where(AnswerLog.user_id == user_id))).all()
    await forget_unanswered(s, [q for q in asked if q], user.province if user else None,
                            user.commune if user else None)  # fmt: skip
    await s.exec(  # type: ignore[call-overload]
        update(AnswerLog).where(col(AnswerLog.user_id) == user_id).values(user_id=None, question="")
    )
    await s.exec(  # type: ignore[call-overload]
        update(Feedback).where(col(Feedback.user_id) == user_id).values(user_id=None)
    )
