"""Numbers for a monitoring system (Prometheus text format), one registry per app.

Every `Services` owns one `Metrics` (so tests that run several apps in one process never share counters).
Code that does the work counts it where it happens: the dispatcher (inbound events, reply latency), the
pacer lanes (delivery outcomes, 429s, retries), the LLM client (calls, latency, fallbacks, tokens) and the
campaign timer (fires). Gauges that are facts of the database (queued deliveries, subscribers) are read
when `/metrics` is scraped (`refresh`), at most once per `DB_GAUGE_TTL` seconds.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

Gauges = tuple[dict[str, int], dict[str, int]]  # (waiting deliveries per channel, subscribers per channel)

CONTENT_TYPE = CONTENT_TYPE_LATEST
DB_GAUGE_TTL = 5.0
REPLY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
LLM_BUCKETS = (0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 15.0)


class Metrics:
    """The process's counters and gauges, registered in its own CollectorRegistry."""

    def __init__(self) -> None:
        r = self.registry = CollectorRegistry(auto_describe=True)
        self.inbound = Counter(
            "hocbot_inbound_updates", "Inbound events by channel and kind", ["channel", "kind"], registry=r
        )
        self.duplicates = Counter(
            "hocbot_inbound_duplicates", "Repeated platform deliveries that were ignored", ["channel"], registry=r
        )
        self.handler_errors = Counter(
            "hocbot_handler_errors", "Events whose handler raised (the user got the apology)", ["channel"],
            registry=r,
        )
        self.reply_seconds = Histogram(
            "hocbot_reply_seconds", "From an inbound event to its last reply sent", ["channel"],
            buckets=REPLY_BUCKETS, registry=r,
        )
        self.deliveries = Counter(
            "hocbot_outbox_deliveries", "Broadcast and campaign deliveries by channel and final outcome",
            ["channel", "outcome"], registry=r,
        )
        self.outbox_queued = Gauge(
            "hocbot_outbox_queued", "Deliveries waiting in the outbox (queued or being sent)", ["channel"],
            registry=r,
        )
        self.rate_limited = Counter(
            "hocbot_rate_limited", "429 / flood-control answers from a platform", ["channel"], registry=r
        )
        self.retries = Counter(
            "hocbot_delivery_retries", "Deliveries queued again after a temporary error", ["channel"], registry=r
        )
        self.llm_calls = Counter("hocbot_llm_calls", "LLM answers by result", ["result"], registry=r)
        self.llm_seconds = Histogram(
            "hocbot_llm_seconds", "LLM answer time (first request to judged answer)", buckets=LLM_BUCKETS,
            registry=r,
        )
        self.llm_fallbacks = Counter(
            "hocbot_llm_fallbacks", "Answers that fell back to the curated text, by reason", ["reason"], registry=r
        )
        self.llm_tokens = Counter("hocbot_llm_tokens", "LLM tokens used", ["kind"], registry=r)
        self.subscribers = Gauge(
            "hocbot_subscribers", "Recipients of officers' messages by the channel they get them on (each person once)",
            ["channel"], registry=r
        )
        self.campaign_fires = Counter(
            "hocbot_campaign_fires", "Campaign fires by status (sent / skipped)", ["status"], registry=r
        )
        self._db_stamp = -DB_GAUGE_TTL

    # ---- counting helpers (one line at the call sites) ------------------------------------------------

    def observe_llm(self, result: str, ok: bool, seconds: float) -> None:
        """One finished LLM answer: its result ("ok", "timeout", …), time, and a fallback when not ok."""
        self.llm_calls.labels(result).inc()
        self.llm_seconds.observe(seconds)
        if not ok:
            self.llm_fallbacks.labels(result).inc()

    def count_tokens(self, usage: Any) -> None:
        """The `usage` of an OpenAI-compatible response (prompt_tokens, completion_tokens)."""
        self.llm_tokens.labels("prompt").inc(int(getattr(usage, "prompt_tokens", 0) or 0))
        self.llm_tokens.labels("completion").inc(int(getattr(usage, "completion_tokens", 0) or 0))

    # ---- exposition ---------------------------------------------------------------------------------

    async def refresh(self, read: Callable[[], Awaitable[Gauges]], *, force: bool = False) -> None:
        """Read the database gauges (outbox depth, subscribers) with `read` (handlers/officers/audience.py's
        `db_gauges`), at most once per DB_GAUGE_TTL seconds."""
        now = time.monotonic()
        if not force and now - self._db_stamp < DB_GAUGE_TTL:
            return
        self._db_stamp = now
        queued, subscribers = await read()
        for gauge, values in ((self.outbox_queued, queued), (self.subscribers, subscribers)):
            gauge.clear()
            for channel, n in values.items():
                gauge.labels(channel).set(n)

    def render(self) -> bytes:
        return generate_latest(self.registry)
