"""The update brief read through SQLAlchemy Core: the runner's row and, only when there can be
any, their stored answers, on one pooled connection without an ORM session (the hot path: every
update reads it once)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, exists, select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.util import greenlet_spawn

from bot.db.driver_rows import DriverStatement
from bot.db.models import OnboardingAnswer, Runner
from bot.db.repositories.runners import BRIEF, brief_of
from bot.services.briefs import UpdateBrief

# built once (every update reads them): the runner, and whether any answer is stored for them
_ANY_ANSWER = exists().where(OnboardingAnswer.telegram_id == Runner.telegram_id).label("any_answer")
_RUNNER = BRIEF.add_columns(_ANY_ANSWER).where(Runner.telegram_id == bindparam("telegram_id"))
_ANSWERS = select(OnboardingAnswer.question, OnboardingAnswer.value).where(
    OnboardingAnswer.telegram_id == bindparam("telegram_id")
)
# a statement's SQL and positional values run, its rows as the driver gives them
Rows = Callable[[str, Sequence[Any]], Sequence[Sequence[Any]]]


class BriefReader:
    """``BriefSource`` on an engine: one statement for an onboarded runner with nothing open."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine.sync_engine

    async def __call__(self, telegram_id: int) -> UpdateBrief:
        # one crossing of SQLAlchemy's greenlet bridge for the checkout, the reads and the return to
        # the pool (an AsyncConnection crosses it for each, as ``bot.db.update_work`` explains)
        return await greenlet_spawn(self._read, telegram_id)

    def _read(self, telegram_id: int) -> UpdateBrief:
        with self._engine.connect() as connection:
            return read_brief_on(connection, telegram_id)


async def read_brief(connection: AsyncConnection, telegram_id: int) -> UpdateBrief:
    """The brief on ``connection``, in whatever transaction it is in."""
    return await connection.run_sync(read_brief_on, telegram_id)


def read_brief_on(connection: Connection, telegram_id: int) -> UpdateBrief:
    """:func:`read_brief` on a synchronous connection (the update's claim runs on one: ``bot.db.update_work``).

    The runner's row and the answers are read as driver SQL (each statement compiled once per
    dialect, its row's columns converted with their types' own processors): SQLAlchemy's
    per-statement work on a cached Core statement cost several times what the database's did, on
    every update."""
    return read_brief_with(
        lambda sql, values: connection.exec_driver_sql(sql, values).all(), connection.dialect, telegram_id
    )


def read_brief_with(rows: Rows, dialect: Dialect, telegram_id: int) -> UpdateBrief:
    """The brief, with ``rows`` running each statement (its SQL for ``dialect`` and positional
    values) and giving its rows as the driver does: a Core connection's ``exec_driver_sql``
    (:func:`read_brief_on`), or the pooled driver connection (``bot.db.update_work``'s claim on SQLite)."""
    read = _runner_read(dialect)
    found_rows = rows(read.sql, read.values({"telegram_id": telegram_id}))
    row = read.row(found_rows[0]) if found_rows else None
    runner = None if row is None else brief_of(row)
    if row is not None and not row[_ANY_ANSWER_AT] and runner is not None and runner.onboarded:
        return UpdateBrief(runner)
    answers = _answers_read(dialect)
    found = (answers.row(answer) for answer in rows(answers.sql, answers.values({"telegram_id": telegram_id})))
    return UpdateBrief(runner, {question: value for question, value in found})


_ANY_ANSWER_AT = len(_RUNNER.selected_columns) - 1  # the last column


@functools.lru_cache(maxsize=8)
def _runner_read(dialect: Dialect) -> DriverStatement:
    """``_RUNNER`` as the dialect's driver SQL (one positional value, the Telegram id)."""
    return DriverStatement(_RUNNER, dialect)


@functools.lru_cache(maxsize=8)
def _answers_read(dialect: Dialect) -> DriverStatement:
    """``_ANSWERS`` as the dialect's driver SQL (one positional value, the Telegram id)."""
    return DriverStatement(_ANSWERS, dialect)
