"""GET /metrics after a short Telegram conversation (with the LLM) and a broadcast: the counters a
monitoring system reads moved by exactly what happened. Only the loopback or the token may read them."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bench.broadcast import seed_subscribers
from handlers.officers import outbox
from handlers.officers.audience import db_gauges
from tests.conftest import make_settings
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegram
from tests.harness import running_bot

LLM_WEEK = (
    "Tuần lễ hưởng ứng học tập suốt đời diễn ra từ ngày 1 đến ngày 7 tháng 10 hằng năm [1]. "
    "Các địa phương tổ chức nhiều hoạt động đọc sách và học tập [1]."
)


async def scrape(url: str, headers: dict[str, str] | None = None) -> dict[tuple[str, tuple[Any, ...]], float]:
    async with aiohttp.ClientSession() as http, http.get(f"{url}/metrics", headers=headers or {}) as resp:
        assert resp.status == 200, await resp.text()
        assert resp.headers["Content-Type"].startswith("text/plain")
        text = await resp.text()
    out: dict[tuple[str, tuple[Any, ...]], float] = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def val(m: dict[tuple[str, tuple[Any, ...]], float], name: str, **labels: str) -> float:
    return m.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_counters_after_a_conversation_and_a_broadcast(db_url: str) -> None:
    async with FakeTelegram() as tg, FakeOpenAI() as llm:
        llm.reply(LLM_WEEK)
        settings = make_settings(
            db_url, telegram_bot_token=DEFAULT_TOKEN, telegram_api_base_url=tg.base_url,
            openai_api_key=llm.api_key, openai_base_url=llm.base_url, hocbot_broadcast_rate=50,
        )
        async with running_bot(settings) as bot:
            before = await scrape(bot.url)
            assert val(before, "hocbot_inbound_updates_total", channel="telegram", kind="text") == 0

            # a short conversation: a command, a question the LLM answers, a sticker
            lan = tg.user(5561001, first_name="Lan")
            for text in ("/trogiup", "tuan le hoc tap la gi"):
                seen = len(lan.messages())
                await lan.send(text)
                await lan.wait_for(seen + 1, timeout=12)
            seen = len(lan.messages())
            await lan.send_sticker()
            await lan.wait_for(seen + 1, timeout=10)

            # a broadcast to 6 subscribers: 4 get it, one blocked the bot, one chat no longer exists
            chats = await seed_subscribers(bot.runtime.services.db, 6, first_chat=770_000)
            for c in chats:
                tg.set_fate(c, None)
            tg.set_fate(chats[0], "blocked")
            tg.set_fate(chats[1], "not_found")
            tg.fail_next("sendMessage", status=429, retry_after=1, count=1)
            async with bot.runtime.services.db.session() as s:
                b = await outbox.create_broadcast(s, text="Họp chi hội tối thứ Bảy", created_by="test",
                                                  group_ids="all", status="queued")
                queued = await outbox.queue_broadcast(s, b)
            assert queued == 6  # Lan never consented: not a subscriber
            bot.runtime.pacer.wake()
            for _ in range(200):
                m = await scrape(bot.url)
                if sum(val(m, "hocbot_outbox_deliveries_total", channel="telegram", outcome=o)
                       for o in ("sent", "blocked", "gone")) >= 6:
                    break
                await asyncio.sleep(0.05)
            for _ in range(100):  # outcomes reach the database within ~50 ms of the counters
                await bot.runtime.services.metrics.refresh(partial(db_gauges, bot.runtime.services.db), force=True)
                m = await scrape(bot.url)
                if val(m, "hocbot_outbox_queued", channel="telegram") == 0:
                    break
                await asyncio.sleep(0.05)

    assert val(m, "hocbot_inbound_updates_total", channel="telegram", kind="text") == 2
    assert val(m, "hocbot_inbound_updates_total", channel="telegram", kind="sticker") == 1
    assert val(m, "hocbot_reply_seconds_count", channel="telegram") == 3
    assert val(m, "hocbot_outbox_deliveries_total", channel="telegram", outcome="sent") == 4
    assert val(m, "hocbot_outbox_deliveries_total", channel="telegram", outcome="blocked") == 1
    assert val(m, "hocbot_outbox_deliveries_total", channel="telegram", outcome="gone") == 1  # chat not found
    assert val(m, "hocbot_outbox_deliveries_total", channel="telegram", outcome="failed") == 0
    assert val(m, "hocbot_rate_limited_total", channel="telegram") == 1
    assert val(m, "hocbot_outbox_queued", channel="telegram") == 0
    assert val(m, "hocbot_subscribers", channel="telegram") == 4  # the two blocked ones went inactive
    assert val(m, "hocbot_llm_calls_total", result="ok") == 1
    assert val(m, "hocbot_llm_seconds_count") == 1
    assert val(m, "hocbot_llm_tokens_total", kind="prompt") == 100  # what the fake server reports
    assert val(m, "hocbot_llm_tokens_total", kind="completion") == len(LLM_WEEK.split())
    assert sum(v for (name, _), v in m.items() if name == "hocbot_llm_fallbacks_total") == 0


@pytest.mark.parametrize(
    ("token", "headers", "status"),
    [
        (None, {}, 200),  # from this machine, directly
        (None, {"X-Forwarded-For": "203.0.113.9"}, 403),  # through the reverse proxy: someone outside
        ("s3cret-metrics", {"X-Forwarded-For": "203.0.113.9", "Authorization": "Bearer s3cret-metrics"}, 200),
        ("s3cret-metrics", {"X-Forwarded-For": "203.0.113.9", "Authorization": "Bearer wrong"}, 403),
    ],
)
async def test_who_may_read_the_numbers(db_url: str, token: str | None, headers: dict[str, str], status: int) -> None:
    settings = make_settings(db_url, hocbot_metrics_token=token)
    async with running_bot(settings) as bot, aiohttp.ClientSession() as http:
        async with http.get(f"{bot.url}/metrics", headers=headers) as resp:
            assert resp.status == status
            if status == 200:
                assert "# TYPE hocbot_outbox_deliveries_total counter" in await resp.text()
