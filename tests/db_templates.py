"""Test databases: empty ones, and copies of one database migrated once per run (per xdist worker).

Running the 27 Alembic migrations costs about a quarter of a second on SQLite and more on PostgreSQL; most tests
only need a database at the head, so they get a copy: a file copy on SQLite, `CREATE DATABASE … TEMPLATE` on
PostgreSQL. Tests of the migrations themselves still start from an empty database (`empty_db_url`)."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.db.engine import Database
from bot.db.migrate import upgrade


def pg_admin(admin_url: str, sql: str) -> None:
    """Runs one statement (CREATE/DROP DATABASE) on the server's own database."""
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(admin_url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run())


def pg_url(admin_url: str, name: str) -> str:
    return admin_url.rsplit("/", 1)[0] + "/" + name


def new_pg_name() -> str:
    return f"hocbot_t_{uuid.uuid4().hex[:12]}"


@contextmanager
def empty_database(backend: str, folder: Path, admin_url: str | None) -> Iterator[str]:
    """An empty database: a SQLite file in `folder`, or a PostgreSQL database created now and dropped after."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{folder / 'hocbot.db'}"
        return
    assert admin_url is not None
    name = new_pg_name()
    pg_admin(admin_url, f'CREATE DATABASE "{name}"')
    try:
        yield pg_url(admin_url, name)
    finally:
        pg_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _migrate(url: str) -> None:
    db = Database(url)
    try:
        await upgrade(db)
    finally:
        await db.dispose()


class SchemaTemplates:
    """One database per backend migrated to the head on first use; `copy` gives each test its own copy."""

    def __init__(self, folder: Path, admin_url: str | None) -> None:
        self.folder = folder
        self.admin_url = admin_url
        self._sqlite: Path | None = None
        self._pg: str | None = None

    def _sqlite_template(self) -> Path:
        if self._sqlite is None:
            path = self.folder / "template.db"
            asyncio.run(_migrate(f"sqlite+aiosqlite:///{path}"))
            with sqlite3.connect(path) as conn:  # everything in the main file, so a plain copy is complete
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.close()
            self._sqlite = path
        return self._sqlite

    def _pg_template(self) -> str:
        if self._pg is None:
            assert self.admin_url is not None
            name = new_pg_name()
            pg_admin(self.admin_url, f'CREATE DATABASE "{name}"')
            self._pg = name  # dropped by close() even if the migration fails
            asyncio.run(_migrate(pg_url(self.admin_url, name)))
        return self._pg

    @contextmanager
    def copy(self, backend: str, folder: Path) -> Iterator[str]:
        """A new database at the head: a copy of the template, dropped after (PostgreSQL)."""
        if backend == "sqlite":
            path = folder / "hocbot.db"
            shutil.copyfile(self._sqlite_template(), path)
            yield f"sqlite+aiosqlite:///{path}"
            return
        assert self.admin_url is not None
        template = self._pg_template()
        name = new_pg_name()
        pg_admin(self.admin_url, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        try:
            yield pg_url(self.admin_url, name)
        finally:
            pg_admin(self.admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        if self._pg is not None and self.admin_url is not None:
            pg_admin(self.admin_url, f'DROP DATABASE IF EXISTS "{self._pg}" WITH (FORCE)')
