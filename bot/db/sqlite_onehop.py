"""SQLite through aiosqlite with ONE thread hand-off per statement.

SQLAlchemy's aiosqlite adapter opens a cursor, executes, fetches and closes it as four separate trips to
aiosqlite's worker thread; each trip wakes that thread and hands the GIL back and forth, which was the largest
single cost of an inbound message (≈50 trips per update). This dialect does the four steps in one trip and keeps
what SQLAlchemy reads afterwards (rows, description, rowcount, lastrowid). Everything else (connect, commit,
rollback, close) is SQLAlchemy's own aiosqlite code: a rollback with no transaction open still makes its trip,
because sqlite3 resets every statement left open there (skipping it let a read lock outlive its unit of work).
`Database` uses it for every `sqlite+aiosqlite` URL.

A statement marked `inline()` (the small indexed reads and writes of the inbound hot path) runs on the event
loop's own thread, no trip at all, when its connection is already inside a write transaction: the unit of work's
first write went through the thread and took SQLite's write lock there (a wait for another process's lock, up
to the busy timeout, happens only on that thread), and with the lock held a statement cannot wait for a lock (WAL:
readers never block, and the writer is us). A trip cost about as much CPU as the statement itself: 7.5 trips per
lesson step became 2, then none (below).

The unit of work's first write, when marked, is tried on the loop too, with SQLite's busy timeout at 0 for that one
statement: when the write lock is free (another process rarely writes) it is taken at once, no trip; when it is
taken, the statement fails at once without having changed anything, the transaction it began is rolled back and
the statement goes through the thread, which waits for the lock as before. The pool's rollback when it takes a
connection back runs on the loop when no transaction is open (the same sqlite3 call, which only resets the
statements left open; it never waits). In WAL mode the commit runs on the loop too (it never waits for a lock:
the transaction holds the write lock, and readers do not block a WAL commit); the one slow thing a commit could do,
SQLite's automatic checkpoint when the WAL fills, is turned off on these connections and done by `Checkpoints` on a
thread of its own instead. A lesson step makes no trip.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections import deque
from typing import Any, TypeVar

from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
    SQLiteDialect_aiosqlite,
)
from sqlalchemy.util import EMPTY_DICT

NAME = "sqlite.aiosqlite_onehop"
INLINE = "hocbot_sqlite_inline"  # the execution option `inline()` sets
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC")  # statements that take the write lock
BUSY_TIMEOUT = 30.0  # seconds a write waits for another process's lock (on aiosqlite's thread)
CHECKPOINT_EVERY = 200  # commits between two WAL checkpoints (SQLite's own default: every 1,000 pages written)
S = TypeVar("S")
log = logging.getLogger(__name__)


def inline(statement: S) -> S:
    """Mark a small statement (a few rows by index) to run without a thread trip inside a SQLite write
    transaction (see above); other databases ignore the mark."""
    return statement.execution_options(**{INLINE: True})  # type: ignore[attr-defined, no-any-return]


def _run(raw: Any, operation: Any, parameters: Any) -> tuple[Any, int, int | None, list[Any] | None]:
    """Execute and fetch everything on a fresh sqlite3 cursor, then close it."""
    cur = raw.cursor()
    try:
        cur.execute(operation) if parameters is None else cur.execute(operation, parameters)
        rows = cur.fetchall() if cur.description else None
        return cur.description, cur.rowcount, cur.lastrowid, rows
    finally:
        cur.close()


def _is_write(operation: str) -> bool:
    return operation.lstrip()[:6].upper() in _WRITES


class _Done:
    """What a finished statement left for SQLAlchemy to read (the sqlite3 cursor itself is already closed)."""

    __slots__ = ("arraysize", "description", "lastrowid", "rowcount")

    def __init__(self, description: Any = None, rowcount: int = -1, lastrowid: int | None = None) -> None:
        self.description, self.rowcount, self.lastrowid = description, rowcount, lastrowid
        self.arraysize = 1

    async def close(self) -> None:
        return None


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ("inline",)

    def __init__(self, adapt_connection: Any) -> None:  # no cursor trip here: execute opens its own
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = _Done()  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = deque()
        self.inline = False  # set by OneHopDialect.do_execute for a statement marked inline()

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        marked, self.inline = self.inline, False
        raw = self._connection._conn  # the sqlite3 connection
        conn: OneHopConnection = self._adapt_connection  # type: ignore[assignment]
        async with conn._execute_mutex:
            done = conn.run_inline(operation, parameters) if marked else None
            if done is not None:  # no trip: see the module's docstring
                description, rowcount, lastrowid, rows = done
            else:
                description, rowcount, lastrowid, rows = await self._connection._execute(
                    _run, raw, operation, parameters
                )
                if raw.in_transaction and _is_write(operation):
                    conn.writing = True  # this transaction holds SQLite's write lock until it ends
        self._done(description, rowcount, lastrowid, rows)
        return self

    def _done(self, description: Any, rowcount: int, lastrowid: int | None, rows: list[Any] | None) -> None:
        self._cursor = _Done(description, rowcount, lastrowid)  # type: ignore[assignment]
        self._rows = deque(rows or ())

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        raw = self._connection._conn

        def run() -> tuple[int, int | None]:
            cur = raw.cursor()
            try:
                cur.executemany(operation, seq_of_parameters)
                return cur.rowcount, cur.lastrowid
            finally:
                cur.close()

        async with self._adapt_connection._execute_mutex:
            rowcount, lastrowid = await self._connection._execute(run)
        self._cursor = _Done(None, rowcount, lastrowid)  # type: ignore[assignment]
        return self

    def close(self) -> None:
        self._rows.clear()


class Checkpoints:
    """The WAL's checkpoints, off the event loop: every CHECKPOINT_EVERY commits of the database's connections, a
    PASSIVE checkpoint (it never waits for a lock and holds up neither readers nor the writer) runs on a worker
    thread, on a connection of its own; one at a time."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.commits = 0
        self.running = False

    def committed(self) -> None:
        self.commits += 1
        if self.commits < CHECKPOINT_EVERY or self.running:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop: the next commit on one tries again
        self.commits, self.running = 0, True
        loop.run_in_executor(None, self._checkpoint)

    def _checkpoint(self) -> None:
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT)
            try:
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            finally:
                conn.close()
        except Exception:
            log.warning("WAL checkpoint of %s failed; tried again after %d commits", self.path, CHECKPOINT_EVERY,
                        exc_info=True)  # fmt: skip
        finally:
            self.running = False


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    """Tracks whether the open transaction holds the write lock (`writing`, for inline()). The rollback is always
    made, on the loop when no transaction is open: sqlite3 then still resets the statements left open, and skipping
    it (the pool rolls back every connection it takes back) let a read lock outlive its unit of work: another
    program then waited the whole busy timeout for the database (tests/test_ops_health.py)."""

    __slots__ = ("checkpoints", "writing")
    _cursor_cls = OneHopCursor

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self.writing = False  # a write of the open transaction went through the thread (it holds the lock)
        self.checkpoints: Checkpoints | None = None  # set by commit_on_loop(): commits run on the loop

    def commit_on_loop(self) -> None:
        """Commit on the event loop from now on, with the WAL checkpointed by `Checkpoints` (called when the
        connection is opened, before anything else uses it; a database not in WAL mode keeps its commit trips)."""
        raw = self._connection._connection
        if raw is None or raw.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            return
        path = next((row[2] for row in raw.execute("PRAGMA database_list") if row[1] == "main"), "")
        if not path:
            return
        raw.execute("PRAGMA wal_autocheckpoint=0")
        self.checkpoints = self.dbapi.checkpoints(path)

    def run_inline(self, operation: Any, parameters: Any) -> tuple[Any, int, int | None, list[Any] | None] | None:
        """Run a small statement on the event loop's thread where that cannot wait for a lock: inside the
        transaction holding the write lock, or as its first write when the lock is free at once. None: it must go
        through the thread (the caller holds `_execute_mutex` or knows the connection is otherwise idle)."""
        raw = self._connection._connection
        if raw is None:
            return None
        if self.writing and raw.in_transaction:
            return _run(raw, operation, parameters)
        if raw.in_transaction or not _is_write(operation):
            return None
        raw.execute("PRAGMA busy_timeout=0")
        try:
            done = _run(raw, operation, parameters)
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorcode", 0) & 0xFF != sqlite3.SQLITE_BUSY:
                raise
            raw.rollback()  # the failed statement changed nothing; its transaction ends before the thread's try
            return None
        finally:
            raw.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
        self.writing = True
        return done

    def rollback(self) -> None:
        self.writing = False
        raw = self._connection._connection
        if raw is not None and not raw.in_transaction and not self._execute_mutex.locked():
            try:
                raw.rollback()  # nothing to undo: sqlite3 only resets the statements left open (see the docstring)
            except Exception as error:
                self._handle_exception(error)
            return
        super().rollback()

    def commit(self) -> None:
        self.writing = False
        raw = self._connection._connection
        if self.checkpoints is None or raw is None or self._execute_mutex.locked():
            super().commit()
            return
        wrote = raw.in_transaction
        try:
            raw.commit()
        except Exception as error:
            self._handle_exception(error)
        if wrote:
            self.checkpoints.committed()

    async def _terminate_graceful_close(self) -> None:
        """Close a connection SQLAlchemy throws away (a unit of work cancelled mid-statement) with aiosqlite's
        stop(): its thread closes the sqlite3 connection after what is queued, then ends. Not aiosqlite 0.22.1's
        close(), which queues a stop of its own after the close and waits for it: when another stop was queued in
        between (SQLAlchemy's force close, for a task cancelled again during this one), the thread ends at that
        one and the close waits forever (it hung an event loop's shutdown, and once the whole test run). When a
        stop is already queued, nothing is left to do but let the thread end."""
        conn = self._connection
        if not getattr(conn, "_running", True):
            return
        done = conn.stop()
        if done is not None:
            await done


class OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def __init__(self, aiosqlite: Any, sqlite: Any) -> None:
        super().__init__(aiosqlite, sqlite)
        self._checkpoints: dict[str, Checkpoints] = {}  # one per database file (an engine opens one)

    def checkpoints(self, path: str) -> Checkpoints:
        found = self._checkpoints.get(path)
        if found is None:
            found = self._checkpoints[path] = Checkpoints(path)
        return found

    def connect(self, *arg: Any, **kw: Any) -> OneHopConnection:
        conn = super().connect(*arg, **kw)
        return OneHopConnection(self, conn._connection)


class OneHopDialect(SQLiteDialect_aiosqlite):
    driver = "aiosqlite_onehop"
    supports_statement_cache = True

    def do_execute(self, cursor: Any, statement: Any, parameters: Any, context: Any = None) -> None:
        if context is not None and isinstance(cursor, OneHopCursor) and context.execution_options.get(INLINE):
            cursor.inline = True
        cursor.execute(statement, parameters)

    @classmethod
    def import_dbapi(cls) -> OneHopDBAPI:
        return OneHopDBAPI(__import__("aiosqlite"), __import__("sqlite3"))


registry.register(NAME, __name__, "OneHopDialect")


def onehop_url(url: str) -> str:
    """The same SQLite database through this dialect (other URLs unchanged)."""
    prefix = "sqlite+aiosqlite:"
    return "sqlite+aiosqlite_onehop:" + url[len(prefix) :] if url.startswith(prefix) else url
