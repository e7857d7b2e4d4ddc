"""Start-up: from `hocbot run` to the first web chat answer, against `python -c "import aiohttp"` in the same run.

Three cases, each REPEAT times (median reported): a new SQLite database (migrations run), an existing one
(already migrated) with the search index cached on disk, and an existing one with a cold index cache. The
baseline is the bare interpreter importing aiohttp, measured in between, so a loaded machine shows up in both.
CPU seconds of `hocbot run` until its answer are reported beside (steadier than wall time on a shared machine).
Also reports which modules `hocbot run` imports (heavy optional ones should be absent) and `python -X importtime`
totals. BENCH_STARTUP_REPEAT sets the repetitions.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.common import cpu_seconds, write_result

REPEAT = int(os.environ.get("BENCH_STARTUP_REPEAT", 5))
ROOT = Path(__file__).resolve().parent.parent
BASE = "baseline_import_aiohttp"
HEAVY = ["openai", "fpdf", "qrcode", "fontTools", "xlsxwriter", "telegram", "numpy", "jinja2", "apscheduler",
         "cryptography"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(db: Path, cache: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ZALO_", "OPENAI_", "HOCBOT_"))}
    env.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{db}",
        HOCBOT_WEB_PORT=str(port),
        HOCBOT_WEB_HOST="127.0.0.1",
        XDG_CACHE_HOME=str(cache),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def _ask(port: int) -> bool:
    body = json.dumps({"session": "benchstartup01", "text": "xin chào"}).encode()
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/chat", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status == 200 and bool(json.loads(resp.read()).get("replies"))
    except Exception:
        return False


CPU: dict[str, list[float]] = {}  # case -> CPU seconds `hocbot run` used until its first answer


def time_to_answer(db: Path, cache: Path, case: str = "") -> float:
    """Seconds from spawning `hocbot run` to the first web chat answer (its CPU seconds go to CPU[case])."""
    port = _free_port()
    cmd = [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main(['run']))"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=str(db.parent), env=_env(db, cache, port), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        while not _ask(port):
            if proc.poll() is not None:
                raise RuntimeError(f"hocbot run exited: {proc.stderr.read() if proc.stderr else ''}")
            if time.perf_counter() - t0 > 120:
                raise RuntimeError("no answer after 120 s")
            time.sleep(0.02)
        elapsed = time.perf_counter() - t0
        CPU.setdefault(case, []).append(cpu_seconds(proc.pid))
        return elapsed
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


def baseline() -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import aiohttp"], check=True)
    return time.perf_counter() - t0


def imported_modules(db: Path, cache: Path) -> list[str]:
    """Top-level packages loaded by a serving `hocbot run` (after its first answer)."""
    port = _free_port()
    script = (
        "import sys, atexit\n"
        "atexit.register(lambda: print('\\n'.join('MOD ' + m for m in sorted(sys.modules)), flush=True))\n"
        "from bot.cli import main\n"
        "sys.exit(main(['run']))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=str(db.parent), env=_env(db, cache, port),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    t0 = time.perf_counter()
    while not _ask(port) and proc.poll() is None and time.perf_counter() - t0 < 120:
        time.sleep(0.05)
    proc.send_signal(2)  # Ctrl-C: clean stop, atexit runs
    out, _ = proc.communicate(timeout=30)
    return sorted({line[4:].split(".")[0] for line in out.splitlines() if line.startswith("MOD ")})


def import_time() -> float:
    """Seconds to import what `hocbot run` loads before it builds anything (bot.cli, bot.app, handlers)."""
    code = "import time; t = time.perf_counter(); import bot.cli, bot.app, handlers; print(time.perf_counter() - t)"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(ROOT), check=True)
    return float(res.stdout.strip())


def compile_bytecode() -> None:
    """Compile hocbot's modules first, as its first start does where Python may write bytecode (and the Docker
    image at build time): the runs below set PYTHONDONTWRITEBYTECODE, and would otherwise each compile the
    modules nothing compiled yet, a cost no start-up of an installed hocbot pays."""
    dirs = [str(ROOT / d) for d in ("bot", "handlers", "content", "scheduler")]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *dirs], check=True, stdout=subprocess.DEVNULL)


def main() -> int:
    compile_bytecode()
    work = Path(tempfile.mkdtemp(prefix="hocbot-startup-"))
    try:
        cache = work / "cache"
        existing = work / "existing.db"
        # One run to create and migrate the existing database (and fill the index cache).
        time_to_answer(existing, cache)
        runs: dict[str, list[float]] = {"baseline_import_aiohttp": [], "new_db": [], "existing_db": [],
                                        "existing_db_cold_index": []}  # fmt: skip
        for i in range(REPEAT):
            runs["baseline_import_aiohttp"].append(baseline())
            fresh = work / f"new{i}.db"
            runs["new_db"].append(time_to_answer(fresh, cache, "new_db"))
            fresh.unlink(missing_ok=True)
            runs["existing_db"].append(time_to_answer(existing, cache, "existing_db"))
            cold = work / f"cache-cold{i}"
            runs["existing_db_cold_index"].append(time_to_answer(existing, cold, "existing_db_cold_index"))
            shutil.rmtree(cold, ignore_errors=True)
        med = {k: statistics.median(v) for k, v in runs.items()}
        base = med[BASE]
        loaded = imported_modules(existing, cache)
        result = {
            "repeat": REPEAT,
            "median_seconds": {k: round(v, 3) for k, v in med.items()},
            "ratio_to_import_aiohttp": {k: round(v / base, 2) for k, v in med.items() if k != BASE},
            "median_cpu_seconds": {k: round(statistics.median(v), 3) for k, v in CPU.items() if k},
            "runs": {k: [round(x, 3) for x in v] for k, v in runs.items()},
            "heavy_modules_loaded": [m for m in HEAVY if m in loaded],
            "import_seconds_bot_app_handlers": round(import_time(), 3),
            "cpus": os.cpu_count(),
            "loadavg": [round(x, 2) for x in os.getloadavg()],
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for k, v in result["median_seconds"].items():
        ratio = result["ratio_to_import_aiohttp"].get(k)
        cpu = result["median_cpu_seconds"].get(k)
        print(f"{k:28s} {v:6.2f} s" + (f"  ({ratio}× import aiohttp, {cpu:.2f} s CPU)" if ratio else ""))
    print("heavy modules loaded by `hocbot run`:", ", ".join(result["heavy_modules_loaded"]) or "none")
    print("imports (bot.cli, bot.app, handlers):", result["import_seconds_bot_app_handlers"], "s")
    print("load average:", result["loadavg"])
    print("written", write_result("startup", result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
