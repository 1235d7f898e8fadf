"""A writer's ``BEGIN IMMEDIATE`` goes to SQLite in the trip of the transaction's first statement
(``bot.db.sqlite_trips.owe_begin``), and ``executemany`` goes in one trip: the write lock is still
held from the first statement on, a writer that ran nothing leaves nothing open, and rows and
counts are as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from bot.db.engine import create_engine, session_factory
from bot.db.uow import unit_of_work_factory


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path}/owed.db"


async def other_can_write(url: str) -> bool:
    """Whether another connection could take the write lock right now (without waiting)."""
    other = create_engine(url)
    try:
        async with other.connect() as connection:
            await connection.exec_driver_sql("PRAGMA busy_timeout=0")
            try:
                await connection.exec_driver_sql("BEGIN IMMEDIATE")
            except OperationalError:
                return False
            await connection.rollback()
            return True
    finally:
        await other.dispose()


async def test_the_write_lock_is_held_from_the_writers_first_statement_even_a_read(url: str) -> None:
    """After ``begin_write`` and one read, no other connection can write until the commit; the read
    and a write after it see and store what they should."""
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.exec_driver_sql("CREATE TABLE t (name TEXT)")
        uow = unit_of_work_factory(session_factory(engine))
        async with uow() as work:
            await work.due.begin_write(with_next=True)
            session = work._require()
            assert (await session.execute(text("SELECT count(*) FROM t WHERE name != :n"), {"n": "-"})).scalar() == 0
            assert not await other_can_write(url)
            await session.execute(text("INSERT INTO t VALUES (:n)"), {"n": "ada"})
            await work.commit()
        assert await other_can_write(url)
        async with engine.connect() as connection:
            assert (await connection.exec_driver_sql("SELECT name FROM t")).scalars().all() == ["ada"]
    finally:
        await engine.dispose()


async def test_a_writer_that_ran_nothing_leaves_nothing_owed_or_open(url: str) -> None:
    """``begin_write`` then commit, or then leaving the block: no transaction is left open and the
    pooled connection's next user reads without a lock held."""
    engine = create_engine(url, pool_size=1, max_overflow=0)
    try:
        async with engine.begin() as connection:
            await connection.exec_driver_sql("CREATE TABLE t (name TEXT)")
        uow = unit_of_work_factory(session_factory(engine))
        async with uow() as work:
            await work.due.begin_write(with_next=True)
            await work.commit()
        async with uow() as work:
            await work.due.begin_write(with_next=True)
        assert await other_can_write(url)
        async with engine.connect() as connection:
            driver = (await connection.get_raw_connection()).driver_connection
            assert driver is not None
            assert (await connection.exec_driver_sql("SELECT count(*) FROM t")).scalar() == 0
            assert not driver.in_transaction
        assert await other_can_write(url)
    finally:
        await engine.dispose()


async def test_executemany_in_one_trip_counts_and_stores_every_row(url: str) -> None:
    """Many parameter sets in one ``executemany``: every row stored, the count of rows changed
    is SQLite's, and an owed BEGIN before it is taken (the lock held until the commit)."""
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
        uow = unit_of_work_factory(session_factory(engine))
        async with uow() as work:
            await work.due.begin_write(with_next=True)
            connection = await work._require().connection()
            await connection.exec_driver_sql("INSERT INTO t (name) VALUES (?)", [("a",), ("b",), ("c",)])
            changed = await connection.exec_driver_sql(
                "UPDATE t SET name = name || ? WHERE id = ?", [("!", 1), ("!", 3)]
            )
            assert changed.rowcount == 2
            assert not await other_can_write(url)
            await work.commit()
        async with engine.connect() as connection:
            names = (await connection.exec_driver_sql("SELECT name FROM t ORDER BY id")).scalars().all()
        assert names == ["a!", "b", "c!"]
    finally:
        await engine.dispose()
