"""Async engine and sessions; SQLite gets WAL and a busy timeout so several tasks can write."""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db import hot
from bot.db.sqlite_onehop import BUSY_TIMEOUT, OneHopConnection, onehop_url


class Database:
    """Owns the engine; `session()` gives a unit of work that commits on success."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            # check_same_thread: a statement marked inline() runs on the event loop's thread (bot/db/sqlite_onehop.py);
            # each connection is still used by one unit of work at a time
            kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT, "check_same_thread": False}
        else:
            # as many pooled connections as `hocbot run` handles updates at once (16) and a few for its background
            # work: with 10, each burst opened and closed overflow connections (a connection costs ~2 ms of CPU to
            # open and its statements are prepared again on it). At most 30 at once, as before.
            kwargs.update(pool_size=20, max_overflow=10)
        self.engine: AsyncEngine = create_async_engine(onehop_url(url), **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        else:
            _ping_when_idle(self.engine)
        self._maker = async_sessionmaker(self.engine, class_=AsyncSession, expire_on_commit=False)
        # SQLite has one writer: queue units of work here instead of letting SQLite's busy handler
        # sleep-poll (which caps throughput at a few hundred per second). Re-entrant per task.
        self._write_lock = asyncio.Lock() if self.is_sqlite else None
        self._holder: contextvars.ContextVar[bool] = contextvars.ContextVar(f"db-{id(self)}", default=False)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @property
    def is_postgres(self) -> bool:
        return self.url.startswith("postgresql")

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        lock = self._write_lock
        if lock is None or self._holder.get():
            async with self._unit_of_work() as session:
                yield session
            return
        async with lock:
            token = self._holder.set(True)
            try:
                async with self._unit_of_work() as session:
                    yield session
            finally:
                self._holder.reset(token)

    @asynccontextmanager
    async def read_session(self) -> AsyncIterator[AsyncSession]:
        """A session for SELECTs only (dashboard numbers, report downloads): never takes the SQLite write lock,
        so a long read does not hold up writers (WAL readers see a snapshot). Callers must not write: nothing
        is written (the commit only ends the read transaction, keeping loaded objects usable). On PostgreSQL it
        is an ordinary session."""
        async with self._unit_of_work() as session:
            yield session

    @asynccontextmanager
    async def _unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """A session that commits when the block ends normally and rolls back otherwise."""
        session = self._maker()
        try:
            yield session
            if not await hot.commit(session):  # PostgreSQL's hot path commits without SQLAlchemy's greenlet
                await session.commit()
        except BaseException:
            await session.rollback()
            raise
        finally:
            if session.in_transaction():  # as AsyncSession's `async with` ends: a close that a cancel cannot cut
                await asyncio.shield(asyncio.create_task(session.close()))
            else:  # committed or rolled back: closing only lets go of its objects (no statement, no await needed)
                session.sync_session.close()

    async def dispose(self) -> None:
        await self.engine.dispose()


IDLE_PING = 5.0  # seconds: a pooled connection unused this long is pinged before use


def _ping_when_idle(engine: AsyncEngine) -> None:
    """A pooled connection that sat unused for IDLE_PING seconds is pinged before it is handed out, and replaced
    when the server no longer answers it (a restarted or failed-over server): what `pool_pre_ping` does, without
    its three round trips (begin, ping, rollback) on every unit of work while the bot is busy, when connections
    are handed out again within milliseconds. A connection that breaks between two busy uses fails its
    statement instead; the dispatcher tries the event again (BUSY_RETRIES) on a new connection."""
    pool = engine.sync_engine.pool
    dialect = engine.sync_engine.dialect

    @event.listens_for(pool, "checkin")
    def _idle_since(_dbapi_conn: Any, record: Any) -> None:
        if record is not None:
            record.info["idle_since"] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _ping(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < IDLE_PING:
            return
        try:
            dialect.do_ping(dbapi_conn)
        except Exception as exc:
            raise DisconnectionError("stale pooled connection") from exc


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()
    if isinstance(dbapi_conn, OneHopConnection):
        dbapi_conn.commit_on_loop()
