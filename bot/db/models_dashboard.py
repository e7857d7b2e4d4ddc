"""Dashboard tables: one-time login links (stored hashed) and officer-written FAQ answers awaiting approval."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Column, Index, Text, func
from sqlmodel import Field, SQLModel

from bot.db.models import User, utcnow

# One unit's users (province, commune compared lower-cased, as scheduler/outbox.groups_condition does):
# the dashboard's per-unit numbers start from these rows.
_users: Any = User.__table__  # type: ignore[attr-defined]
USERS_PLACE = Index("ix_users_place_lower", _users.c.province, func.lower(_users.c.commune))


class LoginToken(SQLModel, table=True):
    """A one-time dashboard login link: valid until `expires_at`, consumed once (`used_at`); the session it
    opened lasts until `ended_at` (logout), whatever copies of its cookie exist."""

    __tablename__ = "login_tokens"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)  # sha256 hex of the secret in the link
    channel: str = Field(max_length=32)  # the officer's chat account, resolved again at every request
    external_id: str = Field(max_length=128)
    officer_id: int | None = Field(default=None, index=True)
    created_by: str = Field(default="", max_length=160)
    created_at: dt.datetime = Field(default_factory=utcnow)
    expires_at: dt.datetime = Field(index=True)
    used_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None


class FaqProposal(SQLModel, table=True):
    """An answer an officer wrote for unanswered questions; an admin approves it into the FAQ."""

    __tablename__ = "faq_proposals"

    id: int | None = Field(default=None, primary_key=True)
    question: str = Field(sa_column=Column(Text, nullable=False))
    answer: str = Field(sa_column=Column(Text, nullable=False))
    unanswered_ids: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # JSON list of ids
    proposed_by: str = Field(max_length=160)
    status: str = Field(default="pending", max_length=16, index=True)  # pending | approved | rejected
    faq_id: str | None = Field(default=None, max_length=64)  # the FAQ entry id once approved
    # where the answer is served: a commune (province and commune), a province (commune None), or everyone (both
    # None). Proposed for the writer's unit; an admin may widen it when approving (handlers/answers/store.py).
    scope_province: str | None = Field(default=None, max_length=128)
    scope_commune: str | None = Field(default=None, max_length=128)
    decided_by: str | None = Field(default=None, max_length=160)
    created_at: dt.datetime = Field(default_factory=utcnow)
    decided_at: dt.datetime | None = None


class UnitCount(SQLModel, table=True):
    """One dashboard number of one unit, as of the last refresh (bot/web/dashboard/summary.py): a place bucket
    (`province`, `commune`: the people living there) or a named group (`group_id`: its members). The whole table
    is replaced by each refresh; views add buckets up instead of counting a million rows."""

    __tablename__ = "unit_counts"

    id: int | None = Field(default=None, primary_key=True)
    province: str | None = Field(default=None, index=True)
    commune: str | None = None
    group_id: int | None = Field(default=None, index=True)
    metric: str = Field(max_length=80)  # "subscribers", "active", ..., "new:<week>", "module:<id>"
    value: int = 0


class UnitCountsRun(SQLModel, table=True):
    """When unit_counts were last computed (one row, id 1), and the week their weekly numbers belong to."""

    __tablename__ = "unit_counts_runs"

    id: int | None = Field(default=None, primary_key=True)
    computed_at: dt.datetime | None = None
    week_start: dt.datetime | None = None  # this week's Monday 00:00 local time (in UTC)
    took_ms: int = 0
