"""Alembic environment: runs on the connection hocbot hands over (or the configured URL)."""

from __future__ import annotations

import asyncio
import warnings

from alembic import context
from sqlalchemy import exc, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from bot.db.tables import metadata

config = context.config

# SQLite cannot reflect the expression index on users (lower(commune)); a batch table rebuild that reflects users
# would print SQLAlchemy's warning to the officer running the CLI. The index is created and kept by migrations.
warnings.filterwarnings(
    "ignore", message="Skipped unsupported reflection of expression-based index", category=exc.SAWarning
)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    engine = create_async_engine(config.get_main_option("sqlalchemy.url") or "", poolclass=pool.NullPool)
    async with engine.begin() as conn:
        await conn.run_sync(_run)
    await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
    else:
        asyncio.run(_run_async())


run_migrations_online()
