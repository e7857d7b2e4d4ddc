"""Work `hocbot run` does right after it opens its port instead of before (content.deferred_index)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from bot.core.tasks import running
from content.deferred_index import DeferredIndex

if TYPE_CHECKING:
    from bot.app import Runtime

log = logging.getLogger(__name__)
WARM_AFTER = 1.0  # seconds after start-up: the requests waiting for the restart (a greeting, the menu) go first


@contextlib.asynccontextmanager
async def warm_search(rt: Runtime) -> AsyncIterator[None]:
    search = rt.services.search
    if not isinstance(search, DeferredIndex) or search.ready:
        yield
        return
    async with running(_read(search)):
        yield


async def _read(search: DeferredIndex) -> None:
    await asyncio.sleep(WARM_AFTER)
    try:
        await asyncio.to_thread(search.get)
    except Exception:  # the first question reads it again and reports the failure to its user
        log.exception("search index not read in the background")
