"""The learning models: units (a family, clan, village group, agency, or one learner) registered for a model in
a year, their members and their answers criterion by criterion (handlers/learning_models/service.py)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.db.models import utcnow


# A unit's life: registered → submitted (self-assessment sent to the commune) → confirmed by the officer, or
# returned with a reason (the citizen fixes and submits again) → recognised at year end.
class UnitState(StrEnum):
    REGISTERED = "registered"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    CONFIRMED = "confirmed"
    RECOGNISED = "recognised"


REGISTERED, SUBMITTED, RETURNED, CONFIRMED, RECOGNISED = UnitState


class LearningUnit(SQLModel, table=True):
    __tablename__ = "learning_units"
    __table_args__ = (
        # covers the roll-up (GROUP BY province, commune, model counting states): an index-only scan, no table
        Index("ix_learning_units_rollup", "year", "province", "commune", "model", "status"),
        Index("ix_learning_units_owner", "owner_user_id", "year"),
        Index("ix_learning_units_cert_code", "cert_code", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    model: str = Field(max_length=16)  # a model id of content/data/learning_models.yaml
    year: int
    name: str = Field(max_length=120)
    province: str | None = Field(default=None, max_length=128)
    commune: str | None = Field(default=None, max_length=128)
    owner_user_id: int = Field(foreign_key="users.id")
    invite_code: str | None = Field(default=None, unique=True, max_length=16)  # None for a personal model
    status: str = Field(default=REGISTERED, max_length=16, index=True)
    return_reason: str | None = Field(default=None, sa_column=Column(Text))
    created_at: dt.datetime = Field(default_factory=utcnow)
    submitted_at: dt.datetime | None = None
    decided_at: dt.datetime | None = None
    decided_by: str | None = Field(default=None, max_length=160)
    recognised_at: dt.datetime | None = None
    reminded_at: dt.datetime | None = None  # told the commune's assessment date is near (once)
    cert_code: str | None = Field(default=None, max_length=16)  # “MH-XXXX-XXXX”, once recognised (unique index)


class LearningUnitMember(SQLModel, table=True):
    __tablename__ = "learning_unit_members"
    __table_args__ = (UniqueConstraint("unit_id", "user_id", name="uq_learning_unit_member"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="learning_units.id", index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    joined_at: dt.datetime = Field(default_factory=utcnow)


class LearningUnitAnswer(SQLModel, table=True):
    """A self-declared criterion: met or not, by whom and when."""

    __tablename__ = "learning_unit_answers"
    __table_args__ = (UniqueConstraint("unit_id", "criterion", name="uq_learning_unit_answer"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="learning_units.id")
    criterion: str = Field(max_length=16)
    met: bool
    answered_by: int | None = Field(default=None, foreign_key="users.id")
    answered_at: dt.datetime = Field(default_factory=utcnow)


class LearningAssessmentDate(SQLModel, table=True):
    """The day a commune assesses the units of a year (set by its officer); units not yet sent are reminded."""

    __tablename__ = "learning_assessment_dates"
    __table_args__ = (UniqueConstraint("year", "province", "commune", name="uq_learning_assessment_date"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int
    province: str = Field(max_length=128)
    commune: str = Field(max_length=128)
    day: dt.date
    set_by: str = Field(default="", max_length=160)
    set_at: dt.datetime = Field(default_factory=utcnow)


class LearningDenominator(SQLModel, table=True):
    """How many households / units a place has for a model in a year (entered by its officer): the rate's
    denominator. `commune` "" is the whole province."""

    __tablename__ = "learning_denominators"
    __table_args__ = (UniqueConstraint("year", "province", "commune", "model", name="uq_learning_denominator"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int
    province: str = Field(max_length=128)
    commune: str = Field(default="", max_length=128)
    model: str = Field(max_length=16)
    count: int
    set_by: str = Field(default="", max_length=160)
    set_at: dt.datetime = Field(default_factory=utcnow)
