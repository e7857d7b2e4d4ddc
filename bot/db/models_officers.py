"""Officers and their scopes; broadcasts and the delivery outbox (one row per recipient)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.db.models import utcnow


class DeliveryState(StrEnum):
    """A Delivery's state. "queued" and "sending" are open; the others are final. "blocked": the person blocked the
    bot; "gone": the account was deleted / no longer exists (handlers/officers/reasons.py tells them apart)."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    BLOCKED = "blocked"
    GONE = "gone"
    UNREACHABLE = "unreachable"
    SKIPPED = "skipped"


class BroadcastStatus(StrEnum):
    """A Broadcast's status: draft (not confirmed) → queued → sending → done; or cancelled."""

    DRAFT = "draft"
    QUEUED = "queued"
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


OPEN_STATUSES = (BroadcastStatus.QUEUED, BroadcastStatus.SENDING)  # a broadcast whose deliveries are not all final
QUEUED, SENDING, SENT, FAILED, BLOCKED, GONE, UNREACHABLE, SKIPPED = DeliveryState
OPEN_STATES = (QUEUED, SENDING)
FINAL_STATES = (SENT, FAILED, BLOCKED, GONE, UNREACHABLE, SKIPPED)
STATES = (*OPEN_STATES, *FINAL_STATES)


class Officer(SQLModel, table=True):
    """An officer or admin, known by a channel account (channel + external_id) and/or a user id."""

    __tablename__ = "officers"
    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_officer_channel_ext"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str | None = Field(default=None, max_length=32)
    external_id: str | None = Field(default=None, max_length=128)
    user_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    role: str = Field(default="officer", max_length=16)  # admin | officer
    name: str = Field(default="", max_length=160)
    created_at: dt.datetime = Field(default_factory=utcnow)


class OfficerScope(SQLModel, table=True):
    """One unit an officer may address: a province, a commune ("Xã A, Tỉnh B") or a named group."""

    __tablename__ = "officer_scopes"

    id: int | None = Field(default=None, primary_key=True)
    officer_id: int = Field(foreign_key="officers.id", index=True)
    kind: str = Field(max_length=16)  # province | commune | group
    value: str = Field(max_length=200)  # province name; "commune|province"; group name


class Broadcast(SQLModel, table=True):
    """One announcement (or one campaign firing) to a set of groups; deliveries hang off it."""

    __tablename__ = "broadcasts"

    id: int | None = Field(default=None, primary_key=True)
    created_by: str = Field(default="cli", max_length=160)  # actor, e.g. "telegram:123" or "cli"
    officer_id: int | None = Field(default=None, index=True)
    report_channel: str | None = Field(default=None, max_length=32)  # where the final report goes
    report_chat_id: str | None = Field(default=None, max_length=128)
    text: str = Field(default="", sa_column=Column(Text))
    photo: str | None = Field(default=None, max_length=1000)
    button_data: str | None = Field(default=None, max_length=64)
    button_label: str | None = Field(default=None, max_length=120)
    group_ids: str = Field(default="[]", sa_column=Column(Text))  # audience.dump_groups: JSON "all" or sorted ids
    kind: str = Field(default="broadcast", max_length=16)  # broadcast | campaign
    campaign_id: int | None = Field(default=None, index=True)
    status: str = Field(default=BroadcastStatus.DRAFT, max_length=16, index=True)  # BroadcastStatus
    recipients: int = 0
    created_at: dt.datetime = Field(default_factory=utcnow, index=True)
    finished_at: dt.datetime | None = None
    report_sent: bool = False
    final_counts: str | None = Field(default=None, sa_column=Column(Text))  # JSON {state: n} once finished


class Delivery(SQLModel, table=True):
    """One message to one recipient on one channel, with its state; the pacer drains these."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("broadcast_id", "user_id", "channel", name="uq_delivery_recipient"),
        Index("ix_delivery_state_next", "state", "next_attempt_at"),
        Index("ix_delivery_broadcast_state", "broadcast_id", "state"),
        Index("ix_delivery_broadcast_id", "broadcast_id", "id"),  # the dashboard's report pages, in queue order
    )

    id: int | None = Field(default=None, primary_key=True)
    broadcast_id: int = Field(foreign_key="broadcasts.id")
    user_id: int = Field(index=True)
    channel: str = Field(max_length=32)
    chat_id: str = Field(max_length=128)
    state: str = Field(default=QUEUED, max_length=16)
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=300)
    next_attempt_at: dt.datetime = Field(default_factory=utcnow)
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_at: dt.datetime | None = None
    sent_at: dt.datetime | None = None
