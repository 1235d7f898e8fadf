"""Upserts (``INSERT ... ON CONFLICT DO UPDATE``) compiled once per dialect and row count, sent to
the driver as SQL text with positional values.

SQLAlchemy caches no statement with an ``ON CONFLICT`` clause (its cache key is None), so an upsert
run through the session builds the statement, its ``excluded`` columns and its SQL anew on every
call: a settings step's answers and due rows, and a check-in tap's status, compiled an INSERT each
time (about a third of the step's database work). Here each shape is compiled once; its values go
through the columns' own bind processors (:class:`bot.db.driver_rows.DriverStatement`), so what is
stored is the same, byte for byte, and the statement still counts as one (``before_cursor_execute``).
"""

from __future__ import annotations

import collections
import functools
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, bindparam
from sqlalchemy.engine import Dialect

from bot.db.driver_rows import DriverStatement
from bot.db.engine import insert_for


class Upsert:
    """``INSERT`` rows of ``columns`` into ``table``; on a clash of ``keys``, ``update`` those columns
    from the row given (``returning``: the whole row as written comes back, by column name)."""

    def __init__(
        self,
        table: Table,
        columns: Sequence[str],
        *,
        keys: Sequence[str],
        update: Sequence[str],
        returning: bool = False,
    ) -> None:
        self._table = table
        self._columns = tuple(columns)
        self._keys = tuple(keys)
        self._update = tuple(update)
        self._returning = returning
        self._row = collections.namedtuple("_row", [column.name for column in table.columns])  # type: ignore[misc]

    @functools.lru_cache(maxsize=64)  # noqa: B019 - a handful of module-level instances, each kept for good
    def _compiled(self, dialect: Dialect, rows: int) -> DriverStatement:
        table = self._table
        values = [
            {name: bindparam(f"{name}_{n}", type_=table.c[name].type) for name in self._columns} for n in range(rows)
        ]
        statement = insert_for(dialect.name)(table).values(values)
        statement = statement.on_conflict_do_update(
            index_elements=list(self._keys), set_={name: statement.excluded[name] for name in self._update}
        )
        if self._returning:
            statement = statement.returning(*table.columns)
        return DriverStatement(statement, dialect)

    def run(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> Any:
        """Write ``rows`` (each with every column given) in one statement; with ``returning``, the
        first row as written (its values as a Core read gives them, by attribute), else None."""
        statement = self._compiled(connection.dialect, len(rows))
        params = {f"{name}_{n}": row[name] for n, row in enumerate(rows) for name in self._columns}
        result = connection.exec_driver_sql(statement.sql, statement.values(params))
        if not self._returning:
            return None
        return self._row(*statement.row(result.one()))
