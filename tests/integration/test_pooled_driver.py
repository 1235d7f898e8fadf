"""Issue 22: the update's claim on SQLite runs on the pooled driver connection
(``bot.db.pooled_driver``), below SQLAlchemy's Connection. The engine's listeners still see what a
Connection shows them (the same statements with the same SQL and values, the same commits, begins
and rollbacks, in the same order); a claim that meets another connection's lock waits for it and
stores its rows once; a lock held past the wait is ``Contention``, a database file out of reach
``Unavailable``."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select, text, update
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util import greenlet_spawn

import bot.db.engine as engine_module
from bot.app import prepare_database
from bot.db import update_work
from bot.db.briefs import read_brief_with
from bot.db.engine import create_engine, session_factory
from bot.db.models import InboxRow, OnboardingAnswer, Runner
from bot.db.pooled_driver import DriverCheckout, checkout
from bot.db.uow import UnitOfWork, unit_of_work_factory
from bot.db.update_work import UpdateClaims
from bot.services.inbox import LEASE
from bot.services.inbox_rows import Incoming
from bot.services.ports import Contention
from bot.services.records import Unavailable

ADA, BOB = 2201, 2202
NOW = dt.datetime(2026, 12, 7, 21, 0, 0, 500000, tzinfo=dt.UTC)
EVENTS = ("engine_connect", "begin", "before_cursor_execute", "after_cursor_execute", "commit", "rollback")


class Heard:
    """Every connection event the engine's listeners hear, with the statement and values for a cursor's."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.seen: list[tuple[Any, ...]] = []
        for name in EVENTS:
            event.listen(engine.sync_engine, name, self._hear(name))

    def _hear(self, name: str) -> Any:
        def heard(connection: Any, *args: Any) -> None:
            assert connection is not None
            self.seen.append((name, args[1], args[2]) if name.endswith("cursor_execute") else (name,))

        return heard


async def made(folder: Path, name: str) -> AsyncEngine:
    url = f"sqlite+aiosqlite:///{folder}/{name}.db"
    await prepare_database(url)
    engine = create_engine(url)
    async with UnitOfWork(session_factory(engine)) as work:
        await work.runners.ensure(ADA, ADA, "Ada")
        await work.runners.ensure(BOB, BOB, "Bob")
        await work.commit()
    async with engine.begin() as connection:
        await connection.execute(update(Runner).where(Runner.telegram_id == ADA).values(onboarded_at=NOW))
        await connection.execute(
            OnboardingAnswer.__table__.insert().values(
                telegram_id=BOB, question="goal", value={"km": 42}, answered_at=NOW
            )
        )
    return engine


async def a_day_of_claims(engine: AsyncEngine, claims: Any) -> list[tuple[bool, Any]]:
    """Claims as the coach makes them: the first without a mark, then each with the one before
    marked; Ada onboarded (her row alone), Bob with an answer (his answers read too), one lost claim."""
    said = []
    for update_id, who, marks, brief in ((10, ADA, [], True), (11, BOB, [10], True), (12, ADA, [11], False)):
        said.append(await claims(marks, Incoming(update_id, who, {"update_id": update_id}), "a", NOW, LEASE, brief))
    said.append(await claims([], Incoming(12, ADA, {"update_id": 12}), "b", NOW, LEASE, True))  # leased to "a"
    said.append(await claims([12, 10], Incoming(13, BOB, {"update_id": 13}), "a", NOW, LEASE, True))
    return said


class OnConnection:
    """The claim as it ran before: every statement through a Core Connection."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine.sync_engine

    async def __call__(self, *args: Any) -> Any:
        def run() -> Any:
            with self._engine.connect() as connection:
                return update_work.claim_on(connection, update_work.Claim(*args))

        return await greenlet_spawn(run)


async def stored(engine: AsyncEngine) -> list[tuple[Any, ...]]:
    async with engine.connect() as connection:
        rows = await connection.execute(text("SELECT * FROM inbox ORDER BY update_id"))
        return [tuple(row) for row in rows]


async def test_listeners_hear_the_driver_path_as_they_heard_a_connection(tmp_path: Path) -> None:
    """The same claims, through the driver and through a Connection, on twin databases: the same
    answers, the same rows stored (leases aside: the database's clock), and the engine's listeners
    hear the same events, statements and values in the same order: 4 statements and 1 commit for a
    claim with its mark and brief, a Connection given to each listener."""
    driver_engine, core_engine = await made(tmp_path, "driver"), await made(tmp_path, "core")
    try:
        on_driver, on_core = Heard(driver_engine), Heard(core_engine)
        by_driver = await a_day_of_claims(driver_engine, UpdateClaims(driver_engine))
        by_core = await a_day_of_claims(core_engine, OnConnection(core_engine))
        assert by_driver == by_core
        assert [claimed for claimed, _ in by_driver] == [True, True, True, False, True]
        assert by_driver[1][1] is not None and by_driver[1][1].answers == {"goal": {"km": 42}}
        assert on_driver.seen == on_core.seen
        first = on_driver.seen[: on_driver.seen.index(("engine_connect",), 1)]
        assert [name for name, *_ in first].count("before_cursor_execute") == 2  # no mark: claim and runner
        assert [name for name, *_ in first].count("commit") == 1
        assert any("SELECT runners." in str(heard[1]) for heard in first if len(heard) > 1)

        def kept(row: tuple[Any, ...]) -> tuple[Any, ...]:
            return tuple(value for at, value in enumerate(row) if at != 5)  # lease_until: the database's now

        assert [kept(row) for row in await stored(driver_engine)] == [kept(row) for row in await stored(core_engine)]
    finally:
        await driver_engine.dispose()
        await core_engine.dispose()


async def test_a_listener_made_with_retval_may_change_a_driver_statement(tmp_path: Path) -> None:
    """As SQLAlchemy lets a ``retval=True`` listener change what goes to the driver, so here."""
    engine = await made(tmp_path, "retval")
    try:

        def rewrite(_conn: Any, _cursor: Any, statement: str, values: Any, *_args: Any) -> tuple[str, Any]:
            return statement.replace("SELECT runners.", "SELECT /* seen */ runners."), values

        event.listen(engine.sync_engine, "before_cursor_execute", rewrite, retval=True)
        sent: list[str] = []
        event.listen(engine.sync_engine, "after_cursor_execute", lambda *args: sent.append(args[2]))
        claimed, brief = await UpdateClaims(engine)([], Incoming(20, ADA, {"update_id": 20}), "a", NOW, LEASE, True)
        assert claimed and brief is not None and brief.runner is not None and brief.runner.onboarded
        assert any("/* seen */" in statement for statement in sent)
    finally:
        await engine.dispose()


async def test_the_driver_path_is_taken_on_the_coachs_sqlite_engine(tmp_path: Path) -> None:
    """The coach's engine gives a DriverCheckout (the statements go to the driver), returned to the
    pool after."""
    engine = await made(tmp_path, "taken")
    try:
        work = await greenlet_spawn(checkout, engine.sync_engine)
        assert isinstance(work, DriverCheckout)
        await greenlet_spawn(work.close)
        assert engine.sync_engine.pool.checkedout() == 0
    finally:
        await engine.dispose()


async def test_another_do_execute_listener_sees_the_claims_statements(tmp_path: Path) -> None:
    """A ``do_execute`` listener heard before the coach's own (one that may want to see or send each
    statement itself: here on the dialect's class, so it is first on every engine) is given the
    claim's statements, as a Connection gives them: the claim then goes through one."""
    sent: list[str] = []

    def watch(_cursor: Any, statement: str, _parameters: Any, _context: Any) -> None:
        sent.append(statement.split()[0])  # and leaves it to the next listener to run

    event.listen(SQLiteDialect_aiosqlite, "do_execute", watch)
    try:
        engine = await made(tmp_path, "watched")
        try:
            work = await greenlet_spawn(checkout, engine.sync_engine)
            assert not isinstance(work, DriverCheckout)
            await greenlet_spawn(work.close)
            sent.clear()
            claims = UpdateClaims(engine)
            claimed, brief = await claims([], Incoming(30, ADA, {"update_id": 30}), "a", NOW, LEASE, True)
            assert claimed and brief is not None
            assert sent[:2] == ["INSERT", "SELECT"]  # the claim, then the brief's runner
        finally:
            await engine.dispose()
    finally:
        event.remove(SQLiteDialect_aiosqlite, "do_execute", watch)


async def test_a_claim_that_meets_a_lock_waits_for_it_and_stores_its_rows_once(tmp_path: Path) -> None:
    """Another connection holds the write lock: the claim (its mark first) waits on aiosqlite's
    thread, goes on when the lock goes, and the mark and the claim are each stored once."""
    engine = await made(tmp_path, "locked")
    other = create_engine(f"sqlite+aiosqlite:///{tmp_path}/locked.db")
    try:
        claims = UpdateClaims(engine)
        assert (await claims([], Incoming(30, ADA, {"update_id": 30}), "a", NOW, LEASE, False))[0]
        holder = await other.connect()
        await holder.exec_driver_sql("BEGIN IMMEDIATE")
        waiting = asyncio.create_task(claims([30], Incoming(31, BOB, {"update_id": 31}), "a", NOW, LEASE, True))
        await asyncio.sleep(0.05)
        assert not waiting.done()
        await holder.rollback()
        await holder.close()
        claimed, brief = await waiting
        assert claimed and brief is not None and brief.answers == {"goal": {"km": 42}}
        async with engine.connect() as connection:
            rows = (await connection.execute(select(InboxRow.update_id, InboxRow.handled_at))).all()
        assert sorted(rows) == [(30, NOW), (31, None)]
    finally:
        await engine.dispose()
        await other.dispose()


async def test_a_lock_held_past_the_wait_is_contention_and_the_connection_serves_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 50)
    engine = await made(tmp_path, "contention")
    other = create_engine(f"sqlite+aiosqlite:///{tmp_path}/contention.db")
    try:
        claims = UpdateClaims(engine)
        holder = await other.connect()
        await holder.exec_driver_sql("BEGIN IMMEDIATE")
        with pytest.raises(Contention):
            await claims([], Incoming(40, ADA, {"update_id": 40}), "a", NOW, LEASE, True)
        await holder.rollback()
        await holder.close()
        assert (await claims([], Incoming(40, ADA, {"update_id": 40}), "a", NOW, LEASE, True))[0]
        assert engine.sync_engine.pool.checkedout() == 0
    finally:
        await engine.dispose()
        await other.dispose()


async def test_a_database_file_out_of_reach_is_unavailable(tmp_path: Path) -> None:
    engine = await made(tmp_path, "gone")
    await engine.dispose()  # no connection kept open in the pool
    (tmp_path / "gone.db").unlink()
    try:
        with pytest.raises(Unavailable):
            await UpdateClaims(engine)([], Incoming(50, ADA, {"update_id": 50}), "a", NOW, LEASE, True)
    finally:
        await engine.dispose()


async def test_answers_read_on_the_driver_are_a_core_reads(tmp_path: Path) -> None:
    """Bob's answers (JSON values), read as driver SQL, equal the unit of work's brief of him."""
    engine = await made(tmp_path, "answers")
    try:

        def read(work: DriverCheckout) -> Any:
            try:
                return read_brief_with(work.rows, engine.sync_engine.dialect, BOB)
            finally:
                work.close()

        work = await greenlet_spawn(checkout, engine.sync_engine)
        assert isinstance(work, DriverCheckout)
        brief = await greenlet_spawn(read, work)
        async with unit_of_work_factory(session_factory(engine))() as uow:
            expected = await uow.runners.brief(BOB)
        assert brief.runner == expected and brief.answers == {"goal": {"km": 42}}
    finally:
        await engine.dispose()
