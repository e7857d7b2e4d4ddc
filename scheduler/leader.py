"""Scheduler leadership: on PostgreSQL exactly one worker holds an advisory lock and runs campaigns.

The lock is a session-level `pg_try_advisory_lock` taken on a dedicated connection that stays checked out
while this worker leads. If the worker dies its connection closes, PostgreSQL releases the lock, and the
next periodic `ensure()` of another worker takes over. SQLite has one writer machine: always the leader.
"""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.db.engine import Database

log = logging.getLogger(__name__)

SCHEDULER_LOCK_KEY = 727_002  # 727_001 serialises migrations (bot/db/migrate.py)


class Leader:
    """`await leader.ensure()` → True while this worker may run the scheduler."""

    def __init__(self, db: Database, key: int = SCHEDULER_LOCK_KEY) -> None:
        self.db = db
        self.key = key
        self._conn: AsyncConnection | None = None

    @property
    def is_leader(self) -> bool:
        return not self.db.is_postgres or self._conn is not None

    async def ensure(self) -> bool:
        """Keep or try to take the lock; a broken held connection means leadership is lost."""
        if not self.db.is_postgres:
            return True
        if self._conn is not None:
            if await self._alive(self._conn):
                return True
            log.warning("scheduler lock connection lost; no longer the leader")
            await self._drop()
        return await self._try_acquire()

    async def _try_acquire(self) -> bool:
        conn = await self.db.engine.connect()
        try:
            got = (await conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key})).scalar()
            await conn.commit()  # session-level lock survives; don't sit idle in a transaction
        except Exception:
            await conn.close()
            raise
        if got:
            self._conn = conn
            log.info("this worker now runs the campaign scheduler")
            return True
        await conn.close()
        return False

    async def _alive(self, conn: AsyncConnection) -> bool:
        try:
            await conn.execute(text("SELECT 1"))
            await conn.commit()
            return True
        except Exception:
            return False

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            await self._drop_conn(conn)

    @staticmethod
    async def _drop_conn(conn: AsyncConnection) -> None:
        try:
            await conn.invalidate()
        except Exception:  # already broken: nothing to release
            log.debug("closing a broken lock connection failed", exc_info=True)

    async def release(self) -> None:
        """Give the lock back (on shutdown) so another worker takes over at once."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            await conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
            await conn.commit()
        except Exception:  # the connection died (database restarted): the lock went with it
            log.info("scheduler lock connection already gone at shutdown")
            await self._drop_conn(conn)
            return
        await conn.close()
