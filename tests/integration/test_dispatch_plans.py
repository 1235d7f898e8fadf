"""How SQLite finds the rows the dispatcher writes during a fan-out: by their keys, whatever the table holds.

SQLite has no statistics unless ANALYZE ran, and then takes any index with an equality for about
ten rows. A statement that named the due time of the rows it moves on therefore searched the
``due_at`` index, which at a busy minute holds every row still waiting: each statement's cost grew
with the number of runners (8 ms a statement with 100,000). These tests read SQLite's plan of each
statement the dispatcher's writes run (``EXPLAIN QUERY PLAN``), as the repository sends them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from queryplans import planned
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import create_engine, session_factory
from bot.db.uow import UnitOfWorkFactory, unit_of_work_factory
from bot.services.records import Advance, DeliveryRecord
from bot.services.schedule import DueKind

MONDAY = dt.date(2026, 11, 23)
SEVEN = dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.UTC)
PROMPT = DueKind("prompt")


@pytest.fixture
async def engine(sqlite_migrated_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(sqlite_migrated_url)
    yield engine
    await engine.dispose()


async def plans_of(engine: AsyncEngine, write: Any) -> dict[str, list[str]]:
    """Each statement ``write(work)`` runs, with SQLite's plan for it (one line per step)."""
    uow: UnitOfWorkFactory = unit_of_work_factory(session_factory(engine))

    async def act() -> None:
        async with uow() as work:
            await work.due.begin_write()
            await write(work)
            await work.rollback()

    return await planned(engine, act, lambda statement: statement.lstrip().upper().startswith(_WRITES))


_WRITES = ("UPDATE", "DELETE", "INSERT", "SELECT")


async def test_rows_moved_on_are_found_by_their_key_not_by_the_due_time_they_share(engine: AsyncEngine) -> None:
    """Moving rows on (and deleting one-offs) searches the primary key, never the ``due_at`` index."""
    tomorrow = SEVEN + dt.timedelta(days=1)
    moves = [Advance(runner, PROMPT, MONDAY, SEVEN, MONDAY + dt.timedelta(days=1), tomorrow) for runner in range(1, 60)]
    one_offs = [Advance(runner, DueKind("review"), MONDAY, SEVEN, None, None) for runner in range(1, 60)]

    async def write(work: Any) -> None:
        await work.due.advance("token", moves + one_offs)

    plans = await plans_of(engine, write)
    assert len(plans) == 2
    for statement, plan in plans.items():
        assert plan and all("sqlite_autoindex_due_messages_1" in step for step in plan), (statement, plan)


async def test_the_recorders_writes_search_by_key(engine: AsyncEngine) -> None:
    """A confirmation, a withdrawal, the rows postponed and freed: none scans a table or the due times."""
    keys = [(runner, MONDAY, PROMPT) for runner in range(1, 30)]

    async def write(work: Any) -> None:
        await work.deliveries.confirm([DeliveryRecord(r, d, k, SEVEN, 7) for r, d, k in keys])
        await work.deliveries.withdraw(keys[:1])
        await work.due.release("token", [(r, k) for r, _, k in keys], SEVEN)
        await work.due.postpone("token", [(r, k, SEVEN) for r, _, k in keys])
        await work.due.release_all("token", [r for r, _, _ in keys])

    for statement, plan in (await plans_of(engine, write)).items():
        assert not any(step.startswith("SCAN") or "due_at" in step for step in plan), (statement, plan)
