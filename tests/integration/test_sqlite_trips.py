"""SQLite statements in one trip to the driver's thread, and a pooled connection rolled back only
when a transaction is open on it: the results, errors and isolation are as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.db.engine import create_engine


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path}/trips.db"


async def test_rows_counts_and_ids_come_back_as_the_driver_gives_them(url: str) -> None:
    """Inserted ids, updated row counts and selected rows are what SQLite reports."""
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)"))
            first = await conn.execute(text("INSERT INTO t (name) VALUES (:n)"), {"n": "ada"})
            second = await conn.execute(text("INSERT INTO t (name) VALUES (:n)"), {"n": "bo"})
            assert (first.lastrowid, second.lastrowid) == (1, 2)
            changed = await conn.execute(text("UPDATE t SET name = name || :s WHERE id >= :low"), {"s": "!", "low": 1})
            assert changed.rowcount == 2
            rows = (await conn.execute(text("SELECT id, name FROM t WHERE id > :low ORDER BY id"), {"low": 0})).all()
            assert [tuple(row) for row in rows] == [(1, "ada!"), (2, "bo!")]
            one = (await conn.execute(text("SELECT name FROM t WHERE id = :id"), {"id": 2})).scalar_one()
            assert one == "bo!"
    finally:
        await engine.dispose()


async def test_errors_are_sqlalchemys_and_leave_the_connection_usable(url: str) -> None:
    """A unique violation is an IntegrityError and a bad statement an OperationalError, as before;
    the connection goes on serving statements after either."""
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (name TEXT UNIQUE)"))
            await conn.execute(text("INSERT INTO t VALUES (:n)"), {"n": "ada"})
        async with engine.connect() as conn:
            with pytest.raises(IntegrityError):
                await conn.execute(text("INSERT INTO t VALUES (:n)"), {"n": "ada"})
            await conn.rollback()
            with pytest.raises(OperationalError):
                await conn.execute(text("SELECT nothing FROM nowhere WHERE x = :x"), {"x": 1})
            await conn.rollback()
            count = (await conn.execute(text("SELECT count(*) FROM t WHERE name = :n"), {"n": "ada"})).scalar_one()
            assert count == 1
    finally:
        await engine.dispose()


async def test_a_transaction_left_open_is_rolled_back_before_the_connection_is_reused(url: str) -> None:
    """A write the driver holds uncommitted when its connection goes back to the pool is undone, so
    the next user neither sees it nor finds the database locked; a clean connection is reused as is."""
    engine = create_engine(url, pool_size=1, max_overflow=0)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (name TEXT)"))
        conn = await engine.connect()
        driver = (await conn.get_raw_connection()).driver_connection
        assert driver is not None
        await driver.execute("INSERT INTO t VALUES ('left open')")  # sqlite3 opens a transaction for it
        assert driver.in_transaction
        await conn.close()  # back to the pool, the transaction still open at the driver
        assert not driver.in_transaction
        async with engine.begin() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one() == 0
            await conn.execute(text("INSERT INTO t VALUES (:n)"), {"n": "committed"})
        async with engine.connect() as conn:
            names = (await conn.execute(text("SELECT name FROM t"))).scalars().all()
        assert names == ["committed"]
    finally:
        await engine.dispose()


async def test_a_commit_or_rollback_goes_to_the_driver_only_when_a_write_opened_a_transaction(url: str) -> None:
    """A transaction that only read ends without a trip to aiosqlite's thread; one that wrote is
    committed (another connection sees it) or rolled back (nobody does) as before. This relies on
    aiosqlite's ``in_transaction`` mirroring sqlite3's, which the asserts on it pin."""
    engine = create_engine(url, pool_size=1, max_overflow=0)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (name TEXT)"))
        async with engine.connect() as conn:
            driver = (await conn.get_raw_connection()).driver_connection
            assert driver is not None
            calls: list[str] = []
            commit, rollback = driver.commit, driver.rollback

            async def counted_commit() -> None:
                calls.append("commit")
                await commit()

            async def counted_rollback() -> None:
                calls.append("rollback")
                await rollback()

            driver.commit, driver.rollback = counted_commit, counted_rollback  # type: ignore[method-assign]
            assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one() == 0
            assert not driver.in_transaction  # sqlite3 opens none for a read
            await conn.commit()
            await conn.execute(text("SELECT count(*) FROM t"))
            await conn.rollback()
            assert calls == []
            await conn.execute(text("INSERT INTO t VALUES (:n)"), {"n": "undone"})
            assert driver.in_transaction
            await conn.rollback()
            await conn.execute(text("INSERT INTO t VALUES (:n)"), {"n": "kept"})
            await conn.commit()
            assert calls == ["rollback", "commit"]
            driver.commit, driver.rollback = commit, rollback  # type: ignore[method-assign]
        other = create_engine(url)
        try:
            async with other.connect() as conn:
                assert (await conn.execute(text("SELECT name FROM t"))).scalars().all() == ["kept"]
        finally:
            await other.dispose()
    finally:
        await engine.dispose()
