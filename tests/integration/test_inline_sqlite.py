"""SQLite statements run on the event loop's thread (``bot.db.inline_sqlite``): a statement that meets
another connection's lock waits on aiosqlite's thread while the loop goes on (the lock holder can
commit), past the busy timeout it fails as before, a trip that met the lock half-way goes on from
there, and file databases are in WAL with ``synchronous=NORMAL``."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

import bot.db.engine as engine_module
import bot.db.sqlite_trips as trips
from bot.db.engine import create_engine
from bot.db.inline_sqlite import InlineConnection, is_busy
from bot.db.sqlite_trips import COMMIT_AFTER, owe_begin

INSERT = text("INSERT INTO t (name) VALUES (:n)")


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path}/inline.db"


async def made(url: str) -> AsyncEngine:
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)"))
    return engine


async def holding_the_write_lock(engine: AsyncEngine) -> AsyncConnection:
    """A connection in a write transaction (BEGIN IMMEDIATE and a row), not committed."""
    holder = await engine.connect()
    await holder.exec_driver_sql("BEGIN IMMEDIATE")
    await holder.execute(INSERT, {"n": "first"})
    return holder


async def names(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as conn:
        return list((await conn.execute(text("SELECT name FROM t ORDER BY id"))).scalars())


def busy() -> sqlite3.OperationalError:
    error = sqlite3.OperationalError("database is locked")
    error.sqlite_errorcode = sqlite3.SQLITE_BUSY  # type: ignore[attr-defined]
    return error


async def test_a_write_that_meets_another_connections_lock_waits_while_the_loop_runs(url: str) -> None:
    """Connection 1 holds the write lock across an await; a task writes through connection 2 (a
    writer's owed BEGIN IMMEDIATE, its row committed in its trip). While that write waits, the loop
    runs other coroutines, among them the holder's commit; then the write lands, once."""
    engine = await made(url)
    try:
        holder = await holding_the_write_lock(engine)
        started = asyncio.Event()

        async def write() -> None:
            async with engine.connect() as conn:
                assert owe_begin(await conn.get_raw_connection())
                started.set()
                await conn.execute(INSERT, {"n": "second"}, execution_options=COMMIT_AFTER)
                await conn.commit()

        writer = asyncio.create_task(write())
        await started.wait()
        ticks = 0
        for _ in range(50):  # a counter advancing: the loop is free while the write waits
            await asyncio.sleep(0)
            ticks += 1
        assert (ticks, writer.done()) == (50, False)
        await holder.commit()
        await holder.close()
        await writer
        assert await names(engine) == ["first", "second"]
    finally:
        await engine.dispose()


async def test_a_plain_write_waits_too_and_the_lock_holder_goes_on_with_its_statements(url: str) -> None:
    """A write in an implicit transaction meets the lock, waits off the loop, and the holder runs
    more statements and commits meanwhile; both connections' rows are there."""
    engine = await made(url)
    try:
        holder = await holding_the_write_lock(engine)
        started = asyncio.Event()

        async def write() -> None:
            async with engine.begin() as conn:
                started.set()
                await conn.execute(INSERT, {"n": "third"})

        writer = asyncio.create_task(write())
        await started.wait()
        await asyncio.sleep(0)
        await holder.execute(INSERT, {"n": "second"})
        assert not writer.done()
        await holder.commit()
        await holder.close()
        await writer
        assert await names(engine) == ["first", "second", "third"]
    finally:
        await engine.dispose()


async def test_a_lock_held_past_the_busy_timeout_fails_as_database_is_locked(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The write waits the (lowered) busy timeout, then fails with SQLAlchemy's OperationalError
    "database is locked", and nothing of it is stored; its connection goes on serving after."""
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 50)
    engine = await made(url)
    try:
        holder = await holding_the_write_lock(engine)
        async with engine.connect() as conn:
            with pytest.raises(OperationalError, match="database is locked") as raised:
                await conn.execute(INSERT, {"n": "lost"})
            assert is_busy(raised.value.orig)
            await conn.rollback()
            await holder.commit()
            await holder.close()
            await conn.execute(INSERT, {"n": "later"})
            await conn.commit()
        assert await names(engine) == ["first", "later"]
    finally:
        await engine.dispose()


async def test_a_trip_that_meets_a_lock_at_its_commit_goes_on_from_the_commit(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A statement committed in its trip (after the owed BEGIN IMMEDIATE) meets the lock at the
    commit: the trip goes on on aiosqlite's thread from the commit, so the row is written once."""
    engine = await made(url)
    commits: list[int] = []
    real_commit = trips._commit

    def commit_once_locked(connection: sqlite3.Connection) -> None:
        commits.append(threading.get_ident())
        if len(commits) == 1:
            raise busy()
        real_commit(connection)

    monkeypatch.setattr(trips, "_commit", commit_once_locked)
    try:
        async with engine.connect() as conn:
            assert owe_begin(await conn.get_raw_connection())
            returning = text("INSERT INTO t (name) VALUES (:n) RETURNING id")
            ids = (await conn.execute(returning, {"n": "once"}, execution_options=COMMIT_AFTER)).scalars().all()
            await conn.commit()
        assert ids == [1]
        assert len(commits) == 2 and commits[0] == threading.get_ident() != commits[1]
        assert await names(engine) == ["once"]
    finally:
        await engine.dispose()


class _Cursor:
    def __init__(self, real: sqlite3.Cursor, fail: Callable[[], bool]) -> None:
        self.real, self.fail = real, fail

    def execute(self, statement: str, parameters: Any) -> None:
        if self.fail():
            raise busy()
        self.real.execute(statement, parameters)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


async def test_an_executemany_that_meets_a_lock_half_way_goes_on_from_that_row(url: str) -> None:
    """``executemany``'s trip that meets the lock at its second row goes on from the second row:
    every row stored once, the count the rows'."""
    engine = await made(url)
    try:
        async with engine.connect() as conn:
            driver = (await conn.get_raw_connection()).driver_connection
            assert isinstance(driver, InlineConnection)
            real = driver._conn
            runs = iter(range(100))

            class Connection:
                def cursor(self) -> _Cursor:
                    return _Cursor(real.cursor(), lambda: next(runs) == 1)  # the second row, first time

                def __getattr__(self, name: str) -> Any:
                    return getattr(real, name)

            class Driver:
                _conn = Connection()

            trip = trips._ManyTrip(Driver(), "INSERT INTO t (name) VALUES (?)", [("a",), ("b",), ("c",)], False)
            with pytest.raises(sqlite3.OperationalError):
                trip()
            assert trip() == (None, 3)
            real.commit()
        assert await names(engine) == ["a", "b", "c"]
    finally:
        await engine.dispose()


async def test_executemany_through_the_engine_stores_each_row_once_and_counts_them(url: str) -> None:
    engine = await made(url)
    try:
        async with engine.begin() as conn:
            result = await conn.execute(INSERT, [{"n": "a"}, {"n": "b"}])
            assert result.rowcount == 2
        assert await names(engine) == ["a", "b"]
    finally:
        await engine.dispose()


async def test_a_file_database_is_wal_with_synchronous_normal_and_runs_statements_on_the_loops_thread(
    url: str,
) -> None:
    """Each connection reports WAL, synchronous NORMAL (1) and the busy timeout it waits with; a
    statement runs on the thread that awaits it (the event loop's), not aiosqlite's."""
    engine = await made(url)
    try:
        async with engine.connect() as one, engine.connect() as two:
            for conn in (one, two):
                assert (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar() == "wal"
                assert (await conn.exec_driver_sql("PRAGMA synchronous")).scalar() == 1
                assert (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar() == 5000
                driver = (await conn.get_raw_connection()).driver_connection
                assert driver is not None
                await driver.create_function("thread_id", 0, threading.get_ident)
                here = (await conn.execute(text("SELECT thread_id() WHERE 1 = :one"), {"one": 1})).scalar()
                assert here == threading.get_ident() != driver._thread.ident
                assert (await conn.exec_driver_sql("SELECT thread_id()")).scalar() == threading.get_ident()
    finally:
        await engine.dispose()


async def test_a_memory_database_runs_statements_on_the_loops_thread() -> None:
    engine = create_engine("sqlite+aiosqlite://")
    try:
        async with engine.connect() as conn:
            driver = (await conn.get_raw_connection()).driver_connection
            assert isinstance(driver, InlineConnection)
            await driver.create_function("thread_id", 0, threading.get_ident)
            assert (await conn.execute(text("SELECT thread_id()"))).scalar() == threading.get_ident()
    finally:
        await engine.dispose()


async def test_busy_timeout_set_through_sqlalchemy_is_the_wait_off_the_loop(url: str) -> None:
    """``PRAGMA busy_timeout=N`` sets the wait on aiosqlite's thread, and reads back N; SQLite's
    own timeout stays 0 (a statement on the loop's thread never waits)."""
    engine = await made(url)
    try:
        async with engine.connect() as conn:
            assert (await conn.exec_driver_sql("PRAGMA busy_timeout=120")).scalar() == 120
            assert (await conn.exec_driver_sql("pragma busy_timeout")).scalar() == 120
            driver = (await conn.get_raw_connection()).driver_connection
            assert isinstance(driver, InlineConnection) and driver.busy_timeout_ms == 120
            assert (await driver.execute_fetchall("PRAGMA busy_timeout", [])) == [(0,)]
    finally:
        await engine.dispose()
