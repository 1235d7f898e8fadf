"""A batch's ids as ONE bound value: ``column IN ids`` without a placeholder per id.

The dispatcher reads and writes by the runner ids of a batch (500 a batch, a few dozen a recorder
group). SQLAlchemy's expanding ``IN`` renders a placeholder per id on every execution and converts
each id on its own, which cost about a tenth of a busy minute's CPU. :func:`one_of` sends the list
as one value instead, and the statement's text never changes (so it is compiled once, and the
driver's statement cache keeps it):

- SQLite: ``column IN (SELECT value FROM json_each(?))``, the ids as a JSON array (text). SQLite
  still looks each id up in the column's index (``EXPLAIN QUERY PLAN``: ``SEARCH ... LIST SUBQUERY``);
- PostgreSQL: ``column = ANY($1)``, the ids as an array.

Only for integer ids (the JSON array holds them as numbers, which SQLite compares with an integer
column as the placeholders' values were).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ARRAY, BigInteger, ColumnElement, String, bindparam
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.type_api import TypeEngine
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import Boolean, TypeDecorator

__all__ = ["IdList", "one_of"]


class IdList(TypeDecorator[Iterable[int]]):
    """Integer ids bound as one value: a JSON array on SQLite, an array on PostgreSQL."""

    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(ARRAY(BigInteger()))
        return dialect.type_descriptor(String())

    def process_bind_param(self, value: Iterable[int] | None, dialect: Dialect) -> Any:
        if value is None:
            raise ValueError("an id list cannot be NULL")
        ids = [int(i) for i in value]
        if dialect.name == "postgresql":
            return ids
        return json.dumps(ids, separators=(",", ":"))


class _OneOf(ColumnElement[bool]):
    """``column IN ids``, ``ids`` one bound parameter (see the module docstring)."""

    inherit_cache = True
    type = Boolean()
    _is_implicitly_boolean = True  # a condition as it stands (not rendered as "... = 1" where booleans are not native)
    _traverse_internals = [  # noqa: RUF012 (SQLAlchemy declares a list)
        ("column", InternalTraversal.dp_clauseelement),
        ("ids", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column: ColumnElement[Any], name: str) -> None:
        self.column = column
        self.ids = bindparam(name, type_=IdList())


def one_of(column: ColumnElement[Any], name: str) -> ColumnElement[bool]:
    """``column IN`` the ids bound to ``name`` (any iterable of ints), as one value."""
    return _OneOf(column, name)


@compiles(_OneOf)
def _one_of_sqlite(element: _OneOf, compiler: SQLCompiler, **kw: Any) -> str:
    column, ids = compiler.process(element.column, **kw), compiler.process(element.ids, **kw)
    return f"{column} IN (SELECT value FROM json_each({ids}))"


@compiles(_OneOf, "postgresql")
def _one_of_postgresql(element: _OneOf, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{compiler.process(element.column, **kw)} = ANY({compiler.process(element.ids, **kw)})"
