"""The port the calendar feed needs from storage: the ``calendar_feeds`` rows
(``bot.db.repositories.feeds``) and the stored days a feed serves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.coach.model import DayPlan


@dataclass(frozen=True, slots=True)
class FeedDay:
    """One stored day of the plan as the feed serves it: the day, and when it was last planned."""

    day: DayPlan
    planned_at: dt.datetime


@dataclass(frozen=True, slots=True)
class FeedPlan:
    """What one feed serves: the runner's internal id (a stable part of each event's UID, never
    shown as such) and their stored days with a session, oldest first."""

    runner_id: int
    days: Sequence[FeedDay]


class FeedRows(Protocol):
    """One live feed token per runner, kept as its SHA-256 hash only."""

    async def replace(self, telegram_id: int, token_hash: str, now: dt.datetime) -> None:
        """Make ``token_hash`` the runner's one live token; the one before it stops working."""
        ...

    async def revoke(self, telegram_id: int) -> bool:
        """Delete the runner's token; True if there was one."""
        ...

    async def plan(self, token_hash: str, since: dt.date) -> FeedPlan | None:
        """The stored days from ``since`` on with a session (not rest) of the runner whose live
        token hashes to ``token_hash``; None for an unknown or revoked token."""
        ...

    async def plan_of(self, telegram_id: int, since: dt.date) -> FeedPlan | None:
        """The same days for the runner with this Telegram id; None if there is no such runner."""
        ...

    async def forget(self, telegram_id: int) -> bool:
        """Delete the runner's token (``/delete``); True if there was one."""
        ...
