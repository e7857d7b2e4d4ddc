"""A coroutine kept running in the background for the length of a `with` block (the runtime's background work),
and the one way to stop such tasks."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from typing import Any


async def cancel_and_wait(*tasks: asyncio.Task[Any]) -> None:
    """Cancel `tasks` once each and wait until all have stopped; the first error one raised while stopping is
    raised. Waiting uses `asyncio.wait`, which neither swallows a cancellation of the caller (a stop cancelled by
    a closing event loop must not carry on as if nothing happened) nor passes it on to the tasks: a second cancel
    would cut short the clean-up they run for the first (a database connection half closed, then waited on
    forever)."""
    pending = [t for t in tasks if not t.done()]
    for t in pending:
        t.cancel()
    if pending:
        await asyncio.wait(pending)
    errors = [t.exception() for t in tasks if not t.cancelled()]
    for exc in errors:
        if exc is not None:
            raise exc


@contextlib.asynccontextmanager
async def running(coro: Coroutine[Any, Any, None]) -> AsyncIterator[None]:
    """Start `coro` as a task; when the block ends, cancel it and wait until it has stopped."""
    task = asyncio.create_task(coro)
    try:
        yield
    finally:
        await cancel_and_wait(task)
