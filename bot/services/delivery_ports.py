"""The port of what the coach sent (``deliveries``): beside ``bot.services.ports``, which re-exports
it, so a send's record reads in one place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Protocol

from bot.services.records import Attempt, Delivered, DeliveryRecord, SweepLag
from bot.services.schedule import DueKind


class Deliveries(Protocol):
    """What the coach sent: one row per runner, local date and kind, attempted before the send."""

    async def states(
        self, keys: Iterable[tuple[int, dt.date, DueKind]]
    ) -> dict[tuple[int, dt.date, DueKind], Delivered]:
        """What is stored of these (runner id, local date, kind); those never attempted are absent."""
        ...

    async def attempt(self, attempts: Sequence[Attempt]) -> set[tuple[int, dt.date, DueKind]]:
        """Store sends about to be made ('sending'); the keys stored (not those another dispatcher has)."""
        ...

    async def confirm(self, rows: Sequence[DeliveryRecord]) -> None:
        """Telegram accepted these: store the message ids, state 'sent'."""
        ...

    async def withdraw(self, keys: Sequence[tuple[int, dt.date, DueKind]]) -> None:
        """These attempts were refused, never sent: one send fewer may have arrived (none: no row)."""
        ...

    async def give_up(self, keys: Sequence[tuple[int, dt.date, DueKind]]) -> None:
        """Never confirmed after the re-send: state 'unsure', nothing more is sent."""
        ...

    async def reopen(self, key: tuple[int, dt.date, DueKind]) -> None:
        """Forget a one-off sent (not one being sent): a new promise for its date can be kept."""

    async def counts_since(self, since: dt.datetime) -> dict[str, int]:
        """How many messages of each kind were sent from ``since`` on (all runners)."""
        ...

    async def last_dates(self, runner_id: int) -> dict[DueKind, dt.date]:
        """The latest local date each kind was delivered to the runner."""
        ...

    async def get(self, telegram_id: int, date: dt.date, kind: DueKind) -> DeliveryRecord | None: ...

    async def record_lag(self, lag: SweepLag, forget_before: dt.datetime) -> None:
        """Store how late a batch went out; forget what was stored before ``forget_before``."""
        ...

    async def latest_lag(self) -> SweepLag | None:
        """How late the latest batch went out, whichever process sent it; None if none is stored."""
        ...
