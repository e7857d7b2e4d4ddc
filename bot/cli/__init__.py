"""`hocbot` command line: one sub-command module per feature, registered here."""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib
import inspect
import logging
import sys
import threading
from collections.abc import Sequence

COMMAND_MODULES = [
    "bot.cli.core", "bot.cli.learning", "bot.cli.campaigns", "bot.cli.officers", "bot.cli.faq", "bot.cli.ops",
    "bot.cli.learning_models", "bot.cli.contests",
]


def build_parser() -> argparse.ArgumentParser:
    from bot.cli.parser import Parser  # here, not at the top: a Ctrl-C while it loads is caught by main()

    parser = Parser(prog="hocbot", description="Trợ lý học tập suốt đời — Hội Khuyến học")
    parser.add_argument("-v", "--verbose", action="store_true", help="ghi nhật ký chi tiết hơn")
    sub = parser.add_subparsers(dest="cmd", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


# Libraries whose INFO lines mean nothing to an officer at the terminal (alembic lists its plugins and each
# migration, fontTools reports every font subset of a certificate).
QUIET_LOGGERS = ("httpx", "httpcore", "apscheduler", "aiohttp.access", "openai", "alembic", "fontTools")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. A start-up mistake is one line on stderr (exit 1, 2 for a bad setting); Ctrl-C at any
    moment exits quietly (130, or 0 once `hocbot run` is serving)."""
    threading.excepthook = _quiet_after_the_loop
    try:
        return _main(argv)
    except KeyboardInterrupt:
        return 130


def _quiet_after_the_loop(args: threading.ExceptHookArgs) -> None:
    """A Ctrl-C closes the event loop while a database call may still run in aiosqlite's worker thread; when it
    ends, handing its result back finds the loop closed ("Event loop is closed"): nothing is lost (the command is
    stopping), so no traceback is printed for it. Any other error in a thread is printed as Python does."""
    if isinstance(args.exc_value, RuntimeError) and str(args.exc_value) == "Event loop is closed":
        return
    threading.__excepthook__(args)


def _main(argv: Sequence[str] | None) -> int:
    # Start-up creates a million objects that live as long as the process (classes, tables, the content); the
    # cyclic collector would walk them again and again (a sixth of `hocbot run`'s start-up). It resumes when
    # the command starts, or once `hocbot run` serves (bot.startup.started_serving), whatever happens.
    gc.disable()
    try:
        return _command(argv)
    finally:
        gc.enable()


def _command(argv: Sequence[str] | None) -> int:
    # Imported here, not at the top, so a Ctrl-C while Python loads them is caught by main() too.
    from bot.logs import apply_format
    from bot.redact import install_log_redaction
    from bot.settings import SettingsError, load_settings
    from bot.startup import StartupError, run_serving

    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if not args.verbose:
        for noisy in QUIET_LOGGERS:
            logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    secret = settings.secret_key.get_secret_value().encode() if settings.secret_key else None
    apply_format(settings.log_format, salt=secret)
    install_log_redaction(settings)  # after the handlers exist: no token, secret or login link in any line
    if not getattr(args, "serves", False):
        gc.enable()
    try:
        result = args.func(args, settings)
        if inspect.isawaitable(result) and getattr(args, "serves", False):
            result = run_serving(result, settings.event_loop)  # type: ignore[arg-type]
        elif inspect.isawaitable(result):
            result = asyncio.run(result)  # type: ignore[arg-type]
    except StartupError as exc:
        print(exc, file=sys.stderr)
        return 1
    return int(result or 0)


if __name__ == "__main__":
    raise SystemExit(main())
