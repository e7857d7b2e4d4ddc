"""Campaign tables: reminders, each fire recorded once, the per-day send log, nudges, Week events."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.db.models import utcnow


class CampaignKind(StrEnum):
    ONCE = "once"  # at a date and time
    CRON = "cron"  # on a cron schedule (local time)
    WEEK = "week"  # N days from the Week's first day
    JOINED = "joined"  # N days after a subscriber agreed
    INACTIVE = "inactive"  # after N days without activity


class FireStatus(StrEnum):
    SENT = "sent"
    SKIPPED = "skipped"


class Campaign(SQLModel, table=True):
    """A reminder to subscriber groups on a schedule (once, cron, Week-relative, per-subscriber)."""

    __tablename__ = "campaigns"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=160)
    groups: str = Field(default='"all"', sa_column=Column(Text, nullable=False))  # audience.dump_groups: JSON
    text: str = Field(sa_column=Column(Text, nullable=False))
    button: str | None = Field(default=None, max_length=64)  # "module:m1" | "lesson:m1:0" | "quiz:m1"
    button_label: str | None = Field(default=None, max_length=64)
    kind: str = Field(max_length=16)  # CampaignKind
    at: dt.datetime | None = None  # once
    cron: str | None = Field(default=None, max_length=120)  # cron: "m h dom mon dow" (local time)
    offset_days: int = 0  # week: days from 1 October; joined/inactive: days after
    hour: int = 8
    minute: int = 0
    year: int | None = None  # week: only this year's Week
    paused: bool = Field(default=False, index=True)
    created_by: str = Field(default="cli", max_length=160)
    created_at: dt.datetime = Field(default_factory=utcnow)


class CampaignFire(SQLModel, table=True):
    """One fire of one campaign, inserted once: the unique key is what makes a fire happen only once."""

    __tablename__ = "campaign_fires"
    __table_args__ = (UniqueConstraint("campaign_id", "fire_time", name="uq_campaign_fire"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", index=True)
    fire_time: dt.datetime  # the scheduled time (aware UTC), before any quiet-hours deferral
    done_at: dt.datetime = Field(default_factory=utcnow)
    status: str = Field(max_length=16)  # FireStatus
    reason: str = Field(default="", max_length=200)
    broadcast_id: int | None = None
    queued: int = 0
    skipped: int = 0
    skip_reasons: str = Field(default="{}", sa_column=Column(Text, nullable=False))  # JSON {reason: count}


class CampaignSend(SQLModel, table=True):
    """A campaign message queued for a subscriber on a local day: the daily cap counts these rows."""

    __tablename__ = "campaign_sends"
    __table_args__ = (
        UniqueConstraint("user_id", "local_date", "campaign_id", name="uq_campaign_send"),
        Index("ix_campaign_send_date_user", "local_date", "user_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    local_date: dt.date
    campaign_id: int  # 0 = a learner nudge (no campaign row)
    fire_id: int | None = None
    at: dt.datetime = Field(default_factory=utcnow)


class NudgeState(SQLModel, table=True):
    """How far the “continue where you left off” back-off has gone for one learner and module."""

    __tablename__ = "nudge_states"
    __table_args__ = (UniqueConstraint("user_id", "module_id", name="uq_nudge_user_module"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    module_id: str = Field(max_length=32)
    step: int = 0  # nudges sent since the learner was last active: 0..3
    last_sent_at: dt.datetime | None = None


class WeekEvent(SQLModel, table=True):
    """A local event of the lifelong-learning Week, added by an officer."""

    __tablename__ = "week_events"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=300)
    date: dt.date = Field(index=True)
    place: str = Field(default="", max_length=300)
    province: str | None = Field(default=None, index=True, max_length=120)
    commune: str | None = Field(default=None, max_length=120)
    group_name: str | None = Field(default=None, max_length=128)
    created_by: str = Field(default="cli", max_length=160)
    created_at: dt.datetime = Field(default_factory=utcnow)


class WeekOverride(SQLModel, table=True):
    """This deployment's dates and theme for one year's Week, set by an officer (CLI or dashboard, audited):
    it wins over content/data/week.yaml for that year, so the coming year needs no YAML edit."""

    __tablename__ = "week_overrides"

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(unique=True, index=True)
    start: dt.date
    end: dt.date
    theme: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    updated_by: str = Field(default="cli", max_length=160)
    updated_at: dt.datetime = Field(default_factory=utcnow)
