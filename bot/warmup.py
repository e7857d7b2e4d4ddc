"""Background work of `hocbot run` besides sending: the search index and the asked questions read right after the
port opens (content.deferred_index, content.asked), and the watch on a SQLite file deleted under the running server."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core.tasks import running
from content.deferred_index import DeferredIndex

if TYPE_CHECKING:
    from bot.app import Runtime

log = logging.getLogger(__name__)
DB_FILE_CHECK_SECONDS = 30.0  # how often `hocbot run` checks that its SQLite file is still there
WARM_AFTER = 1.0  # seconds after start-up: the requests waiting for the restart (a greeting, the menu) go first


@contextlib.asynccontextmanager
async def warm_search(rt: Runtime) -> AsyncIterator[None]:
    async with running(_read(rt.services.search, rt.services.answers.asked)):
        yield


async def _read(search: object, asked: Callable[[], object]) -> None:
    """The search index (when it is read after start-up), then the asked questions a refused message is compared
    with (content.asked: a few seconds of CPU), each in a thread, after the first requests."""
    await asyncio.sleep(WARM_AFTER)
    try:
        if isinstance(search, DeferredIndex) and not search.ready:
            await in_daemon_thread(search.get)
        await in_daemon_thread(asked)
    except Exception:  # the first question reads it again and reports the failure to its user
        log.exception("search index not read in the background")


async def in_daemon_thread(fn: Callable[[], object]) -> None:
    """`fn()` in a daemon thread, awaited: a Ctrl-C or a stop does not wait for the build to end (the asked
    questions' index takes tens of seconds of CPU on a fresh machine; asyncio.to_thread's pool is joined at exit).
    What it would have written is written atomically (content.cachefile), so an unfinished build leaves nothing half
    written, and the next start builds it again."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[None] = loop.create_future()

    def settle(error: BaseException | None) -> None:
        if not done.done():
            done.set_result(None) if error is None else done.set_exception(error)

    def work() -> None:
        error: BaseException | None = None
        try:
            fn()
        except Exception as exc:  # handed to the awaiting task
            error = exc
        with contextlib.suppress(RuntimeError):  # the loop already closed: nobody waits any more
            loop.call_soon_threadsafe(settle, error)

    threading.Thread(target=work, name="hocbot-warm-up", daemon=True).start()
    await done


# -- a SQLite file deleted under a running server ------------------------------------------------------------
def watch_sqlite_file(path: Path) -> contextlib.AbstractAsyncContextManager[None]:
    """`hocbot run` on SQLite: say so (once, as an error) when the database file is deleted or replaced while
    hocbot runs. SQLite keeps writing to the deleted file, and all of it is gone at the next start."""
    return running(_watch(path, DB_FILE_CHECK_SECONDS))


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


async def _watch(path: Path, every: float) -> None:
    first = _identity(path)
    while first is not None:
        await asyncio.sleep(every)
        if _identity(path) != first:
            log.error(
                "Tệp cơ sở dữ liệu %s đã bị xoá hoặc thay thế trong khi hocbot đang chạy: mọi thứ ghi từ lúc này "
                "sẽ mất khi khởi động lại. Dừng hocbot (Ctrl-C), khôi phục tệp từ bản sao lưu rồi chạy lại.",
                path,
            )
            return
