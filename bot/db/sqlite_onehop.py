"""SQLite through aiosqlite with ONE thread hand-off per statement.

SQLAlchemy's aiosqlite adapter opens a cursor, executes, fetches and closes it as four separate trips to
aiosqlite's worker thread; each trip wakes that thread and hands the GIL back and forth, which was the largest
single cost of an inbound message (≈50 trips per update). This dialect does the four steps in one trip and keeps
what SQLAlchemy reads afterwards (rows, description, rowcount, lastrowid), and skips the trip of a commit or
rollback when no transaction is open. Everything else (connect, close) is SQLAlchemy's own aiosqlite code.
`Database` uses it for every `sqlite+aiosqlite` URL.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
    SQLiteDialect_aiosqlite,
)
from sqlalchemy.util import EMPTY_DICT

NAME = "sqlite.aiosqlite_onehop"


class _Done:
    """What a finished statement left for SQLAlchemy to read (the sqlite3 cursor itself is already closed)."""

    __slots__ = ("arraysize", "description", "lastrowid", "rowcount")

    def __init__(self, description: Any = None, rowcount: int = -1, lastrowid: int | None = None) -> None:
        self.description, self.rowcount, self.lastrowid = description, rowcount, lastrowid
        self.arraysize = 1

    async def close(self) -> None:
        return None


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def __init__(self, adapt_connection: Any) -> None:  # no cursor trip here: execute opens its own
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = _Done()  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = deque()

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        raw = self._connection._conn  # the sqlite3 connection, used only on aiosqlite's thread below

        def run() -> tuple[Any, int, int | None, list[Any] | None]:
            cur = raw.cursor()
            try:
                cur.execute(operation) if parameters is None else cur.execute(operation, parameters)
                rows = cur.fetchall() if cur.description else None
                return cur.description, cur.rowcount, cur.lastrowid, rows
            finally:
                cur.close()

        async with self._adapt_connection._execute_mutex:
            description, rowcount, lastrowid, rows = await self._connection._execute(run)
        self._cursor = _Done(description, rowcount, lastrowid)  # type: ignore[assignment]
        self._rows = deque(rows or ())
        return self

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


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    """Commit and rollback outside a transaction make no trip: sqlite3 itself does nothing then (it checks
    `sqlite3_get_autocommit`, the flag `in_transaction` reads), but the trip to aiosqlite's thread cost as much
    as a statement. The pool rolls back every connection given back to it, also after a commit, and a unit of
    work that only read commits: two trips per unit of work saved."""

    __slots__ = ()
    _cursor_cls = OneHopCursor

    def _idle(self) -> bool:
        raw = self._connection._connection  # the sqlite3 connection (None once closed); read on any thread
        return raw is not None and not raw.in_transaction

    def rollback(self) -> None:
        if not self._idle():
            super().rollback()

    def commit(self) -> None:
        if not self._idle():
            super().commit()


class OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> OneHopConnection:
        conn = super().connect(*arg, **kw)
        return OneHopConnection(self, conn._connection)


class OneHopDialect(SQLiteDialect_aiosqlite):
    driver = "aiosqlite_onehop"
    supports_statement_cache = True

    @classmethod
    def import_dbapi(cls) -> OneHopDBAPI:
        return OneHopDBAPI(__import__("aiosqlite"), __import__("sqlite3"))


registry.register(NAME, __name__, "OneHopDialect")


def onehop_url(url: str) -> str:
    """The same SQLite database through this dialect (other URLs unchanged)."""
    prefix = "sqlite+aiosqlite:"
    return "sqlite+aiosqlite_onehop:" + url[len(prefix) :] if url.startswith(prefix) else url
