"""Files hocbot can always rebuild (the search index, the asked questions' index), kept in HOCBOT_CACHE_DIR: named
by a hash of what they were built from, written atomically, and any trouble reading one only means a rebuild."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
STALE_DAYS = 7


def write_atomically(path: Path, chunks: Iterable[bytes]) -> None:
    """A temporary file renamed over the name: a worker reading it at the same moment sees the old file or the
    whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem.split('-')[0]}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            for chunk in chunks:
                f.write(chunk)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def read_or_build(path: Path, what: str, read: Callable[[Path], T], build: Callable[[], T],
                  save: Callable[[T, Path], None]) -> T:
    """`read(path)`, else `build()` and `save(it, path)`; a damaged or foreign file is rebuilt and replaced, and a
    directory that cannot be written only means nothing is kept."""
    try:
        return read(path)
    except FileNotFoundError:
        pass
    except Exception as exc:
        log.warning("%s cache %s unreadable (%s); rebuilding it", what, path, type(exc).__name__)
    built = build()
    try:
        save(built, path)
    except OSError as exc:
        log.info("%s not cached in %s: %s", what, path.parent, exc.strerror or exc)
    else:
        forget_stale(path)
    return built


def forget_stale(path: Path, now: float | None = None) -> None:
    """Files of the same kind (the name's part before "-") for other content, unused for STALE_DAYS, are deleted
    when a new one is written: each content version leaves one behind (the asked questions' index is ~9 MB), and a
    worker still running an older version (a rolling restart) finds its own file younger than that."""
    kind = path.name.split("-", 1)[0]
    cutoff = (time.time() if now is None else now) - STALE_DAYS * 86400
    for other in path.parent.glob(f"{kind}-*{path.suffix}"):
        with contextlib.suppress(OSError):  # gone already, or not ours to delete
            if other != path and other.stat().st_mtime < cutoff:
                other.unlink()
