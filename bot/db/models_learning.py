"""Learning tables: lesson progress, activity days, points, quiz attempts, poll map, certificates."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.db.models import utcnow


class LessonProgress(SQLModel, table=True):
    """Where a learner is in one module: the lesson to reopen and how many lessons were read."""

    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("user_id", "module_id", name="uq_lesson_progress"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    module_id: str = Field(max_length=32)
    position: int = 0  # 0-based lesson shown last
    seen: int = 0  # lessons read so far (read in order, so 1..seen)
    completed_at: dt.datetime | None = None  # every lesson read
    updated_at: dt.datetime = Field(default_factory=utcnow)


class ActivityDay(SQLModel, table=True):
    """One row per learner and local day with a lesson or a quiz answer (for streaks)."""

    __tablename__ = "learning_days"
    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_learning_day"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    day: dt.date


class LearningEvent(SQLModel, table=True):
    """A point-worthy moment: a lesson read for the first time or a correct answer.

    `user_id` becomes NULL when the learner deletes their data: the anonymous count stays.
    """

    __tablename__ = "learning_events"
    __table_args__ = (Index("ix_learning_events_user_at", "user_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(default=None, foreign_key="users.id")
    kind: str = Field(max_length=16)  # lesson | answer
    module_id: str = Field(max_length=32)
    points: int = 1
    at: dt.datetime = Field(default_factory=utcnow, index=True)


class QuizAttempt(SQLModel, table=True):
    """One run through a quiz: the question order, the current question and the result."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (Index("ix_quiz_attempts_user_module", "user_id", "module_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    kind: str = Field(default="module", max_length=16)  # module | daily
    module_id: str = Field(max_length=32)  # "today" for the quiz of the day
    question_ids: str = Field(sa_column=Column(Text, nullable=False))  # JSON list, the order asked
    index: int = 0  # the question waiting for an answer
    correct: int = 0
    total: int = 0
    score: int | None = None  # percent, set when finished
    started_at: dt.datetime = Field(default_factory=utcnow)
    finished_at: dt.datetime | None = None
    abandoned: bool = False


class QuizAnswer(SQLModel, table=True):
    """One answer; the unique key makes a repeated answer impossible to score twice."""

    __tablename__ = "quiz_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "index", name="uq_quiz_answer"),)

    id: int | None = Field(default=None, primary_key=True)
    attempt_id: int = Field(foreign_key="quiz_attempts.id", index=True)
    index: int
    question_id: str = Field(max_length=64)
    option: int
    correct: bool
    at: dt.datetime = Field(default_factory=utcnow)


class QuizPoll(SQLModel, table=True):
    """A native quiz poll sent on Telegram: poll answers carry no chat, so we map the id back here."""

    __tablename__ = "quiz_polls"

    id: int | None = Field(default=None, primary_key=True)
    poll_id: str = Field(max_length=64, unique=True)
    attempt_id: int = Field(foreign_key="quiz_attempts.id", index=True)
    index: int
    user_id: int = Field(foreign_key="users.id", index=True)
    created_at: dt.datetime = Field(default_factory=utcnow)


class RevokedCertificate(SQLModel, table=True):
    """The code of a certificate deleted with its holder's data (/xoadulieu): nothing else of it is kept, so
    /verify can say it was withdrawn on request rather than that it never existed."""

    __tablename__ = "revoked_certificates"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    revoked_at: dt.datetime = Field(default_factory=utcnow)


class Certificate(SQLModel, table=True):
    """A course certificate; the code is printed on the PDF and checked at /verify/<code>."""

    __tablename__ = "certificates"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, unique=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=160)
    issued_at: dt.datetime = Field(default_factory=utcnow)
