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


# CI's main pass explores the same examples on every run, so a red build there always means a change
# broke a rule; CI's second pass (COACH_HYPOTHESIS=explore, see .ci/run) runs the property tests
# again on fresh random examples, so bugs the pinned examples miss still turn CI red (and the
# failing example is printed, to be pinned with @example). Locally each run explores new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, database=None, print_blob=True)
if os.environ.get("COACH_HYPOTHESIS"):
    settings.load_profile(os.environ["COACH_HYPOTHESIS"])
elif os.environ.get("CI"):
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
