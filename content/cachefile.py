"""Files hocbot can always rebuild (the search index, the asked questions' index), kept in HOCBOT_CACHE_DIR: named
by a hash of what they were built from, written atomically, and any trouble reading one only means a rebuild."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


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
    return built
