"""The web chat in headless Chromium on small phones: the conversation keeps at least half of the screen (the
menu folds into one button), a long lesson opens at its title, a reload keeps the conversation, and what the
bot pushed while the page was closed shows up under “🔔 Tin mới”. Screenshots go to tests/screenshots/out/."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from bot.settings import Settings
from content.catalog import default_catalog
from handlers.officers import outbox
from tests.browser import Chromium, Dashboard, launch_browser, open_dashboard
from tests.harness import RunningBot, running_bot

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.xdist_group("webchat_browser")]  # one Chromium

SMALL = {"width": 360, "height": 640}
KEYBOARD_OPEN = {"width": 412, "height": 560}
TALL = {"width": 412, "height": 915}
MODULE = default_catalog().modules[0]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[Chromium]:
    async with launch_browser() as chromium:
        yield chromium


async def fresh_chat(tab: Dashboard) -> None:
    """The chat page as a first-time visitor sees it (nothing kept from an earlier test)."""
    await tab.goto("/")
    await tab.page.evaluate("localStorage.clear()")
    await tab.page.reload()
    await tab.page.locator(".choices button", has_text="✅ Đồng ý").wait_for()


async def tap(tab: Dashboard, label: str) -> None:
    before = await tab.page.locator(".msg.bot").count()
    await tab.page.locator(".choices").last.locator("button", has_text=label).first.click()
    await tab.page.wait_for_function(f"document.querySelectorAll('.msg.bot').length > {before}")


async def typed(tab: Dashboard, text: str) -> None:
    before = await tab.page.locator(".msg.bot").count()
    await tab.page.fill("#t", text)
    await tab.page.press("#t", "Enter")
    await tab.page.wait_for_function(f"document.querySelectorAll('.msg.bot').length > {before}")


async def onboard(tab: Dashboard) -> None:
    await tap(tab, "Đồng ý")
    await typed(tab, "ninh binh")
    await tap(tab, "Bỏ qua")


async def share_of_screen(tab: Dashboard) -> float:
    return float(await tab.page.evaluate("document.getElementById('log').clientHeight / window.innerHeight"))


async def title_visible(tab: Dashboard, text: str) -> dict[str, Any]:
    """Where the bubble holding `text` starts, relative to the visible part of the conversation."""
    return dict(await tab.page.evaluate("""text => {
        const log = document.getElementById('log'), box = log.getBoundingClientRect();
        const msg = [...document.querySelectorAll('.msg.bot')].filter(m => m.textContent.includes(text)).pop();
        const r = msg.getBoundingClientRect();
        return {top: r.top - box.top, height: r.height, view: box.height};
    }""", text))


async def test_small_phone_keeps_the_conversation_and_opens_a_lesson_at_its_title(
    browser: Chromium, settings: Settings
) -> None:
    async with running_bot(settings) as bot, open_dashboard(browser, bot, viewport=SMALL) as tab:
        await fresh_chat(tab)
        await onboard(tab)
        assert await tab.page.is_visible("#menu-button") and not await tab.page.is_visible("#menu")
        assert await share_of_screen(tab) >= 0.5
        await tab.page.click("#menu-button")  # the menu opens on demand …
        assert await tab.page.is_visible("#menu button:has-text('Học AI')")
        await tab.page.click("#menu button:has-text('Học AI')")
        await tab.page.locator(".choices").last.locator("button", has_text=MODULE.title).wait_for()
        assert not await tab.page.is_visible("#menu")  # … and closes again once used
        await tap(tab, MODULE.title)
        where = await title_visible(tab, f"Bài 1/{len(MODULE.lessons)}")
        assert where["height"] > where["view"], "the lesson should be longer than the screen for this test"
        assert 0 <= where["top"] <= 20, f"the lesson should open at its title, not at its end: {where}"
        await tab.shot("chat-small-phone-lesson")

        await tab.page.set_viewport_size(KEYBOARD_OPEN)  # a phone with its keyboard open
        await tab.page.focus("#t")
        assert await share_of_screen(tab) >= 0.5
        await tab.shot("chat-keyboard-open")

        await tab.page.set_viewport_size(TALL)  # room enough: the menu stays on screen
        assert await tab.page.is_visible("#menu") and not await tab.page.is_visible("#menu-button")


async def test_reload_keeps_the_conversation_and_shows_what_was_pushed(browser: Chromium, settings: Settings) -> None:
    async with running_bot(settings) as bot, open_dashboard(browser, bot, viewport=SMALL) as tab:
        await fresh_chat(tab)
        await onboard(tab)
        await typed(tab, "/hoc")
        await tap(tab, MODULE.title)
        shown = await tab.page.locator(".msg").all_inner_texts()
        posts: list[str] = []
        tab.page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

        await tab.page.reload()
        await tab.page.locator(".msg").nth(len(shown) - 1).wait_for()
        assert await tab.page.locator(".msg").all_inner_texts() == shown  # the same conversation
        assert posts == [], "a reload must not start the conversation again"
        assert "Xong rồi" not in shown[-1] and f"Bài 1/{len(MODULE.lessons)}" in shown[-1]
        await tap(tab, "Tiếp")  # the buttons of the kept conversation still work
        assert f"Bài 2/{len(MODULE.lessons)}" in (await tab.page.locator(".msg.bot").last.inner_text())

        await broadcast(bot, "📣 Tối thứ Bảy có lớp Bình dân học AI ở nhà văn hoá xã.",
                        photo="https://khuyenhoc.example.vn/lop-hoc.jpg")
        await tab.page.goto("about:blank")  # the page is closed while the message goes out
        await wait_sent(bot)
        await tab.goto("/")
        await tab.page.locator(".new").wait_for()
        assert "Tin mới" in await tab.page.inner_text(".new")
        assert "Tối thứ Bảy có lớp" in await tab.page.locator(".msg.bot").last.inner_text()
        link = tab.page.locator(".msg.bot").last.locator("a")  # the photo as a link, not fetched from elsewhere
        assert await link.get_attribute("href") == "https://khuyenhoc.example.vn/lop-hoc.jpg"
        await tab.shot("chat-pushed-message")

        await broadcast(bot, "🔔 Nhắc bạn: còn 3 ngày nữa là đến Tuần lễ học tập suốt đời.")
        await wait_sent(bot)
        await tab.page.evaluate("poll()")  # what the 20-second timer does while the page is open
        await tab.page.locator(".msg.bot", has_text="còn 3 ngày nữa").wait_for()
        await tab.page.reload()  # each pushed message is shown once, then kept with the conversation
        await tab.page.locator(".msg.bot", has_text="còn 3 ngày nữa").wait_for()
        assert await tab.page.locator(".msg.bot", has_text="còn 3 ngày nữa").count() == 1


async def broadcast(bot: RunningBot, text: str, photo: str | None = None) -> None:
    services = bot.runtime.services
    async with services.db.session() as s:
        b = await outbox.create_broadcast(s, text=text, created_by="test", group_ids="all", photo=photo)
        assert await outbox.queue_broadcast(s, b) == 1
    services.wake_outbox()


async def wait_sent(bot: RunningBot) -> None:
    import asyncio

    from sqlmodel import col, select

    from bot.db.models_officers import Delivery

    for _ in range(200):
        async with bot.runtime.services.db.session() as s:
            if not (await s.exec(select(Delivery).where(col(Delivery.state) != "sent"))).all():
                return
        await asyncio.sleep(0.05)
    raise AssertionError("the broadcast was not delivered")


async def test_deleting_my_data_also_clears_the_conversation_on_this_device(
    browser: Chromium, settings: Settings
) -> None:
    async with running_bot(settings) as bot, open_dashboard(browser, bot, viewport=TALL) as tab:
        await fresh_chat(tab)
        await onboard(tab)
        await typed(tab, "tôi tên Lê Thị Mai, số 0912345678")
        await typed(tab, "/xoadulieu")
        await tab.page.locator(".choices").last.locator("button", has_text="Có, xoá").click()
        await tab.page.locator(".msg.bot", has_text="đã xoá").wait_for()  # the screen is cleared at once …
        assert await tab.page.locator(".msg").count() == 1
        await tab.page.reload()  # … and so is what the page kept
        await tab.page.locator(".msg").first.wait_for()
        shown = "\n".join(await tab.page.locator(".msg").all_inner_texts())
        assert "Lê Thị Mai" not in shown and "0912345678" not in shown  # a shared phone keeps nothing
        assert "xoá" in shown.lower()
