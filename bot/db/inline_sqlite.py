"""SQLite statements run on the event loop's thread; aiosqlite's worker thread only waits for locks.

aiosqlite runs every call on a worker thread of its connection: the call is queued, the thread runs
it and hands the result back through a future and the loop's ``call_soon_threadsafe``. That hand-off
costs several times the statement it carries (a SELECT by key through SQLAlchemy: about 205 us of
CPU through the thread, 42 us run in place, measured 7 December 2026). :class:`InlineConnection`
runs each call directly on the thread that awaits it, the event loop's.

Waiting for a lock must then never happen on the loop's thread: in one process with a pool of
connections, a coroutine holding a write transaction across an ``await`` could never commit while
another's statement slept in SQLite's busy handler on that thread. So SQLite's own busy timeout is 0
on these connections: a statement that meets another connection's lock fails at once with
SQLITE_BUSY, having done nothing, and is handed to the worker thread, which runs it again with the
connection's busy timeout (:attr:`InlineConnection.busy_timeout_ms`) while the loop goes on, the
lock holder among the rest. Still locked past the timeout, the error reaches the caller as before
(SQLAlchemy's OperationalError, "database is locked"). A call made of several steps must be
resumable (retried on the thread, it goes on from the step that met the lock:
``bot.db.sqlite_trips``' trips are). While a call is on the thread, the connection's next calls
queue behind it there, in order. SQLITE_LOCKED (a shared-cache table lock) is not waited for:
SQLite's busy timeout never applied to it.

``PRAGMA busy_timeout`` sent through SQLAlchemy reads and sets that wait on the thread
(:func:`busy_pragma`), not SQLite's own, which stays 0 (one sent to the driver directly, past
SQLAlchemy, would set SQLite's own: nothing in the bot does).

What it costs: a long statement (a migration, an export, an archive) now holds the loop while it
runs, as any long computation would; and a coroutine no longer yields to the others at each
statement, only where it awaits something else (a lock wait, the network, a sleep).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite
from sqlalchemy.util import await_only

T = TypeVar("T")


class Later(Exception):
    """The call cannot run now on the loop's thread: it goes to the worker thread
    (:meth:`InlineConnection.on_thread`)."""


def is_busy(error: BaseException) -> bool:
    """Whether ``error`` is SQLite's SQLITE_BUSY (any extended code): another connection holds the lock."""
    code = getattr(error, "sqlite_errorcode", None)
    return isinstance(error, sqlite3.OperationalError) and code is not None and code & 0xFF == sqlite3.SQLITE_BUSY


class InlineConnection(aiosqlite.Connection):
    """aiosqlite's connection, its calls run in place; one that meets a lock waits on the worker thread."""

    def __init__(self, connector: Callable[[], sqlite3.Connection], iter_chunk_size: int, busy_timeout_ms: int) -> None:
        super().__init__(connector, iter_chunk_size)
        self.busy_timeout_ms = busy_timeout_ms  # how long a call that met a lock waits, on the thread
        # calls handed to the worker thread, and those it finished: each counter has one writer
        # (the loop's thread, the worker's), so equal counts mean nothing is queued there
        self._sent = 0
        self._finished = 0

    def now(self, fn: Callable[[], T]) -> T:
        """``fn()`` run here and now; :class:`Later` when it must go to the worker thread instead
        (a lock met, or calls queued there before it), having done nothing."""
        if self._sent != self._finished or not self._running or self._connection is None:
            raise Later
        try:
            return fn()
        except sqlite3.OperationalError as error:
            if is_busy(error):
                raise Later from error
            raise

    def awaited(self, fn: Callable[[], T]) -> T:
        """``fn()`` run here and now, or, when it must go to the worker thread (:meth:`now`), waited
        for there: from inside SQLAlchemy's greenlet (a statement sent below a ``Connection``)."""
        try:
            return self.now(fn)
        except Later:
            return await_only(self.on_thread(fn))

    async def on_thread(self, fn: Callable[[], T]) -> T:
        """``fn()`` on the worker thread, which may wait up to ``busy_timeout_ms`` for a lock."""
        if not self._running or self._connection is None:
            raise ValueError("Connection closed")
        future = asyncio.get_running_loop().create_future()
        self._sent += 1
        self._tx.put_nowait((future, partial(self._waiting, fn)))
        result: T = await future
        return result

    def _waiting(self, fn: Callable[[], T]) -> T:
        """On the worker thread: ``fn()`` with SQLite's busy timeout, set back to 0 after."""
        try:
            connection = self._conn
            connection.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_ms)}").close()
            try:
                return fn()
            finally:
                with contextlib.suppress(sqlite3.ProgrammingError):  # fn closed the connection
                    connection.execute("PRAGMA busy_timeout=0").close()
        finally:
            self._finished += 1

    async def _execute(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """aiosqlite's way in for every call (execute, commit, cursor, fetch...): run in place."""
        call = partial(fn, *args, **kwargs)
        try:
            return self.now(call)
        except Later:
            return await self.on_thread(call)

    async def backup(self, *args: Any, **kwargs: Any) -> None:
        """A backup sleeps between its steps and on a lock: always on the worker thread."""
        target = args[0] if args else kwargs.pop("target")
        if isinstance(target, aiosqlite.Connection):
            target = target._conn
        await self.on_thread(partial(self._conn.backup, target, *args[1:], **kwargs))


def connect(database: str | Path, *, iter_chunk_size: int = 64, **kwargs: Any) -> InlineConnection:
    """:func:`aiosqlite.connect` for an :class:`InlineConnection`: sqlite3's ``timeout`` (seconds,
    5 by default) becomes the wait on the worker thread, SQLite's own is 0, and the connection may
    be used from the loop's thread (it is opened on the worker's)."""
    timeout = float(kwargs.pop("timeout", 5.0))
    kwargs["check_same_thread"] = False

    def connector() -> sqlite3.Connection:
        location = database.decode() if isinstance(database, bytes) else str(database)
        opened: sqlite3.Connection = sqlite3.connect(location, timeout=0, **kwargs)
        return opened

    connection = InlineConnection(connector, iter_chunk_size, busy_timeout_ms=round(timeout * 1000))
    connection._thread.daemon = True  # as SQLAlchemy makes aiosqlite's: a leaked one must not hold the exit
    return connection


_BUSY_PRAGMA = re.compile(
    r"\s*pragma\s+(?:main\.)?busy_timeout\s*(?:=\s*(\d+)|\(\s*(\d+)\s*\))?\s*;?\s*\Z", re.IGNORECASE
)


def busy_pragma(driver: Any, statement: str) -> str | None:
    """For ``PRAGMA busy_timeout`` (read, or set to N) on an :class:`InlineConnection`: the statement
    to run instead, which reads the connection's wait on the thread (N once set); None for any other."""
    if not isinstance(driver, InlineConnection):
        return None
    found = _BUSY_PRAGMA.match(statement)
    if found is None:
        return None
    value = found.group(1) or found.group(2)
    if value is not None:
        driver.busy_timeout_ms = int(value)
    return f"SELECT {int(driver.busy_timeout_ms)} AS timeout"
