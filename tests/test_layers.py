"""The features run without the platforms: `handlers` (every feature's chat, service and texts), `content` and
the scheduler's engine import no Telegram SDK and no web framework. `make lint` checks the whole import
direction with import-linter (pyproject.toml); this test runs the features' import for real with both blocked."""

from __future__ import annotations

import subprocess
import sys
import textwrap

BLOCKED = ("telegram", "aiohttp")


def test_features_import_and_route_with_telegram_and_aiohttp_blocked() -> None:
    code = textwrap.dedent(f"""
        import sys
        for name in {BLOCKED!r}:
            sys.modules[name] = None  # `import telegram` now raises ImportError
        from handlers import build_router
        import content.search, handlers.week.campaigns, handlers.officers.outbox
        router = build_router()
        print(len(router.commands))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.strip()) >= 20  # the commands a citizen and an officer use are all there
