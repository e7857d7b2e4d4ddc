"""/lienket across the web chat and Zalo: one learner, one progress, whichever side was first."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator

import aiohttp
import pytest
from sqlalchemy import func, select
from sqlmodel import SQLModel, col
from sqlmodel import select as sm_select

from bot.core import texts
from bot.db.models import Group, Identity, Membership, User
from bot.settings import Settings
from tests.conftest import make_settings
from tests.fakes.zalo_bot_server import FakeBotUser, FakeZaloBot
from tests.harness import RunningBot, WebUser, running_bot

JOIN = "CLBXAA"


@pytest.fixture
async def world(db_url: str) -> AsyncIterator[tuple[FakeZaloBot, RunningBot, aiohttp.ClientSession]]:
    async with FakeZaloBot(idle_timeout=0.2) as fake:
        settings: Settings = make_settings(db_url, zalo_bot_token=fake.token, zalo_api_base_url=fake.base_url)
        async with running_bot(settings) as bot, aiohttp.ClientSession() as http:
            async with bot.runtime.services.db.session() as s:
                s.add(Group(name="clb-xa-a", title="CLB học tập xã A", join_code=JOIN))
            yield fake, bot, http


async def says(user: FakeBotUser, text: str, n: int = 1) -> list[str]:
    await user.send(text)
    return [await user.wait_reply() for _ in range(n)]


async def onboard_web(web: WebUser) -> None:
    await web.says(f"/start {JOIN}")
    await web.press("Đồng ý")
    await web.press("Hà Nội")
    await web.says("Phường Ba Đình")


async def link_code(web: WebUser) -> str:
    await web.says("/lienket")
    found = re.search(r"/lienket ([A-Z0-9]{8})", web.last_reply())
    assert found, web.last_reply()
    return found.group(1)


async def rows_pointing_at(bot: RunningBot, user_id: int) -> int:
    """Rows in any table with a user_id column that still point at `user_id`."""
    total = 0
    async with bot.runtime.services.db.session() as s:
        for table in SQLModel.metadata.sorted_tables:
            if "user_id" in table.c:
                query = select(func.count()).select_from(table).where(table.c.user_id == user_id)
                total += int((await s.execute(query)).scalar_one())
    return total


async def test_web_learner_links_zalo_and_keeps_her_progress(
    world: tuple[FakeZaloBot, RunningBot, aiohttp.ClientSession],
) -> None:
    fake, bot, http = world
    web = WebUser(bot.url, http)
    await onboard_web(web)
    code = await link_code(web)
    assert "10 phút" in web.last_reply()

    lan = fake.user("z-lan", "Lan")
    (done,) = await says(lan, f"/lienket {code.lower()}")
    assert "Đã liên kết" in done and "Zalo" in done and "web" in done
    (mine,) = await says(lan, "/caidat")  # Zalo now shows the place she chose on the web
    assert "Nơi ở: Ba Đình, Hà Nội" in mine

    async with bot.runtime.services.db.session() as s:
        zalo = (await s.exec(sm_select(Identity).where(Identity.channel == "zalo"))).first()
        web_ident = (await s.exec(sm_select(Identity).where(Identity.channel == "web"))).first()
        assert zalo is not None and web_ident is not None and zalo.user_id == web_ident.user_id
        users = (await s.execute(select(func.count()).select_from(User))).scalar_one()
        assert users == 1
        member = (await s.execute(select(func.count()).select_from(Membership))).scalar_one()
        assert member == 1

    (again,) = await says(lan, f"/lienket {code}")  # a code works once
    assert texts.LINK_BAD_CODE.format(code=code) in again


async def test_older_zalo_account_is_kept_and_shared_group_merges(
    world: tuple[FakeZaloBot, RunningBot, aiohttp.ClientSession],
) -> None:
    fake, bot, http = world
    lan = fake.user("z-lan", "Lan")
    await says(lan, f"/start {JOIN}", 2)
    await says(lan, "1", 2)  # consent: joined the group, then the province question
    await says(lan, "da nang", 2)
    await says(lan, "bo qua")

    web = WebUser(bot.url, http)
    await web.says("/lienket")
    assert texts.CONSENT_NEEDED in web.last_reply()  # no code before consent
    await onboard_web(web)  # same group, another province
    code = await link_code(web)
    async with bot.runtime.services.db.session() as s:
        web_ident = (await s.exec(sm_select(Identity).where(Identity.channel == "web"))).first()
        assert web_ident is not None
        web_uid = web_ident.user_id

    (done,) = await says(lan, f"/lienket {code}")
    assert "Đã liên kết" in done
    (mine,) = await says(lan, "/caidat")
    assert "Đà Nẵng" in mine  # the older account's choices win
    assert await rows_pointing_at(bot, web_uid) == 0
    async with bot.runtime.services.db.session() as s:
        members = (await s.execute(select(col(Membership.user_id)))).scalars().all()
        assert len(members) == 1 and members[0] != web_uid
        idents = await s.exec(sm_select(Identity).where(Identity.user_id == members[0]))
        assert sorted(i.channel for i in idents) == ["web", "zalo"]


async def test_expired_or_unknown_code(world: tuple[FakeZaloBot, RunningBot, aiohttp.ClientSession]) -> None:
    fake, bot, http = world
    web = WebUser(bot.url, http)
    await onboard_web(web)
    code = await link_code(web)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=11)
    bot.runtime.services.clock = lambda: later
    lan = fake.user("z-lan", "Lan")
    (expired,) = await says(lan, f"/lienket {code}")
    assert "hết hạn" in expired
    (unknown,) = await says(lan, "/lienket ZZZZZZZZ")
    assert "hết hạn" in unknown
