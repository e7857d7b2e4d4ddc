"""`hocbot db backup FILE` / `hocbot db restore FILE`: an online SQLite backup while the bot writes, a restore
that gives back an equal database, PostgreSQL through pg_dump/pg_restore, and clear lines when it can't."""

from __future__ import annotations

import asyncio
import socket
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from bench.broadcast import seed_subscribers
from bot.cli import main
from bot.db.engine import Database
from bot.db.migrate import upgrade
from bot.db.models import User, utcnow
from tests.conftest import PG_URL, fresh_database


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def use_db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, url: str) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of the developer
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HOCBOT_WEB_PORT", str(free_port()))  # nothing listens there: the bot is "stopped"


def sqlite_dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


async def count_users(db: Database) -> int:
    async with db.session() as s:
        return int((await s.execute(select(func.count()).select_from(User))).scalar_one())


async def test_sqlite_backup_while_writing_restores_to_an_equal_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    live = tmp_path / "live.db"
    db = Database(f"sqlite+aiosqlite:///{live}")
    await upgrade(db)
    await seed_subscribers(db, 2000, first_chat=810_000)
    stop = asyncio.Event()
    written = 0

    async def writer() -> None:  # the running bot: new users keep arriving during the backup
        nonlocal written
        while not stop.is_set():
            async with db.session() as s:
                now = utcnow()
                await s.execute(insert(User).values(display_name=f"mới {written}", created_at=now, last_active_at=now))
            written += 1
            await asyncio.sleep(0.001)

    use_db(monkeypatch, tmp_path, f"sqlite+aiosqlite:///{live}")
    task = asyncio.create_task(writer())
    await asyncio.sleep(0.05)
    before = await count_users(db)
    backup = tmp_path / "sao-luu" / "hocbot-1.db"
    code = await asyncio.to_thread(main, ["db", "backup", str(backup)])
    after = await count_users(db)
    stop.set()
    await task
    await db.dispose()
    assert code == 0
    assert "Đã sao lưu" in capsys.readouterr().out
    assert written > 0 and after > before  # the writes really went on around the backup

    snapshot = sqlite_dump(backup)
    assert sqlite3.connect(backup).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    restored_db = tmp_path / "restored.db"
    use_db(monkeypatch, tmp_path, f"sqlite+aiosqlite:///{restored_db}")
    assert await asyncio.to_thread(main, ["db", "restore", str(backup)]) == 0
    assert "Đã khôi phục" in capsys.readouterr().out
    assert sqlite_dump(restored_db) == snapshot  # an equal database
    restored = Database(f"sqlite+aiosqlite:///{restored_db}")
    try:
        n = await count_users(restored)
    finally:
        await restored.dispose()
    assert before <= n <= after


async def test_restore_refuses_a_file_that_is_not_a_hocbot_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = tmp_path / "anh.db"
    bogus.write_bytes(b"not a database at all" * 100)
    target = tmp_path / "hocbot.db"
    use_db(monkeypatch, tmp_path, f"sqlite+aiosqlite:///{target}")
    assert await asyncio.to_thread(main, ["db", "restore", str(bogus)]) == 1
    err = capsys.readouterr().err
    assert "LỖI" in err and "không phải tệp SQLite" in err
    assert await asyncio.to_thread(main, ["db", "restore", str(tmp_path / "khong-co.db")]) == 1
    assert "Không thấy tệp sao lưu" in capsys.readouterr().err


async def test_restore_refuses_while_the_bot_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import make_settings
    from tests.harness import running_bot

    url = f"sqlite+aiosqlite:///{tmp_path / 'hocbot.db'}"
    async with running_bot(make_settings(url)) as bot:
        use_db(monkeypatch, tmp_path, url)
        monkeypatch.setenv("HOCBOT_WEB_PORT", bot.url.rsplit(":", 1)[1])
        backup = tmp_path / "b.db"
        assert await asyncio.to_thread(main, ["db", "backup", str(backup)]) == 0  # backing up is fine
        assert await asyncio.to_thread(main, ["db", "restore", str(backup)]) == 1
        assert "hocbot đang chạy" in capsys.readouterr().err


async def test_postgres_without_pg_dump_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_db(monkeypatch, tmp_path, "postgresql+asyncpg://hocbot:pw@127.0.0.1:1/hocbot")
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump / pg_restore anywhere
    assert await asyncio.to_thread(main, ["db", "backup", str(tmp_path / "x.dump")]) == 1
    err = capsys.readouterr().err
    assert "Không tìm thấy lệnh pg_dump" in err and "postgresql-client" in err
    (tmp_path / "x.dump").write_bytes(b"PGDMP")
    assert await asyncio.to_thread(main, ["db", "restore", str(tmp_path / "x.dump")]) == 1
    assert "Không tìm thấy lệnh pg_restore" in capsys.readouterr().err


@pytest.mark.skipif(not PG_URL, reason="HOCBOT_TEST_DATABASE_URL not set")
def test_postgres_backup_and_restore(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async def prepare(url: str, n: int, first_chat: int) -> None:
        db = Database(url)
        await upgrade(db)
        await seed_subscribers(db, n, first_chat=first_chat)
        await db.dispose()

    async def users(url: str) -> int:
        db = Database(url)
        try:
            return await count_users(db)
        finally:
            await db.dispose()

    dump = tmp_path / "hocbot.dump"
    with fresh_database("postgres", tmp_path) as src_url:
        asyncio.run(prepare(src_url, 50, 820_000))
        use_db(monkeypatch, tmp_path, src_url)
        assert main(["db", "backup", str(dump)]) == 0
    assert dump.stat().st_size > 0
    with fresh_database("postgres", tmp_path) as dst_url:
        asyncio.run(prepare(dst_url, 3, 830_000))  # a database with other data: the restore replaces it
        use_db(monkeypatch, tmp_path, dst_url)
        assert main(["db", "restore", str(dump)]) == 0
        assert asyncio.run(users(dst_url)) == 50
