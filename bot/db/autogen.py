"""Developer tool: `python -m bot.db.autogen "message"` writes a new Alembic revision for model changes."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from alembic import command

from bot.db.engine import Database
from bot.db.migrate import alembic_config, upgrade


async def _autogen(message: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'autogen.db'}"
        db = Database(url)
        await upgrade(db)

        def _rev(conn: object) -> None:
            cfg = alembic_config(url)
            cfg.attributes["connection"] = conn
            command.revision(cfg, message=message, autogenerate=True)

        async with db.engine.begin() as conn:
            await conn.run_sync(_rev)
        await db.dispose()


if __name__ == "__main__":
    asyncio.run(_autogen(" ".join(sys.argv[1:]) or "schema change"))
