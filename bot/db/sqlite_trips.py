"""One trip to aiosqlite's thread per SQLite statement, instead of four (or five).

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
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_cursor

Trip = tuple[Any, Sequence[Any], int | None, int]  # description, rows, lastrowid, rowcount
# execution options for a transaction's last statement: committed in its trip, its rows fetched
# first (the connection's commit then finds nothing open, and skips its own trip: ``skip_idle_ends``);
# other dialects ignore it and commit as usual
COMMIT_AFTER = {"sqlite_commit_after": True}


def one_trip(cursor: Any, statement: str, parameters: Any, context: Any) -> bool | None:
    """Run ``statement`` in one hand-off (True: SQLAlchemy does not run it again); None leaves any
    cursor but the adapter's own client-side one to SQLAlchemy. With ``COMMIT_AFTER`` the
    transaction is committed in the same hand-off, once the rows are fetched."""
    if type(cursor) is not AsyncAdapt_aiosqlite_cursor:
        pay_owed_begin(cursor)
        return None
    driver = cursor._connection  # aiosqlite's Connection: runs a function on its worker thread
    commit = bool(context.execution_options.get("sqlite_commit_after", False))
    try:
        trip = driver._execute(_run, driver, statement, parameters, commit, _take_owed(driver))
        description, rows, lastrowid, rowcount = cursor.await_(trip)
    except Exception as error:
        cursor._adapt_connection._handle_exception(error)  # raises SQLAlchemy's DBAPI error for it
        raise  # pragma: no cover - the line above always raises
    cursor.description = description
    cursor._rows = deque(rows)
    cursor.lastrowid, cursor.rowcount = lastrowid, rowcount
    return True


def _run(driver: Any, statement: str, parameters: Any, commit: bool, begin: bool = False) -> Trip:
    """On the worker thread: cursor, execute, rows, close (and with ``commit``, commit); with
    ``begin``, the owed ``BEGIN IMMEDIATE`` first."""
    connection: sqlite3.Connection = driver._conn
    if begin:
        connection.execute("BEGIN IMMEDIATE")
    cursor = connection.cursor()
    try:
        cursor.execute(statement, parameters)
        if cursor.description:
            trip: Trip = cursor.description, cursor.fetchall(), -1, -1
        else:
            trip = None, (), cursor.lastrowid, cursor.rowcount
    finally:
        cursor.close()
    if commit:
        connection.commit()
    return trip


def one_trip_many(cursor: Any, statement: str, parameters: Any, context: Any) -> bool | None:
    """``executemany`` in one hand-off (SQLAlchemy's ``do_executemany`` event), as :func:`one_trip`."""
    if type(cursor) is not AsyncAdapt_aiosqlite_cursor:
        pay_owed_begin(cursor)
        return None
    driver = cursor._connection
    try:
        lastrowid, rowcount = cursor.await_(
            driver._execute(_run_many, driver, statement, parameters, _take_owed(driver))
        )
    except Exception as error:
        cursor._adapt_connection._handle_exception(error)
        raise  # pragma: no cover - the line above always raises
    cursor.description = None
    cursor._rows = deque()
    cursor.lastrowid, cursor.rowcount = lastrowid, rowcount
    return True


def _run_many(driver: Any, statement: str, parameters: Any, begin: bool) -> tuple[int | None, int]:
    connection: sqlite3.Connection = driver._conn
    if begin:
        connection.execute("BEGIN IMMEDIATE")
    cursor = connection.cursor()
    try:
        cursor.executemany(statement, parameters)
        return cursor.lastrowid, cursor.rowcount
    finally:
        cursor.close()


def no_params_trip(cursor: Any, statement: str, context: Any) -> None:
    """A statement without parameters keeps the adapter's path (``do_execute_no_params``), after
    any ``BEGIN IMMEDIATE`` owed."""
    pay_owed_begin(cursor)


# on aiosqlite's Connection: a BEGIN IMMEDIATE owed to the next statement's trip (``owe_begin``)
_OWED = "coach_begin_owed"


def owe_begin(dbapi_connection: Any) -> bool:
    """Owe ``BEGIN IMMEDIATE`` to the next statement on this connection, run in that statement's
    trip; False (nothing owed: run it yourself) unless the connection is aiosqlite's with no
    transaction open."""
    driver = getattr(dbapi_connection, "driver_connection", None)
    if type(driver) is not aiosqlite.Connection or driver.in_transaction:
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
    if type(driver) is aiosqlite.Connection and _take_owed(driver):
        run: Any = driver._execute  # aiosqlite's: a function on its worker thread
        try:
            cursor.await_(run(driver._conn.execute, "BEGIN IMMEDIATE"))
        except Exception as error:
            cursor._adapt_connection._handle_exception(error)


def forget_owed(dbapi_connection: Any) -> None:
    """A transaction ended (commit, rollback, the connection back to the pool): nothing is owed."""
    driver = getattr(dbapi_connection, "driver_connection", None)
    if driver is not None and type(driver) is aiosqlite.Connection:
        driver.__dict__.pop(_OWED, None)


def skip_idle_ends(dialect: Any) -> None:
    """No trip to the driver's thread for a commit or rollback with no transaction open there.

    sqlite3 opens a transaction only for a write, so a unit of work that only read (a question,
    the update's brief) would otherwise cross to aiosqlite's thread once more to end nothing:
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
