"""`hocbot db backup FILE`, `hocbot db restore FILE` and `hocbot doctor`: the IT officer's commands."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from bot.settings import Settings


def register_db(db: Any) -> None:
    """Add backup/restore under `hocbot db` (core.py owns the `db` group)."""
    backup = db.add_parser("backup", help="sao lưu cơ sở dữ liệu vào FILE (được khi bot đang chạy)")
    backup.add_argument("file", type=Path)
    backup.set_defaults(func=cmd_db_backup)
    restore = db.add_parser("restore", help="khôi phục cơ sở dữ liệu từ FILE (dừng bot trước)")
    restore.add_argument("file", type=Path)
    restore.add_argument("--force", action="store_true", help="khôi phục cả khi hocbot còn đang chạy")
    restore.set_defaults(func=cmd_db_restore)


def register(sub: Any) -> None:
    doctor = sub.add_parser("doctor", help="kiểm tra cấu hình, cơ sở dữ liệu, Telegram, Zalo, AI, tên miền, đồng hồ")
    doctor.set_defaults(func=cmd_doctor)


async def cmd_db_backup(args: argparse.Namespace, settings: Settings) -> int:
    from bot.backup import BackupError, backup

    try:
        done = await asyncio.to_thread(backup, settings.database_url, args.file)
    except BackupError as exc:
        print(f"LỖI: {exc}", file=sys.stderr)
        return 1
    print(done.message)
    return 0


async def cmd_db_restore(args: argparse.Namespace, settings: Settings) -> int:
    from bot.backup import BackupError, restore

    if not args.force and await _bot_running(settings):
        print(
            f"LỖI: hocbot đang chạy (http://{_local_host(settings)}:{settings.web_port}/healthz trả lời). "
            "Dừng nó trước (sudo systemctl stop hocbot), khôi phục, rồi bật lại; hoặc thêm --force.",
            file=sys.stderr,
        )
        return 1
    try:
        done = await asyncio.to_thread(restore, settings.database_url, args.file)
    except BackupError as exc:
        print(f"LỖI: {exc}", file=sys.stderr)
        return 1
    print(done.message)
    print("Khởi động lại hocbot (sudo systemctl start hocbot): nó tự cập nhật cấu trúc nếu bản sao lưu cũ hơn.")
    return 0


def _local_host(settings: Settings) -> str:
    return "127.0.0.1" if settings.web_host in ("0.0.0.0", "::", "") else settings.web_host


async def _bot_running(settings: Settings) -> bool:
    import aiohttp

    url = f"http://{_local_host(settings)}:{settings.web_port}/healthz"
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=1.5)) as http, http.get(url) as resp:
            return resp.status == 200 and (await resp.json()).get("status") == "ok"
    except Exception:
        return False


async def cmd_doctor(args: argparse.Namespace, settings: Settings) -> int:
    from bot.doctor import Doctor, render

    report, code = render(await Doctor(settings).run())
    print(report)
    return code
