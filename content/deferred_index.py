"""The search index, made ready after `hocbot run` opens its port.

Reading the index takes a few percent of start-up, and greetings, menus, lessons and quizzes do not need it:
the web server answers first while a thread reads the index. A question that comes before it is ready waits
for it, as it would have waited for the start-up.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from content.schema import FaqEntry
from content.search import Hit, SearchIndex


class DeferredIndex:
    """A SearchIndex built by `build` on first use, or earlier by `get()` called from a warm-up thread."""

    def __init__(self, build: Callable[[], SearchIndex]) -> None:
        self._build = build
        self._index: SearchIndex | None = None
        self._pending: list[FaqEntry] = []  # approved answers added before the index was read
        self._lock = threading.Lock()
        self._done = threading.Event()

    @property
    def ready(self) -> bool:
        return self._index is not None

    def wait(self, timeout: float | None = None) -> bool:
        """Block until someone has read the index (without reading it here); False after `timeout` seconds."""
        return self._done.wait(timeout)

    def get(self) -> SearchIndex:
        """The index, built now (or once the thread building it is done)."""
        index = self._index
        if index is not None:
            return index
        with self._lock:
            if self._index is None:
                built = self._build()
                for entry in self._pending:
                    built.add_entry(entry)
                self._pending.clear()
                self._index = built
                self._done.set()
            return self._index

    def add_entry(self, entry: FaqEntry) -> None:
        """Searchable as soon as the index is: added now if it is ready, else right after it is read."""
        with self._lock:
            index = self._index
            if index is None:
                self._pending.append(entry)
                return
        index.add_entry(entry)

    def search(self, query: str, k: int = 3, among: Iterable[str] | None = None,
               asked: frozenset[str] | None = None, context: str | None = None) -> list[Hit]:
        return self.get().search(query, k, among, asked, context)

    def faq_entry(self, entry_id: str) -> FaqEntry | None:
        return self.get().faq_entry(entry_id)

    def lesson_passages(self) -> tuple[str, ...]:
        return self.get().lesson_passages()

    def __len__(self) -> int:
        return len(self.get())

    def __bool__(self) -> bool:  # `search or SearchIndex(...)` must not read the index
        return True

    def __getattr__(self, name: str) -> Any:  # what else a SearchIndex offers (tests look inside)
        if name.startswith("__") or name in ("_build", "_index", "_pending", "_lock", "_done"):
            raise AttributeError(name)
        return getattr(self.get(), name)


Index = SearchIndex | DeferredIndex
"""What the services search with: an index read already, or one read after the port opens."""
