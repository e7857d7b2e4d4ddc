"""The web chat's inbox: messages pushed to a web session (broadcasts, reminders, reports), kept until the page
fetches them — the web chat cannot be reached between visits, so the page polls while open and on return."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from bot.db.models import utcnow


class WebInbox(SQLModel, table=True):
    """One pushed message for one web session (`chat_id` = the session), as the page renders it (JSON)."""

    __tablename__ = "web_inbox"
    __table_args__ = (Index("ix_web_inbox_chat_id_id", "chat_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: str = Field(max_length=128)
    created_at: dt.datetime = Field(default_factory=utcnow, index=True)
    payload: str = Field(sa_column=Column(Text, nullable=False))
