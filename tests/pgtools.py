"""PostgreSQL for tests: a fresh database per use, next to the one COACH_TEST_POSTGRES_URL names.

Tests that need PostgreSQL skip with a clear reason when the variable is unset; `.ci/run` sets it.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bot.db.engine import async_url

POSTGRES_ENV = "COACH_TEST_POSTGRES_URL"


def admin_url() -> str:
    """The server to create test databases on; skips the test when none is configured."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV}, e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test")
    return url


async def create_database(admin: str) -> str:
    """A new, empty database next to the one ``admin`` names; its URL."""
    name = f"coach_test_{uuid.uuid4().hex[:12]}"
    engine = create_async_engine(async_url(admin), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        await engine.dispose()
    return async_url(admin).set(database=name).render_as_string(hide_password=False)


async def drop_database(admin: str, url: str) -> None:
    name = async_url(url).database
    engine = create_async_engine(async_url(admin), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await engine.dispose()
