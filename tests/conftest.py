"""Shared fixtures: a fresh database per test (SQLite always, PostgreSQL when configured)."""

from __future__ import annotations

import os
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from bot.core.context import Services
from bot.settings import Settings
from tests.db_templates import SchemaTemplates, empty_database

PG_URL = os.environ.get("HOCBOT_TEST_DATABASE_URL")
ENV_NAMES = [
    "DATABASE_URL",
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_BASE_URL",
    "TELEGRAM_WEBHOOK_URL",
    "TELEGRAM_WEBHOOK_SECRET",
    "ZALO_BOT_TOKEN",
    "ZALO_API_BASE_URL",
    "ZALO_WEBHOOK_URL",
    "ZALO_WEBHOOK_SECRET",
    "ZALO_OA_WEBHOOK_SECRET",
    "ZALO_OA_APP_ID",
    "ZALO_OA_SECRET_KEY",
    "ZALO_OA_REFRESH_TOKEN",
    "ZALO_OA_API_BASE_URL",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "HOCBOT_LLM_MODEL",
    "HOCBOT_WEB_HOST",
    "HOCBOT_WEB_PORT",
    "HOCBOT_TIMEZONE",
    "HOCBOT_BROADCAST_RATE",
    "ZALO_BROADCAST_RATE",
    "HOCBOT_ADMINS",
]


@pytest.fixture(scope="session")
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run's cache folder, with the search index and the asked questions' index already on disk, as on a server
    that has started once since its content last changed (tests that time the first answer after a start do not time
    the build, and no warm-up thread spends tens of seconds of CPU beside the tests that come after it)."""
    from content.asked import for_entries
    from content.catalog import load_catalog
    from content.search import SearchIndex

    path = tmp_path_factory.mktemp("hocbot-cache")
    catalog = load_catalog()
    SearchIndex.from_catalog(catalog, path)
    for_entries(catalog.faq, cache_dir=path)
    return path


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, _cache_dir: Path) -> None:
    """Tests never see the developer's configuration, nor write to the user's cache folder (one shared by
    the whole run, so the search index is built once)."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOCBOT_CACHE_DIR", str(_cache_dir))
    # No quiet hours (21:00–07:00 Vietnam time by default): a test on the real clock must pass at any hour, and a
    # message pushed in the evening would wait for the morning. Tests of quiet hours set them on a fake clock.
    monkeypatch.setenv("HOCBOT_QUIET_HOURS", "")


@pytest.fixture(autouse=True)
def _no_real_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection outside the loopback fails the test (PTB's tests do the same)."""
    real = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and not (host.startswith("127.") or host in ("localhost", "::1"))
            and "/" not in host
        ):
            raise AssertionError(f"test tried to reach the network: {address!r}")
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


def _backends() -> list[Any]:
    params: list[Any] = ["sqlite"]
    params.append(
        pytest.param(
            "postgres", marks=pytest.mark.skipif(not PG_URL, reason="HOCBOT_TEST_DATABASE_URL not set")
        )
    )
    return params


@pytest.fixture(scope="session")
def _schema_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SchemaTemplates]:
    templates = SchemaTemplates(tmp_path_factory.mktemp("schema"), PG_URL)
    yield templates
    templates.close()


@pytest.fixture(params=_backends())
def db_url(request: pytest.FixtureRequest, tmp_path: Any, _schema_templates: SchemaTemplates) -> Iterator[str]:
    """A brand-new database URL for this test, already migrated to the head (a copy of one migrated per run)."""
    with _schema_templates.copy(request.param, Path(tmp_path)) as url:
        yield url


@pytest.fixture(params=_backends())
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """A brand-new empty database URL, for tests of the migrations themselves."""
    with fresh_database(request.param, Path(tmp_path)) as url:
        yield url


def fresh_database(backend: str, folder: Path) -> AbstractContextManager[str]:
    """An empty database: a SQLite file in `folder`, or a PostgreSQL database created now and dropped after."""
    return empty_database(backend, folder, PG_URL)


def make_settings(db_url: str, **overrides: Any) -> Settings:
    return Settings(_env_file=None, database_url=db_url, **overrides)  # type: ignore[call-arg]


@pytest.fixture
def settings(db_url: str) -> Settings:
    return make_settings(db_url)


@pytest.fixture
async def services(settings: Settings) -> AsyncIterator[Services]:
    from bot.app import open_services

    async with open_services(settings) as svc:
        yield svc


@pytest.fixture(scope="session")
def svc() -> Any:
    """The answer service on the shipped content, without an LLM: what the chat decides (AnswerService.plan)."""
    from content.catalog import load_catalog
    from handlers.answers.service import AnswerService

    return AnswerService(load_catalog())

