"""The inbound path's small statements run on SQLite's own connection, without SQLAlchemy's execution machinery.

A `Hot` statement is a Core statement built once. Where bot/db/sqlite_onehop.py lets a statement run on the event
loop (inside the unit of work's write transaction, or as its first write when the lock is free), `run` executes
its SQL, compiled once per set of parameters, straight on the sqlite3 connection, with SQLAlchemy's own type
conversions (aware datetimes, booleans) applied to its parameters and rows: SQLAlchemy's execution context,
result objects and greenlet switches cost several times the statement itself. Same connection, same
transaction, same rows. Anywhere else (a connection busy or outside a write transaction) the statement goes
through SQLAlchemy as before.

On PostgreSQL (asyncpg) `run` does what SQLAlchemy's asyncpg cursor does for one statement, without the layers
around it: under the adapter's own lock, it begins the unit of work's transaction if no statement has yet, then
runs the statement prepared once per connection (the adapter's own cache) and reads the rowcount from the
command status; an error becomes the exception SQLAlchemy would raise. Same connection, same transaction.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_connection
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.pool import QueuePool
from sqlalchemy.sql.expression import Executable
from sqlalchemy.util.concurrency import greenlet_spawn

from bot.db.sqlite_onehop import OneHopConnection, inline

Convert = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class Rows:
    """What a statement gave: its rows (tuples, in the statement's column order) and the rows it changed."""

    rows: Sequence[Sequence[Any]]
    rowcount: int

    def first(self) -> Sequence[Any] | None:
        return self.rows[0] if self.rows else None

    def scalars(self) -> list[Any]:
        return [row[0] for row in self.rows]


@dataclass(frozen=True, slots=True)
class _Compiled:
    """One statement's SQL for SQLite with what turns parameters and rows into what SQLAlchemy would give."""

    sql: str
    names: tuple[str, ...]  # the parameters in the order of the SQL's placeholders
    fixed: dict[str, Any]  # values the statement itself carries (e.g. `points=1`)
    binds: tuple[Convert, ...]
    results: tuple[Convert, ...]

    def args(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        out = []
        for name, convert in zip(self.names, self.binds, strict=True):
            value = params[name] if name in params else self.fixed[name]
            out.append(value if convert is None or value is None else convert(value))
        return tuple(out)

    def rows(self, rows: list[Any] | None) -> list[tuple[Any, ...]]:
        if not rows or not self.results:  # no rows asked for (PostgreSQL adds an INSERT's key, SQLAlchemy's own)
            return []
        converts = self.results
        return [tuple(v if c is None else c(v) for v, c in zip(row, converts, strict=True)) for row in rows]


class Hot:
    """A statement of the inbound hot path (marked `inline()` for sqlite_onehop as well)."""

    __slots__ = ("_compiled", "stmt")

    def __init__(self, stmt: Executable) -> None:
        self.stmt = inline(stmt)
        self._compiled: dict[tuple[str, frozenset[str]], _Compiled | None] = {}

    def compiled(self, dialect: Dialect, params: Mapping[str, Any]) -> _Compiled | None:
        """Its SQL for these parameter names (built once); None when SQLAlchemy must run it (a parameter
        that only SQLAlchemy fills, such as a column's Python-side default)."""
        keys = frozenset(params)
        key = (dialect.name, keys)  # one process may serve SQLite and PostgreSQL (tests, `hocbot` tools)
        if key not in self._compiled:
            self._compiled[key] = _compile(self.stmt, dialect, keys)
        return self._compiled[key]


def _compile(stmt: Any, dialect: Dialect, keys: frozenset[str]) -> _Compiled | None:
    compiled = stmt.compile(dialect=dialect, column_keys=sorted(keys))
    names = tuple(compiled.positiontup or ())
    fixed = {name: bind.value for name, bind in compiled.binds.items()
             if name not in keys and bind.callable is None and bind.value is not None}  # fmt: skip
    if any(name not in keys and name not in fixed for name in names):
        return None
    if any(compiled.binds[name].expanding for name in names):
        return None
    binds = tuple(compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names)
    results = tuple(c.type.dialect_impl(dialect).result_processor(dialect, None) for c in stmt.exported_columns)
    return _Compiled(str(compiled), names, fixed, binds, results)


_CONNECTION = "hot.connection"  # Session.info key: (the transaction, its connection)


async def connection(s: AsyncSession) -> AsyncConnection:
    """`await s.connection()`, asked of SQLAlchemy once per transaction of the session (each ask costs a greenlet
    switch and the session's bookkeeping; the hot path asks for it before nearly every statement)."""
    info = s.sync_session.info
    known = info.get(_CONNECTION)
    transaction = s.sync_session.get_transaction()
    if known is not None and transaction is not None and known[0] is transaction and transaction.is_active:
        conn: AsyncConnection = known[1]
        return conn
    conn = await s.connection()
    info[_CONNECTION] = (s.sync_session.get_transaction(), conn)
    return conn


async def run(conn: AsyncConnection, hot: Hot, params: Mapping[str, Any]) -> Rows:
    """Execute `hot` in the unit of work `conn` belongs to (see the module's docstring)."""
    adapted = conn.sync_connection.connection.dbapi_connection if conn.sync_connection is not None else None
    if isinstance(adapted, AsyncAdapt_asyncpg_connection):
        compiled = hot.compiled(conn.dialect, params)
        if compiled is not None:
            return await _run_asyncpg(conn, adapted, compiled, params)
    if isinstance(adapted, OneHopConnection) and not adapted._execute_mutex.locked():
        compiled = hot.compiled(conn.dialect, params)
        if compiled is not None:
            args = compiled.args(params)
            try:
                done = adapted.run_inline(compiled.sql, args)
            except sqlite3.Error as exc:  # the same error SQLAlchemy would raise (the statement changed nothing)
                raise DBAPIError.instance(compiled.sql, args, exc, sqlite3.Error, dialect=conn.dialect) from exc
            if done is not None:
                _description, rowcount, _lastrowid, rows = done
                return Rows(compiled.rows(rows), rowcount)
    result = await conn.execute(hot.stmt, dict(params))
    return Rows(result.all() if result.returns_rows else [], result.rowcount)


_STATUS = re.compile(r"(?:SELECT|UPDATE|DELETE|INSERT \d+) (\d+)")  # as SQLAlchemy's asyncpg cursor reads it


async def _run_asyncpg(conn: AsyncConnection, adapted: Any, compiled: _Compiled, params: Mapping[str, Any]) -> Rows:
    """One statement as AsyncAdapt_asyncpg_cursor._prepare_and_execute runs it (SQLAlchemy 2.1); a failure goes
    through the connection's own handling, which also notices a server gone (restarted, failed over) and drops
    its pooled connections, as for any other statement."""
    dialect = conn.dialect
    args = compiled.args(params)
    try:
        async with adapted._execute_mutex:
            try:
                if adapted._transaction is None:
                    await adapted._start_transaction()
                stale_before = getattr(dialect, "_invalidate_schema_cache_asof", 0)  # as the execution context has it
                prepared, _attributes = await adapted._prepare(compiled.sql, stale_before)
                rows = await prepared.fetch(*args)
                status = prepared.get_statusmsg()
            except dialect.loaded_dbapi.Error:
                raise
            except Exception as exc:
                adapted._handle_exception(exc)  # raises the DBAPI error SQLAlchemy's cursor would raise
    except dialect.loaded_dbapi.Error as error:
        assert conn.sync_connection is not None
        # raises SQLAlchemy's exception (IntegrityError, OperationalError…), invalidating what a disconnect killed
        await greenlet_spawn(conn.sync_connection._handle_dbapi_exception, error, compiled.sql, args, None, None)
        raise
    found = _STATUS.match(status or "")
    return Rows(compiled.rows(rows), int(found.group(1)) if found else -1)


async def commit(s: AsyncSession) -> bool:
    """On PostgreSQL, commit a unit of work whose statements left nothing for the ORM to flush (the inbound hot
    path: every write went through `run`) on its asyncpg connection, as SQLAlchemy's commit would, without its
    greenlet: COMMIT under the adapter's lock, a failure raised as SQLAlchemy raises it (a connection lost is
    invalidated), then the session's own bookkeeping, whose commit then finds nothing left to send. False when
    it is not such a unit (SQLite, changes for the ORM to flush, no statement ran, a savepoint, several
    connections): the caller commits as usual."""
    session = s.sync_session
    known = session.info.get(_CONNECTION)
    transaction = session.get_transaction()
    if known is None or transaction is None or known[0] is not transaction or not transaction.is_active:
        return False
    if session.in_nested_transaction() or not session._is_clean():
        return False
    if len({c[0] for c in transaction._connections.values()}) != 1:
        return False
    conn: AsyncConnection = known[1]
    sync = conn.sync_connection
    adapted = sync.connection.dbapi_connection if sync is not None and not sync.invalidated else None
    if not isinstance(adapted, AsyncAdapt_asyncpg_connection):
        return False
    assert sync is not None
    await _commit_asyncpg(sync, adapted, conn.dialect)
    pool = conn.engine.sync_engine.pool
    if isinstance(pool, QueuePool) and pool.checkedin() < pool.size():
        session.commit()  # its DBAPI commit finds the transaction done; the connection goes back to the pool as is
    else:  # giving the connection back may close it (an overflow connection): SQLAlchemy awaits that
        await greenlet_spawn(session.commit)
    return True


async def _commit_asyncpg(sync: Connection, adapted: Any, dialect: Dialect) -> None:
    """AsyncAdapt_asyncpg_connection.commit without the greenlet; SQLAlchemy's handling of what fails."""
    try:
        async with adapted._execute_mutex:
            if adapted._transaction is not None:
                try:
                    await adapted._call_and_discard(adapted._transaction.commit)
                except dialect.loaded_dbapi.Error:
                    raise
                except Exception as exc:
                    adapted._handle_exception(exc)  # raises the DBAPI error SQLAlchemy's commit would raise
    except dialect.loaded_dbapi.Error as error:
        # raises SQLAlchemy's exception (OperationalError…), invalidating what a disconnect killed
        await greenlet_spawn(sync._handle_dbapi_exception, error, "COMMIT", (), None, None)
        raise
    except BaseException as exc:  # cancelled: the COMMIT may be half done, the connection is not reused (as SQLAlchemy)
        if not isinstance(exc, Exception) and not sync.invalidated:
            sync.invalidate(exc)
        raise
