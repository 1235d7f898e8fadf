"""What every tier shares: its marker, subprocesses that run the tree under test, and a fresh PostgreSQL
database when COACH_TEST_POSTGRES_URL is set.

Each folder under tests/ is a tier and marks its tests with its name, so ``pytest -m unit`` (or
``services``, ``telegram``, ``integration``) runs one tier alone. Hypothesis property tests are a
tier of their own, ``properties``, whatever folder they live in (so is a test marked
``@pytest.mark.properties`` because it enumerates every case of a rule): ``-m unit`` is the
example-based core tests and runs in seconds, ``-m properties`` the generated and exhaustive ones
(CI runs them a second time unpinned). Plain ``pytest`` runs every tier.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import settings

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
TIERS = frozenset({"unit", "services", "telegram", "integration"})
PROPERTIES = "properties"

# Every `python -m bot` a test starts runs this tree, never some other installed copy of the package.
os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """With ``-m`` naming one folder tier alone, the other tiers' folders are not even imported: none
    of their tests could carry that marker, and importing them (the app, SQLAlchemy, Alembic) would
    cost ``-m unit`` seconds of its few."""
    only = (config.getoption("markexpr", "") or "").strip()
    if only in TIERS and collection_path.parent == TESTS and collection_path.name in TIERS - {only}:
        return True
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test with its tier: a property test (one Hypothesis generates, or one marked
    ``properties`` by hand because it enumerates every case) is ``properties``, any other test the
    folder it lives in. A test outside every tier's folder, or marked with another folder's tier, is
    an error."""
    for item in items:
        folder = item.path.relative_to(TESTS).parts[0] if item.path.is_relative_to(TESTS) else None
        if folder not in TIERS:
            raise pytest.UsageError(f"{item.nodeid}: every test lives in one tier's folder: {', '.join(sorted(TIERS))}")
        elsewhere = sorted({marker.name for marker in item.iter_markers()} & TIERS - {folder})
        if elsewhere:
            raise pytest.UsageError(f"{item.nodeid}: marked {', '.join(elsewhere)}, but a test's tier is its folder")
        item.add_marker(PROPERTIES if is_property_test(item) else folder)


def is_property_test(item: pytest.Item) -> bool:
    """Whether the test is marked ``properties`` or Hypothesis generates its examples (``@given`` sets
    ``is_hypothesis_test`` on the function it wraps)."""
    if item.get_closest_marker(PROPERTIES) is not None:
        return True
    return getattr(getattr(item, "obj", None), "is_hypothesis_test", False) is True


# CI's main pass explores the same examples on every run, so a red build there always means a change
# broke a rule; CI's second pass (COACH_HYPOTHESIS=explore, see .ci/run) runs the property tests
# again on fresh random examples, so bugs the pinned examples miss still turn CI red (and the
# failing example is printed, to be pinned with @example). Locally each run explores new ones.
# no deadline: time is measured in bench/, never in tests, which are flaky on a shared machine (a cold
# cache in an example's first run once failed the unpinned pass on timing alone)
settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
settings.register_profile("explore", derandomize=False, database=None, print_blob=True, deadline=None)
settings.register_profile("local", deadline=None)
if os.environ.get("COACH_HYPOTHESIS"):
    settings.load_profile(os.environ["COACH_HYPOTHESIS"])
elif os.environ.get("CI"):
    settings.load_profile("ci")
else:
    settings.load_profile("local")


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL database, dropped after the test (skipped without PostgreSQL)."""
    from pgtools import admin_url, create_database, drop_database  # here: the fast tiers import no database code

    admin = admin_url()
    url = await create_database(admin)
    try:
        yield url
    finally:
        await drop_database(admin, url)
