"""SQLite's plan of each statement an act sends (``EXPLAIN QUERY PLAN``), read after the act with the
values it sent: for tests that pin how a statement finds its rows, whatever the table holds."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


async def planned(
    engine: AsyncEngine, act: Callable[[], Awaitable[None]], wanted: Callable[[str], bool]
) -> dict[str, list[str]]:
    """Each statement ``act()`` sends on ``engine`` that is ``wanted``, with SQLite's plan for it
    (one line per step)."""
    sent: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool) -> None:
        if wanted(statement):
            sent.append((statement, parameters[0] if many else parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", keep)
    try:
        await act()
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", keep)
    plans = {}
    async with engine.connect() as connection:
        for statement, parameters in sent:
            rows = await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            plans[statement] = [row[-1] for row in rows]
    assert plans, "the act sent no statement it was watched for"
    return plans
