"""Fixtures shared by every tier: a fresh PostgreSQL database when COACH_TEST_POSTGRES_URL is set."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from pgtools import admin_url, create_database, drop_database


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL database, dropped after the test (skipped without PostgreSQL)."""
    admin = admin_url()
    url = await create_database(admin)
    try:
        yield url
    finally:
        await drop_database(admin, url)
