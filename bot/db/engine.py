"""Engine and session setup for SQLite (the embedded default) and PostgreSQL (the shared store).

A SQLite file is in WAL mode with ``synchronous=NORMAL``, as SQLite recommends for WAL: a commit
does not wait for the disk (no fsync), the database never corrupts and a crash of the process loses
nothing, but an OS crash or a power cut may undo the last commits. On aiosqlite, statements run on
the event loop's thread and only a wait for a lock goes to the driver's (``bot.db.inline_sqlite``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.request import pathname2url

from sqlalchemy import event
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import ConnectionPoolEntry, PoolResetState

from bot.db import inline_sqlite
from bot.db.sqlite_trips import forget_owed, no_params_trip, one_trip, one_trip_many, skip_idle_ends

SQLITE_BUSY_TIMEOUT_MS = 5000
# A PostgreSQL that takes the connection but never answers fails in seconds (asyncpg waits 60 by
# default); a statement the server never answers, after half a minute.
POSTGRES_CONNECT_TIMEOUT_S = 5.0
POSTGRES_COMMAND_TIMEOUT_S = 30.0

_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}


def async_url(url: str | URL) -> URL:
    """The URL with its async driver: ``sqlite://`` → aiosqlite, ``postgresql://`` → asyncpg.

    ``postgres://`` (as some hosts hand it out) is read as ``postgresql://``.
    """
    if isinstance(url, str) and url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    parsed = make_url(url)
    backend, _, driver = parsed.drivername.partition("+")
    if backend in _ASYNC_DRIVERS and driver in ("", "pysqlite", "psycopg2", "psycopg"):
        parsed = parsed.set(drivername=_ASYNC_DRIVERS[backend])
    return parsed


def is_sqlite_file(url: URL) -> bool:
    """Whether the URL names an on-disk SQLite database (not ``:memory:`` or a shared-cache one)."""
    if url.get_backend_name() != "sqlite":
        return False
    database = url.database or ""
    return database not in ("", ":memory:") and "mode=memory" not in str(url.query.get("mode", ""))


class DatabaseSilent(TimeoutError):
    """PostgreSQL did not answer a new connection in time; the message names host:port, never a password."""


def _postgres_options(kwargs: dict[str, Any], command_timeout: float | None) -> float:
    """Bound the connection's start and each statement, and test a pooled connection before use (a
    failover leaves the pool holding connections to the old server); the connect timeout."""
    kwargs.setdefault("pool_pre_ping", True)
    connect_args = dict(kwargs.get("connect_args") or {})
    connect_args.setdefault("timeout", POSTGRES_CONNECT_TIMEOUT_S)
    connect_args.setdefault("command_timeout", command_timeout)
    kwargs["connect_args"] = connect_args
    return float(connect_args["timeout"])


def _create_private(database: str) -> None:
    """Create the SQLite file readable by its owner only (0600), if it does not exist yet.

    SQLite gives the ``-wal`` and ``-shm`` files it makes next to it the same permissions.
    """
    if database.startswith("file:"):
        return  # a URI filename: SQLite opens it itself
    try:
        os.close(os.open(database, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return
    except OSError:
        return  # e.g. a missing directory: SQLite's own error on connect says it better


def _rollback_if_open(dbapi_connection: Any, _record: ConnectionPoolEntry, state: PoolResetState) -> None:
    """Roll back a SQLite connection going back to the pool if a transaction is open on it (an
    error, or a unit of work left without commit or rollback); a closed one has nothing to undo."""
    forget_owed(dbapi_connection)
    if state.terminate_only or not state.asyncio_safe:
        return
    driver = getattr(dbapi_connection, "driver_connection", dbapi_connection)
    if getattr(driver, "in_transaction", True):
        dbapi_connection.rollback()


def create_engine(
    url: str | URL, *, command_timeout: float | None = POSTGRES_COMMAND_TIMEOUT_S, **kwargs: Any
) -> AsyncEngine:
    """An async engine for ``url``; SQLite connections get WAL, a busy timeout and foreign keys;
    PostgreSQL ones a connect timeout (``DatabaseSilent`` past it), a ``command_timeout`` (None: no
    bound, for migrations) and a ping before a pooled connection is reused.

    Extra keyword arguments go to :func:`sqlalchemy.ext.asyncio.create_async_engine`.
    """
    parsed = async_url(url)
    # an error's message would otherwise quote the bound values: names, pain reports, answers
    kwargs.setdefault("hide_parameters", True)
    if is_sqlite_file(parsed):
        _create_private(parsed.database or "")
        # a connection going back to the pool is rolled back only when a transaction is open on it
        # (``_rollback_if_open``): after a commit, or a read (SQLite opens no transaction for a
        # SELECT), the pool's own unconditional rollback is a wasted call to the driver
        kwargs.setdefault("pool_reset_on_return", None)
    postgres = parsed.get_backend_name() == "postgresql"
    connect_timeout = _postgres_options(kwargs, command_timeout) if postgres else 0.0
    engine = create_async_engine(parsed, **kwargs)
    if postgres:
        place = f"PostgreSQL at {parsed.host or 'localhost'}:{parsed.port or 5432}"

        @event.listens_for(engine.sync_engine, "do_connect")
        def _bounded_connect(dialect: Any, _record: ConnectionPoolEntry, cargs: Any, cparams: Any) -> Any:
            try:
                return dialect.connect(*cargs, **cparams)
            except TimeoutError:  # asyncpg's own says nothing ("TimeoutError: (no details)")
                raise DatabaseSilent(f"{place} did not answer within {connect_timeout:g} s") from None

    inline = parsed.get_backend_name() == "sqlite" and parsed.get_driver_name() == "aiosqlite"
    if is_sqlite_file(parsed) or inline:
        existing = f"file:{pathname2url(os.path.abspath(parsed.database or ''))}?mode=rw"
        file = is_sqlite_file(parsed)

        @event.listens_for(engine.sync_engine, "do_connect")
        def _sqlite_connect(dialect: Any, _record: ConnectionPoolEntry, cargs: Any, cparams: Any) -> Any:
            if file:
                # the file was made above: a connection opened after it was deleted must fail, not create
                # an empty one the runners' data would silently be missing from (FileWatch then says so)
                cargs, cparams = (existing, *cargs[1:]), {**cparams, "uri": True}
            if inline:  # statements run on the loop's thread, a lock waited for on aiosqlite's
                cparams = {**cparams, "async_creator_fn": inline_sqlite.connect}
            return dialect.connect(*cargs, **cparams)

    if is_sqlite_file(parsed) and kwargs["pool_reset_on_return"] is None:
        event.listen(engine.sync_engine, "reset", _rollback_if_open)

    if parsed.get_backend_name() == "sqlite":
        wal = is_sqlite_file(parsed)
        if parsed.get_driver_name() == "aiosqlite":
            event.listen(engine.sync_engine, "do_execute", one_trip)
            event.listen(engine.sync_engine, "do_executemany", one_trip_many)
            event.listen(engine.sync_engine, "do_execute_no_params", no_params_trip)
            skip_idle_ends(engine.sync_engine.dialect)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, connection_record: ConnectionPoolEntry) -> None:
            driver = getattr(dbapi_connection, "driver_connection", None)
            if isinstance(driver, inline_sqlite.InlineConnection):
                # waited on aiosqlite's thread; SQLite's own stays 0 (``bot.db.inline_sqlite``)
                driver.busy_timeout_ms = SQLITE_BUSY_TIMEOUT_MS
            cursor = dbapi_connection.cursor()
            try:
                if not isinstance(driver, inline_sqlite.InlineConnection):
                    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
                if wal:
                    cursor.execute("PRAGMA journal_mode=WAL")
                    # no fsync at each commit: see the module's docstring
                    cursor.execute("PRAGMA synchronous=NORMAL")
                cursor.execute("PRAGMA foreign_keys=ON")
            finally:
                cursor.close()

    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions on ``engine`` whose objects stay readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


async def insert_ignore(
    session: AsyncSession, model: type[DeclarativeBase], values: Mapping[str, Any], *, keys: Sequence[str]
) -> bool:
    """INSERT ``values`` unless a row with the same ``keys`` exists; True if a row was inserted."""
    dialect = session.get_bind().dialect.name
    if dialect not in ("postgresql", "sqlite"):  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(f"insert-or-ignore is not implemented for {dialect}")
    result = await session.execute(
        insert_for(dialect)(model).values(**values).on_conflict_do_nothing(index_elements=list(keys))
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def insert_for(dialect: str) -> Callable[..., Any]:
    """The ``insert`` (with ``ON CONFLICT``) of ``dialect``: PostgreSQL's for ``"postgresql"``, SQLite's
    for any other name. PostgreSQL's dialect is imported only here, by a process that talks to one:
    its types and catalogue cost a SQLite process's start about a tenth of a second."""
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert
    return sqlite.insert


def database_now_sql(dialect: str, plus: dt.timedelta = dt.timedelta(0)) -> str:
    """The database's clock (plus ``plus``) as SQL, for leases that hold across processes whose clocks
    disagree: on PostgreSQL the start of the statement (``now()`` would be the transaction's); on
    SQLite the text an aware UTC instant is stored as ('YYYY-MM-DD HH:MM:SS.ffffff'), so the two compare."""
    seconds = plus.total_seconds()
    if dialect == "postgresql":
        return f"(statement_timestamp() + interval '{seconds:.3f} seconds')" if seconds else "statement_timestamp()"
    return f"strftime('%Y-%m-%d %H:%M:%f000', 'now', '{seconds:+.3f} seconds')"
