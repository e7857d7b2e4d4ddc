"""`make bench`: runs every benchmark module in turn; each prints its figures and writes bench/results/*.json."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time

BENCHES = [
    "bench.startup", "bench.inbound", "bench.inbound_workers", "bench.intake", "bench.faq", "bench.broadcast",
    "bench.campaign", "bench.dashboard", "bench.health", "bench.memory", "bench.learning_models", "bench.idle",
]


def main() -> int:
    failed: list[str] = []
    for name in BENCHES:
        if importlib.util.find_spec(name) is None:
            continue
        print(f"== {name}", flush=True)
        started = time.monotonic()
        code = subprocess.call([sys.executable, "-m", name])
        print(f"== {name} finished in {time.monotonic() - started:.1f}s (exit {code})", flush=True)
        if code != 0:
            failed.append(name)
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
