"""Pydantic schema of the curated content (YAML files under content/data/)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

LESSON_MAX = 700
FAQ_ANSWER_MAX = 600
EXPLANATION_MAX = 200  # Telegram quiz explanation limit
QUESTION_MAX = 300  # Telegram poll question limit
OPTION_MAX = 100  # Telegram poll option limit


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """Where a fact comes from: a seed article, a programme or resolution, or a lesson."""

    id: str
    title: str
    kind: str = Field(pattern="^(seed|programme|resolution|decision|lesson|web)$")
    date: dt.date | None = None
    ref: str | None = None  # seed file name or URL


class QuizQuestion(_Strict):
    id: str
    question: str
    options: list[str] = Field(min_length=2, max_length=6)
    correct: list[int] = Field(min_length=1)  # 0-based indexes into options
    explanation: str


class Lesson(_Strict):
    id: str
    title: str
    text: str
    image: str | None = None


class Module(_Strict):
    id: str  # short, ascii, used in callback payloads (e.g. "m1")
    order: int
    title: str
    summary: str
    lessons: list[Lesson]
    quiz: list[QuizQuestion]
    sources: list[str]  # Source ids


class FaqEntry(_Strict):
    id: str
    question: str
    alternatives: list[str] = Field(default_factory=list)
    answer: str
    sources: list[str]  # Source ids, or "lesson:<module>/<lesson>"
    tags: list[str] = Field(default_factory=list)


class WeekTheme(_Strict):
    year: int
    theme: str
    source: str | None = None


class WeekInfo(_Strict):
    """The lifelong-learning Week: 1–7 October every year."""

    name: str
    start_month: int = 10
    start_day: int = 1
    days: int = 7
    purpose: str
    activities: list[str]
    themes: list[WeekTheme] = Field(default_factory=list)
    reminders: dict[str, str] = Field(
        default_factory=dict
    )  # week-plan texts: "before_7", "before_1", "day_1".."day_7"
    sources: list[str] = Field(default_factory=list)
