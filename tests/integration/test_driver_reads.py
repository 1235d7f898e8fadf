"""Issue 22: a unit of work's compiled statements (the stored day, the weeks, the day shown, the
account a settings step reads) run on SQLite's inline driver below their Core connection
(``bot.db.driver_reads``). They read the same rows as through the ``Connection`` (every value as
its column's type gives it: dates, instants, booleans, JSON), write in the unit's transaction
(committed by its commit, gone without it), take the Core path whenever anything listens on the
engine (and the listeners hear it), wait for another connection's lock and come out as
``Contention`` past the wait, ``Unavailable`` when the connection is lost, and an
``IntegrityError`` as before. PostgreSQL keeps the Core path."""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, CursorResult, bindparam, event, select, text, update
from sqlalchemy.exc import IntegrityError, ResourceClosedError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.util import greenlet_spawn
from test_repositories import fill_everything
from test_repository_contract import ADA, BOB, NOW

import bot.db.engine as engine_module
from bot.db import driver_reads
from bot.db.engine import create_engine, session_factory
from bot.db.inline_sqlite import InlineConnection
from bot.db.models import Runner
from bot.db.repositories import base, plans, runners
from bot.db.repositories.base import connection_written, run_compiled
from bot.db.sqlite_trips import owe_begin
from bot.db.uow import UnitOfWorkFactory, unit_of_work_factory
from bot.services.ports import Contention
from bot.services.records import Unavailable

MONDAY = dt.date(2026, 11, 23)
SHOWN = dt.datetime(2026, 11, 23, 8, 15, 30, 250000, tzinfo=dt.UTC)
_RUNNERS = Runner.__table__
# a write that breaks the unique Telegram id (Bob's given Ada's): an IntegrityError on either path
_TAKE_ID = update(_RUNNERS).where(_RUNNERS.c.telegram_id == bindparam("who")).values(telegram_id=bindparam("id"))
# a write that adds to what it finds: run twice, it would show
_EXCLAIM = (
    update(_RUNNERS).where(_RUNNERS.c.telegram_id == bindparam("who")).values(first_name=_RUNNERS.c.first_name + "!")
)
_NAME = select(_RUNNERS.c.first_name).where(_RUNNERS.c.telegram_id == bindparam("who"))
_SHOWN = select(_RUNNERS.c.shown_date, _RUNNERS.c.shown_at).where(_RUNNERS.c.telegram_id == bindparam("who"))


@pytest.fixture
def paths(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which way each compiled statement went: "driver", or "core" (through the Connection)."""
    taken: list[str] = []
    real = base.run_on_driver

    def recorded(*args: Any) -> Any:
        try:
            result = real(*args)
        except BaseException:
            taken.append("driver")  # it raises only once it has sent the statement to the driver
            raise
        taken.append("core" if result is None else "driver")
        return result

    monkeypatch.setattr(base, "run_on_driver", recorded)
    return taken


@pytest.fixture
async def sqlite_engine(sqlite_migrated_url: str) -> AsyncIterator[AsyncEngine]:
    """The coach's engine on SQLite alone (the driver path's own tests)."""
    engine = create_engine(sqlite_migrated_url)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def sqlite_units(sqlite_engine: AsyncEngine) -> UnitOfWorkFactory:
    return unit_of_work_factory(session_factory(sqlite_engine))


def expected_path(engine: AsyncEngine) -> str:
    return "driver" if engine.dialect.name == "sqlite" else "core"


def listened(engine: AsyncEngine) -> list[tuple[str, str]]:
    """Every statement, begin and commit the engine's listeners hear."""
    heard: list[tuple[str, str]] = []
    for name in ("begin", "commit", "rollback"):
        event.listen(engine.sync_engine, name, lambda _connection, name=name: heard.append((name, "")))
    event.listen(
        engine.sync_engine, "before_cursor_execute", lambda _c, _cursor, sql, *_: heard.append(("statement", sql))
    )
    return heard


def everything_read(connection: Connection, account_id: int) -> list[Any]:
    """Every statement the fast path serves, with the values the repositories give them."""
    week = {"runner_id": account_id, "first": MONDAY, "last": MONDAY + dt.timedelta(7), "eve": MONDAY}
    day = {"telegram_id": ADA, "date": MONDAY, "eve": MONDAY - dt.timedelta(1)}
    return [
        run_compiled(connection, plans._DAY_LOGGED, day),
        run_compiled(connection, plans._WEEKS_LOGGED, week),
        run_compiled(connection, runners._ACCOUNT, {"telegram_id": ADA}),
        run_compiled(connection, runners._CALENDAR, {"runner_id": account_id}),
        run_compiled(connection, runners._ACCOUNT, {"telegram_id": 1}),  # nobody: no row
    ]


async def twins(url: str, engine: AsyncEngine, uow_factory: UnitOfWorkFactory) -> tuple[AsyncEngine, int]:
    """Ada with a row in every table (a profile with race and one-off dates, a state, a week, a
    check-in, the day shown), and a byte-for-byte twin of the database with its own engine."""
    await fill_everything(uow_factory, engine, ADA)
    async with uow_factory() as work:
        await work.runners.ensure(BOB, BOB, "Bob", now=NOW)
        await work.runners.set_shown(ADA, MONDAY, SHOWN)
        await work.commit()
        account = await work.runners.get(ADA)
    assert account is not None
    await engine.dispose()
    path = Path(url.removeprefix("sqlite+aiosqlite:///"))
    shutil.copyfile(path, path.with_name("twin.db"))
    return create_engine(f"sqlite+aiosqlite:///{path.with_name('twin.db')}"), account.id


async def test_the_driver_path_reads_every_value_as_the_connection_does(
    sqlite_migrated_url: str, sqlite_engine: AsyncEngine, sqlite_units: UnitOfWorkFactory
) -> None:
    """Each statement on twin databases, one engine plain (its statements go to the driver), the
    other listened to (through the Connection): the same rows, with the same keys, values and
    value types (dates, instants, booleans, JSON, text), by position, by name and by column."""
    engine = sqlite_engine
    core_engine, account_id = await twins(sqlite_migrated_url, engine, sqlite_units)
    event.listen(core_engine.sync_engine, "before_cursor_execute", lambda *_: None)
    try:

        def read(on: AsyncEngine) -> list[Any]:
            with on.sync_engine.connect() as connection:
                results = everything_read(connection, account_id)
                kinds = {type(result) for result in results}
                return [kinds, *([row._fields, tuple(row), row._mapping] for r in results for row in r.all())]

        by_driver = await greenlet_spawn(read, engine)
        by_core = await greenlet_spawn(read, core_engine)
        assert by_driver[0] == {driver_reads.DriverResult} and by_core[0] == {CursorResult}
        assert by_driver[1:] == by_core[1:] and len(by_driver) > 1 + 1 + 7 + 1 + 2  # a day, a week, Ada, her calendar
        for (fields, values, _), (_, core_values, _) in zip(by_driver[1:], by_core[1:], strict=True):
            assert [type(value) for value in values] == [type(value) for value in core_values], fields
        kinds = {type(value) for _, values, _ in by_driver[1:] for value in values}
        assert {dt.date, dt.datetime, bool, int, str, type(None)} <= kinds
        assert dict in kinds or list in kinds  # a JSON column, decoded

        def by_column(on: AsyncEngine) -> tuple[Any, ...]:
            with on.sync_engine.connect() as connection:
                row = run_compiled(connection, runners._ACCOUNT, {"telegram_id": ADA}).first()
                assert row is not None
                return row._mapping[_RUNNERS.c.shown_at], row.shown_at, row[0], row.race_date

        assert await greenlet_spawn(by_column, engine) == await greenlet_spawn(by_column, core_engine)
        assert (await greenlet_spawn(by_column, engine))[:2] == (SHOWN, SHOWN)
    finally:
        await core_engine.dispose()


async def test_the_repositories_read_the_same_on_both_paths(
    sqlite_migrated_url: str, sqlite_engine: AsyncEngine, sqlite_units: UnitOfWorkFactory, paths: list[str]
) -> None:
    """Ada's account, a day with its check-in, a day not stored, two weeks, Bob not onboarded:
    equal on twin databases, the driver's and (a listener on its engine) the Connection's."""
    core_engine, _ = await twins(sqlite_migrated_url, sqlite_engine, sqlite_units)
    heard = listened(core_engine)
    try:

        async def read(factory: UnitOfWorkFactory) -> tuple[Any, ...]:
            async with factory() as work:
                account = await work.runners.get(ADA)
                assert account is not None
                return (
                    account,
                    await work.plans.day_logged(ADA, MONDAY),
                    await work.plans.day_logged(ADA, MONDAY + dt.timedelta(1)),
                    await work.plans.weeks_logged(account.id, [MONDAY, MONDAY + dt.timedelta(7)]),
                    await work.runners.get(BOB),
                )

        paths.clear()
        by_driver = await read(sqlite_units)
        assert paths == ["driver"] * 6  # Ada's account is two statements
        by_core = await read(unit_of_work_factory(session_factory(core_engine)))
        assert paths[6:] == ["core"] * 6
        assert by_driver == by_core
        assert by_driver[0].profile is not None and by_driver[0].profile.race is not None
        assert by_driver[1] is not None and by_driver[1][1] is not None and by_driver[1][1].rpe == 6
        assert len([sql for name, sql in heard if name == "statement"]) == 6  # the listeners heard each
    finally:
        await core_engine.dispose()


async def test_with_a_listener_the_connection_runs_the_statements_and_tells_it(
    engine: AsyncEngine, uow_factory: UnitOfWorkFactory, paths: list[str]
) -> None:
    """A listener on the engine: the day shown and the stored day go through the Connection (both
    databases), the listener hears the begin, each statement and the unit's commit, in order."""
    async with uow_factory() as work:
        await work.runners.ensure(ADA, ADA, "Ada", now=NOW)
        await work.commit()
    heard = listened(engine)
    paths.clear()
    async with uow_factory() as work:
        await work.runners.set_shown(ADA, MONDAY, SHOWN)
        assert await work.plans.day_logged(ADA, MONDAY) is None
        await work.commit()
    assert paths == ["core", "core"]
    assert [name for name, _ in heard] == ["begin", "statement", "statement", "commit"]
    assert heard[1][1].startswith("UPDATE runners") and "plan_days" in heard[2][1]


async def test_a_write_is_kept_by_the_units_commit_and_only_then(
    engine: AsyncEngine, uow_factory: UnitOfWorkFactory, paths: list[str]
) -> None:
    """The day shown, written on the driver (SQLite) or through the Connection (PostgreSQL): the
    unit sees it written; left without a commit it is gone, committed it is kept; the last
    statement of a unit (``COMMIT_AFTER``) is committed in its own trip, as before."""
    async with uow_factory() as work:
        await work.runners.ensure(ADA, ADA, "Ada", now=NOW)
        await work.commit()

    async def shown() -> tuple[Any, ...]:
        async with engine.connect() as connection:
            return tuple((await connection.execute(_SHOWN, {"who": ADA})).one())

    paths.clear()
    async with uow_factory() as work:
        await work.runners.set_shown(ADA, MONDAY, SHOWN)
        unit = work._unit
        assert unit is not None and unit._connection is not None and connection_written(unit._connection)
    assert await shown() == (None, None)
    async with uow_factory() as work:
        await work.runners.set_shown(ADA, MONDAY, SHOWN)
        await work.rollback()
        await work.commit()
    assert await shown() == (None, None)
    async with uow_factory() as work:
        await work.runners.set_shown(ADA, MONDAY, SHOWN)
        await work.commit()
    assert await shown() == (MONDAY, SHOWN)
    async with uow_factory() as work:
        await work.runners.set_shown(ADA, None, SHOWN, last=True)
        if engine.dialect.name == "sqlite":  # committed in its trip: nothing left to commit
            unit = work._unit
            assert unit is not None and unit._connection is not None
            assert not connection_written(unit._connection)
        await work.commit()
    assert await shown() == (None, SHOWN)
    assert paths == [expected_path(engine)] * 4


async def test_an_owed_begin_immediate_goes_before_the_statement(sqlite_engine: AsyncEngine, paths: list[str]) -> None:
    """A BEGIN IMMEDIATE owed (a writer's) is run in the read's trip: the read holds the write
    lock after it, in a transaction the Connection then commits."""
    engine = sqlite_engine

    def read() -> tuple[bool, bool]:
        with engine.sync_engine.connect() as connection:
            dbapi = connection.connection.dbapi_connection
            assert owe_begin(dbapi)
            run_compiled(connection, runners._ACCOUNT, {"telegram_id": ADA}).first()
            held = bool(dbapi.driver_connection.in_transaction)  # type: ignore[union-attr]
            connection.commit()
            return held, bool(dbapi.driver_connection.in_transaction)  # type: ignore[union-attr]

    paths.clear()
    assert await greenlet_spawn(read) == (True, False)
    assert paths == ["driver"]


async def test_an_integrity_error_comes_out_as_before(
    engine: AsyncEngine, uow_factory: UnitOfWorkFactory, paths: list[str]
) -> None:
    async with uow_factory() as work:
        await work.runners.ensure(ADA, ADA, "Ada", now=NOW)
        await work.runners.ensure(BOB, BOB, "Bob", now=NOW)
        await work.commit()

    def clash(connection: Connection) -> Any:
        return run_compiled(connection, _TAKE_ID, {"who": BOB, "id": ADA})

    paths.clear()
    with pytest.raises(IntegrityError):
        async with uow_factory() as work:
            await work.runners._on_connection(clash)
    assert paths == [expected_path(engine)]
    async with uow_factory() as work:  # the connection serves after, nothing of the write kept
        written = await work.runners._on_connection(
            lambda connection: run_compiled(connection, _TAKE_ID, {"who": BOB, "id": 99}).rowcount
        )
        await work.commit()
    assert written == 1
    async with engine.connect() as connection:
        ids = (await connection.execute(text("SELECT telegram_id FROM runners ORDER BY telegram_id"))).scalars()
        assert list(ids) == sorted([99, ADA])


async def test_a_write_that_meets_a_lock_waits_for_it_and_is_stored_once(
    sqlite_migrated_url: str,
    sqlite_engine: AsyncEngine,
    sqlite_units: UnitOfWorkFactory,
    paths: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A write on the driver path that meets another connection's lock goes to the worker thread,
    waits there until the lock is let go, and is then written once: a write that adds to what it
    finds ("Ada" + "!") shows a second run."""
    engine, uow_factory = sqlite_engine, sqlite_units
    async with uow_factory() as work:
        await work.runners.ensure(ADA, ADA, "Ada", now=NOW)
        await work.commit()
    sent_to_thread = asyncio.Event()
    on_thread = InlineConnection.on_thread

    async def waits_on_thread(self: InlineConnection, fn: Any) -> Any:
        sent_to_thread.set()
        return await on_thread(self, fn)

    monkeypatch.setattr(InlineConnection, "on_thread", waits_on_thread)
    other = create_engine(sqlite_migrated_url)
    try:
        holder = await other.connect()
        await holder.exec_driver_sql("BEGIN IMMEDIATE")
        await holder.exec_driver_sql("UPDATE runners SET shown_date = '2026-11-30'")

        async def exclaim() -> None:
            async with uow_factory() as work:
                await work.runners._on_connection(lambda connection: run_compiled(connection, _EXCLAIM, {"who": ADA}))
                await work.commit()

        paths.clear()
        waiting = asyncio.create_task(exclaim())
        await asyncio.wait_for(sent_to_thread.wait(), timeout=10)
        assert not waiting.done()  # held by the lock, on the worker thread
        await holder.commit()
        await holder.close()
        await waiting
        assert paths == ["driver"]
        async with engine.connect() as connection:
            assert (await connection.execute(_NAME, {"who": ADA})).scalar_one() == "Ada!"
    finally:
        await other.dispose()


def _units_on(engine: AsyncEngine, path: str) -> UnitOfWorkFactory:
    """Units of work on ``engine`` whose statements take ``path``: a listener on its statements
    sends them through the ``Connection`` ("core"), none leaves them to the driver."""
    if path == "core":
        event.listen(engine.sync_engine, "before_cursor_execute", lambda *_: None)
    return unit_of_work_factory(session_factory(engine))


async def _ada(factory: UnitOfWorkFactory) -> None:
    async with factory() as work:
        await work.runners.ensure(ADA, ADA, "Ada", now=NOW)
        await work.commit()


@pytest.mark.parametrize("path", ["driver", "core"])
async def test_a_lock_held_past_the_wait_is_contention_and_the_pool_serves_after(
    sqlite_migrated_url: str, monkeypatch: pytest.MonkeyPatch, paths: list[str], path: str
) -> None:
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 50)
    engine, other = create_engine(sqlite_migrated_url), create_engine(sqlite_migrated_url)
    factory = _units_on(engine, path)
    try:
        await _ada(factory)
        holder = await other.connect()
        await holder.exec_driver_sql("BEGIN IMMEDIATE")
        paths.clear()
        with pytest.raises(Contention):
            async with factory() as work:
                await work.runners.set_shown(ADA, MONDAY, SHOWN)
                await work.commit()
        assert paths == [path]
        await holder.rollback()
        await holder.close()
        async with factory() as work:
            await work.runners.set_shown(ADA, MONDAY, SHOWN, last=True)
            await work.commit()
        assert engine.sync_engine.pool.checkedout() == 0
        async with engine.connect() as connection:
            assert tuple((await connection.execute(_SHOWN, {"who": ADA})).one()) == (MONDAY, SHOWN)
    finally:
        await engine.dispose()
        await other.dispose()


@pytest.mark.parametrize("path", ["driver", "core"])
async def test_a_lost_connection_is_unavailable_and_a_new_one_serves_after(
    sqlite_migrated_url: str, paths: list[str], path: str
) -> None:
    """The driver's SQLite connection closed under the unit (as when it is lost): the next read
    is ``Unavailable``, the pooled connection is dropped, and the next unit gets a working one."""
    engine = create_engine(sqlite_migrated_url)
    factory = _units_on(engine, path)
    try:
        await _ada(factory)
        lost: Callable[[], None] | None = None
        paths.clear()
        with pytest.raises(Unavailable):
            async with factory() as work:
                assert await work.plans.day_logged(ADA, MONDAY) is None
                unit = work._unit
                assert unit is not None and unit._connection is not None
                lost = unit._connection.connection.driver_connection._conn.close  # type: ignore[union-attr]
                lost()
                await work.plans.day_logged(ADA, MONDAY)
        assert lost is not None and paths == [path, path]
        async with factory() as work:
            assert await work.plans.day_logged(ADA, MONDAY) is None
            account = await work.runners.get(ADA)
        assert account is not None and account.first_name == "Ada"
    finally:
        await engine.dispose()


async def test_postgres_and_plain_aiosqlite_keep_the_core_path(engine: AsyncEngine, paths: list[str]) -> None:
    """Only ``bot.db.inline_sqlite``'s connection is run on directly: aiosqlite's own (an engine
    made without the coach's ``create_engine``) and PostgreSQL's go through the Connection."""
    other = create_async_engine(engine.url) if engine.dialect.name == "sqlite" else engine
    try:

        def read(on: AsyncEngine) -> Any:
            with on.sync_engine.connect() as connection:
                return run_compiled(connection, runners._ACCOUNT, {"telegram_id": ADA}).first()

        paths.clear()
        assert await greenlet_spawn(read, other) is None
        assert paths == ["core"]
    finally:
        if other is not engine:
            await other.dispose()


@pytest.mark.parametrize("path", ["driver", "core"])
async def test_a_result_is_read_once_on_either_path(sqlite_migrated_url: str, paths: list[str], path: str) -> None:
    """As a cursor's: ``first`` closes the result (read again, it says so), ``all`` leaves none."""
    engine = create_engine(sqlite_migrated_url)
    factory = _units_on(engine, path)

    def read_twice(connection: Connection) -> tuple[Any, ...]:
        first = run_compiled(connection, _NAME, {"who": ADA})
        name = first.first()
        with pytest.raises(ResourceClosedError):
            first.all()
        every = run_compiled(connection, _NAME, {"who": ADA})
        return name, every.all(), every.all()

    try:
        await _ada(factory)
        paths.clear()
        async with factory() as work:
            name, rows, again = await work.runners._on_connection(read_twice)
        assert (tuple(name), [tuple(row) for row in rows], again) == (("Ada",), [("Ada",)], [])
        assert paths == [path, path]
    finally:
        await engine.dispose()


@pytest.mark.parametrize("path", ["driver", "core"])
async def test_an_error_not_the_drivers_comes_out_as_it_is_on_either_path(
    sqlite_migrated_url: str, paths: list[str], path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error that is not a database error (here a ValueError from below the driver) reaches the
    caller unwrapped on both paths, as a Connection leaves it (not as SQLAlchemy's StatementError)."""
    engine = create_engine(sqlite_migrated_url)
    factory = _units_on(engine, path)

    def broken(_self: InlineConnection, _fn: Any) -> Any:
        raise ValueError("not the database's")

    try:
        await _ada(factory)
        paths.clear()
        monkeypatch.setattr(InlineConnection, "now", broken)
        with pytest.raises(ValueError, match="not the database's") as raised:
            async with factory() as work:
                await work.runners._on_connection(lambda c: run_compiled(c, _NAME, {"who": ADA}).first())
        assert type(raised.value) is ValueError
        assert paths == [path]
    finally:
        monkeypatch.undo()
        await engine.dispose()
