"""`hocbot run`, `hocbot chat`, `hocbot db upgrade`, `hocbot content check`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import logging
import signal
import sys
from collections.abc import Iterator
from typing import Any

from aiohttp import web

from bot.settings import Settings
from bot.startup import StartupError


def register(sub: Any) -> None:
    run = sub.add_parser("run", help="chạy bot: mọi kênh đã cấu hình, web chat, lịch gửi")
    run.set_defaults(func=cmd_run, serves=True)  # see bot.startup.started_serving
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
    """Serve until SIGINT/SIGTERM. The port is taken first, then the database is checked: a mistake in either
    is one line (StartupError). Ctrl-C during start-up abandons it quietly (exit 130), SIGTERM too (exit 0: a
    service manager's stop, not waiting for a platform that does not answer); once serving, Ctrl-C or SIGTERM
    stop it cleanly (exit 0)."""
    from bot.app import RUNTIME, create_web_app
    from bot.settings import links_warning
    from bot.startup import bind_socket, started_serving

    stop = asyncio.Event()
    interrupted = False
    serving = False
    main = asyncio.current_task()
    loop = asyncio.get_running_loop()

    terminated = False

    def on_signal(sig: signal.Signals) -> None:
        nonlocal interrupted, terminated
        stop.set()
        if not serving and main is not None:  # start-up abandoned (Telegram's getMe may wait 5 s unanswered)
            interrupted, terminated = sig == signal.SIGINT, sig == signal.SIGTERM
            main.cancel()  # a library may swallow this; both flags are checked again below

    loop.add_signal_handler(signal.SIGINT, on_signal, signal.SIGINT)
    loop.add_signal_handler(signal.SIGTERM, on_signal, signal.SIGTERM)
    sock = bind_socket(settings.web_host, settings.web_port)
    runner: web.AppRunner | None = None
    try:
        with held_logs(hold=not args.verbose):
            app = await create_web_app(settings)
            runner = web.AppRunner(app, handle_signals=False, access_log=None)
            await runner.setup()
            if interrupted or terminated:
                return 130 if interrupted else 0
            await web.SockSite(runner, sock).start()
        serving = True
        started_serving()
        host, port = sock.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        print(f"hocbot đang chạy: web chat tại http://{shown}:{port}/", flush=True)
        warning = links_warning(settings)
        if warning:
            logging.getLogger("hocbot").warning(warning)
        failed = app[RUNTIME].failed
        waits = [asyncio.create_task(stop.wait()), asyncio.create_task(failed.wait())]
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        for task in waits:
            task.cancel()
        if failed.is_set() and not stop.is_set():
            raise StartupError(app[RUNTIME].failure)
    except asyncio.CancelledError:
        if interrupted or terminated:
            return 130 if interrupted else 0
        raise
    finally:
        # A query cut short by the stop (the dashboard warming its numbers, say) makes SQLAlchemy's pool log a
        # harmless rollback failure with a traceback: not for the terminal of someone who pressed Ctrl-C.
        logging.getLogger("sqlalchemy.pool").setLevel(logging.CRITICAL)
        if runner is not None:
            await runner.cleanup()
        sock.close()
    return 0


@contextlib.contextmanager
def held_logs(*, hold: bool = True) -> Iterator[None]:
    """Log lines written while hocbot starts are shown once it has started; if start-up stops on a mistake
    (or Ctrl-C), only its one line is printed. `hold=False` (hocbot -v) shows them as they come. The lines
    are formatted when logged (with their event's context), only their output waits."""
    if not hold:
        yield
        return
    held: list[tuple[logging.StreamHandler[Any], Any, io.StringIO]] = []
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            buffer = io.StringIO()
            held.append((handler, handler.setStream(buffer), buffer))
    try:
        yield
    except BaseException:
        for handler, stream, _ in held:
            handler.setStream(stream)
        raise
    for handler, stream, buffer in held:
        handler.setStream(stream)
        stream.write(buffer.getvalue())
        stream.flush()


async def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import build_runtime, open_services
    from bot.channels.console import ConsoleChannel
    from handlers.answers.store import load_approved

    # One person at a terminal: the dashboard's HOCBOT_SECRET_KEY warning is for `hocbot run`.
    logging.getLogger("bot.web.dashboard.auth").setLevel(logging.ERROR)
    async with open_services(settings) as services:
        rt = build_runtime(services, with_platforms=False)
        await load_approved(services)  # officers' approved answers, as `hocbot run` knows them
        await ConsoleChannel(rt.dispatcher, user=args.user).run()
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
            f" · hỏi đáp: {data['faq']} · mô hình học tập: {report.learning_models}"
        )
        for err in data["errors"]:
            print(f"LỖI: {err}", file=sys.stderr)
        print("Nội dung hợp lệ." if not data["errors"] else f"{len(data['errors'])} lỗi.")
    return 1 if data["errors"] else 0
