"""One trip to aiosqlite's thread per SQLite statement, instead of four.

SQLAlchemy's aiosqlite adapter sends a statement to the driver's worker thread as four calls, each
a hand-off between the event loop and that thread: open a cursor, execute, fetch the rows, close
the cursor. On a busy machine a hand-off costs far more than the statement itself, and every
update runs several statements. :func:`one_trip` (SQLAlchemy's ``do_execute`` event, which may
execute a statement itself) runs all four in one call on the worker thread and hands SQLAlchemy's
cursor the description and rows, as the adapter would have; statements without parameters,
``executemany`` and server-side cursors keep the adapter's own path.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Sequence
from typing import Any

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
        return None
    driver = cursor._connection  # aiosqlite's Connection: runs a function on its worker thread
    commit = bool(context.execution_options.get("sqlite_commit_after", False))
    try:
        trip = driver._execute(_run, driver, statement, parameters, commit)
        description, rows, lastrowid, rowcount = cursor.await_(trip)
    except Exception as error:
        cursor._adapt_connection._handle_exception(error)  # raises SQLAlchemy's DBAPI error for it
        raise  # pragma: no cover - the line above always raises
    cursor.description = description
    cursor._rows = deque(rows)
    cursor.lastrowid, cursor.rowcount = lastrowid, rowcount
    return True


def _run(driver: Any, statement: str, parameters: Any, commit: bool) -> Trip:
    """On the worker thread: cursor, execute, rows, close (and with ``commit``, commit)."""
    connection: sqlite3.Connection = driver._conn
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


def skip_idle_ends(dialect: Any) -> None:
    """No trip to the driver's thread for a commit or rollback with no transaction open there.

    sqlite3 opens a transaction only for a write, so a unit of work that only read (a question,
    the update's brief) would otherwise cross to aiosqlite's thread once more to end nothing:
    sqlite3's own commit and rollback do nothing then. SQLAlchemy's commit and rollback events
    still fire; only the driver call is skipped.
    """
    commit, rollback = dialect.do_commit, dialect.do_rollback

    def do_commit(dbapi_connection: Any) -> None:
        if transaction_open(dbapi_connection):
            commit(dbapi_connection)

    def do_rollback(dbapi_connection: Any) -> None:
        if transaction_open(dbapi_connection):
            rollback(dbapi_connection)

    dialect.do_commit, dialect.do_rollback = do_commit, do_rollback


def transaction_open(dbapi_connection: Any) -> bool:
    """Whether sqlite3 holds a transaction on the connection (True when that cannot be told)."""
    return bool(getattr(getattr(dbapi_connection, "driver_connection", None), "in_transaction", True))
