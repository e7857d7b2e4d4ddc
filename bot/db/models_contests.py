"""Contest tables: a contest of the Week, one attempt per person, each answer, the poll id → attempt map."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.db.models import utcnow


class Contest(SQLModel, table=True):
    """An officer's contest: its questions, its unit (province / commune; none = everywhere) and its hours."""

    __tablename__ = "contests"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    province: str | None = Field(default=None, index=True)
    commune: str | None = None
    question_ids: str = Field(sa_column=Column(Text, nullable=False))  # JSON list of catalog question ids
    seconds: int = 30  # per question
    opens_at: dt.datetime
    closes_at: dt.datetime
    year: int = Field(index=True)
    winners: int = 3  # the top N of the contest's leaderboard get a certificate
    created_by: str = Field(default="", max_length=160)
    created_at: dt.datetime = Field(default_factory=utcnow)


class ContestAttempt(SQLModel, table=True):
    """A person's one run through a contest: their question order, where they are, their score and time."""

    __tablename__ = "contest_attempts"
    __table_args__ = (
        UniqueConstraint("contest_id", "user_id", name="uq_contest_attempt"),
        Index("ix_contest_attempts_rank", "contest_id", "correct", "total_ms"),
        # the rank told at the end (handlers/contests/board.py:rank_of) counts a province's rows from this alone
        Index("ix_contest_attempts_place", "contest_id", "province", "correct", "total_ms", "finished_at", "commune"),
    )

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contests.id")
    user_id: int = Field(foreign_key="users.id", index=True)
    question_ids: str = Field(sa_column=Column(Text, nullable=False))  # JSON: this person's random order
    index: int = 0  # the question asked now
    asked_at: dt.datetime | None = None  # when the current question was sent: its timer starts here
    correct: int = 0
    total_ms: int = 0  # time used, an unanswered question counts its whole time
    province: str | None = None  # the person's place when they joined (leaderboards)
    commune: str | None = None
    started_at: dt.datetime = Field(default_factory=utcnow)
    finished_at: dt.datetime | None = None
    cert_code: str | None = Field(default=None, max_length=16, unique=True)


class ContestAnswer(SQLModel, table=True):
    """One question of an attempt: the option picked (-1: none in time), right or not, the time it took."""

    __tablename__ = "contest_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "index", name="uq_contest_answer"),)

    id: int | None = Field(default=None, primary_key=True)
    attempt_id: int = Field(foreign_key="contest_attempts.id")
    index: int
    question_id: str = Field(max_length=64)
    option: int = -1
    correct: bool = False
    late: bool = False
    ms: int = 0
    at: dt.datetime = Field(default_factory=utcnow)


class ContestPoll(SQLModel, table=True):
    """Which attempt and question a Telegram quiz poll belongs to (a poll answer carries no chat)."""

    __tablename__ = "contest_polls"

    id: int | None = Field(default=None, primary_key=True)
    poll_id: str = Field(max_length=64, unique=True)
    attempt_id: int = Field(foreign_key="contest_attempts.id", index=True)
    index: int
    user_id: int = Field(foreign_key="users.id", index=True)
