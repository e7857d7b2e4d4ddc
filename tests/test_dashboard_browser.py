"""The officers' dashboard in headless Chromium (Playwright + Debian's chromium), against the real web app.

An officer logs in with a one-time link (from `/web` in Telegram, or as `hocbot officer login-link` makes it),
an expired link is refused, a broadcast is composed in the browser and goes out through the fake Telegram
server while the progress bar fills, the report is downloaded as CSV and XLSX, a commune officer is kept out
of another commune, and forms without their CSRF token are refused. Screenshots go to tests/screenshots/out/
(ignored by git); `make screenshots` refreshes the README's in tests/screenshots/.

To stay fast, one bot (with the fake Telegram) and one seeded province run per database for the whole module;
each test opens its own browser context (own cookies) and compares counts before and after itself.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import func
from sqlmodel import select

from bot.db.models import AuditLog
from bot.db.models_officers import Broadcast
from bot.web.dashboard.render import NAV
from tests.browser import PHONE, Chromium, Dashboard, launch_browser, local_link, login_link, open_dashboard
from tests.conftest import _backends, fresh_database
from tests.dashboard_world import ADMIN, LEARNING, OFFICER, World, province
from tests.harness import RunningBot

# one Chromium, one bot per database; under xdist (`make test`) the whole module runs in one worker
pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.xdist_group("dashboard_browser")]

CSV_HEADER = ["Mã người nhận", "Tên", "Kênh", "Trạng thái", "Số lần thử", "Lý do lỗi", "Gửi lúc"]  # PAGES.md


@pytest.fixture(scope="module", params=_backends())
def module_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with fresh_database(request.param, tmp_path_factory.mktemp("dash")) as url:
        yield url


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[Chromium]:
    async with launch_browser() as chromium:
        yield chromium


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(module_db_url: str) -> AsyncIterator[World]:
    async with province(module_db_url) as w:
        yield w


async def refusals(bot: RunningBot, action: str | None = None) -> list[AuditLog]:
    async with bot.runtime.services.db.session() as s:
        stmt = select(AuditLog).where(AuditLog.allowed == False)  # noqa: E712
        if action:
            stmt = stmt.where(AuditLog.action == action)
        return list((await s.exec(stmt)).all())


async def broadcast_count(bot: RunningBot) -> int:
    async with bot.runtime.services.db.session() as s:
        return int((await s.exec(select(func.count()).select_from(Broadcast))).one())


async def expect_learning_cards(dash: Dashboard) -> None:
    assert await dash.number("#stat-active") == LEARNING["active"]
    assert await dash.number("#stat-completed") == LEARNING["completed"]
    rate = round(100 * LEARNING["passed"] / LEARNING["quizzes"])
    assert f"{rate}%" in (await dash.text("#stat-pass-rate")).replace(" ", "")
    assert await dash.number("#stat-answered") == LEARNING["answered"]
    assert await dash.number("#stat-unanswered") == LEARNING["unanswered"]


async def test_login_by_one_time_link_then_the_link_is_spent(browser: Chromium, world: World) -> None:
    bot = world.bot
    link = await login_link(bot, "telegram", str(ADMIN))
    async with open_dashboard(browser, bot) as dash:
        resp = await dash.goto(link)
        assert resp.status == 200 and await dash.page.is_visible("#login-form")
        await dash.shot("login", db_url=world.db_url)
        await dash.login(link)
        assert dash.page.url == bot.url + "/dashboard/" and await dash.body_page() == "overview"
        assert await dash.number("#stat-subscribers") == world.subscribers
        await expect_learning_cards(dash)
        units = await dash.page.locator('[data-testid="unit-row"]').evaluate_all("rs => rs.map(r => r.dataset.groupId)")
        assert sorted(units) == sorted(str(g) for g in world.groups.values())  # an admin sees every unit
        last_week = await dash.page.locator("#chart-subscribers svg circle title").last.text_content()
        assert str(last_week).endswith(f": {world.subscribers}"), last_week  # this week counts today's sign-ups
        [cookie] = [c for c in await dash.context.cookies() if c["name"] == "hocbot_dash"]
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/dashboard"
        await dash.shot("overview", db_url=world.db_url)

        resp = await dash.goto(link)  # the same link again: spent
        assert resp.status == 403 and await dash.page.is_visible("#login-invalid")
        assert not await dash.page.is_visible("#login-form")

        await dash.goto("/dashboard/")  # still logged in from the first use
        async with dash.page.expect_navigation():
            await dash.page.click("#logout-button")
        assert dash.page.url == bot.url + "/dashboard/login"
        await dash.goto("/dashboard/broadcasts")  # the session has ended
        assert dash.page.url == bot.url + "/dashboard/login" and await dash.page.is_visible("#login-help")

    async with open_dashboard(browser, bot, viewport=PHONE) as phone:
        await phone.login(await login_link(bot, "telegram", str(ADMIN)))
        assert await phone.body_page() == "overview"
        width = await phone.page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= PHONE["width"], f"the overview scrolls sideways on a phone ({width}px)"
        await phone.shot("overview-phone", db_url=world.db_url)


async def test_expired_link_is_refused(browser: Chromium, world: World) -> None:
    bot, services = world.bot, world.bot.runtime.services
    link = await login_link(bot, "telegram", str(ADMIN))
    refused_before = len(await refusals(bot, "dashboard.login"))
    later, real_clock = services.now() + dt.timedelta(minutes=11), services.clock
    services.clock = lambda: later  # the officer opens the link eleven minutes later
    try:
        async with open_dashboard(browser, bot) as dash:
            resp = await dash.goto(link)
            assert resp.status == 403 and await dash.page.is_visible("#login-invalid")
            assert not await dash.page.is_visible("#login-button")
            await dash.shot("login-expired", db_url=world.db_url)
            forced = await dash.post_raw(link.removeprefix(bot.url), {})  # pressing the button anyway
            assert forced.status == 403
            await dash.goto("/dashboard/")
            assert dash.page.url == bot.url + "/dashboard/login"  # no session was opened
    finally:
        services.clock = real_clock
    assert len(await refusals(bot, "dashboard.login")) == refused_before + 1


def _link_in(messages: list[dict[str, Any]]) -> str | None:
    for m in reversed(messages):
        buttons = [b.get("url", "") for row in (m.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]
        for text in [m.get("text") or "", *buttons]:
            found = re.search(r"https?://\S+/dashboard/login/[\w-]+", text)
            if found:
                return found.group(0)
    return None


async def test_broadcast_from_the_browser_goes_out_with_a_live_progress_bar_and_csv(
    browser: Chromium, world: World, tmp_path: Path
) -> None:
    bot, tg = world.bot, world.tg
    expected, blocked = world.announcement_audience, world.blocked
    admin = tg.user(ADMIN, "Cán bộ tỉnh")
    await admin.send("/web")  # the officer asks for a link in Telegram
    await admin.wait_for(lambda m: _link_in(m) is not None)
    link = _link_in(admin.messages())
    assert link is not None
    async with open_dashboard(browser, bot) as dash:
        await dash.login(local_link(bot, link))
        await dash.page.click("#nav-broadcasts")
        await dash.page.click("#new-broadcast")
        assert await dash.body_page() == "broadcast-new"
        text = "Tuần lễ học tập suốt đời bắt đầu ngày 1/10. Mời bà con tham gia!"
        await dash.page.fill("#text", text)
        for key in ("ninh_binh", "club"):
            await dash.page.check(f"#group-{world.groups[key]}")
        await dash.page.select_option("#button", "module:m1")
        await dash.shot("broadcast-compose", db_url=world.db_url)
        async with dash.page.expect_navigation():
            await dash.page.click("#preview-button")
        assert text in await dash.text("#preview-telegram") and text in await dash.text("#preview-zalo")
        assert await dash.number("#recipient-count") == len(expected)
        assert all(tg.sent_to(c) == 0 for c in expected)  # nothing leaves before the confirmation
        await dash.shot("broadcast-preview", db_url=world.db_url)

        async with dash.page.expect_navigation():
            await dash.page.click("#confirm-button")
        status_at_start = await dash.text("#broadcast-status")
        seen = await _watch_progress(dash)  # e.g. [0, 38, 90, 100]: it moves while the messages go out
        assert seen[-1] == 100 and seen == sorted(seen) and any(0 < p < 100 for p in seen), seen
        await dash.page.wait_for_function(  # the status line follows the bar without a reload
            "s => document.querySelector('#broadcast-status').innerText.trim() !== s", arg=status_at_start)
        delivered = expected - set(blocked)
        assert await dash.number("#count-sent") == len(delivered)
        assert await dash.number("#count-blocked") == 1  # one blocked the bot …
        assert await dash.number("#count-gone") == 1  # … the other's account no longer exists
        assert await dash.page.get_attribute("#progress", "value") in ("100", "100.0")
        assert all(tg.sent_to(c) == 1 for c in delivered)
        outside = world.chats["hanoi"] + [world.unsubscribed]
        assert all(tg.sent_to(c) == 0 for c in [*outside, *blocked])
        assert await dash.page.locator('[data-testid="report-row"]').count() == len(expected)
        await dash.shot("broadcast-report", db_url=world.db_url)

        rows = await _download_csv(dash, tmp_path)
        assert len(rows) == len(expected)
        by_state: dict[str, int] = {}
        for r in rows:
            by_state[r["Trạng thái"]] = by_state.get(r["Trạng thái"], 0) + 1
        assert sorted(by_state.values()) == sorted([len(delivered), 1, 1])
        refused = [r for r in rows if r["Lý do lỗi"]]
        assert len(refused) == len(blocked) and all(not r["Gửi lúc"] for r in refused)
        assert all(r["Gửi lúc"] for r in rows if not r["Lý do lỗi"])
        assert await _xlsx_rows(dash, tmp_path) == len(expected) + 1


async def _watch_progress(dash: Dashboard) -> list[int]:
    """The bar's percentages as the officer sees them, until the page says the broadcast has finished."""
    finished = dash.page.locator('#progress[data-finished="1"], body[data-finished="1"]')
    seen: list[int] = []
    for _ in range(300):
        percent = int(float(await dash.page.get_attribute("#progress", "data-percent") or 0))
        if not seen or seen[-1] != percent:
            seen.append(percent)
        if await finished.count():
            break
        await dash.page.wait_for_timeout(100)
    assert await finished.count(), f"the bar never finished: {seen}"
    final = int(float(await dash.page.get_attribute("#progress", "data-percent") or 0))
    if seen[-1] != final:
        seen.append(final)
    return seen


async def _download_csv(dash: Dashboard, tmp_path: Path) -> list[dict[str, str]]:
    async with dash.page.expect_download() as info:
        await dash.page.click("#download-csv")
    download = await info.value
    assert download.suggested_filename.endswith(".csv")
    path = tmp_path / download.suggested_filename
    await download.save_as(str(path))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read the Vietnamese right
    reader = csv.reader(io.StringIO(raw.decode("utf-8-sig")))
    header = next(reader)
    assert header == CSV_HEADER
    return [dict(zip(header, row, strict=True)) for row in reader]


async def _xlsx_rows(dash: Dashboard, tmp_path: Path) -> int:
    from openpyxl import load_workbook

    async with dash.page.expect_download() as info:
        await dash.page.click("#download-xlsx")
    download = await info.value
    path = tmp_path / "report.xlsx"
    await download.save_as(str(path))
    sheet = load_workbook(path, read_only=True).worksheets[0]
    return sum(1 for _ in sheet.iter_rows())


async def test_commune_officer_is_kept_out_of_another_commune(browser: Chromium, world: World) -> None:
    bot, mine, theirs, sent = world.bot, world.groups["gia_vien"], world.groups["hoa_lu"], world.theirs
    refused_before = len(await refusals(bot))
    async with open_dashboard(browser, bot) as dash:
        await dash.login(await login_link(bot, "telegram", str(OFFICER)))
        units = await dash.page.locator('[data-testid="unit-row"]').evaluate_all("rs => rs.map(r => r.dataset.groupId)")
        assert units == [str(mine)]
        assert await dash.number("#stat-subscribers") == len(world.chats["gia_vien"])
        await expect_learning_cards(dash)  # all the learning happened in Gia Viễn

        resp = await dash.goto(f"/dashboard/groups/{theirs}")
        assert resp.status == 403 and await dash.page.is_visible("#forbidden")
        await dash.shot("forbidden", db_url=world.db_url)
        resp = await dash.goto(f"/dashboard/broadcasts/{sent}")
        assert resp.status == 403 and await dash.page.is_visible("#forbidden")
        for suffix in ("progress.json", "report.csv", "report.xlsx"):
            raw = await dash.get_raw(f"/dashboard/broadcasts/{sent}/{suffix}")
            assert raw.status == 403, suffix
        await dash.goto("/dashboard/broadcasts")
        assert await dash.page.locator(f'[data-testid="broadcast-row"][data-broadcast-id="{sent}"]').count() == 0

        await dash.goto("/dashboard/broadcasts/new")
        assert await dash.page.locator(f"#group-{mine}").count() == 1
        assert await dash.page.locator(f"#group-{theirs}").count() == 0
        assert await dash.page.locator("#group-all").count() == 0
        token = await dash.page.get_attribute('#compose-form input[name="csrf"]', "value")
        before = await broadcast_count(bot)
        forged = await dash.post_raw("/dashboard/broadcasts/new",
                                     {"csrf": token or "", "text": "Tin giả", "group": str(theirs)})  # fmt: skip
        assert forged.status in (400, 403) and await broadcast_count(bot) == before
    mine_refused = [a for a in (await refusals(bot))[refused_before:] if a.actor.endswith(f"telegram:{OFFICER}")]
    assert len(mine_refused) >= 5, [(a.action, a.detail) for a in mine_refused]


async def test_forms_without_their_csrf_token_are_refused(browser: Chromium, world: World) -> None:
    bot, nb = world.bot, world.groups["ninh_binh"]
    before, refused_before = await broadcast_count(bot), len(await refusals(bot, "dashboard.csrf"))
    async with open_dashboard(browser, bot) as dash:
        await dash.login(await login_link(bot, "telegram", str(ADMIN)))
        await dash.goto("/dashboard/broadcasts/new")
        await dash.page.fill("#text", "Thông báo không có mã chống giả mạo")
        await dash.page.check(f"#group-{nb}")
        await dash.page.evaluate("document.querySelectorAll('input[name=csrf]').forEach(e => e.remove())")
        async with dash.page.expect_navigation() as nav:
            await dash.page.click("#preview-button")
        assert (await nav.value).status == 403
        assert "Thông báo không có mã" not in await dash.page.content()
        await dash.shot("csrf-refused", db_url=world.db_url)

        wrong = await dash.post_raw("/dashboard/broadcasts/new", {"text": "x", "group": str(nb)},
                                    **{"X-CSRF-Token": "not-the-token"})  # fmt: skip
        assert wrong.status == 403
        logout = await dash.post_raw("/dashboard/logout", {})  # a cross-site logout does nothing
        assert logout.status == 403
        await dash.goto("/dashboard/")
        assert await dash.body_page() == "overview"
    assert await broadcast_count(bot) == before
    assert len(await refusals(bot, "dashboard.csrf")) == refused_before + 3


async def test_every_page_renders_for_an_admin(browser: Chromium, world: World) -> None:
    """Campaigns, questions and content as an admin sees them (and their screenshots)."""
    from bot.db.models_faq import record_unanswered
    from handlers.week import campaign_store

    services = world.bot.runtime.services
    name = f"Nhắc học thứ Hai {uuid.uuid4().hex[:4]}"
    async with services.db.session() as s:
        await campaign_store.add_campaign(
            s, services.settings, services.now(), name=name, to="all", text="Mời bà con học bài mới.",
            kind="week", offset_days=0, hour=8, year=services.now().year + 1,
        )  # fmt: skip
        for q in ("Học AI có mất tiền không?", "hoc AI co mat tien khong", "Ở xã có lớp học máy tính không?"):
            await record_unanswered(s, q, "unknown")
    catalog = services.catalog
    async with open_dashboard(browser, world.bot) as dash:
        await dash.login(await login_link(world.bot, "telegram", str(ADMIN)))
        await dash.page.click("#nav-campaigns")
        assert name in await dash.text("#campaigns-table")
        await dash.shot("campaigns", db_url=world.db_url)
        await dash.page.click("#nav-questions")
        clusters = dash.page.locator('[data-testid="question-cluster"]')
        assert await clusters.count() == 2  # the two spellings of the same question are one group
        assert "mất tiền" in await dash.text("main")
        await dash.shot("questions", db_url=world.db_url)
        await dash.page.click("#nav-content")
        assert await dash.page.get_attribute("#validation-status", "data-ok") == "1"
        assert await dash.page.locator("#modules-list a").count() == len(catalog.modules)
        await dash.shot("content", db_url=world.db_url)
        first = catalog.modules[0]
        await dash.goto(f"/dashboard/content/modules/{first.id}")
        assert await dash.page.locator('[data-testid="lesson"]').count() == len(first.lessons)
        await dash.shot("content-module", db_url=world.db_url)


LAYOUT_JS = """() => {
    const size = t => parseFloat(getComputedStyle(t).fontSize) * (t.getScreenCTM ? t.getScreenCTM().a : 1);
    const texts = [...document.querySelectorAll('svg.chart text'), ...document.querySelectorAll('.bar-label')];
    const nav = [...document.querySelectorAll('#nav a')].map(a => a.getBoundingClientRect());
    return {
        width: document.scrollingElement.scrollWidth,
        smallest: texts.length ? Math.min(...texts.map(size)) : null,
        ticks: [...document.querySelectorAll('#chart-subscribers text.tick')].map(t => t.textContent),
        navOut: nav.filter(r => r.right > window.innerWidth + 1 || r.left < -1).length,
        navCount: nav.length,
    };
}"""


async def test_every_page_fits_a_laptop_and_a_phone(browser: Chromium, world: World) -> None:
    """Every page at 1366×768 and 412×915 (screenshots page-*-desktop / page-*-phone): nothing wider than the
    screen, every menu link in sight, chart text at least 12 px and whole-number ticks on the y axis."""
    from tests.browser import DESKTOP

    async with world.bot.runtime.services.db.session() as s:
        last = (await s.exec(select(Broadcast.id).order_by(Broadcast.id.desc()))).first()  # type: ignore[union-attr]
    first_module = world.bot.runtime.services.catalog.modules[0].id
    pages = {
        "overview": "/dashboard/", "group": f"/dashboard/groups/{world.groups['gia_vien']}",
        "broadcasts": "/dashboard/broadcasts", "broadcast-new": "/dashboard/broadcasts/new",
        "campaigns": "/dashboard/campaigns", "campaign-new": "/dashboard/campaigns/new",
        "questions": "/dashboard/questions", "content": "/dashboard/content",
        "learning-models": "/dashboard/learning-models", "initiatives": "/dashboard/initiatives",
        "contests": "/dashboard/contests", "content-module": f"/dashboard/content/modules/{first_module}",
    }  # fmt: skip
    if last is not None:
        pages["broadcast"] = f"/dashboard/broadcasts/{last}"
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        async with open_dashboard(browser, world.bot, viewport=viewport) as dash:
            await dash.goto("/dashboard/login")
            await dash.shot(f"page-login-{size}", db_url=world.db_url)
            await dash.login(await login_link(world.bot, "telegram", str(ADMIN)))
            for name, path in pages.items():
                resp = await dash.goto(path)
                assert resp.status == 200, (name, resp.status)
                got = await dash.page.evaluate(LAYOUT_JS)
                assert got["width"] <= viewport["width"], f"{name} is wider than the {size} screen: {got['width']}px"
                off = f"{name}: a menu link is off the {size} screen"
                assert got["navCount"] == len(NAV) and got["navOut"] == 0, off
                if name in ("overview", "group"):
                    assert got["smallest"] >= 12, f"{name}: chart text of {got['smallest']:.1f}px on a {size}"
                    ticks = [int(t.replace(".", "")) for t in got["ticks"]]
                    steps = {b - a for a, b in pairwise(ticks)}
                    assert ticks[0] == 0 and len(steps) == 1 and steps.pop() > 0, f"y ticks {got['ticks']}"
                # the screen as it opens; the overview and group pages whole (their charts are further down)
                await dash.shot(f"page-{name}-{size}", db_url=world.db_url, full_page=name in ("overview", "group"))


async def test_learning_models_rate_and_initiatives_in_the_browser(browser: Chromium, world: World) -> None:
    """A commune officer enters the households of Gia Viễn and sees the rate in the roll-up, then praises an
    initiative and publishes it: the announcement's draft page previews it (screenshots learning-models,
    initiatives, initiative-publish)."""
    from bot.db.models import Identity
    from bot.db.models_initiatives import Initiative
    from bot.db.models_learning_models import RECOGNISED, SUBMITTED, LearningUnit

    services = world.bot.runtime.services
    year = services.now().astimezone(services.settings.tz).year
    idea = "Chi hội mở lớp buổi tối hướng dẫn bà con dùng VNeID và thanh toán không tiền mặt."
    async with services.db.session() as s:
        chat_ids = [str(c) for c in world.chats["gia_vien"][:2]]
        users = sorted((await s.exec(select(Identity.user_id).where(Identity.chat_id.in_(chat_ids)))).all())  # type: ignore[attr-defined]
        units = (("Gia đình ông Đinh Văn Hòa", RECOGNISED), ("Gia đình bà Lan", SUBMITTED))
        for i, (name, status) in enumerate(units):
            s.add(LearningUnit(model="gd", year=year, name=name, province="Ninh Bình", commune="Gia Viễn",
                               owner_user_id=users[i], status=status, invite_code=f"BR{i}{uuid.uuid4().hex[:4]}"))
        row = Initiative(user_id=users[0], author="Đinh Văn Hòa", province="Ninh Bình", commune="Gia Viễn", text=idea)
        s.add(row)
        await s.flush()
        iid = row.id
    async with open_dashboard(browser, world.bot) as dash:
        await dash.login(await login_link(world.bot, "telegram", str(OFFICER)))
        await dash.page.click("#nav-learning-models")
        assert await dash.body_page() == "learning-models"
        cell = '[data-testid="lm-rollup-row"][data-commune="Gia Viễn"] [data-testid="lm-rate"][data-model="gd"]'
        assert (await dash.text(cell)).strip() == "—"  # no households entered yet
        await dash.page.select_option("#den-place", "c:Ninh Bình|Gia Viễn")
        await dash.page.select_option("#den-model", "gd")
        await dash.page.fill("#den-count", "4")
        async with dash.page.expect_navigation():
            await dash.page.click("#den-save")
        assert " ".join((await dash.text(cell)).split()) == "25% của 4"  # 1 recognised of 4 households
        await dash.shot("learning-models", db_url=world.db_url, full_page=True)

        await dash.page.click("#nav-initiatives")
        assert await dash.body_page() == "initiatives"
        line = dash.page.locator(f'[data-initiative-id="{iid}"]')
        assert idea in await line.inner_text() and await line.get_attribute("data-status") == "new"
        async with dash.page.expect_navigation():
            await dash.page.click(f"#praise-{iid}")
        assert await line.get_attribute("data-status") == "praised"
        await dash.shot("initiatives", db_url=world.db_url, full_page=True)
        await dash.page.check(f"#publish-{iid}")
        await dash.page.check(f"#group-{world.groups['gia_vien']}")
        async with dash.page.expect_navigation():
            await dash.page.click("#publish-button")
        assert re.search(r"/dashboard/broadcasts/\d+$", dash.page.url)
        assert "Đinh Văn Hòa (Gia Viễn, Ninh Bình)" in await dash.text("main") and idea in await dash.text("main")
        assert await dash.number("#recipient-count") == len(world.chats["gia_vien"])
        await dash.shot("initiative-publish", db_url=world.db_url)
        async with dash.page.expect_navigation():
            await dash.page.click("#cancel-button")  # a draft only: nothing goes out in this test
