"""Pydantic schema of the curated content (YAML files under content/data/)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

LESSON_MAX = 700
FAQ_ANSWER_MAX = 600
EXPLANATION_MAX = 200  # Telegram quiz explanation limit
QUESTION_MAX = 300  # Telegram poll question limit
OPTION_MAX = 100  # Telegram poll option limit


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# What kind of place a fact was read in (content/validate.py checks what each kind must carry):
#   official  – a government page or legal text (publisher, date, url)
#   press     – a newspaper or broadcaster's article (publisher, date, url)
#   seed      – one of the project's seed articles (ref: the seed file name)
#   platform  – a service's own site or help (publisher, url), e.g. chatgpt.com, dichvucong.gov.vn
#   bot       – this bot's own help and privacy notice (ref: where it is written)
#   officer   – an answer written and approved by a Hội Khuyến học officer (dashboard FAQ proposals)
SOURCE_KINDS = ("official", "press", "seed", "platform", "bot", "officer")
FACT_KINDS = frozenset({"official", "press", "seed"})  # kinds that can back a claim about the movement or the law

# The six domains of the national digital-competence framework for learners (Khung năng lực số cho người
# học, Thông tư 02/2025/TT-BGDĐT; sources tt-02-2025-*). Modules name the domains they teach.
DIGITAL_DOMAINS: dict[str, str] = {
    "du-lieu": "Khai thác dữ liệu và thông tin",
    "giao-tiep": "Giao tiếp và hợp tác trong môi trường số",
    "sang-tao": "Sáng tạo nội dung số",
    "an-toan": "An toàn",
    "giai-quyet": "Giải quyết vấn đề",
    "ai": "Ứng dụng trí tuệ nhân tạo",
}


class Source(_Strict):
    """Where a fact comes from; `date` is as precise as the source shows it (YYYY, YYYY-MM or YYYY-MM-DD)."""

    id: str
    title: str
    kind: str = Field(pattern="^(" + "|".join(SOURCE_KINDS) + ")$")
    publisher: str | None = None
    date: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    ref: str | None = None  # seed file name, or where the bot's help is written

    @field_validator("date", mode="before")
    @classmethod
    def _date_text(cls, value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value) if isinstance(value, int) else value  # YAML reads a bare year as a number


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
    sources: list[str] = Field(default_factory=list)  # Source ids backing this lesson's facts


class Module(_Strict):
    id: str  # short, ascii, used in callback payloads (e.g. "m1")
    order: int
    title: str
    summary: str
    lessons: list[Lesson]
    quiz: list[QuizQuestion]
    sources: list[str]  # Source ids
    domains: list[str] = Field(default_factory=list)  # keys of DIGITAL_DOMAINS this module teaches


class FaqEntry(_Strict):
    id: str
    question: str
    alternatives: list[str] = Field(default_factory=list)
    answer: str
    sources: list[str]  # Source ids, or "lesson:<module>/<lesson>"
    tags: list[str] = Field(default_factory=list)


class WeekYear(_Strict):
    """One year's Week as the national guidance (or its reports) gave it; theme None where not confirmed."""

    year: int
    start: dt.date
    end: dt.date
    theme: str | None = None
    sources: list[str] = Field(default_factory=list)  # required for the years listed in week.yaml


class WeekInfo(_Strict):
    """The lifelong-learning Week: usually 1–7 October; each known year's dates and theme in `years`."""

    name: str
    start_month: int = 10  # the usual first day, for years not listed (and not set by an officer)
    start_day: int = 1
    days: int = 7
    purpose: str
    activities: list[str]
    years: list[WeekYear] = Field(default_factory=list)
    reminders: dict[str, str] = Field(
        default_factory=dict
    )  # week-plan texts: "before_7", "before_1", "day_1".."day_7"
    sources: list[str] = Field(default_factory=list)

    def for_year(self, year: int) -> WeekYear:
        """That year's Week as listed, else the usual dates (start_month/start_day, `days` long) and no theme."""
        for y in self.years:
            if y.year == year:
                return y
        start = dt.date(year, self.start_month, self.start_day)
        return WeekYear(year=year, start=start, end=start + dt.timedelta(days=self.days - 1))


# -- the five learning models (content/data/learning_models.yaml) ---------------------------------------
EVIDENCE_KINDS = ("self", "officer", "bot")  # self-declared, officer-checked, measured by the bot
# What the bot can measure, and whether it is about one learner (personal model) or a unit's members.
MEASURES = {"modules_done": "personal", "course_complete": "personal", "members_learning": "unit"}


class Criterion(_Strict):
    id: str  # short ascii, travels in callback payloads
    text: str
    evidence: str = Field(pattern="^(" + "|".join(EVIDENCE_KINDS) + ")$")
    measure: str | None = None  # with evidence "bot": a key of MEASURES
    min: int = Field(default=1, ge=1)


class LearningModel(_Strict):
    id: str  # short ascii: gd, dh, cd, dv, cn
    name: str  # “Gia đình học tập”
    unit: str  # what registers: “gia đình”, “dòng họ”, …
    personal: bool = False  # “Công dân học tập”: one per learner, no members
    criteria: list[Criterion] = Field(min_length=1)


class ModelSet(_Strict):
    """The criteria in force from `year` on, nationally (province None) or for one province."""

    year: int = Field(ge=2000, le=2100)
    province: str | None = None
    example: bool = False  # not the official text: shown as such
    note: str = ""
    sources: list[str] = Field(default_factory=list)
    models: list[LearningModel] = Field(min_length=1)


class LearningModels(_Strict):
    sets: list[ModelSet] = Field(min_length=1)

    def set_for(self, year: int, province: str | None = None) -> ModelSet | None:
        """The province's own set in force that year if there is one, else the national one."""
        for prov in ([province] if province else []) + [None]:
            found = [s for s in self.sets if s.province == prov and s.year <= year]
            if found:
                return max(found, key=lambda s: s.year)
        national = [s for s in self.sets if s.province is None]
        return min(national, key=lambda s: s.year) if national else None  # a year before every set

    def model(self, model_id: str, year: int, province: str | None = None) -> LearningModel | None:
        ms = self.set_for(year, province)
        return next((m for m in ms.models if m.id == model_id), None) if ms else None
