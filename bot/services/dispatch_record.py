"""The dispatcher's recorder: each delivery is stored as it happens, in group commits.

The send workers of a batch hand it small writes: an attempt before each send (awaited: nothing
is sent that is not stored first), and after the send its confirmation (the message id, the due
row moved on), a refusal (the attempt withdrawn), an unsure failure (the row freed for the next
sweep), a blocked bot. One task writes whatever has queued up in one transaction, so sixteen
concurrent sends cost about two commits per round, not thirty-two, and a worker's next attempt
is committed together with (or after) its previous confirmation: at any instant each worker has
at most one message sent but not yet confirmed.

Failures are kept apart:

- the database unreachable (:class:`~bot.services.records.Unavailable`, which includes SQLite's
  "database is locked"): the same group is written again, with backoff, for up to ``patience``
  (less than what is left of the lease, so no other worker takes the rows over meanwhile). A
  worker waiting on its attempt waits, and sends nothing. After ``patience`` the group fails:
  attempts not stored are not sent, and the batch stops;
- any other error (a runner deleted meanwhile trips the foreign key, a bad row): the group is
  written again one write per transaction, so only the row at fault fails, and is logged.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

import structlog

from bot.services.ports import UnitOfWork, UnitOfWorkFactory
from bot.services.records import Advance, Attempt, DeliveryRecord, Unavailable
from bot.services.schedule import DueKind

log = structlog.get_logger("bot.services.dispatch")

DEFAULT_PATIENCE = 60.0  # seconds an unreachable database is waited for: well inside the 2-minute lease
Key = tuple[int, dt.date, DueKind]


@dataclass
class _Group:
    """The writes queued since the last commit, and a future per write."""

    attempts: list[tuple[Attempt, asyncio.Future[bool]]] = field(default_factory=list)
    confirms: list[tuple[DeliveryRecord, Advance]] = field(default_factory=list)
    withdrawn: list[Key] = field(default_factory=list)
    released: list[tuple[int, DueKind]] = field(default_factory=list)
    gone: set[int] = field(default_factory=set)

    def __len__(self) -> int:
        return len(self.attempts) + len(self.confirms) + len(self.withdrawn) + len(self.released) + len(self.gone)

    def split(self) -> list[_Group]:
        """One group per write (an attempt's future goes with it)."""
        parts = [_Group(attempts=[a]) for a in self.attempts]
        parts += [_Group(confirms=[c]) for c in self.confirms]
        parts += [_Group(withdrawn=[w]) for w in self.withdrawn]
        parts += [_Group(released=[r]) for r in self.released]
        parts += [_Group(gone={g}) for g in self.gone]
        return parts


class Recorder:
    """Writes one batch's deliveries as they happen (see the module docstring); use ``async with``."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        token: str,
        now: dt.datetime,
        *,
        patience: float = DEFAULT_PATIENCE,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._uow = uow
        self._token = token
        self._now = now
        self._patience = patience
        self._sleep = sleep
        self._queued = _Group()
        self._wake = asyncio.Event()
        self._closing = False
        self._task: asyncio.Task[None] | None = None
        self.failed_writes = 0  # writes the database never took (logged)

    async def __aenter__(self) -> Self:
        self._task = asyncio.create_task(self._run())
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._closing = True
        self._wake.set()
        if self._task is not None:
            await self._task

    # --- what the send workers call -------------------------------------------------------------

    async def attempt(self, attempt: Attempt) -> bool:
        """Store the attempt before its send; False: another dispatcher has it (do not send).

        Raises :class:`Unavailable` when the database stayed unreachable for ``patience``, or the
        row's own error (a runner deleted meanwhile).
        """
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._queued.attempts.append((attempt, future))
        self._wake.set()
        return await future

    def confirm(self, record: DeliveryRecord, move: Advance) -> None:
        """Telegram took the message: store its id and move the row on (not awaited: the worker's
        next attempt is committed with it or after it)."""
        self._queued.confirms.append((record, move))
        self._wake.set()

    def withdraw(self, key: Key, row: tuple[int, DueKind]) -> None:
        """The send was refused, so never made: undo the attempt and retry the row next sweep."""
        self._queued.withdrawn.append(key)
        self._queued.released.append(row)
        self._wake.set()

    def unsure(self, row: tuple[int, DueKind]) -> None:
        """The send may have gone out: the attempt stays, the next sweep re-sends it once."""
        self._queued.released.append(row)
        self._wake.set()

    def gone(self, runner_id: int, key: Key) -> None:
        """The runner blocked the bot (nothing was sent): stop them, undo the attempt."""
        self._queued.gone.add(runner_id)
        self._queued.withdrawn.append(key)
        self._wake.set()

    # --- the writer -----------------------------------------------------------------------------

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            await asyncio.sleep(0)  # let every worker that is ready queue its write first
            group, self._queued = self._queued, _Group()
            if len(group) == 0:
                if self._closing:
                    return
                continue
            await self._write_or_split(group)
            if self._closing and len(self._queued) == 0:
                return
            if len(self._queued):
                self._wake.set()

    async def _write_or_split(self, group: _Group) -> None:
        try:
            await self._write_patiently(group)
        except Unavailable as exc:
            self._fail(group, exc)
        except Exception as exc:
            if len(group) == 1:
                self._fail(group, exc)
                return
            log.warning("dispatch.record_one_by_one", writes=len(group), error=type(exc).__name__)
            for part in group.split():
                await self._write_or_split(part)

    async def _write_patiently(self, group: _Group) -> None:
        deadline = time.monotonic() + self._patience
        delay = 0.05
        while True:
            try:
                await self._write(group)
                return
            except Unavailable as exc:
                if time.monotonic() + delay > deadline:
                    raise
                log.warning("dispatch.store_unavailable", writes=len(group), retry_in=delay, error=str(exc)[:200])
                await self._sleep(delay)
                delay = min(delay * 2, 2.0)

    def _fail(self, group: _Group, exc: BaseException) -> None:
        self.failed_writes += len(group)
        log.error(
            "dispatch.record_failed",
            writes=len(group),
            runner_ids=sorted({a.runner_id for a, _ in group.attempts} | {r.runner_id for r, _ in group.confirms}),
            error=type(exc).__name__,
            detail=str(exc)[:200],
        )
        for _, future in group.attempts:
            if not future.done():
                future.set_exception(exc)

    async def _write(self, group: _Group) -> None:
        async with self._uow() as work:
            await work.due.begin_write()
            stored = await self._apply(work, group)
            await work.commit()
        for attempt, future in group.attempts:
            if not future.done():
                future.set_result(attempt.key in stored)

    async def _apply(self, work: UnitOfWork, group: _Group) -> set[Key]:
        await work.deliveries.confirm([record for record, _ in group.confirms])
        await work.due.advance(self._token, [move for _, move in group.confirms])
        await work.deliveries.withdraw(group.withdrawn)
        await work.due.release(self._token, group.released, self._now)
        await work.due.stop_runners(group.gone, self._now)
        return await work.deliveries.attempt([attempt for attempt, _ in group.attempts])
