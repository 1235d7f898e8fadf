"""What every tier shares: its marker, subprocesses that run the tree under test, and a fresh PostgreSQL
database when COACH_TEST_POSTGRES_URL is set.

Each folder under tests/ is a tier and marks its tests with its name, so ``pytest -m unit`` (or
``services``, ``telegram``, ``integration``) runs one tier alone.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import settings
from pgtools import admin_url, create_database, drop_database

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
TIERS = ("unit", "services", "telegram", "integration")

# Every `python -m bot` a test starts runs this tree, never some other installed copy of the package.
os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test with its tier, the folder it lives in; a test outside every tier is an error."""
    for item in items:
        folder = item.path.relative_to(TESTS).parts[0] if item.path.is_relative_to(TESTS) else None
        if folder not in TIERS:
            raise pytest.UsageError(f"{item.nodeid}: every test lives in one tier's folder: {', '.join(TIERS)}")
        item.add_marker(folder)


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
