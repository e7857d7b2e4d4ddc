"""Initiatives (“sáng kiến”): a short text (and a Telegram photo) about learning or digital transformation, sent by
a citizen or for a learning unit; officers shortlist and praise them (handlers/initiatives/service.py)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from bot.db.models import utcnow

# new → shortlisted (chosen by an officer) → praised (the submitter is told; can be published in a broadcast)
NEW, SHORTLISTED, PRAISED = "new", "shortlisted", "praised"


class Initiative(SQLModel, table=True):
    __tablename__ = "initiatives"
    __table_args__ = (Index("ix_initiatives_place", "province", "commune", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)  # who sent it (deleted with /xoadulieu)
    unit_id: int | None = None  # sent for a learning unit (no foreign key: the unit may be deleted first)
    author: str = Field(default="", max_length=160)  # the name shown: the person's, or the unit's
    province: str | None = Field(default=None, max_length=128)
    commune: str | None = Field(default=None, max_length=128)
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    channel: str = Field(default="", max_length=32)  # where it was sent from
    photo: str | None = Field(default=None, max_length=300)  # Telegram file_id: never downloaded, re-sent by id
    status: str = Field(default=NEW, max_length=16)
    created_at: dt.datetime = Field(default_factory=utcnow)
    decided_at: dt.datetime | None = None
    decided_by: str | None = Field(default=None, max_length=160)
    broadcast_id: int | None = Field(default=None)  # the broadcast that published it
