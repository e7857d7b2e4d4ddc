"""Two workers on one PostgreSQL database: one scheduler leader at a time, one fire, one copy per subscriber."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlalchemy import text

from bot.app import build_services
from bot.core.context import Services
from handlers.week.campaigns import tick
from scheduler.leader import Leader
from scheduler.runner import CampaignScheduler
from tests.conftest import PG_URL, make_settings
from tests.test_campaigns import add, add_users, copies, fires, local

pytestmark = pytest.mark.skipif(not PG_URL, reason="HOCBOT_TEST_DATABASE_URL not set")


@pytest.fixture
async def workers(db_url: str) -> tuple[Services, Services]:
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    a = await build_services(make_settings(db_url))
    b = await build_services(make_settings(db_url), migrate=False)
    yield a, b  # type: ignore[misc]
    await a.db.dispose()
    await b.db.dispose()


async def test_two_workers_one_fire_one_copy(workers: tuple[Services, Services]) -> None:
    a, b = workers
    users = await add_users(a, 200)
    cid = await add(a, local(2026, 9, 1), kind="once", at=local(2026, 9, 24, 8))
    now = local(2026, 9, 24, 8, 0)
    results = await asyncio.gather(*(tick(w, now) for w in (a, b, a, b)))
    assert sum(len(r) for r in results) == 1
    assert len(await fires(b, cid)) == 1
    assert await copies(a, cid) == Counter({u: 1 for u in users})


async def test_one_leader_and_takeover_when_it_dies(workers: tuple[Services, Services]) -> None:
    a, b = workers
    la, lb = Leader(a.db), Leader(b.db)
    assert await la.ensure() is True
    assert await lb.ensure() is False
    assert await la.ensure() is True  # keeps it
    async with a.db.engine.connect() as conn:  # the leader's process dies: its connection goes away
        await conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = :k AND granted"
            ),
            {"k": la.key},
        )
    await asyncio.sleep(0.2)
    assert await lb.ensure() is True
    assert await la.ensure() is False  # notices it lost the lock and does not get it back
    await lb.release()
    assert await la.ensure() is True
    await la.release()


async def test_only_the_leader_fires(workers: tuple[Services, Services]) -> None:
    a, b = workers
    users = await add_users(a, 5)
    cid = await add(a, local(2026, 9, 1), kind="once", at=local(2026, 9, 24, 8))
    clock = local(2026, 9, 24, 8, 1)
    a.clock = b.clock = lambda: clock
    sa, sb = CampaignScheduler(a), CampaignScheduler(b)
    assert await sa.leader.ensure()
    await asyncio.gather(sa.step(), sb.step())
    assert not sb.leader.is_leader
    assert await copies(b, cid) == Counter({u: 1 for u in users})
    await sa.leader.release()
