"""`hocbot run`, `hocbot chat`, `hocbot db upgrade`, `hocbot content check`."""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from typing import Any

from aiohttp import web

from bot.settings import Settings


def register(sub: Any) -> None:
    run = sub.add_parser("run", help="chạy bot: mọi kênh đã cấu hình, web chat, lịch gửi")
    run.set_defaults(func=cmd_run)
    chat = sub.add_parser("chat", help="trò chuyện với bot ngay trong terminal")
    chat.add_argument("--user", default="local", help="mã người dùng trong terminal")
    chat.set_defaults(func=cmd_chat)
    db = sub.add_parser("db", help="cơ sở dữ liệu").add_subparsers(dest="db_cmd", required=True)
    db.add_parser("upgrade", help="áp dụng migration").set_defaults(func=cmd_db_upgrade)
    from bot.cli.ops import register_db

    register_db(db)
    content = sub.add_parser("content", help="nội dung").add_subparsers(dest="content_cmd", required=True)
    check = content.add_parser("check", help="kiểm tra nội dung")
    check.add_argument("--json", action="store_true")
    check.set_defaults(func=cmd_content_check)


async def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Serve until SIGINT/SIGTERM."""
    from bot.app import create_web_app

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):  # before anything starts, so an early stop is clean
        loop.add_signal_handler(sig, stop.set)
    app = await create_web_app(settings)
    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.web_host, settings.web_port)
    await site.start()
    print(f"hocbot đang chạy: web chat tại http://{settings.web_host}:{settings.web_port}/", flush=True)
    await stop.wait()
    await runner.cleanup()
    return 0


async def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import build_runtime, build_services
    from bot.channels.console import ConsoleChannel
    from bot.faq_store import load_approved

    services = await build_services(settings)
    rt = build_runtime(services, with_platforms=False)
    try:
        await load_approved(services)  # officers' approved answers, as `hocbot run` knows them
        await ConsoleChannel(rt.dispatcher, user=args.user).run()
    finally:
        await services.db.dispose()
    return 0


async def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from bot.db.engine import Database
    from bot.db.migrate import upgrade

    db = Database(settings.database_url)
    try:
        await upgrade(db)
    finally:
        await db.dispose()
    print("Đã cập nhật cơ sở dữ liệu.")
    return 0


def cmd_content_check(args: argparse.Namespace, settings: Settings) -> int:
    from content.catalog import check_catalog

    report = check_catalog()
    data = report.to_json()
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(
            f"Mô-đun: {data['modules']} · bài học: {data['lessons']} · câu hỏi kiểm tra: {data['questions']}"
            f" · hỏi đáp: {data['faq']}"
        )
        for err in data["errors"]:
            print(f"LỖI: {err}", file=sys.stderr)
        print("Nội dung hợp lệ." if not data["errors"] else f"{len(data['errors'])} lỗi.")
    return 1 if data["errors"] else 0
