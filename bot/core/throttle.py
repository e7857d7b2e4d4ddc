"""In-memory token buckets against guessing and flooding (login links, link codes, new web chat sessions).

Per process: with several workers an attacker gets a few times the budget, still far below guessing speed.
Each throttle keeps at most `max_keys` buckets (the least recently used are forgotten), so memory stays flat.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field


class Throttle:
    """`allow(key)` spends one token of `key`'s bucket: `burst` at once, then one every `per` seconds."""

    def __init__(
        self, burst: float, per: float, *, max_keys: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.burst, self.per, self.max_keys, self.clock = burst, per, max_keys, clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key → (tokens, at)

    def allow(self, key: str) -> bool:
        """Spend one token; False (nothing spent) when the bucket is empty."""
        return self._take(key, spend=True)

    def exhausted(self, key: str) -> bool:
        """True when `allow` would refuse now; nothing is spent (throttle only failures: check, then spend)."""
        return not self._take(key, spend=False)

    def _take(self, key: str, *, spend: bool) -> bool:
        now = self.clock()
        tokens, at = self._buckets.pop(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - at) / self.per)
        ok = tokens >= 1
        self._buckets[key] = (tokens - 1 if ok and spend else tokens, now)
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        return ok

    def __len__(self) -> int:
        return len(self._buckets)


@dataclass
class Throttles:
    """The process's throttles, one per thing that can be guessed or flooded."""

    login_ip: Throttle = field(default_factory=lambda: Throttle(10, 30))  # wrong dashboard login links
    link_user: Throttle = field(default_factory=lambda: Throttle(5, 60))  # /lienket CODE per account
    link_ip: Throttle = field(default_factory=lambda: Throttle(20, 30))  # /lienket CODE per web client
    web_session_ip: Throttle = field(default_factory=lambda: Throttle(30, 10))  # new web chat sessions
