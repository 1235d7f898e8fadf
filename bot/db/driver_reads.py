"""A unit of work's compiled statements sent straight to the SQLite driver, on its Core connection.

The everyday questions read a stored day or week with one statement compiled once
(``bot.db.repositories.base.run_compiled``). Through ``Connection.execute`` each run still costs
SQLAlchemy's execution context, its cursor adapter, the ``do_execute`` event that sends the trip
(``bot.db.sqlite_trips.one_trip``) and a ``CursorResult`` matching its columns: about twice what
SQLite spends on the statement (measured 8 December 2026: roughly 6 % of the coach's CPU in
update_bench, SQLite's own trips 3.5 %). :func:`run_on_driver` runs such a statement on
``bot.db.inline_sqlite``'s connection under the ``Connection`` as one of ``bot.db.sqlite_trips``'
trips, as :class:`bot.db.pooled_driver.DriverCheckout` runs the update's claim:

- its values are the ones the compiled statement hands the driver (each named value, or the
  statement's own for a literal, through its type's bind processor, in the statement's order);
- the ``Connection``'s transaction is begun first, as its autobegin would, so the unit of work
  sees a write and commits or rolls it back as before; a BEGIN IMMEDIATE owed
  (``sqlite_trips.owe_begin``) and ``COMMIT_AFTER`` go in the trip, as ``one_trip`` runs them;
- a trip that meets another connection's lock waits for it on the worker thread;
- a driver's error goes through the ``Connection``'s handling of a statement's error (SQLAlchemy's
  wrapping, the connection invalidated when lost, rolled back outside a transaction), so
  ``Contention`` and ``Unavailable`` come out as they did;
- its rows are SQLAlchemy ``Row`` objects keyed as a ``CursorResult``'s would be (by name, by
  position, by the selected column), each value through its column type's result processor.

It gives None (the caller runs the statement through the ``Connection``) for any other driver,
when the engine logs its statements, when anything listens for the connection's events (a
statement's, a transaction's or an error's: they are told what a ``Connection`` tells them), when
another ``do_execute`` listener may want the statement, for a connection or transaction
SQLAlchemy would refuse or handle with care (closed, invalidated, a savepoint, a failed
transaction, execution options), and for a statement not of this plain shape (expanding or
post-compiled values, defaults computed in Python, RETURNING, an INSERT, a value missing).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, exc
from sqlalchemy.engine import Dialect, Row
from sqlalchemy.engine.interfaces import Compiled
from sqlalchemy.engine.result import SimpleResultMetaData
from sqlalchemy.sql import ClauseElement

from bot.db.inline_sqlite import InlineConnection
from bot.db.pooled_driver import failed_statement, only_one_trip
from bot.db.sqlite_trips import COMMIT_AFTER_OPTION, _take_owed, _Trip

_REQUIRED = object()  # a named value the statement cannot run without


def unit_connection(engine: Engine) -> Connection:
    """A unit of work's Core connection, as ``engine.connect()`` gives it; on SQLite, when nothing
    listens for any connection's events, made without joining the engine's (no listener to join:
    a fifth of the connection's making, about 2 us, measured 8 December 2026). A listener added to
    the engine while the unit runs is then not told of its statements; one there before is."""
    if engine.dialect.name != "sqlite" or engine._has_events or Connection._has_events:
        return engine.connect()
    return Connection(engine, _has_events=False)


class CompiledOnDriver:
    """A Core statement compiled once for a dialect, as the driver is handed it: its SQL, where
    each positional value comes from (the caller's, by key or name, else the statement's own)
    with its bind processor, and how its rows are made (keys and result processors as a
    ``CursorResult`` matches them to the compiled statement's columns)."""

    __slots__ = ("_make", "_values", "returns_rows", "sql")

    def __init__(self, compiled: Any) -> None:
        self.sql: str = compiled.string
        binds = compiled._bind_processors
        self._values: list[tuple[str, str, Any, Any]] = []
        for name in compiled.positiontup:
            parameter = compiled.binds[name]
            default = _REQUIRED if parameter.required else parameter.value
            self._values.append((parameter.key, name, default, binds.get(name)))
        self.returns_rows: bool = _selects(compiled)
        self._make: Any = None
        if self.returns_rows:
            dialect = compiled.dialect
            columns = compiled._result_columns  # (key, name, objects, type) each, in the select's order
            processors = [column[3]._cached_result_processor(dialect, None) for column in columns]
            parent = SimpleResultMetaData(
                [column[0] for column in columns],
                [column[2] for column in columns],
                _processors=processors if any(processors) else None,
            )
            self._make = functools.partial(Row, parent, parent._effective_processors, parent._key_to_index)

    def values(self, params: Mapping[str, Any]) -> list[Any] | None:
        """The positional values for ``params`` (None: one is missing, for SQLAlchemy to say so)."""
        values = []
        for key, name, default, process in self._values:
            if key in params:
                value = params[key]
            elif name in params:
                value = params[name]
            elif default is _REQUIRED:
                return None
            else:
                value = default
            values.append(value if process is None else process(value))
        return values

    def rows(self, found: Sequence[Any]) -> list[Row[Any]]:
        make = self._make
        return [make(row) for row in found]


@functools.lru_cache(maxsize=64)
def compiled_once(statement: ClauseElement, dialect: Dialect) -> Compiled:
    """``statement`` compiled for ``dialect``, once: what the driver is sent, or the ``Connection``
    runs (``bot.db.repositories.base.run_compiled``)."""
    return statement.compile(dialect=dialect)


@functools.lru_cache(maxsize=64)
def on_driver(statement: ClauseElement, dialect: Dialect) -> CompiledOnDriver | None:
    """``statement`` compiled for ``dialect`` and made ready for the driver, or None when it is
    not of the plain shape sent this way (see the module's docstring)."""
    compiled: Any = compiled_once(statement, dialect)
    plain = (
        compiled.positiontup is not None
        and (compiled.isupdate or compiled.isdelete or _selects(compiled))
        and not compiled.isinsert
        and not compiled.effective_returning
        and not compiled.literal_execute_params
        and not compiled.post_compile_params
        and not compiled.insert_prefetch
        and not compiled.update_prefetch
        and not compiled.has_out_parameters
        and not compiled.execution_options
        and not any(parameter.expanding or parameter.callable for parameter in compiled.binds.values())
    )
    if plain and _selects(compiled):
        keys = [column[0] for column in compiled._result_columns]
        plain = compiled._ordered_columns and not compiled._textual_ordered_columns and len(set(keys)) == len(keys)
    return CompiledOnDriver(compiled) if plain else None


def _selects(compiled: Any) -> bool:
    """Whether the compiled statement is a SELECT (or a UNION of them) with its columns."""
    return bool(compiled._result_columns) and not (compiled.isinsert or compiled.isupdate or compiled.isdelete)


class DriverResult:
    """A statement's rows (or its count of rows changed), read as a ``CursorResult`` gives them: the
    unit of work's reads ask it for :meth:`first` (which closes it, as it closes a cursor's) or
    :meth:`all` (once: read again, none are left)."""

    __slots__ = ("_closed", "_rows", "rowcount")

    def __init__(self, rows: list[Row[Any]] | None, rowcount: int) -> None:
        self._rows, self.rowcount = rows, rowcount
        self._closed = False

    def _fetched(self) -> list[Row[Any]]:
        rows = self._rows
        if self._closed:
            raise exc.ResourceClosedError("This result object is closed.")
        if rows is None:
            raise exc.ResourceClosedError("This result object does not return rows. It has been closed automatically.")
        self._rows = []  # read once, as a cursor's rows are
        return rows

    def first(self) -> Row[Any] | None:
        rows = self._fetched()
        self._closed = True
        return rows[0] if rows else None

    def all(self) -> Sequence[Row[Any]]:
        return self._fetched()


def run_on_driver(
    connection: Connection,
    statement: ClauseElement,
    params: Mapping[str, Any],
    options: Mapping[str, Any] | None = None,
) -> DriverResult | None:
    """``statement`` run on ``connection``'s driver (see the module's docstring), or None when it
    must go through the ``Connection`` (nothing run then)."""
    fairy = connection._dbapi_connection
    if fairy is None:  # closed or invalidated: the Connection says so, or reconnects
        return None
    driver = fairy.driver_connection
    if not isinstance(driver, InlineConnection):
        return None
    transaction = connection._transaction
    if (
        connection._echo
        or connection._execution_options
        or (transaction is not None and not transaction.is_active)
        or connection._nested_transaction is not None
        or connection._trans_context_manager is not None
        or listened_on(connection)
    ):
        return None
    commit = False
    if options:
        if options.keys() - {COMMIT_AFTER_OPTION}:
            return None
        commit = bool(options.get(COMMIT_AFTER_OPTION, False))
    dialect = connection.dialect
    ready = on_driver(statement, dialect)
    if ready is None or not only_one_trip(dialect):
        return None
    try:
        values = ready.values(params)
    except Exception:  # a value its type refuses: SQLAlchemy raises it as its own, from the same processor
        return None
    if values is None:
        return None
    if transaction is None:
        connection._autobegin()
    trip = _Trip(driver, ready.sql, values, commit, _take_owed(driver))
    try:
        found = driver.awaited(trip)
    except BaseException as error:
        failed_statement(connection, error, ready.sql, values)
    if ready.returns_rows:
        return DriverResult(ready.rows(found[1]), -1)
    return DriverResult(None, found[3])


# what a Connection tells its listeners about a statement and its transaction (the events
# ``bot.db.pooled_driver`` watches for, and the statement's own and an error's, which a checkout
# never sends but this path would)
_EVENTS = (
    "before_execute",
    "after_execute",
    "before_cursor_execute",
    "after_cursor_execute",
    "begin",
    "commit",
    "rollback",
    "handle_error",
)


def listened_on(connection: Connection) -> bool:
    """Whether anything listens on ``connection`` (or its engine, joined to it) for a statement's,
    its transaction's or an error's events, as ``Connection.execute`` checks before telling them."""
    if not (connection._has_events or connection.engine._has_events):
        return False
    events = connection.dispatch
    return any(getattr(events, name) for name in _EVENTS)
