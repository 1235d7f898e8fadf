"""What every repository shares: the session, the clock, the runner's internal id, and aware instants."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.db.models import Runner
from bot.services.records import UNSET, UnknownRunner, Unset

__all__ = [
    "FIRST_NAME_MAX",
    "NOTE_MAX",
    "UNSET",
    "Prefixed",
    "Repository",
    "UnknownRunner",
    "Unset",
    "aware",
    "on_connection",
    "printable",
]

FIRST_NAME_MAX = 64
T = TypeVar("T")


def printable(text: str) -> str:
    """``text`` without control characters (NUL, escapes...): PostgreSQL refuses NUL in text, and
    none of them belongs in a name shown back in the chat."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc").strip()


NOTE_MAX = 500


# ---------------------------------------------------------------------------------------------
# helpers


def aware(now: dt.datetime) -> dt.datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    return now.astimezone(dt.UTC)


# built once on the table (a Core statement, no ORM): most writes look the runner's id up first
_RUNNER_ID = select(Runner.__table__.c.id).where(Runner.__table__.c.telegram_id == bindparam("telegram_id"))


class Repository:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    @property
    def _dialect(self) -> str:
        return self._session.get_bind().dialect.name

    def _now(self, now: dt.datetime | None) -> dt.datetime:
        return aware(now if now is not None else self._clock.now())

    async def _on_connection(self, work: Callable[[Connection], T], *, flush: bool = True) -> T:
        """``work`` on this unit of work's connection (Core statements, their rows read there), after
        its pending ORM changes are flushed (``flush``), in one crossing of SQLAlchemy's greenlet
        bridge: the flush, the connection and each statement crossed it once each."""
        return await self._session.run_sync(on_connection, work, flush)

    async def _runner_id(self, telegram_id: int) -> int:
        runner_id = await self._session.scalar(_RUNNER_ID, {"telegram_id": telegram_id})
        if runner_id is None:
            raise UnknownRunner(telegram_id)
        return int(runner_id)


def on_connection(session: Session, work: Callable[[Connection], T], flush: bool = True) -> T:
    """:meth:`Repository._on_connection`'s synchronous side (SQLAlchemy runs it in its greenlet)."""
    if flush:
        session.flush()  # what this unit of work changed is read back as changed, written first
    return work(session.connection())


class Prefixed:
    """The columns of a joined row that carry a prefix (``state_step``), by their own names (``step``)."""

    __slots__ = ("_prefix", "_row")

    def __init__(self, row: Any, prefix: str) -> None:
        self._row, self._prefix = row, prefix

    def __getattr__(self, name: str) -> Any:
        return getattr(self._row, self._prefix + name)
