"""The port the inbox service needs from storage: the ``inbox`` rows (``bot.db.repositories.inbox``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from bot.services.briefs import UpdateBrief


@dataclass(frozen=True)
class Incoming:
    """An update as the inbox keeps it: Telegram's id, the runner it came from, its JSON."""

    update_id: int
    user_id: int | None
    payload: dict[str, Any] | None


class InboxRows(Protocol):
    """Updates stored before they are handled, keyed by update_id (see ``bot.services.inbox``)."""

    async def store(self, updates: Sequence[Incoming], now: dt.datetime) -> None:
        """Store the updates not stored yet."""
        ...

    async def claim(self, incoming: Incoming, worker: str, now: dt.datetime, lease: dt.timedelta) -> bool:
        """Take the update for ``worker`` (storing it if new); False if handled, leased elsewhere,
        or behind an earlier unhandled update of the same runner."""
        ...

    async def done(self, update_ids: Sequence[int], now: dt.datetime) -> None:
        """Mark handled; their payloads are dropped."""
        ...

    async def pending(self, worker: str, now: dt.datetime, limit: int) -> list[dict[str, Any]]:
        """Payloads of unhandled updates not leased to another worker, oldest first."""
        ...

    async def prune(self, before: dt.datetime) -> int:
        """Delete rows handled before ``before``."""
        ...

    async def forget(self, telegram_id: int) -> bool:
        """Delete every row of this runner; True if there was one."""
        ...


class ClaimWork(Protocol):
    """The claim of one update in a transaction of its own (``bot.db.update_work``): the handled
    marks waiting and the claim, then, if it was won and ``brief`` asks, the sender's brief read
    right after it on the same connection (the update's gates need it next)."""

    async def __call__(
        self,
        marks: Sequence[int],
        incoming: Incoming,
        worker: str,
        now: dt.datetime,
        lease: dt.timedelta,
        brief: bool,
    ) -> tuple[bool, UpdateBrief | None]: ...
