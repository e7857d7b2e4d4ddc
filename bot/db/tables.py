"""Imports every table module so SQLModel.metadata is complete (Alembic and tests rely on it)."""

from sqlmodel import SQLModel

from bot.db import models  # noqa: F401

metadata = SQLModel.metadata
