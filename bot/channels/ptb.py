"""python-telegram-bot, imported without `cryptography`.

PTB imports `cryptography` whenever it is installed, only to decrypt Telegram Passport data, which hocbot never
asks for: 8 MB of every serving process's memory. hocbot itself needs it only for the dashboard's cookie, loaded
at the first dashboard request (bot/web/dashboard/auth.py). So the first `import telegram` runs with
`cryptography` blocked (PTB then marks Passport decryption unavailable) and the block is lifted at once: a later
`import cryptography` loads it as usual."""

from __future__ import annotations

import importlib
import sys

BLOCKED = "cryptography"


def import_ptb() -> None:
    """Import `telegram` now, without `cryptography` (nothing to do if either is loaded already)."""
    if "telegram" in sys.modules or BLOCKED in sys.modules:
        return
    sys.modules[BLOCKED] = None  # type: ignore[assignment]  # an import of it now raises ImportError
    try:
        importlib.import_module("telegram")
    finally:
        del sys.modules[BLOCKED]
