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

The lease runs on the database's clock (the repository compares and sets it there), so processes
whose own clocks disagree still share it safely. A handler that runs longer than the lease could be
started a second time by another process; handlers take well under a second (their Bot API calls
are bounded by python-telegram-bot's timeouts).

When the database cannot be reached, each runner is told once (``first_trouble``) that the coach
is having trouble and will catch up; the update stays with Telegram (webhook: not 200; polling:
offset not confirmed) or in the inbox, and is handled once the database is back.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import secrets
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, TypeVar

import structlog

from bot.services.briefs import UpdateBrief
from bot.services.inbox_rows import ClaimWork, Incoming
from bot.services.ports import Contention, UnitOfWork, UnitOfWorkFactory

log = structlog.get_logger(__name__)
T = TypeVar("T")

LEASE = dt.timedelta(seconds=30)
FLUSH_SECONDS = 0.1  # how long a handled mark may wait for the next write to ride along with
WRITE_ATTEMPTS = 3
KEEP_HANDLED = dt.timedelta(days=2)  # a replay older than Telegram's own redelivery window is not expected


def wall_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class InboxUnavailable(Exception):
    """The database could not be reached while storing, claiming or handling an update: it is not
    handled yet, and must not be confirmed to Telegram (or is handled later from the inbox)."""


class Inbox:
    """Stores, claims and completes updates for one process (``worker``, made unique per instance).

    Marking an update handled is not a transaction of its own: the mark rides along with this
    process's next write to the inbox (the next claim or store), or is written on its own within
    ``FLUSH_SECONDS`` when no update follows, and on shutdown. Until it is written the update stays
    claimed (leased) in the database, and this process refuses it itself, so it is handled once
    either way; a process killed in that moment has it handled again, like the update it was in
    the middle of.
    """

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        worker: str,
        unavailable: Callable[[BaseException], bool],
        claims: ClaimWork | None = None,
    ) -> None:
        """``unavailable`` tells an error that means "the database is out of reach" (the storage
        layer knows its drivers' errors; ``bot.db.outage``); ``claims``, when given, claims an
        update without a unit of work, and reads its sender's brief right after."""
        self._uow = uow
        self._claims = claims
        self.worker = f"{worker}/{secrets.token_hex(3)}"
        self.unavailable = unavailable
        self._failed: set[int] = set()  # claimed here, then met an outage while being handled
        self._in_flight: set[int] = set()  # claimed here and being handled now: never claimed twice at once
        self._finished: set[int] = set()  # handled here; the mark goes out with the next write
        self._marking: set[int] = set()  # of those, the marks a write under way carries
        self._queued: set[int] = set()  # stored here and waiting in this process's update queue
        self._told: set[int] = set()  # chats told about the current outage
        self._timer: asyncio.TimerHandle | None = None
        self._flushing: asyncio.Future[None] | None = None

    async def store(self, updates: Sequence[Incoming]) -> None:
        """Make the updates durable (those stored already stay as they are)."""

        async def store(work: UnitOfWork) -> None:
            await work.inbox.store(updates, wall_clock())

        await self._write(store)

    def queued(self, update_ids: Iterable[int]) -> None:
        """These stored updates wait in this process's own queue: the sweep for updates nobody
        handles leaves them to it (until the claim), so no two tasks here run them side by side."""
        self._queued.update(update_ids)

    async def claim(self, incoming: Incoming) -> bool:
        """Whether this process is now the one to handle the update (see the module docstring)."""
        return (await self.claim_briefed(incoming, brief=False))[0]

    async def claim_briefed(self, incoming: Incoming, *, brief: bool) -> tuple[bool, UpdateBrief | None]:
        """:meth:`claim`, and with ``brief`` the sender's brief read right after a won claim (None
        when not, or without ``claims``). An error reading it comes out as a failed claim's: the
        update, claimed by this process, is taken again when delivered again or found pending."""
        update_id = incoming.update_id
        self._queued.discard(update_id)  # out of the queue: from here the claim decides
        if update_id in self._in_flight or update_id in self._finished:
            return False, None
        self._in_flight.add(update_id)  # before the first await: two tasks here never both claim
        claimed: tuple[bool, UpdateBrief | None] = (False, None)
        claims = self._claims

        async def claim(work: UnitOfWork) -> tuple[bool, UpdateBrief | None]:
            return await work.inbox.claim(incoming, self.worker, wall_clock(), LEASE), None

        async def claim_alone(marks: list[int]) -> tuple[bool, UpdateBrief | None]:
            assert claims is not None
            return await claims(marks, incoming, self.worker, wall_clock(), LEASE, brief)

        try:
            claimed = await (self._write(claim) if claims is None else self._with_marks(claim_alone))
        finally:
            if not claimed[0]:
                self._in_flight.discard(update_id)
        return claimed

    async def done(self, update_id: int) -> None:
        """The update was handled: keep its id (for dedup), forget its words (written soon)."""
        self._in_flight.discard(update_id)
        self._finished.add(update_id)
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(FLUSH_SECONDS, self._flush_soon)

    async def flush(self) -> None:
        """Write the marks of the updates handled here (at shutdown, or when none follows)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._finished:
            return

        async def nothing_more(_work: UnitOfWork) -> None:
            return None

        try:
            await self._write(nothing_more)
        except Exception as error:
            log.warning("inbox.flush_failed", error=type(error).__name__, waiting=len(self._finished))
            if self._timer is None:
                self._timer = asyncio.get_running_loop().call_later(1.0, self._flush_soon)

    def _flush_soon(self) -> None:
        self._timer = None
        self._flushing = asyncio.ensure_future(self.flush())

    async def _write(self, act: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        """One transaction: the pending marks, then ``act`` (see :meth:`_with_marks`)."""

        async def write(marks: list[int]) -> T:
            async with self._uow() as work:
                if marks:
                    await work.inbox.done(marks, wall_clock())
                result = await act(work)
                await work.commit()
            return result

        return await self._with_marks(write)

    async def _with_marks(self, write: Callable[[list[int]], Awaitable[T]]) -> T:
        """``write`` the pending marks, and what goes with them, in one transaction. A busy SQLite
        (another writer held the lock past the busy timeout) is tried again, twice, before the
        error goes up."""
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            # a mark rides with one write at a time: concurrent writes (updates handled side by
            # side) carrying the same marks would queue on those rows' locks, each holding a connection
            marks = sorted(self._finished - self._marking)
            self._marking.update(marks)
            try:
                result = await write(marks)
            except Contention:
                self._marking.difference_update(marks)
                if attempt == WRITE_ATTEMPTS:
                    raise
                log.warning("inbox.busy", attempt=attempt)
                await asyncio.sleep(0.05 * attempt)
                continue
            except BaseException:
                self._marking.difference_update(marks)
                raise
            self._marking.difference_update(marks)
            self._finished.difference_update(marks)
            self._healthy()
            return result
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

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
        busy = self._in_flight | self._finished | self._queued  # queued here: handled in turn, not twice at once
        return [payload for payload in found if payload.get("update_id") not in busy]

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
