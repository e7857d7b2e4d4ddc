"""Core tables: users and their channel identities, inbound dedupe, groups, audit log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> dt.datetime:
    """Aware UTC timestamp (sqlmodel stores aware datetimes and returns them in UTC)."""
    return dt.datetime.now(dt.UTC)


class User(SQLModel, table=True):
    """One person, whatever channels they use."""

    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    display_name: str = ""
    created_at: dt.datetime = Field(default_factory=utcnow, index=True)
    last_active_at: dt.datetime = Field(default_factory=utcnow, index=True)
    consent_at: dt.datetime | None = None
    consent_version: str | None = None
    province: str | None = Field(default=None, index=True)
    commune: str | None = Field(default=None, index=True)
    subscribed: bool = True  # broadcasts and reminders
    reminders_paused: bool = False
    show_name: bool = False  # leaderboard
    deleted_at: dt.datetime | None = None
    state: str | None = None  # what free text means next (e.g. "ask_commune")
    state_data: str | None = Field(default=None, sa_column=Column(Text))  # JSON
    pending: str | None = Field(default=None, sa_column=Column(Text))  # JSON list of [label, data]


class Identity(SQLModel, table=True):
    """A user's account on one channel; `active` is False once they block the bot."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_identity_channel_ext"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    channel: str = Field(max_length=32)
    external_id: str = Field(max_length=128)
    chat_id: str = Field(max_length=128)
    active: bool = True
    reachable_free: bool = True  # Zalo OA: inside the free interaction window
    created_at: dt.datetime = Field(default_factory=utcnow)
    last_seen_at: dt.datetime = Field(default_factory=utcnow)


class InboundEvent(SQLModel, table=True):
    """Every inbound platform event recorded once: a repeated delivery is ignored."""

    __tablename__ = "inbound_events"
    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_inbound_channel_ext"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    external_id: str = Field(max_length=128)
    user_key: str = Field(default="", max_length=128)
    kind: str = Field(default="text", max_length=32)
    received_at: dt.datetime = Field(default_factory=utcnow, index=True)


class Group(SQLModel, table=True):
    """A subscriber group: by locality, by join code, or by interest."""

    __tablename__ = "groups"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True, max_length=128)
    title: str = ""
    kind: str = Field(default="code", max_length=16)  # locality | code | interest
    province: str | None = Field(default=None, index=True)
    commune: str | None = Field(default=None, index=True)
    join_code: str | None = Field(default=None, unique=True, max_length=64)
    created_at: dt.datetime = Field(default_factory=utcnow)


class Membership(SQLModel, table=True):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "group_id", name="uq_membership"),
        Index("ix_membership_group_user", "group_id", "user_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    group_id: int = Field(foreign_key="groups.id")
    joined_at: dt.datetime = Field(default_factory=utcnow)


class AuditLog(SQLModel, table=True):
    """Who did what: officer actions, refusals outside scope, admin changes."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=160)  # "telegram:123", "cli", "web:officer:4"
    action: str = Field(max_length=64)
    detail: str = Field(default="", sa_column=Column(Text))
    allowed: bool = True
