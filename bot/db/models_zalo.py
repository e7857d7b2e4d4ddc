"""Zalo tables: the OA token pair (one row per app) and short link codes for /lienket."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from bot.db.models import utcnow


class ZaloToken(SQLModel, table=True):
    """The current Zalo OA access/refresh pair; replaced only by compare-and-swap on `refresh_token`."""

    __tablename__ = "zalo_tokens"

    app_id: str = Field(primary_key=True, max_length=64)
    access_token: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    refresh_token: str = Field(sa_column=Column(Text, nullable=False))
    expires_at: dt.datetime | None = None  # when the access token expires
    updated_at: dt.datetime = Field(default_factory=utcnow)


class LinkCode(SQLModel, table=True):
    """A one-time code that links another channel's account to `user_id` (valid a few minutes)."""

    __tablename__ = "link_codes"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=16)
    user_id: int = Field(foreign_key="users.id", index=True)
    channel: str = Field(max_length=32)
    created_at: dt.datetime = Field(default_factory=utcnow)
    expires_at: dt.datetime = Field(index=True)
