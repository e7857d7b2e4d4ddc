"""Ways in: /lienket never carries officer rights, web chat sessions are never officers, guessing is throttled."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from sqlmodel import select

from bot.core import texts
from bot.core.throttle import Throttle
from bot.db.models import Identity
from bot.db.models_officers import Officer, OfficerScope
from bot.web.http import TOO_MANY
from handlers.officers.chat import NOT_OFFICER
from handlers.onboarding.link import ALPHABET
from tests.conftest import make_settings
from tests.fakes.zalo_bot_server import FakeBotUser, FakeZaloBot
from tests.harness import RunningBot, WebUser, running_bot
from tests.test_link import onboard_web

World = tuple[FakeZaloBot, RunningBot, aiohttp.ClientSession]


@pytest.fixture
async def world(db_url: str) -> AsyncIterator[World]:
    async with FakeZaloBot(idle_timeout=0.2) as fake:
        settings = make_settings(db_url, zalo_bot_token=fake.token, zalo_api_base_url=fake.base_url)
        async with running_bot(settings) as bot, aiohttp.ClientSession() as http:
            async with bot.runtime.services.db.session() as s:
                off = Officer(channel="zalo", external_id="z-officer", role="officer", name="Cán bộ Hoa Lư")
                s.add(off)
                await s.flush()
                assert off.id is not None
                s.add(OfficerScope(officer_id=off.id, kind="province", value="Ninh Bình"))
                s.add(Officer(channel="web", external_id="webOfficer_01", role="admin"))  # as `officer add` allowed
            yield fake, bot, http


async def says(user: FakeBotUser, text: str, n: int = 1) -> list[str]:
    await user.send(text)
    return [await user.wait_reply() for _ in range(n)]


async def onboard_zalo(user: FakeBotUser) -> None:
    await says(user, "/start", 2)
    await says(user, "1")
    await says(user, "ninh binh", 2)
    await says(user, "bo qua")


async def post(bot: RunningBot, http: aiohttp.ClientSession, body: dict[str, Any], ip: str = "") -> Any:
    headers = {"X-Forwarded-For": ip} if ip else {}
    body = {"id": uuid.uuid4().hex, **body}
    async with http.post(f"{bot.url}/api/chat", data=json.dumps(body), headers=headers) as resp:
        return resp.status, await resp.json()


async def test_linking_never_carries_officer_rights(world: World) -> None:
    fake, bot, http = world
    officer = fake.user("z-officer", "Cán bộ")
    await onboard_zalo(officer)
    (refused,) = await says(officer, "/lienket")
    assert refused == texts.LINK_OFFICER  # no code to hand to another account

    web = WebUser(bot.url, http)
    await onboard_web(web)
    await web.says("/lienket")
    found = re.search(r"/lienket ([A-Z0-9]+)", web.last_reply())
    assert found and len(found.group(1)) == 8 and set(found.group(1)) <= set(ALPHABET)
    (refused,) = await says(officer, f"/lienket {found.group(1)}")  # the other direction
    assert refused == texts.LINK_OFFICER
    await web.says("/web")
    assert web.last_reply() == NOT_OFFICER and "dashboard/login" not in web.all_text()
    async with bot.runtime.services.db.session() as s:
        idents = (await s.exec(select(Identity))).all()
        assert len({i.user_id for i in idents}) == 2  # nothing merged
    (again,) = await says(officer, f"/lienket {found.group(1)}")
    assert "không đúng" in again  # the code was used up by that attempt


async def test_a_web_chat_session_is_never_an_officer(world: World) -> None:
    _fake, bot, http = world
    status, data = await post(bot, http, {"session": "webOfficer_01", "text": "/web"})
    assert status == 200
    text = "\n".join(r["text"] for r in data["replies"])
    assert NOT_OFFICER in text and "dashboard/login" not in text


def test_cli_refuses_web_officers(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Any,
                                  capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    from bot.cli import main

    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.chdir(tmp_path)
    assert main(["officer", "add", "web:webOfficer_01", "--province", "Ninh Bình"]) == 1
    err = capsys.readouterr().err
    assert "web" in err and "không thể là cán bộ" in err


async def test_link_code_guesses_are_throttled_per_account_and_per_address(world: World) -> None:
    fake, bot, http = world
    guesser = fake.user("z-guess", "Đoán")
    answers = [(await says(guesser, f"/lienket AAAA{n:04d}"))[0] for n in range(7)]
    assert all("không đúng" in a for a in answers[:5])
    assert answers[5] == answers[6] == texts.LINK_TOO_MANY

    # from one address, fresh web sessions each guessing once are stopped too
    statuses = []
    for n in range(24):
        _, data = await post(bot, http, {"session": f"guess{n:04d}xx", "text": f"/lienket BBBB{n:04d}"}, "203.0.113.9")
        statuses.append(data["replies"][0]["text"])
    assert statuses[:20] == [texts.LINK_BAD_CODE.format(code=f"BBBB{n:04d}") for n in range(20)]
    assert statuses[20:] == [texts.LINK_TOO_MANY] * 4
    _, data = await post(bot, http, {"session": "otherplace01", "text": "/lienket CCCC0000"}, "198.51.100.3")
    assert "không đúng" in data["replies"][0]["text"]  # another address is not affected


async def test_new_web_sessions_per_address_get_429(world: World) -> None:
    _fake, bot, http = world
    first = [await post(bot, http, {"session": f"flood{n:05d}", "text": "/trogiup"}, "203.0.113.7") for n in range(40)]
    codes = [status for status, _ in first]
    assert codes[:30] == [200] * 30 and 429 in codes[30:]
    refused = next(data for status, data in first if status == 429)
    assert refused == {"error": TOO_MANY}
    status, _ = await post(bot, http, {"session": "flood00001", "text": "/trogiup"}, "203.0.113.7")
    assert status == 200  # a session already talking goes on
    status, _ = await post(bot, http, {"session": "someone-else", "text": "/trogiup"}, "198.51.100.4")
    assert status == 200


async def test_dashboard_login_guesses_get_429(world: World) -> None:
    _fake, bot, http = world
    statuses = []
    for n in range(14):
        async with http.get(f"{bot.url}/dashboard/login/guess{n}", headers={"X-Forwarded-For": "203.0.113.5"}) as r:
            statuses.append((r.status, await r.text()))
    assert [s for s, _ in statuses[:10]] == [403] * 10
    assert all(s == 429 and TOO_MANY in t for s, t in statuses[10:])
    async with http.post(f"{bot.url}/dashboard/login/guess", headers={"X-Forwarded-For": "203.0.113.5"}) as r:
        assert r.status == 429
    async with http.get(f"{bot.url}/dashboard/login/guess", headers={"X-Forwarded-For": "198.51.100.5"}) as r:
        assert r.status == 403


async def test_web_chat_dedupe_is_per_session(world: World) -> None:
    _fake, bot, http = world
    _, a = await post(bot, http, {"session": "session-aaaa", "id": "shared-1", "text": "/trogiup"})
    _, b = await post(bot, http, {"session": "session-bbbb", "id": "shared-1", "text": "/trogiup"})
    _, again = await post(bot, http, {"session": "session-bbbb", "id": "shared-1", "text": "/trogiup"})
    assert a["replies"] and b["replies"] and again["replies"] == []


def test_throttle_memory_is_bounded() -> None:
    now = [0.0]
    t = Throttle(2, 10, max_keys=100, clock=lambda: now[0])
    assert t.allow("a") and t.allow("a") and not t.allow("a")
    now[0] = 10.0
    assert t.allow("a") and not t.allow("a")
    for n in range(1000):
        t.allow(f"ip{n}")
    assert len(t) == 100
