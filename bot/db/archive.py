"""Every row stored about one runner, as JSON values, and back: what ``/export`` gives and
``coach import`` reads (``bot.services.runner_data``).

The tables are read from the schema itself: ``runners``, every table keyed by ``runner_id``, and
the onboarding answers (keyed by Telegram id), so a column or a table a later migration adds is
exported and imported without a change here. Internal ids (the runner's, and the surrogate keys of
check-ins, plans, races and deliveries) are left out: they mean nothing in another database, and
a re-import gets fresh ones. Rows are sorted, so one runner's export is the same text every time.
The inbox (updates being handled) and the groups told are no runner's data and are not exported.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Column, Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import OnboardingAnswer, Runner, metadata
from bot.db.repositories.base import Repository
from bot.services.archive import ArchiveRefused, Rows

RUNNERS: Table = metadata.tables[Runner.__tablename__]
ANSWERS: Table = metadata.tables[OnboardingAnswer.__tablename__]
SURROGATE = "id"  # an autoincrement key: a re-import gets a fresh one
# copies the bot derives from what is exported (a day's prompt drawn when it was planned): left out,
# so an export holds the runner's data only and an import never sends a prompt it did not draw
DERIVED = frozenset({("plan_days", "prompt")})


def _runner_tables() -> list[Table]:
    """The tables keyed by ``runner_id`` (a foreign key to ``runners``), parents first."""
    return [
        table
        for table in metadata.sorted_tables
        if "runner_id" in table.c and any(fk.column.table is RUNNERS for fk in table.c.runner_id.foreign_keys)
    ]


def _kept(table: Table) -> list[Column[Any]]:
    """The columns an export holds: all but the internal ids and the derived copies."""
    return [
        column
        for column in table.columns
        if column.name not in (SURROGATE, "runner_id") and (table.name, column.name) not in DERIVED
    ]


def _encode(column: Column[Any], value: Any) -> Any:
    if isinstance(value, dt.date | dt.time):  # dates, times and (aware, UTC) datetimes
        return value.isoformat()
    return value


def _decode(column: Column[Any], value: Any) -> Any:
    if value is None or not isinstance(value, str):
        return value
    kind = getattr(column.type, "impl", column.type).python_type  # an AwareDateTime: its DateTime's
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    if kind is dt.time:
        return dt.time.fromisoformat(value)
    return value


def _row(table: Table, mapping: Any) -> dict[str, Any]:
    return {column.name: _encode(column, mapping[column.name]) for column in _kept(table)}


def _sorted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True, default=str))


class ArchiveRepository(Repository):
    """Dumps and loads one runner's rows (``bot.services.archive.Archive``)."""

    async def dump(self, telegram_id: int) -> Rows:
        """Every row about the runner, table by table (empty lists when nothing is stored)."""
        session: AsyncSession = self._session
        found = (await session.execute(select(RUNNERS).where(RUNNERS.c.telegram_id == telegram_id))).mappings().first()
        tables: dict[str, list[dict[str, Any]]] = {RUNNERS.name: [_row(RUNNERS, found)] if found else []}
        for table in _runner_tables():
            rows: list[dict[str, Any]] = []
            if found is not None:
                result = await session.execute(select(table).where(table.c.runner_id == found["id"]))
                rows = [_row(table, mapping) for mapping in result.mappings()]
            tables[table.name] = _sorted(rows)
        answers = await session.execute(select(ANSWERS).where(ANSWERS.c.telegram_id == telegram_id))
        tables[ANSWERS.name] = _sorted([_row(ANSWERS, mapping) for mapping in answers.mappings()])
        return tables

    async def load(self, tables: Rows) -> int:
        """Insert an export's rows into this database; the runner's Telegram id. Refuses (with
        :class:`ArchiveRefused`) rows for tables or columns this schema lacks, and a runner who is
        here already."""
        session = self._session
        known = {RUNNERS.name, ANSWERS.name, *(table.name for table in _runner_tables())}
        if unknown := set(tables) - known:
            raise ArchiveRefused("unknown_tables", ", ".join(sorted(unknown)))
        runners = tables.get(RUNNERS.name, [])
        if len(runners) != 1:
            raise ArchiveRefused("no_runner", "")
        telegram_id = int(runners[0]["telegram_id"])
        if await session.scalar(select(RUNNERS.c.id).where(RUNNERS.c.telegram_id == telegram_id)) is not None:
            raise ArchiveRefused("runner_exists", str(telegram_id))
        if await session.scalar(select(ANSWERS.c.telegram_id).where(ANSWERS.c.telegram_id == telegram_id)):
            raise ArchiveRefused("runner_exists", str(telegram_id))
        await session.execute(RUNNERS.insert().values(_values(RUNNERS, runners[0])))
        runner_id = await session.scalar(select(RUNNERS.c.id).where(RUNNERS.c.telegram_id == telegram_id))
        for table in _runner_tables():
            for row in tables.get(table.name, []):
                await session.execute(table.insert().values(runner_id=runner_id, **_values(table, row)))
        for row in tables.get(ANSWERS.name, []):
            if int(row.get("telegram_id", telegram_id)) != telegram_id:
                raise ArchiveRefused("other_runner", str(row.get("telegram_id")))
            await session.execute(ANSWERS.insert().values(_values(ANSWERS, row)))
        return telegram_id


def _values(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """One exported row as values to insert; a column this schema lacks refuses the file."""
    columns = {column.name: column for column in _kept(table)}
    if unknown := set(row) - set(columns):
        raise ArchiveRefused("unknown_columns", f"{table.name}: {', '.join(sorted(unknown))}")
    return {name: _decode(columns[name], value) for name, value in row.items()}
