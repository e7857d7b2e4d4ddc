"""Headless Chromium (Debian's, started by path, never downloaded) driven by Playwright's async API.

    pytestmark = pytest.mark.asyncio(loop_scope="module")

    @pytest_asyncio.fixture(scope="module", loop_scope="module")
    async def browser():  # one Chromium for the module; tests take turns on its tab (cookies cleared)
        async with launch_browser() as chromium:
            yield chromium

    async def test_x(browser, settings):
        async with running_bot(settings) as bot, open_dashboard(browser, bot) as dash:
            await dash.login(await login_link(bot, "telegram", "123"))
            await dash.goto("/dashboard/")

The tab refuses requests that leave the machine (pages must use the project's own static files) and
records JavaScript errors; both fail the test when it leaves the tab. `tests/browser_setup.sh` installs
chromium (make test runs it); without it the browser tests skip and say how to get it.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.harness import RunningBot

CHROMIUM = Path(os.environ.get("HOCBOT_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
# `make test` writes the pictures to tests/screenshots/out/ (ignored by git, so a test run leaves the checkout
# clean); `make screenshots` sets HOCBOT_SCREENSHOTS_DIR=tests/screenshots to refresh the ones the README shows.
SCREENSHOTS = Path(os.environ.get("HOCBOT_SCREENSHOTS_DIR") or Path(__file__).resolve().parent / "screenshots" / "out")
DESKTOP = {"width": 1366, "height": 768}  # the most common small laptop screen
PHONE = {"width": 412, "height": 915}
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def _screenshot_path(name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


def missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists() and shutil.which(str(CHROMIUM)) is None:
        return (f"{CHROMIUM} not found: the browser tests use Debian's chromium; run `sh tests/browser_setup.sh` "
                "as root (make test does) or set HOCBOT_CHROMIUM")  # fmt: skip
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing: pip install -e '.[dev]'"
    return None


@asynccontextmanager
async def launch_browser() -> AsyncIterator[Chromium]:
    """Headless Chromium; skips the test (with the reason) when it is not installed."""
    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, timeout=30_000)
        try:
            yield Chromium(browser)
        finally:
            await browser.close()


@dataclass
class Chromium:
    """The browser and one tab that tests take turns on: a new context costs a renderer start (~0.8 s), so
    the tab is reused and its cookies are cleared between tests (each test still logs in on its own)."""

    browser: Any  # playwright Browser
    context: Any = None
    page: Any = None
    user: Dashboard | None = None  # the test holding the tab

    async def tab(self) -> tuple[Any, Any]:
        if self.context is None:
            self.context = await self.browser.new_context(
                viewport=DESKTOP, locale="vi-VN", accept_downloads=True, timezone_id="Asia/Ho_Chi_Minh"
            )
            self.context.set_default_timeout(10_000)
            await self.context.route("**/*", self._guard)
            self.page = await self.context.new_page()
            self.page.on("pageerror", lambda exc: self.user.js_errors.append(str(exc)) if self.user else None)
        else:
            await self.context.clear_cookies()
        return self.context, self.page

    async def _guard(self, route: Any) -> None:
        """Requests that leave the machine are refused and remembered."""
        url = route.request.url
        if url.startswith(("data:", "blob:")) or (urlsplit(url).hostname or "") in LOCAL_HOSTS:
            await route.continue_()
            return
        if self.user is not None:
            self.user.offsite.append(url)
        await route.abort()


@dataclass
class Dashboard:
    """One browser context (its own cookie jar) with one tab on the running bot."""

    bot: RunningBot
    context: Any  # playwright BrowserContext
    page: Any  # playwright Page
    offsite: list[str] = field(default_factory=list)
    js_errors: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.bot.url

    async def goto(self, path: str) -> Any:
        """Open a path (or a full URL) and return the main response (status, headers)."""
        return await self.page.goto(path if "://" in path else self.url + path)

    async def login(self, link: str) -> Any:
        """Open a one-time link and press the login button; returns the response after the redirect."""
        await self.goto(link)
        async with self.page.expect_navigation():
            await self.page.click("#login-button")
        return self.page

    async def body_page(self) -> str:
        return str(await self.page.get_attribute("body", "data-page"))

    async def text(self, selector: str) -> str:
        return str(await self.page.inner_text(selector)).strip()

    async def number(self, selector: str) -> int:
        """The first number shown in an element ("1.234" in Vietnamese notation; a card's hint comes later)."""
        text = await self.text(selector)
        found = re.search(r"\d[\d.]*", text)
        assert found, f"no number in {selector}: {text!r}"
        return int(found.group(0).replace(".", ""))

    async def shot(self, name: str, *, db_url: str = "sqlite", full_page: bool = False) -> Path | None:
        """A PNG of what the officer sees (SCREENSHOTS/NAME.png; `make screenshots` refreshes the README's).

        Written by the SQLite run only, so a PostgreSQL run does not rewrite the same pictures."""
        if not db_url.startswith("sqlite"):
            return None
        path = _screenshot_path(name)
        await self.page.screenshot(path=str(path), full_page=full_page, animations="disabled")
        return path

    async def post_raw(self, path: str, form: dict[str, str], **headers: str) -> Any:
        """A POST made by a script with the tab's cookies (no page, no hidden fields): what a forged form sends."""
        return await self.context.request.post(self.url + path, form=form, headers=headers, max_redirects=0)

    async def get_raw(self, path: str) -> Any:
        return await self.context.request.get(self.url + path, max_redirects=0)


@asynccontextmanager
async def open_dashboard(chromium: Chromium, bot: RunningBot, *, viewport: dict[str, int] | None = None,
                         ) -> AsyncIterator[Dashboard]:  # fmt: skip
    """The tab with no cookies; on exit, fails if a page reached off the machine or threw a JS error."""
    context, page = await chromium.tab()
    await page.set_viewport_size(viewport or DESKTOP)
    dash = chromium.user = Dashboard(bot, context, page)
    try:
        yield dash
    finally:
        chromium.user = None
        await page.goto("about:blank")  # stops the page's timers (the progress polling) before the bot stops
    assert not dash.offsite, f"the dashboard tried to load files from elsewhere: {dash.offsite}"
    assert not dash.js_errors, f"JavaScript errors on the page: {dash.js_errors}"


async def login_link(bot: RunningBot, channel: str, external_id: str, **kwargs: Any) -> str:
    """A one-time link as `hocbot officer login-link` makes it, pointed at the bot's real port."""
    from handlers.officers.login import create_login_link

    services = bot.runtime.services
    async with services.db.session() as s:
        link = await create_login_link(s, services.settings, channel, external_id, created_by="cli", **kwargs)
    return local_link(bot, link)


def local_link(bot: RunningBot, link: str) -> str:
    """The same link on the test server's port (links are built from HOCBOT_PUBLIC_URL or host:8080)."""
    return bot.url + "/dashboard/" + link.split("/dashboard/", 1)[1]
