"""GET /healthz, /readyz and /metrics: what a supervisor, a load balancer and a monitoring system ask.

/healthz  the process answers (always 200 while the event loop runs).
/readyz   the database answers, every configured channel is started (ok or retrying), the app is not
          stopping; 503 otherwise. Also says whether this worker runs the campaign scheduler.
/metrics  Prometheus text format; only to the loopback (without a proxy in between) or with
          `Authorization: Bearer $HOCBOT_METRICS_TOKEN`.

Each answers within ~50 ms: the database probe is cut off after DB_PROBE_TIMEOUT and then counts as down.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import logging
import time
from functools import partial
from typing import TYPE_CHECKING, Any

from aiohttp import web
from sqlalchemy import text

from bot.metrics import CONTENT_TYPE
from handlers.officers.audience import db_gauges

if TYPE_CHECKING:
    from bot.app import Runtime

log = logging.getLogger(__name__)

DB_PROBE_TIMEOUT = 0.04
METRICS_DB_TIMEOUT = 0.5
READY_CHANNEL_STATES = ("ok", "retrying")
PROXY_HEADERS = ("X-Forwarded-For", "X-Real-IP", "Forwarded")


class DatabaseProbe:
    """`SELECT 1` on a pooled connection, never more than one at a time: a probe that is still waiting (a
    locked SQLite file, a PostgreSQL that does not answer) is not cancelled but awaited again by the next
    /readyz, so stuck probes never pile up.

    A probe slower than the answer's time budget, on a database that answered within the last few seconds,
    counts as up for SLOW_GRACE seconds ("slow" in the detail): one busy moment on a small VPS must not take
    every worker out of the load balancer at once. A database that stays silent is down after that."""

    SLOW_GRACE = 1.0
    RECENT = 5.0

    def __init__(self, rt: Runtime) -> None:
        self.db = rt.services.db
        self._task: asyncio.Task[float] | None = None
        self._started = 0.0
        self._last_ok = -1e9

    async def _ping(self) -> float:
        start = time.perf_counter()
        async with self.db.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        self._last_ok = time.monotonic()
        return time.perf_counter() - start

    async def check(self, timeout: float = DB_PROBE_TIMEOUT) -> tuple[bool, str]:  # noqa: ASYNC109
        """(reachable, detail) within `timeout` seconds."""
        if self._task is None or self._task.done():
            self._started = time.monotonic()
            self._task = asyncio.create_task(self._ping())
        try:
            took = await asyncio.wait_for(asyncio.shield(self._task), timeout)
        except TimeoutError:
            now = time.monotonic()
            if now - self._started < self.SLOW_GRACE and now - self._last_ok < self.RECENT:
                return True, f"slow: no answer yet after {(now - self._started) * 1000:.0f} ms"
            return False, f"no answer for {(now - self._started) * 1000:.0f} ms"
        except Exception as exc:
            log.warning("readiness: database probe failed: %s", type(exc).__name__)
            return False, type(exc).__name__
        return True, f"{took * 1000:.1f} ms"


def scheduler_info(rt: Runtime) -> dict[str, Any]:
    sched = rt.campaign_scheduler
    if sched is None:
        return {"running": False, "leader": False}
    return {"running": True, "leader": bool(sched.leader.is_leader)}


def health_routes(rt: Runtime) -> list[web.RouteDef]:
    started = time.time()
    probe = DatabaseProbe(rt)

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "uptime_s": round(time.time() - started, 1)})

    async def readyz(request: web.Request) -> web.Response:
        db_ok, db_detail = await probe.check()
        channels = {name: rt.channel_state(name) for name in rt.channels}
        ready = db_ok and not rt.stopping and all(s in READY_CHANNEL_STATES for s in channels.values())
        body = {
            "status": "ready" if ready else "not ready",
            "database": {"ok": db_ok, "detail": db_detail},
            "channels": channels,
            "scheduler": scheduler_info(rt),
            "stopping": rt.stopping,
        }
        return web.json_response(body, status=200 if ready else 503)

    async def metrics(request: web.Request) -> web.Response:
        if not metrics_allowed(request, rt):
            return web.json_response({"error": "forbidden"}, status=403)
        m = rt.services.metrics
        try:
            await asyncio.wait_for(m.refresh(partial(db_gauges, rt.services.db)), METRICS_DB_TIMEOUT)
        except Exception as exc:  # the counters still go out; the gauges keep their last values
            log.warning("metrics: database gauges not refreshed: %s", type(exc).__name__)
        return web.Response(body=m.render(), headers={"Content-Type": CONTENT_TYPE})

    return [web.get("/healthz", healthz), web.get("/readyz", readyz), web.get("/metrics", metrics)]


def metrics_allowed(request: web.Request, rt: Runtime) -> bool:
    """A matching bearer token (constant-time compare), or a direct connection from this machine."""
    token = rt.settings.metrics_token
    given = request.headers.get("Authorization", "")
    if token is not None and token.get_secret_value():
        expected = b"Bearer " + token.get_secret_value().encode()
        if hmac.compare_digest(given.encode(), expected):
            return True
    if any(h in request.headers for h in PROXY_HEADERS):  # came through a reverse proxy: not local
        return False
    return is_loopback(request.remote)


def is_loopback(remote: str | None) -> bool:
    if not remote:
        return False
    try:
        return ipaddress.ip_address(remote.split("%", 1)[0]).is_loopback
    except ValueError:
        return False
