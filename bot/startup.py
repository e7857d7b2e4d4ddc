"""Start-up mistakes said in one Vietnamese line that names what to fix: no traceback, never a secret.

`hocbot` (bot/cli) prints `str(StartupError)` and exits 1. The checks live here so every entry point (the
CLI commands, `hocbot run`, the tests' in-process bot) reports the same mistake the same way.
"""

from __future__ import annotations

import asyncio
import errno
import gc
import logging
import socket
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.db.engine import Database

DB_CONNECT_TIMEOUT = 15.0  # seconds: a host that drops packets must not hang start-up for minutes
log = logging.getLogger(__name__)


T = TypeVar("T")


class StartupError(Exception):
    """hocbot cannot start until someone fixes the setting this one line names."""


def safe_url(url: str) -> str:
    """The database address without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "DATABASE_URL"


async def check_database(db: Database) -> None:
    """Open one connection (SELECT 1) so a wrong DATABASE_URL stops start-up with one line."""

    async def probe() -> None:
        async with db.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    folder = sqlite_folder(db.url)
    if folder is not None and not folder.is_dir():  # said before SQLite's "unable to open database file"
        raise StartupError(database_error(db.url, FileNotFoundError(str(folder))))
    try:
        await asyncio.wait_for(probe(), DB_CONNECT_TIMEOUT)
    except Exception as exc:
        await db.dispose()
        raise StartupError(database_error(db.url, exc)) from None


def sqlite_folder(url: str) -> Path | None:
    """The folder a SQLite DATABASE_URL's file lives in (None for PostgreSQL or an in-memory database)."""
    if not url.startswith("sqlite"):
        return None
    path = make_url(url).database or ""
    return Path(path).expanduser().resolve().parent if path and path != ":memory:" else None


def database_error(url: str, exc: BaseException) -> str:
    """One line for a database that does not answer or refuses us (DATABASE_URL)."""
    where = safe_url(url)
    chain = _chain(exc)
    names = {type(e).__name__ for e in chain}
    said = " ".join(str(e) for e in chain).lower()
    if url.startswith("sqlite"):
        path = make_url(url).database or ""
        folder = sqlite_folder(url)
        if folder is not None and not folder.is_dir():
            return (f"Không mở được cơ sở dữ liệu SQLite: thư mục {folder} không tồn tại (DATABASE_URL={where}); "
                    "tạo thư mục đó hoặc sửa DATABASE_URL.")  # fmt: skip
        return (f"Không mở được cơ sở dữ liệu SQLite {path} (DATABASE_URL): không có quyền ghi hoặc tệp hỏng "
                f"({_short(chain)}).")  # fmt: skip
    parsed = make_url(url)
    server = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
    if "InvalidCatalogNameError" in names:
        return (f"Cơ sở dữ liệu “{parsed.database}” chưa có trên máy chủ {server} (DATABASE_URL={where}); "
                f"tạo nó (createdb {parsed.database}) hoặc sửa DATABASE_URL.")  # fmt: skip
    if "InvalidAuthorizationSpecificationError" in names or "InvalidPasswordError" in names:
        return (f"Máy chủ PostgreSQL {server} từ chối tài khoản “{parsed.username}” (DATABASE_URL={where}): "
                "kiểm tra tên và mật khẩu.")  # fmt: skip
    if "gaierror" in names:
        return f"Không tìm thấy máy chủ cơ sở dữ liệu “{parsed.host}” (DATABASE_URL={where}): kiểm tra tên máy."
    if isinstance(exc, TimeoutError) or "TimeoutError" in names:
        return (f"Máy chủ cơ sở dữ liệu {server} không trả lời sau {DB_CONNECT_TIMEOUT:.0f} giây "
                f"(DATABASE_URL={where}).")  # fmt: skip
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "connect call failed" in said:
        return (f"Không kết nối được cơ sở dữ liệu tại {server}: máy chủ PostgreSQL chưa chạy hoặc sai cổng "
                f"(DATABASE_URL={where}).")  # fmt: skip
    return f"Không kết nối được cơ sở dữ liệu (DATABASE_URL={where}): {_short(chain)}."


def loop_factory(name: str) -> Callable[[], asyncio.AbstractEventLoop] | None:
    """The event loop HOCBOT_EVENT_LOOP names: uvloop's (libuv: less CPU per message on the inbound path), or
    None for asyncio's own. uvloop is not installed on Windows: asyncio's then, whatever the setting says."""
    if name != "uvloop":
        return None
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def run_serving(main: Coroutine[Any, Any, T], event_loop: str) -> T:
    """Run a long-running command (`hocbot run`) to its end on the event loop HOCBOT_EVENT_LOOP chooses."""
    with asyncio.Runner(loop_factory=loop_factory(event_loop)) as runner:
        return runner.run(main)


def started_serving() -> None:
    """`hocbot run` answers from now on: the cyclic collector, paused while it started (bot.cli), resumes.
    What start-up built is frozen first (gc.freeze), so no later collection walks it again: a full collection
    while serving costs a few milliseconds instead of a hundred."""
    gc.freeze()
    gc.enable()


def bind_socket(host: str, port: int) -> socket.socket:
    """The web server's socket, bound before anything else starts so a busy port is one line. It listens only
    when aiohttp starts serving on it, so nobody connects to a server that is still starting."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp does: restart after a crash
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise StartupError(_bind_error(host, port, exc)) from None
    return sock


def _bind_error(host: str, port: int, exc: OSError) -> str:
    if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
        return f"HOCBOT_WEB_HOST={host} không phải địa chỉ của máy này; dùng 127.0.0.1 hoặc 0.0.0.0."
    if exc.errno == errno.EADDRINUSE:
        return (f"Cổng {port} trên {host} đang có chương trình khác dùng (có thể là một hocbot khác): "
                "dừng chương trình đó hoặc đặt HOCBOT_WEB_PORT khác.")  # fmt: skip
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"Không có quyền mở cổng {port}: đặt HOCBOT_WEB_PORT từ 1024 trở lên (ví dụ 8080)."
    return f"Không mở được cổng {port} trên {host} (HOCBOT_WEB_PORT): {exc.strerror or exc}."


def _chain(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        out.append(cur)
        cur = cur.__cause__ or cur.__context__
    return out


def _short(chain: list[BaseException]) -> str:
    """The innermost error's own words, first line only (drivers put no password in them)."""
    inner = chain[-1]
    words = str(inner).splitlines()[0] if str(inner) else type(inner).__name__
    return words[:160]


# -- a SQLite file deleted under a running server ------------------------------------------------------------
def sqlite_file(db: Database) -> Path | None:
    """The SQLite file `hocbot run` watches (`watch_sqlite_file`); None for PostgreSQL or an in-memory DB."""
    if not db.is_sqlite or sqlite_folder(db.url) is None:
        return None
    return Path(make_url(db.url).database or "").expanduser().resolve()
