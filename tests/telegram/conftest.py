"""Fixtures for the Telegram tier: the real Application on a migrated SQLite file, a fake clock
and the offline Bot API (see ``chatdriver`` for the ``Runner`` that chats with it)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from chatdriver import OTHER_ID, RUNNER_ID, START, Runner, start_application, stop_application

from bot.app import prepare_database
from bot.clock import FakeClock
from bot.coach.library import Library
from bot.console.transport import OfflineBotApi
from bot.content.loader import default_library
from bot.telegram.context import CoachApplication


@pytest.fixture
async def db_url(tmp_path: Path) -> str:
    """A fresh SQLite file at the newest migration."""
    url = f"sqlite+aiosqlite:///{tmp_path}/coach.db"
    await prepare_database(url)
    return url


@pytest.fixture
async def postgres_db_url(postgres_url: str) -> str:
    """A fresh PostgreSQL database at the newest migration (skipped without PostgreSQL)."""
    await prepare_database(postgres_url)
    return postgres_url


@pytest.fixture(params=["sqlite", "postgres"])
def any_db_url(request: pytest.FixtureRequest) -> str:
    """A fresh database at the newest migration on each backend."""
    url: str = request.getfixturevalue("db_url" if request.param == "sqlite" else "postgres_db_url")
    return url


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def api(clock: FakeClock) -> OfflineBotApi:
    return OfflineBotApi(clock=clock)


@pytest.fixture
async def app(db_url: str, clock: FakeClock, api: OfflineBotApi) -> AsyncIterator[CoachApplication]:
    application = await start_application(db_url, clock, api)
    try:
        yield application
    finally:
        await stop_application(application)


@pytest.fixture
def runner(app: CoachApplication, api: OfflineBotApi) -> Runner:
    return Runner(app, api, RUNNER_ID, "Ada")


@pytest.fixture
def other(app: CoachApplication, api: OfflineBotApi) -> Runner:
    return Runner(app, api, OTHER_ID, "Bo")


@pytest.fixture
def library() -> Library:
    return default_library()


@pytest.fixture
async def week_one(app: CoachApplication, runner: Runner) -> Runner:
    """A runner onboarded on Saturday 21 November 2026, before their first full week."""
    from test_checkins import onboarded

    await onboarded(runner)
    return runner
