"""Databases for the integration tests: a temporary SQLite file, and PostgreSQL when available.

PostgreSQL tests need ``COACH_TEST_POSTGRES_URL`` (for example
``postgresql+asyncpg://postgres@127.0.0.1:5432/test``) and a role allowed to create databases.
Migration tests get a fresh empty database each; the other tests share one migrated database
per run, emptied before each test. Every database created is dropped again, so runs are
repeatable and never touch the database the URL names.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from pgtools import admin_url, create_database, drop_database
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import NullPool

from bot.clock import FakeClock
from bot.coach.library import Library
from bot.content.loader import default_library
from bot.content.ui import default_ui
from bot.db.engine import create_engine, session_factory
from bot.db.migrate import upgrade
from bot.db.models import metadata
from bot.db.uow import UnitOfWorkFactory, unit_of_work_factory
from bot.telegram.loop_render import LoopRenderer
from bot.telegram.render import Renderer

BACKENDS = ["sqlite", "postgres"]


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path}/coach.db"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest) -> str:
    """An empty database on each backend (PostgreSQL skipped without COACH_TEST_POSTGRES_URL)."""
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url


@pytest.fixture(scope="session")
def _postgres_migrated_session() -> Iterator[str]:
    """One migrated PostgreSQL database for the whole run (creating one per test is slow)."""
    admin = admin_url()
    url = asyncio.run(create_database(admin))
    try:
        asyncio.run(upgrade(url))
        yield url
    finally:
        asyncio.run(drop_database(admin, url))


async def _truncate_all(url: str) -> None:
    engine = create_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            for table in reversed(metadata.sorted_tables):  # DELETE beats TRUNCATE on tiny tables
                await connection.execute(table.delete())
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def _sqlite_migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per run; tests get copies (migrating each time is slow)."""
    path = tmp_path_factory.mktemp("template") / "coach.db"
    asyncio.run(upgrade(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture
def sqlite_migrated_url(_sqlite_migrated_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "coach.db"
    shutil.copyfile(_sqlite_migrated_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
async def postgres_migrated_url(_postgres_migrated_session: str) -> str:
    await _truncate_all(_postgres_migrated_session)
    return _postgres_migrated_session


@pytest.fixture(params=BACKENDS)
def migrated_url(request: pytest.FixtureRequest) -> str:
    """A database at the newest migration with no rows, on each backend."""
    url: str = request.getfixturevalue(f"{request.param}_migrated_url")
    return url


@pytest.fixture
async def engine(migrated_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(migrated_url)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC))


@pytest.fixture
def uow_factory(engine: AsyncEngine, clock: FakeClock) -> UnitOfWorkFactory:
    return unit_of_work_factory(session_factory(engine), clock=clock)


@pytest.fixture
def library() -> Library:
    return default_library()


@pytest.fixture
def drawer(library: Library) -> LoopRenderer:
    """Draws a day's plain prompt, as the bot's planner stores it beside the day."""
    return LoopRenderer(Renderer(default_ui(), library))


@pytest.fixture
def planning(engine: AsyncEngine, drawer: LoopRenderer) -> UnitOfWorkFactory:
    """The unit of work as the bot wires it: days are stored with their prompts."""
    return unit_of_work_factory(session_factory(engine), drawer=drawer)
