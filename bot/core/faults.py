"""Faults that are not bugs: telling a database outage from a programming error, and logging a failure that
repeats many times a second as one line every so often instead of a traceback each time."""

from __future__ import annotations

import logging
import time

from sqlalchemy import exc as sa_exc

LOG_EVERY = 30.0  # seconds between two log lines about the same ongoing failure


class DatabaseDown(Exception):
    """The database cannot be reached or used right now (it went away, refuses connections, is locked)."""


def database_down(exc: BaseException | None) -> bool:
    """True when `exc`, or what caused it, says the database is unavailable rather than that our code is
    wrong: a lost or refused connection, a pool that ran dry, an unreadable SQLite file."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, DatabaseDown | sa_exc.OperationalError | sa_exc.InterfaceError | sa_exc.TimeoutError):
            return True
        if isinstance(exc, sa_exc.DBAPIError) and (exc.connection_invalidated or _refused(exc)):
            return True
        if isinstance(exc, ConnectionError | TimeoutError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _refused(exc: sa_exc.DBAPIError) -> bool:
    """PostgreSQL refusing new connections (SQLSTATE class 08, 53, 57P0x, or "does not allow connections")."""
    code = str(getattr(exc.orig, "sqlstate", "") or getattr(exc.orig, "pgcode", "") or "")
    text = str(exc.orig).lower()
    return code.startswith(("08", "53", "57P0")) or "not allow connections" in text or "not currently accepting" in text


class Every:
    """Logs a repeated failure at most once per `seconds` per key, saying how many were left out."""

    def __init__(self, seconds: float = LOG_EVERY) -> None:
        self.seconds = seconds
        self._last: dict[str, float] = {}
        self._skipped: dict[str, int] = {}

    def log(self, logger: logging.Logger, key: str, message: str, exc: BaseException | None = None,
            level: int = logging.ERROR) -> bool:  # fmt: skip
        """Write `message` (plus the exception's type and first line) unless this key was logged less than
        `seconds` ago; True when it was written."""
        now = time.monotonic()
        last = self._last.get(key)
        if last is not None and now - last < self.seconds:
            self._skipped[key] = self._skipped.get(key, 0) + 1
            return False
        self._last[key] = now
        skipped = self._skipped.pop(key, 0)
        if exc is not None:
            first = (str(exc).strip().splitlines() or [""])[0][:200]
            message = f"{message}: {type(exc).__name__}: {first}"
        if skipped and last is not None:
            message = f"{message} ({skipped} more in the last {now - last:.0f} s)"
        logger.log(level, "%s", message, exc_info=exc if logger.isEnabledFor(logging.DEBUG) else None)
        return True


DB_DOWN = Every()  # one line per half minute about the database being unavailable, per place


def log_failure(logger: logging.Logger, key: str, message: str, exc: BaseException) -> None:
    """A background step failed: a database outage is logged once per LOG_EVERY (one line, no traceback),
    anything else with its traceback as before."""
    if database_down(exc):
        DB_DOWN.log(logger, key, f"{message} (database unavailable)", exc)
    else:
        logger.error("%s", message, exc_info=exc)
