"""A batch's ids bound as one value (``bot.db.id_lists.one_of``): the rows of exactly those ids, on
SQLite and PostgreSQL, found by the key on SQLite."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.id_lists import one_of
from bot.db.models import Runner
from bot.db.uow import UnitOfWorkFactory

RUNNERS: Table = Runner.__table__  # type: ignore[assignment]
NOW = dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.UTC)
BY_IDS = select(RUNNERS.c.id, RUNNERS.c.first_name).where(one_of(RUNNERS.c.id, "ids")).order_by(RUNNERS.c.id)


async def test_the_rows_of_exactly_the_ids_given(engine: AsyncEngine, uow_factory: UnitOfWorkFactory) -> None:
    """Ids present, absent, repeated and none: the rows of those present, once each; the briefs the
    dispatcher reads by them too."""
    async with uow_factory() as work:
        ids = [(await work.runners.ensure(100 + n, 100 + n, f"R{n}", now=NOW)).id for n in range(5)]
        await work.commit()
    async with engine.connect() as connection:
        asked = [ids[3], ids[0], ids[3], max(ids) + 1000]
        found = (await connection.execute(BY_IDS, {"ids": asked})).all()
        assert [tuple(row) for row in found] == [(ids[0], "R0"), (ids[3], "R3")]
        assert (await connection.execute(BY_IDS, {"ids": []})).all() == []
        assert len((await connection.execute(BY_IDS, {"ids": ids})).all()) == 5
    async with uow_factory() as work:
        briefs = await work.runners.briefs([ids[1], ids[4]])
    assert sorted(briefs) == [ids[1], ids[4]] and briefs[ids[4]].first_name == "R4"


async def test_sqlite_looks_each_id_up_by_the_key(engine: AsyncEngine) -> None:
    """SQLite's plan searches the primary key for the ids, never scans the table."""
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's query plan")
    async with engine.connect() as connection:
        sql = str(BY_IDS.compile(dialect=engine.dialect))
        plan = [row[-1] for row in await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", ("[1,2]",))]
    assert any(step.startswith("SEARCH runners USING INTEGER PRIMARY KEY") for step in plan), plan
    assert not any(step.startswith("SCAN runners") for step in plan), plan
