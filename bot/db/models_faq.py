"""FAQ tables: every answer given (for feedback and numbers), feedback, and the unanswered list."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from bot.db.models import utcnow


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
