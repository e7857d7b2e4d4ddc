"""Apply Alembic migrations programmatically (at start-up and by `hocbot db upgrade`)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection

from bot.db.engine import Database

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
_REVISION = re.compile(r"^revision\s*(?::[^=]*)?=\s*['\"]([\w-]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]*)?=\s*(.*)$", re.MULTILINE)
_QUOTED = re.compile(r"['\"]([\w-]+)['\"]")


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


async def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the schema to `revision` on the given database (StartupError, one line, if it does not answer)."""
    from bot.startup import check_database

    await check_database(db)
    if revision == "head" and await at_head(db):
        return  # the usual start-up: nothing to do, and Alembic (a large import) is not loaded

    def _run(conn: Connection) -> None:
        from alembic import command

        cfg = alembic_config(db.url)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)

    async with db.engine.begin() as conn:
        if db.is_postgres:
            # Several workers may start at once: serialise migrations with an advisory lock.
            from sqlalchemy import text

            await conn.execute(text("SELECT pg_advisory_xact_lock(727001)"))
        await conn.run_sync(_run)


@cache
def script_heads() -> frozenset[str] | None:
    """The head revision(s) of bot/db/migrations/versions, read from the files' `revision`/`down_revision`
    lines without importing Alembic; None when a file does not read plainly (Alembic then decides)."""
    revisions: set[str] = set()
    downs: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        if path.name == "__init__.py":
            continue
        source = path.read_text(encoding="utf-8")
        found, down = _REVISION.findall(source), _DOWN.findall(source)
        if len(found) != 1 or len(down) != 1:
            return None
        revisions.add(found[0])
        downs.update(_QUOTED.findall(down[0]))
    heads = frozenset(revisions - downs)
    return heads or None


async def at_head(db: Database) -> bool:
    """The database's alembic_version names exactly the migrations' head(s): nothing to upgrade."""
    heads = script_heads()
    if heads is None:
        return False
    try:
        async with db.engine.connect() as conn:
            current = {row[0] for row in await conn.execute(text("SELECT version_num FROM alembic_version"))}
    except Exception:  # no table yet (a new database): Alembic creates everything
        return False
    return current == heads
