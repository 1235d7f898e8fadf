"""One call to the driver per SQLite statement, instead of four (or five).

SQLAlchemy's aiosqlite adapter sends a statement to the driver's worker thread as four calls, each
a hand-off between the event loop and that thread: open a cursor, execute, fetch the rows, close
the cursor. On a busy machine a hand-off costs far more than the statement itself, and every
update runs several statements. :func:`one_trip` (SQLAlchemy's ``do_execute`` event, which may
execute a statement itself) runs all four in one call on the worker thread and hands SQLAlchemy's
cursor the description and rows, as the adapter would have; :func:`one_trip_many` does the same
for ``executemany`` (cursor, executemany, close). Statements without parameters and server-side
cursors keep the adapter's own path.

A writer's ``BEGIN IMMEDIATE`` (``DueRepository.begin_write``) need not be a trip of its own:
:func:`owe_begin` marks the connection, and the next statement's trip runs it first, on the same
thread, just before that statement (so the write lock is still taken before the transaction's
first read). A commit or rollback with the BEGIN still owed (no statement ran) has nothing to end.

On the coach's engine the connection is ``bot.db.inline_sqlite``'s, which runs these calls on the
event loop's thread without any trip, and hands one that met another connection's lock to the
worker thread to wait: a trip (:class:`_Trip`, :class:`_ManyTrip`) is several steps and resumes from
the one that met the lock, so nothing already done runs twice.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_cursor

from bot.db.inline_sqlite import busy_pragma

Trip = tuple[Any, Sequence[Any], int | None, int]  # description, rows, lastrowid, rowcount
# execution options for a transaction's last statement: committed in its trip, its rows fetched
# first (the connection's commit then finds nothing open, and skips its own trip: ``skip_idle_ends``);
# other dialects ignore it and commit as usual
COMMIT_AFTER_OPTION = "sqlite_commit_after"
COMMIT_AFTER = {COMMIT_AFTER_OPTION: True}


def one_trip(cursor: Any, statement: str, parameters: Any, context: Any) -> bool | None:
    """Run ``statement`` in one hand-off (True: SQLAlchemy does not run it again); None leaves any
    cursor but the adapter's own client-side one to SQLAlchemy. With ``COMMIT_AFTER`` the
    transaction is committed in the same hand-off, once the rows are fetched."""
    if type(cursor) is not AsyncAdapt_aiosqlite_cursor:
        pay_owed_begin(cursor)
        return None
    driver = cursor._connection  # aiosqlite's Connection: runs a function on its worker thread
    statement = busy_pragma(driver, statement) or statement
    commit = bool(context.execution_options.get(COMMIT_AFTER_OPTION, False))
    try:
        trip = _Trip(driver, statement, parameters, commit, _take_owed(driver))
        description, rows, lastrowid, rowcount = _call(cursor, driver, trip)
    except Exception as error:
        cursor._adapt_connection._handle_exception(error)  # raises SQLAlchemy's DBAPI error for it
        raise  # pragma: no cover - the line above always raises
    cursor.description = description
    cursor._rows = deque(rows)
    cursor.lastrowid, cursor.rowcount = lastrowid, rowcount
    return True


def _call(cursor: Any, driver: Any, fn: Callable[[], Any]) -> Any:
    """``fn()`` through the driver: on aiosqlite's own connection in one trip to its thread, on an
    :class:`InlineConnection` run here (through SQLAlchemy's greenlet bridge all the same: its
    ``AsyncConnection.execute`` requires an ``await`` to have happened)."""
    return cursor.await_(driver._execute(fn))


class _Trip:
    """One statement's trip: the owed ``BEGIN IMMEDIATE`` (``begin``), cursor, execute, rows, close,
    and with ``commit`` the commit. Called again after a step failed, it goes on from that step."""

    __slots__ = ("begin", "commit", "driver", "parameters", "result", "statement")

    def __init__(self, driver: Any, statement: str, parameters: Any, commit: bool, begin: bool) -> None:
        self.driver, self.statement, self.parameters = driver, statement, parameters
        self.commit, self.begin = commit, begin
        self.result: Trip | None = None

    def __call__(self) -> Trip:
        connection: sqlite3.Connection = self.driver._conn
        if self.begin:
            connection.execute("BEGIN IMMEDIATE")
            self.begin = False
        if self.result is None:
            cursor = connection.cursor()
            try:
                cursor.execute(self.statement, self.parameters)
                if cursor.description:
                    self.result = cursor.description, cursor.fetchall(), -1, -1
                else:
                    self.result = None, (), cursor.lastrowid, cursor.rowcount
            finally:
                cursor.close()
        if self.commit:
            _commit(connection)
            self.commit = False
        return self.result


def _commit(connection: sqlite3.Connection) -> None:
    """The trip's commit (a function of its own, which a test makes meet a lock)."""
    connection.commit()


def one_trip_many(cursor: Any, statement: str, parameters: Any, context: Any) -> bool | None:
    """``executemany`` in one hand-off (SQLAlchemy's ``do_executemany`` event), as :func:`one_trip`."""
    if type(cursor) is not AsyncAdapt_aiosqlite_cursor:
        pay_owed_begin(cursor)
        return None
    driver = cursor._connection
    try:
        trip = _ManyTrip(driver, statement, parameters, _take_owed(driver))
        lastrowid, rowcount = _call(cursor, driver, trip)
    except Exception as error:
        cursor._adapt_connection._handle_exception(error)
        raise  # pragma: no cover - the line above always raises
    cursor.description = None
    cursor._rows = deque()
    cursor.lastrowid, cursor.rowcount = lastrowid, rowcount
    return True


class _ManyTrip:
    """``executemany``'s trip: the owed ``BEGIN IMMEDIATE``, then each set of parameters in turn
    (sqlite3's ``executemany`` runs them one by one as well, and counts the rows the same way: the
    sum of each run's changes), so a call again after one met a lock goes on from that set."""

    __slots__ = ("begin", "done", "driver", "rowcount", "rows", "statement")

    def __init__(self, driver: Any, statement: str, parameters: Any, begin: bool) -> None:
        self.driver, self.statement, self.begin = driver, statement, begin
        self.rows: Sequence[Any] = parameters if isinstance(parameters, Sequence) else list(parameters)
        self.done = 0
        self.rowcount = 0

    def __call__(self) -> tuple[int | None, int]:
        connection: sqlite3.Connection = self.driver._conn
        if self.begin:
            connection.execute("BEGIN IMMEDIATE")
            self.begin = False
        cursor = connection.cursor()
        try:
            while self.done < len(self.rows):
                cursor.execute(self.statement, self.rows[self.done])
                self.done += 1
                self.rowcount += max(cursor.rowcount, 0)
        finally:
            cursor.close()
        return None, self.rowcount  # sqlite3's executemany leaves a cursor's lastrowid unset


def no_params_trip(cursor: Any, statement: str, context: Any) -> bool | None:
    """A statement without parameters keeps the adapter's path (``do_execute_no_params``), after
    any ``BEGIN IMMEDIATE`` owed; ``PRAGMA busy_timeout`` goes :func:`one_trip`'s way (which reads or
    sets an :class:`InlineConnection`'s wait for a lock)."""
    if type(cursor) is AsyncAdapt_aiosqlite_cursor and busy_pragma(cursor._connection, statement) is not None:
        return one_trip(cursor, statement, (), context)
    pay_owed_begin(cursor)
    return None


# on aiosqlite's Connection: a BEGIN IMMEDIATE owed to the next statement's trip (``owe_begin``)
_OWED = "coach_begin_owed"


def owe_begin(dbapi_connection: Any) -> bool:
    """Owe ``BEGIN IMMEDIATE`` to the next statement on this connection, run in that statement's
    trip; False (nothing owed: run it yourself) unless the connection is aiosqlite's with no
    transaction open."""
    driver = getattr(dbapi_connection, "driver_connection", None)
    if not isinstance(driver, aiosqlite.Connection) or driver.in_transaction:
        return False
    setattr(driver, _OWED, True)
    return True


def _take_owed(driver: Any) -> bool:
    """Whether a BEGIN IMMEDIATE is owed on ``driver``; no longer owed after (the caller runs it)."""
    owed = driver.__dict__.pop(_OWED, False)
    return bool(owed)


def pay_owed_begin(cursor: Any) -> None:
    """Run an owed ``BEGIN IMMEDIATE`` in its own trip (before a statement that takes another path)."""
    driver: Any = getattr(cursor, "_connection", None)
    if isinstance(driver, aiosqlite.Connection) and _take_owed(driver):
        run: Any = driver._execute  # aiosqlite's: a function on its worker thread
        try:
            cursor.await_(run(driver._conn.execute, "BEGIN IMMEDIATE"))
        except Exception as error:
            cursor._adapt_connection._handle_exception(error)


def forget_owed(dbapi_connection: Any) -> None:
    """A transaction ended (commit, rollback, the connection back to the pool): nothing is owed."""
    driver = getattr(dbapi_connection, "driver_connection", None)
    if isinstance(driver, aiosqlite.Connection):
        driver.__dict__.pop(_OWED, None)


def skip_idle_ends(dialect: Any) -> None:
    """No call to the driver for a commit or rollback with no transaction open there.

    sqlite3 opens a transaction only for a write, so a unit of work that only read (a question,
    the update's brief) would otherwise call the driver once more to end nothing:
    sqlite3's own commit and rollback do nothing then. SQLAlchemy's commit and rollback events
    still fire; only the driver call is skipped.
    """
    commit, rollback = dialect.do_commit, dialect.do_rollback

    def do_commit(dbapi_connection: Any) -> None:
        forget_owed(dbapi_connection)  # owed and never run: no statement, nothing to commit
        if transaction_open(dbapi_connection):
            commit(dbapi_connection)

    def do_rollback(dbapi_connection: Any) -> None:
        forget_owed(dbapi_connection)
        if transaction_open(dbapi_connection):
            rollback(dbapi_connection)

    dialect.do_commit, dialect.do_rollback = do_commit, do_rollback


def transaction_open(dbapi_connection: Any) -> bool:
    """Whether sqlite3 holds a transaction on the connection (True when that cannot be told)."""
    return bool(getattr(getattr(dbapi_connection, "driver_connection", None), "in_transaction", True))
