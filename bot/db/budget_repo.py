"""The broadcast budget's store in the database (``send_budget``): every process of the bot takes
the sends of the current second from one row, so together they never pass the rate.

One statement grants: ``INSERT ... ON CONFLICT (second) DO UPDATE`` adds what is granted to the
second's count, capped at the rate, and ``RETURNING`` says how many were granted, so two processes
racing for the last sends of a second cannot both get them (PostgreSQL locks the row; SQLite has
one writer at a time). The second is read from the database's clock on PostgreSQL (the processes'
clocks may disagree; the database's is the one they share) and from this machine's on SQLite (the
database lives on it). Seconds more than a minute old are deleted now and then.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.services.send_budget import Grant

PRUNE_EVERY = 30.0  # seconds between one process's deletions of old seconds
KEEP = 60  # seconds of history kept

# What a grant adds: all of ``want`` while it fits, what is left when it does not, 0 when full.
_GIVEN = (
    "CASE WHEN send_budget.used >= :rate THEN 0 "
    "WHEN send_budget.used + :want > :rate THEN :rate - send_budget.used ELSE :want END"
)
_UPSERT = (
    f"ON CONFLICT (second) DO UPDATE SET used = send_budget.used + ({_GIVEN}), granted = {_GIVEN} "
    "RETURNING granted, second"
)
_POSTGRES = (
    "INSERT INTO send_budget (second, used, granted) "
    "SELECT floor(extract(epoch FROM clock_timestamp()))::bigint, :want, :want "
    f"{_UPSERT}, extract(epoch FROM clock_timestamp())::float8"
)
_SQLITE = f"INSERT INTO send_budget (second, used, granted) VALUES (:second, :want, :want) {_UPSERT}, :now"


class DatabaseGrants:
    """A :class:`~bot.services.send_budget.GrantStore` in the database, shared by every process."""

    def __init__(self, engine: AsyncEngine, *, clock: Callable[[], float] = time.time) -> None:
        self._engine = engine
        self._clock = clock  # SQLite's clock: this machine's
        self._postgres = engine.dialect.name == "postgresql"
        self._pruned = -math.inf

    async def grant(self, want: int, rate: int) -> Grant:
        want = max(0, min(want, rate))
        async with self._engine.begin() as connection:
            if self._postgres:
                row = (await connection.execute(text(_POSTGRES), {"want": want, "rate": rate})).one()
            else:
                now = self._clock()
                params = {"want": want, "rate": rate, "second": math.floor(now), "now": now}
                row = (await connection.execute(text(_SQLITE), params)).one()
            granted, second, now = int(row[0]), int(row[1]), float(row[2])
            if now - self._pruned >= PRUNE_EVERY:
                await connection.execute(text("DELETE FROM send_budget WHERE second < :old"), {"old": second - KEEP})
                self._pruned = now
        # the statement may have run after its second ended: then nothing of it is left
        return Grant(granted, min(1.0, max(0.0, second + 1 - now)))
