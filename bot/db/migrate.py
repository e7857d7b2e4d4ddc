"""Apply Alembic migrations programmatically (at start-up and by `hocbot db upgrade`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection

from bot.db.engine import Database

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


async def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the schema to `revision` on the given database (StartupError, one line, if it does not answer)."""
    from bot.startup import check_database

    await check_database(db)

    def _run(conn: Connection) -> None:
        cfg = alembic_config(db.url)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)

    async with db.engine.begin() as conn:
        if db.is_postgres:
            # Several workers may start at once: serialise migrations with an advisory lock.
            from sqlalchemy import text

            await conn.execute(text("SELECT pg_advisory_xact_lock(727001)"))
        await conn.run_sync(_run)
