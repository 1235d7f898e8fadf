"""Values as the database driver takes and gives them, converted once per distinct value.

A dispatcher's batch moves hundreds of rows that share a handful of values (a busy minute's due
time and date, a kind, most runners' empty settings). SQLAlchemy converts each column of each row
through the column type's processor, row by row; the helpers here convert each distinct value
once, with the same processors (so what is stored and read is the same, byte for byte):

- :class:`DriverValues`: dates and instants as the driver is given them (bind processors), for
  statements sent as SQL text with positional values (:func:`marks`);
- :func:`raw` and :func:`result_processor`: a column read as the driver gives it, then converted
  as its type would (the dispatcher's claim: ``bot.db.schedule_repo``), each distinct value once;
- :class:`DriverStatement`: a one-row Core statement compiled once for a dialect, sent as SQL text
  with positional values and its row converted as a Core read would (the update's claim and the
  runner's brief: ``bot.db.update_work``, ``bot.db.briefs``), where SQLAlchemy's work on a cached
  statement cost several times the database's own.

Reading whole rows this way (the dispatcher's briefs and stored days) was measured no cheaper:
SQLAlchemy's compiled row processing and its C date and boolean processors cost about what a
Python loop over the rows costs on its own.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import type_coerce
from sqlalchemy.engine import Dialect
from sqlalchemy.types import NullType

from bot.db.models import DeliveryRow

Convert = Callable[[Any], Any]


def memoised(convert: Convert) -> Convert:
    """``convert`` remembered per distinct value (for one statement's or one batch's values)."""
    seen: dict[Any, Any] = {}

    def converted(value: Any) -> Any:
        if value not in seen:
            seen[value] = convert(value)
        return seen[value]

    return converted


def marks(paramstyle: str) -> Iterator[str]:
    """The driver's positional placeholders, in order."""
    if paramstyle == "qmark":  # sqlite3
        return itertools.repeat("?")
    if paramstyle == "numeric_dollar":  # asyncpg
        return (f"${n}" for n in itertools.count(1))
    raise ValueError(f"no placeholders for the paramstyle {paramstyle!r}")  # pragma: no cover


def bind_processor(column: Any, dialect: Dialect) -> Convert:
    """How ``column``'s type hands a value to the driver (identity where it does not convert)."""
    convert = column.type.dialect_impl(dialect).bind_processor(dialect)
    return convert if convert is not None else same


def result_processor(column: Any, dialect: Dialect) -> Convert | None:
    """How ``column``'s type reads the driver's value (None where it does not convert)."""
    convert: Convert | None = column.type.dialect_impl(dialect).result_processor(dialect, None)
    return convert


class DriverValues:
    """Dates and instants as the driver is given them (memoised per value): ``date`` and ``instant``
    convert as the two columns given convert (by default ``deliveries``' date and sent time; the
    due rows' date and due time convert the same way)."""

    def __init__(self, dialect: Dialect) -> None:
        date, instant = _delivery_processors(dialect)
        self.date = memoised(date)
        self.instant = memoised(instant)


@functools.lru_cache(maxsize=8)
def _delivery_processors(dialect: Dialect) -> tuple[Convert, Convert]:
    """The date and instant columns' bind processors for a dialect (found once: every recorder
    group and batch converts its values with them)."""
    table = DeliveryRow.__table__
    return bind_processor(table.c.date, dialect), bind_processor(table.c.sent_at, dialect)


class DriverStatement:
    """A Core statement compiled once for a dialect with positional values: its SQL, the values its
    compiled form would hand the driver (each through its bind processor, in order), and its
    selected (or returned) columns' values as a Core read would give them (each through its result
    processor)."""

    def __init__(self, statement: Any, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        if compiled.positiontup is None:  # pragma: no cover - both drivers are positional
            raise ValueError(f"no positional statement for the paramstyle {dialect.paramstyle!r}")
        self.sql: str = compiled.string
        binds = compiled._bind_processors
        self._order = [(name, binds.get(name)) for name in compiled.positiontup]
        # a SELECT's columns, or those a write's RETURNING gives back (none without it)
        columns: Any = getattr(statement, "selected_columns", None) or getattr(statement, "exported_columns", ())
        processors = ((at, result_processor(column, dialect)) for at, column in enumerate(columns))
        self._results = [(at, process) for at, process in processors if process is not None]

    def values(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        return tuple(params[name] if process is None else process(params[name]) for name, process in self._order)

    def row(self, found: Sequence[Any]) -> list[Any]:
        """The driver's row as a Core read would give it, by position."""
        values = list(found)
        for at, process in self._results:
            values[at] = process(values[at])
        return values


def raw(column: Any) -> Any:
    """``column`` read as the driver gives it, under its own name (an unnamed expression: anonymous)."""
    return type_coerce(column, NullType()).label(getattr(column, "name", None))


def same(value: Any) -> Any:
    """A value as it is: the processor of a type that converts nothing."""
    return value
