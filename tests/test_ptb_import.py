"""The Telegram channel loads python-telegram-bot without `cryptography` (8 MB of a serving process's memory, only
for Telegram Passport, which hocbot never asks for); the dashboard's cookie encryption still loads it later."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_telegram_channel_imports_without_cryptography_which_loads_later_as_usual() -> None:
    code = textwrap.dedent("""
        import sys
        from bot.channels.ptb import import_ptb
        import_ptb()
        import bot.channels.telegram
        print("cryptography" in sys.modules)
        from aiohttp_session.cookie_storage import EncryptedCookieStorage
        EncryptedCookieStorage(b"k" * 32)  # the dashboard's cookie, made at its first request
        print("cryptography" in sys.modules)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["False", "True"]
