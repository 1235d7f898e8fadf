"""A pooled SQLite connection's statements sent straight to its driver, still seen by the engine.

The update's claim (``bot.db.update_work``) runs three one-row statements and a commit on every
update. Through a Core ``Connection`` each statement costs SQLAlchemy's execution context, result
set-up, autobegin and events, and the checkout builds and tears down the ``Connection`` itself:
several times what SQLite spends on the statements (measured 7 December 2026: about 400 us of CPU
an update in update_bench, of which SQLite's own work was about a quarter). :class:`DriverCheckout`
takes the pool's DBAPI connection (checked out and returned as a ``Connection`` would: the pool's
events, its reset on return) and, on ``bot.db.inline_sqlite``'s connection, runs each statement as
one of ``bot.db.sqlite_trips``' trips: in place on the loop's thread, a trip that meets another
connection's lock handed to the worker thread to wait and go on from the step that met it, as every
statement of the coach's engine does.

What the engine's listeners see stays what a ``Connection`` shows them. When anything listens on the
engine for a connection's events (``engine_connect``, ``begin``, ``before_cursor_execute``,
``after_cursor_execute``, ``commit``, ``rollback``), a ``Connection`` is made on the checked-out
connection (no second checkout; ``engine_connect`` fires as ``engine.connect()`` fires it) and
handed to them: ``begin`` before the first statement; each statement announced to the cursor
listeners with its SQL text and values, as the driver is given them (a listener made with
``retval=True`` may change them, as SQLAlchemy lets it), the cursor and the execution context given
as None (as SQLAlchemy gives the context for its own statements without one); ``commit`` at the
commit. A driver's error goes through that ``Connection``'s handling of a statement's error (the
``handle_error`` listeners, the error wrapped as SQLAlchemy's, the connection invalidated when the
dialect says it was lost, the ``rollback``). Without listeners no ``Connection`` is made.

:func:`checkout` gives a plain ``Connection`` (on the same checkout) for any other driver, and when
the engine logs its statements (``echo``) or another ``do_execute`` listener may want them: the
caller then runs its statements through it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NoReturn

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import Dialect
from sqlalchemy.pool import PoolProxiedConnection

from bot.db.inline_sqlite import InlineConnection
from bot.db.sqlite_trips import _take_owed, _Trip, one_trip


def checkout(engine: Engine) -> DriverCheckout | Connection:
    """A connection from ``engine``'s pool: a :class:`DriverCheckout` on ``bot.db.inline_sqlite``'s
    driver, else a ``Connection`` on it (an error connecting raised as ``engine.connect()`` raises it)."""
    dialect = engine.dialect
    try:
        fairy = engine.raw_connection()
    except dialect.loaded_dbapi.Error as error:
        Connection._handle_dbapi_exception_noconnection(error, dialect, engine)
        raise  # pragma: no cover - the line above always raises
    driver = fairy.driver_connection
    if isinstance(driver, InlineConnection) and not engine._should_log_info() and only_one_trip(dialect):
        return DriverCheckout(engine, fairy, driver)
    return Connection(engine, connection=fairy)


def only_one_trip(dialect: Dialect) -> bool:
    """Whether ``bot.db.sqlite_trips.one_trip`` alone would send a statement to the driver: no other
    ``do_execute`` listener that might want to see or send it (then statements go through a
    ``Connection``, which calls it)."""
    listeners = dialect.dispatch.do_execute
    return len(listeners) == 1 and next(iter(listeners)) is one_trip


def _listened(engine: Engine) -> bool:
    """Whether anything listens on ``engine`` for the connection's events a checkout makes."""
    if not engine._has_events:
        return False
    events = engine.dispatch
    return bool(
        events.before_cursor_execute
        or events.after_cursor_execute
        or events.commit
        or events.begin
        or events.engine_connect
        or events.rollback
    )


class DriverCheckout:
    """One checkout of the pool, its statements run on the driver (see the module's docstring).

    Its transaction goes as a ``Connection``'s would: begun by the first statement (or by
    :meth:`core`), ended by :meth:`commit`, rolled back when the checkout is closed with it open."""

    __slots__ = ("begun", "connection", "driver", "engine", "fairy", "listened")

    def __init__(self, engine: Engine, fairy: PoolProxiedConnection, driver: InlineConnection) -> None:
        self.engine, self.fairy, self.driver = engine, fairy, driver
        self.begun = False
        self.listened = _listened(engine)
        # the listeners' Connection (``engine_connect`` fired here), or one made for an error
        self.connection: Connection | None = None
        if self.listened:
            # made without joining the engine's events (a third of its making, told here instead):
            # joined only if SQLAlchemy is to handle an error or run a statement on it (``_core``)
            self.connection = connection = Connection(engine, connection=fairy, _has_events=False)
            for connected in engine.dispatch.engine_connect:
                connected(connection)

    def rows(self, sql: str, values: Sequence[Any], *, commit: bool = False) -> Sequence[Sequence[Any]]:
        """``sql`` run with ``values`` (positional, as the driver takes them): its rows as the driver
        gives them. With ``commit`` the transaction is committed in the same trip, once the rows are
        fetched (as ``bot.db.sqlite_trips.COMMIT_AFTER`` does; :meth:`commit` then ends nothing there)."""
        connection = self.connection if self.listened else None
        if not self.begun:
            self.begun = True
            if connection is not None:
                for begun in self.engine.dispatch.begin:
                    begun(connection)
        if connection is not None:
            for before in self.engine.dispatch.before_cursor_execute:
                sql, values = before(connection, None, sql, values, None, False)
        driver = self.driver
        trip = _Trip(driver, sql, values, commit, _take_owed(driver))
        try:
            found = driver.awaited(trip)
        except BaseException as error:
            self._failed(error, sql, values)
        if connection is not None:
            for after in self.engine.dispatch.after_cursor_execute:
                after(connection, None, sql, values, None, False)
        return found[1]

    def core(self) -> Connection:
        """The ``Connection`` on this checkout, its transaction begun, for a statement SQLAlchemy must
        build; before any :meth:`rows`."""
        assert not self.begun, "a Connection's statements go first"
        connection = self._core()
        connection.begin()
        self.begun = True
        return connection

    def _core(self) -> Connection:
        """The Connection on this checkout, the engine's events joined to it (as ``Connection`` joins them)."""
        connection = self.connection
        if connection is None:
            self.connection = connection = Connection(self.engine, connection=self.fairy)
        elif "_has_events" in connection.__dict__:  # made unjoined: joined now, as ``Connection`` joins them
            connection.dispatch = connection.dispatch._join(self.engine.dispatch)
            del connection._has_events
        return connection

    def commit(self) -> None:
        """The transaction committed, as ``Connection.commit`` commits it (its ``commit`` listeners told)."""
        connection = self.connection
        self.begun = False
        if connection is not None and connection.in_transaction():  # begun by ``core``
            connection.commit()
            return
        if connection is not None and self.listened:
            for committed in self.engine.dispatch.commit:
                committed(connection)
        try:
            self.engine.dialect.do_commit(self.fairy)
        except BaseException as error:
            self._failed(error, None, None)

    def close(self) -> None:
        """Back to the pool. A transaction still open (an error between statements) is rolled back
        on the driver by the pool's reset on return (``bot.db.engine``'s ``_rollback_if_open``),
        as a ``Connection`` closed with it open rolls it back; its ``rollback`` listeners are told
        first, as that ``Connection`` tells them."""
        connection = self.connection
        if connection is None:
            self.fairy.close()
            return
        if self.begun and self.listened and not connection.in_transaction():
            self.begun = False
            for rolled_back in self.engine.dispatch.rollback:
                rolled_back(connection)
        connection.close()

    def _failed(self, error: BaseException, sql: str | None, values: Any) -> NoReturn:
        """``error``, met running ``sql`` on the driver, handled and raised as a ``Connection``
        handles a statement's (called within the ``except`` that caught it): rolled back there
        unless the ``Connection``'s own transaction is open (then :meth:`close` rolls it back)."""
        connection = self._core()
        if not connection.in_transaction():
            self.begun = False
        failed_statement(connection, error, sql, values)


def failed_statement(connection: Connection, error: BaseException, sql: str | None, values: Any) -> NoReturn:
    """``error``, met running ``sql`` on ``connection``'s driver below it, handled and raised as the
    ``Connection`` handles a statement's (the driver adapter's wrapping, then SQLAlchemy's: its
    ``handle_error`` listeners, the connection invalidated when lost, rolled back outside a
    transaction); called within the ``except`` that caught it."""
    try:
        if isinstance(error, Exception):
            connection._dbapi_connection.dbapi_connection._handle_exception(error)  # type: ignore[union-attr]
        raise error
    except BaseException as adapted:
        # given a statement and no execution context, SQLAlchemy would wrap any error in a
        # StatementError; a Connection running the statement wraps only the driver's own
        driver_error = isinstance(adapted, connection.dialect.loaded_dbapi.Error)
        connection._handle_dbapi_exception(adapted, sql if driver_error else None, values, None, None)
