"""`hocbot db backup FILE` / `hocbot db restore FILE`.

SQLite: SQLite's online backup API (Python's `sqlite3.Connection.backup`) copies a consistent snapshot while
the bot keeps running and writing (WAL readers see one snapshot); the copy is checked and written as one
self-contained file (journal mode DELETE), then renamed into place. Restore checks the file first and copies
it into the live database with the same API.

PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists --single-transaction`, with the
connection taken from DATABASE_URL and the password passed in the environment (never on the command line).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    """What went wrong, in one Vietnamese line for the person at the terminal."""


@dataclass(frozen=True)
class Done:
    message: str


def sqlite_file(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("Cơ sở dữ liệu SQLite trong bộ nhớ không sao lưu được: đặt DATABASE_URL trỏ tới một tệp.")
    return Path(database)


def backup(url: str, target: Path) -> Done:
    if url.startswith("sqlite"):
        return backup_sqlite(sqlite_file(url), target)
    if url.startswith("postgresql"):
        return backup_postgres(url, target)
    raise BackupError(f"Chưa hỗ trợ sao lưu loại cơ sở dữ liệu này: {make_url(url).drivername}")


def restore(url: str, source: Path) -> Done:
    if not source.is_file():
        raise BackupError(f"Không thấy tệp sao lưu {source}.")
    if url.startswith("sqlite"):
        return restore_sqlite(source, sqlite_file(url))
    if url.startswith("postgresql"):
        return restore_postgres(url, source)
    raise BackupError(f"Chưa hỗ trợ khôi phục loại cơ sở dữ liệu này: {make_url(url).drivername}")


# ---------------------------------------------------------------- SQLite


def backup_sqlite(db_file: Path, target: Path) -> Done:
    if not db_file.is_file():
        raise BackupError(f"Không thấy tệp cơ sở dữ liệu {db_file} (DATABASE_URL).")
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    part.unlink(missing_ok=True)
    src = sqlite3.connect(db_file, timeout=30)
    dst = sqlite3.connect(part)
    try:
        src.backup(dst)  # all pages in one step: one consistent snapshot, writers go on (WAL)
        dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        _check(dst, part)
    finally:
        dst.close()
        src.close()
    os.replace(part, target)
    return Done(f"Đã sao lưu {db_file} vào {target} ({_size(target)}).")


def restore_sqlite(source: Path, db_file: Path) -> Done:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        _check(src, source)
        db_file.parent.mkdir(parents=True, exist_ok=True)
        dst = sqlite3.connect(db_file, timeout=30)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return Done(f"Đã khôi phục {db_file} từ {source}.")


def _check(conn: sqlite3.Connection, path: Path) -> None:
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        has_version = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} không phải tệp SQLite dùng được: {exc}") from None
    if ok != "ok":
        raise BackupError(f"{path} bị hỏng (integrity_check: {ok}).")
    if not has_version:
        raise BackupError(f"{path} không phải cơ sở dữ liệu của hocbot (thiếu bảng alembic_version).")


def _size(path: Path) -> str:
    n = path.stat().st_size
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


# ---------------------------------------------------------------- PostgreSQL


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"Không tìm thấy lệnh {name}. Cài gói postgresql-client cùng phiên bản với máy chủ PostgreSQL "
            "(ví dụ: sudo apt install postgresql-client) rồi chạy lại."
        )
    return found


def pg_env(url: str) -> tuple[dict[str, str], str]:
    """libpq environment for DATABASE_URL (the password never appears in a process list) and the db name."""
    u = make_url(url)
    env = dict(os.environ)
    for key, value in (("PGHOST", u.host), ("PGPORT", u.port), ("PGUSER", u.username),
                       ("PGPASSWORD", u.password)):
        if value is not None:
            env[key] = str(value)
    if not u.database:
        raise BackupError("DATABASE_URL không có tên cơ sở dữ liệu.")
    return env, u.database


def _run(cmd: list[str], env: dict[str, str]) -> None:
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise BackupError(f"{Path(cmd[0]).name} thất bại: {detail[-1] if detail else proc.returncode}")


def backup_postgres(url: str, target: Path) -> Done:
    tool = _pg_tool("pg_dump")
    env, name = pg_env(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    _run([tool, "--format=custom", "--no-owner", f"--file={part}", f"--dbname={name}"], env)
    os.replace(part, target)
    return Done(f"Đã sao lưu cơ sở dữ liệu {name} vào {target} ({_size(target)}).")


def restore_postgres(url: str, source: Path) -> Done:
    tool = _pg_tool("pg_restore")
    env, name = pg_env(url)
    _run([tool, "--clean", "--if-exists", "--no-owner", "--single-transaction", f"--dbname={name}", str(source)],
         env)
    return Done(f"Đã khôi phục cơ sở dữ liệu {name} từ {source}.")
