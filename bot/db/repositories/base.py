"""What every repository shares: the unit of work's session and connection (:class:`Unit`), the
clock, the runner's internal id, and aware instants."""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from sqlalchemy import ClauseElement, Connection, CursorResult, Table, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session
from sqlalchemy.util import greenlet_spawn

from bot.clock import Clock
from bot.db.driver_reads import DriverResult, compiled_once, run_on_driver, unit_connection
from bot.db.models import Runner
from bot.db.sqlite_trips import transaction_open
from bot.services.records import UNSET, UnknownRunner, Unset

__all__ = [
    "FIRST_NAME_MAX",
    "NOTE_MAX",
    "UNSET",
    "Prefixed",
    "Repository",
    "Unit",
    "UnknownRunner",
    "Unset",
    "aware",
    "column_params",
    "column_update",
    "on_connection",
    "printable",
    "run_compiled",
]

FIRST_NAME_MAX = 64
T = TypeVar("T")


def printable(text: str) -> str:
    """``text`` without control characters (NUL, escapes...): PostgreSQL refuses NUL in text, and
    none of them belongs in a name shown back in the chat."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc").strip()


NOTE_MAX = 500


# ---------------------------------------------------------------------------------------------
# helpers


def aware(now: dt.datetime) -> dt.datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    return now.astimezone(dt.UTC)


# built once on the table (a Core statement, no ORM): most writes look the runner's id up first
_RUNNER_ID = select(Runner.__table__.c.id).where(Runner.__table__.c.telegram_id == bindparam("telegram_id"))


class Unit:
    """A unit of work's database side: its ORM session, made when a repository first asks for it,
    and before that a Core connection of its own for the statements run on a connection
    (:meth:`Repository._on_connection`).

    The everyday questions (/today, /week, "why?") run only Core statements: on a connection of
    their own they cross SQLAlchemy's greenlet bridge once a statement (the checkout with the
    first) and once to give it back, and build no session, no session transaction and no identity
    map. A session asked for after that connection was checked out is bound to it and takes over
    its transaction (``join_transaction_mode="control_fully"``: the session's commit and rollback
    are the transaction's), so one unit of work is always one connection and one transaction."""

    __slots__ = ("_connection", "_engine", "_session", "_sessions")

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        bind = sessions.kw.get("bind")
        # without an engine to check a connection out of, the session does everything
        self._engine: AsyncEngine | None = bind if isinstance(bind, AsyncEngine) else None
        self._session: AsyncSession | None = None
        self._connection: Connection | None = None

    @property
    def session(self) -> AsyncSession:
        """The unit's ORM session, made now if it was not yet (on the unit's connection if it has one)."""
        if self._session is None:
            if self._connection is None or self._engine is None:
                self._session = self._sessions()
            else:
                on = AsyncConnection(self._engine, self._connection)
                self._session = self._sessions(bind=on, join_transaction_mode="control_fully")
        return self._session

    @property
    def dialect(self) -> str:
        if self._engine is not None:
            return self._engine.dialect.name
        return self.session.get_bind().dialect.name

    async def on_connection(self, work: Callable[[Connection], T], flush: bool) -> T:
        """``work`` on the unit's connection, in one crossing of the greenlet bridge (see :class:`Unit`)."""
        if self._session is not None or self._engine is None:
            return await self.session.run_sync(on_connection, work, flush)
        return await greenlet_spawn(self._on_own_connection, work)

    def _on_own_connection(self, work: Callable[[Connection], T]) -> T:
        if self._connection is None:
            assert self._engine is not None
            self._connection = unit_connection(self._engine.sync_engine)
        return work(self._connection)

    def commit_on(self, session: Session | None) -> None:
        """Commit the unit's transaction if that can change anything (in SQLAlchemy's greenlet)."""
        if session is not None and written(session):
            session.commit()
        elif self._connection is not None and connection_written(self._connection):
            self._connection.commit()

    async def commit(self) -> None:
        session = self._session
        if session is not None:
            await session.run_sync(self.commit_on)
        elif self._connection is not None and connection_written(self._connection):
            # whether anything was written is read off the connection here: nothing to commit (a
            # question, or a last statement committed in its own trip) crosses the bridge for nothing
            await greenlet_spawn(self._connection.commit)

    async def rollback(self) -> None:
        await greenlet_spawn(self._rollback)

    def _rollback(self) -> None:
        if self._session is not None:
            self._session.sync_session.rollback()
        if self._connection is not None and self._connection.in_transaction():
            self._connection.rollback()

    async def close(self) -> None:
        """Roll back whatever was not committed and give the connection back, in one crossing."""
        if self._session is None and self._connection is None:
            return
        await greenlet_spawn(self._close)

    def _close(self) -> None:
        try:
            if self._session is not None:
                self._session.sync_session.close()
        finally:
            if self._connection is not None:
                self._connection.close()


def written(session: Session) -> bool:
    """Whether committing the session's transaction can change anything: ORM changes waiting to be
    flushed, or a transaction open in the driver after a write. Only SQLite tells the two apart
    (sqlite3 opens a transaction for a write only: ``bot.db.sqlite_trips``); on any other database
    a transaction that ran a statement is committed."""
    if session.new or session.dirty or session.deleted:
        return True
    if session.get_transaction() is None:
        return False  # no statement ran
    return transaction_open(session.connection().connection.dbapi_connection)


def connection_written(connection: Connection) -> bool:
    """:func:`written` for a Core connection: a transaction begun, and (on SQLite) open in the
    driver. Read off the connection without a call to the driver, so outside SQLAlchemy's greenlet
    too: a connection invalidated (lost) counts as written, so its commit meets what lost it."""
    if connection.invalidated:
        return True
    return connection.in_transaction() and transaction_open(connection.connection.dbapi_connection)


class Repository:
    def __init__(self, unit: Unit, clock: Clock) -> None:
        self._unit = unit
        self._clock = clock

    @property
    def _session(self) -> AsyncSession:
        return self._unit.session

    @property
    def _dialect(self) -> str:
        return self._unit.dialect

    def _now(self, now: dt.datetime | None) -> dt.datetime:
        return aware(now if now is not None else self._clock.now())

    async def _on_connection(self, work: Callable[[Connection], T], *, flush: bool = True) -> T:
        """``work`` on this unit of work's connection (Core statements, their rows read there), after
        its pending ORM changes are flushed (``flush``), in one crossing of SQLAlchemy's greenlet
        bridge: the flush, the connection and each statement crossed it once each."""
        return await self._unit.on_connection(work, flush)

    async def _runner_id(self, telegram_id: int) -> int:
        runner_id = await self._session.scalar(_RUNNER_ID, {"telegram_id": telegram_id})
        if runner_id is None:
            raise UnknownRunner(telegram_id)
        return int(runner_id)


def on_connection(session: Session, work: Callable[[Connection], T], flush: bool = True) -> T:
    """:meth:`Repository._on_connection`'s synchronous side (SQLAlchemy runs it in its greenlet)."""
    if flush:
        session.flush()  # what this unit of work changed is read back as changed, written first
    return work(session.connection())


def run_compiled(
    connection: Connection,
    statement: ClauseElement,
    params: Mapping[str, Any],
    options: Mapping[str, Any] | None = None,
) -> CursorResult[Any] | DriverResult:
    """``statement`` (a Core statement built once, of fixed shape: no expanding lists) compiled once
    per dialect and run on ``connection``; its rows are Core rows, as ``connection.execute`` gives.

    The hot reads (a stored day, a week) run this way: SQLAlchemy's work on a statement through
    its compiled cache (the cache key made and looked up on every run) and on driver SQL (the
    result's columns matched from the cursor's description on every run) each cost more than
    SQLite's own for these one-runner statements; a compiled statement run as it is skips the
    first, and keeps its result's columns with it, which skips the second. On SQLite's inline driver
    it runs below the ``Connection``, on the driver (``bot.db.driver_reads``: a third of the rest)."""
    on_driver = run_on_driver(connection, statement, params, options)
    if on_driver is not None:
        return on_driver
    compiled: Any = compiled_once(statement, connection.dialect)  # run as a Compiled (``Connection.execute`` takes one)
    return connection.execute(compiled, params, execution_options=options)


@functools.lru_cache(maxsize=128)
def column_update(table: Table, keys: tuple[str, ...], columns: tuple[str, ...], returning: bool = False) -> Any:
    """An UPDATE of ``columns`` in ``table``'s row found by ``keys``, built once per shape (its SQL
    and cache key kept with it: a tap or a settings step built and keyed one anew every time), each
    value bound as ``b_<column>`` (:func:`column_params`); with ``returning``, the row as changed."""
    statement = (
        update(table)
        .where(*(table.c[key] == bindparam(f"b_{key}") for key in keys))
        .values({name: bindparam(f"b_{name}", type_=table.c[name].type) for name in columns})
    )
    return statement.returning(*table.columns) if returning else statement


def column_params(values: Mapping[str, Any], **keys: Any) -> dict[str, Any]:
    """The values (and the row's keys) as :func:`column_update`'s statement binds them."""
    return {f"b_{name}": value for name, value in (*values.items(), *keys.items())}


class Prefixed:
    """The columns of a joined row that carry a prefix (``state_step``), by their own names (``step``)."""

    __slots__ = ("_prefix", "_row")

    def __init__(self, row: Any, prefix: str) -> None:
        self._row, self._prefix = row, prefix

    def __getattr__(self, name: str) -> Any:
        return getattr(self._row, self._prefix + name)
