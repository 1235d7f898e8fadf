"""Fixtures shared by every tier: a fresh PostgreSQL database when COACH_TEST_POSTGRES_URL is set."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest
from hypothesis import settings
from pgtools import admin_url, create_database, drop_database

# CI explores the same examples on every run, so a red build always means a change broke a rule;
# locally each run explores new ones (and hypothesis remembers any failure it finds).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL database, dropped after the test (skipped without PostgreSQL)."""
    admin = admin_url()
    url = await create_database(admin)
    try:
        yield url
    finally:
        await drop_database(admin, url)
