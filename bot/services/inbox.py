"""The inbox: no update from Telegram is lost on a crash, and none is handled twice.

An update is stored in the ``inbox`` table (keyed by Telegram's ``update_id``) before Telegram is
told it arrived: the webhook answers 200 only after :meth:`Inbox.store` committed, and the polling
loop confirms an offset only after its updates were stored. Handling an update first *claims* its
row (one ``INSERT ... ON CONFLICT DO UPDATE ... WHERE`` statement: the row is not handled, not
leased to another live process, and no earlier update of the same runner waits), then marks it
handled (one ``UPDATE``, which also drops the payload: the runner's words are kept only as long as
needed). So a redelivered or replayed update (same ``update_id``) is a no-op in every process that
shares the database, one runner's updates are handled in the order Telegram numbered them, and a
row left claimed by a process that died is taken over when its lease runs out (``pending``).

The lease is on the wall clock (not the coach's calendar clock, which tests move by days), read in
this process: processes sharing a PostgreSQL database are expected to keep their clocks in sync
(NTP), and ``LEASE`` is long against any skew. A handler that runs longer than the lease could be
started a second time by another process; handlers take well under a second (their Bot API calls
are bounded by python-telegram-bot's timeouts).

When the database cannot be reached, each runner is told once (``first_trouble``) that the coach
is having trouble and will catch up; the update stays with Telegram (webhook: not 200; polling:
offset not confirmed) or in the inbox, and is handled once the database is back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import structlog

from bot.services.inbox_rows import Incoming
from bot.services.ports import UnitOfWorkFactory

log = structlog.get_logger(__name__)

LEASE = dt.timedelta(seconds=30)
KEEP_HANDLED = dt.timedelta(days=2)  # a replay older than Telegram's own redelivery window is not expected


def wall_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class InboxUnavailable(Exception):
    """The database could not be reached while storing, claiming or handling an update: it is not
    handled yet, and must not be confirmed to Telegram (or is handled later from the inbox)."""


class Inbox:
    """Stores, claims and completes updates for one process (``worker``)."""

    def __init__(self, uow: UnitOfWorkFactory, worker: str, unavailable: Callable[[BaseException], bool]) -> None:
        """``unavailable`` tells an error that means "the database is out of reach" (the storage
        layer knows its drivers' errors; ``bot.db.outage``)."""
        self._uow = uow
        self.worker = worker
        self.unavailable = unavailable
        self._failed: set[int] = set()  # claimed here, then met an outage while being handled
        self._in_flight: set[int] = set()  # claimed here and being handled now: never claimed twice at once
        self._told: set[int] = set()  # chats told about the current outage

    async def store(self, updates: Sequence[Incoming]) -> None:
        """Make the updates durable (those stored already stay as they are)."""
        async with self._uow() as work:
            await work.inbox.store(updates, wall_clock())
            await work.commit()
        self._healthy()

    async def claim(self, incoming: Incoming) -> bool:
        """Whether this process is now the one to handle the update (see the module docstring)."""
        if incoming.update_id in self._in_flight:
            return False
        self._in_flight.add(incoming.update_id)  # before the first await: two tasks here never both claim
        claimed = False
        try:
            async with self._uow() as work:
                claimed = await work.inbox.claim(incoming, self.worker, wall_clock(), LEASE)
                await work.commit()
        finally:
            if not claimed:
                self._in_flight.discard(incoming.update_id)
        self._healthy()
        return claimed

    async def done(self, update_id: int) -> None:
        """The update was handled: keep its id (for dedup), forget its words."""
        try:
            async with self._uow() as work:
                await work.inbox.done(update_id, wall_clock())
                await work.commit()
        finally:
            self._in_flight.discard(update_id)

    def fail(self, update_id: int) -> None:
        """Handling the update met a database outage (the error handler says so): not done."""
        self._failed.add(update_id)

    def failed(self, update_id: int) -> bool:
        """Whether handling the update met an outage; if so it is let go (see :meth:`let_go`)."""
        if update_id not in self._failed:
            return False
        self._failed.discard(update_id)
        self.let_go(update_id)
        return True

    def let_go(self, update_id: int) -> None:
        """The update was not handled (the database went away): it stays claimed by this process,
        which takes it again when it is redelivered or found pending."""
        self._in_flight.discard(update_id)

    async def pending(self, limit: int = 100) -> list[dict[str, Any]]:
        """Stored updates no live process handles (a dead process's, or stored and not yet handled)."""
        async with self._uow() as work:
            found = await work.inbox.pending(self.worker, wall_clock(), limit)
        return [payload for payload in found if payload.get("update_id") not in self._in_flight]

    async def prune(self) -> int:
        """Forget handled updates older than ``KEEP_HANDLED``."""
        async with self._uow() as work:
            gone = await work.inbox.prune(wall_clock() - KEEP_HANDLED)
            await work.commit()
        return gone

    def first_trouble(self, chat_id: int) -> bool:
        """Whether this is the first time, in this outage, that the chat meets it (tell them once)."""
        if chat_id in self._told:
            return False
        self._told.add(chat_id)
        return True

    def _healthy(self) -> None:
        if self._told:
            log.info("inbox.database_back", told=len(self._told))
            self._told.clear()
