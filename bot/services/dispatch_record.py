"""The dispatcher's recorder: each delivery is stored as it happens, in group commits; and the
claim kept alive meanwhile (:func:`keep_alive`).

The send step hands it small writes: the attempts of the next messages before they are sent
(awaited: nothing is sent that is not stored first), and after each send its confirmation (the
message id, the due row moved on), a refusal (the attempt withdrawn), an unsure failure (the
row freed for the next sweep), a blocked bot. One task writes whatever has queued up in one
transaction: attempts at once, the rest within ``linger`` or with the next attempts, whichever
comes first. So a fan-out costs a commit per few dozen messages, not two per message, and a
message's confirmation is always committed no later than the attempts stored after its send.

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
import contextlib
import datetime as dt
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

import structlog

from bot.services.ports import UnitOfWork, UnitOfWorkFactory
from bot.services.records import Advance, Attempt, DeliveryRecord, Unavailable
from bot.services.schedule import DueKind

log = structlog.get_logger("bot.services.dispatch")

DEFAULT_PATIENCE = 60.0  # seconds an unreachable database is waited for: well inside the 2-minute lease
DEFAULT_LINGER = 0.05  # seconds a confirmation may wait for others to share its commit
Key = tuple[int, dt.date, DueKind]


class _Asked:
    """One ``attempt`` call's attempts, their outcomes as they come, and one future for them all
    (one per call, not one per attempt: a fan-out makes thousands)."""

    __slots__ = ("attempts", "future", "left", "outcomes")

    def __init__(self, attempts: Sequence[Attempt], future: asyncio.Future[list[bool | BaseException]]) -> None:
        self.attempts = attempts
        self.future = future
        self.outcomes: list[bool | BaseException | None] = [None] * len(attempts)
        self.left = len(attempts)

    def settle(self, index: int, outcome: bool | BaseException) -> None:
        """One attempt's outcome (the first told counts); the future is done once all are."""
        if self.outcomes[index] is not None:
            return
        self.outcomes[index] = outcome
        self.left -= 1
        if self.left == 0 and not self.future.done():
            self.future.set_result([o for o in self.outcomes if o is not None])


@dataclass
class _Group:
    """The writes queued since the last commit; each attempt with the call that asked for it."""

    attempts: list[tuple[_Asked, int]] = field(default_factory=list)
    confirms: list[tuple[DeliveryRecord, Advance]] = field(default_factory=list)
    withdrawn: list[Key] = field(default_factory=list)
    released: list[tuple[int, DueKind]] = field(default_factory=list)
    gone: set[int] = field(default_factory=set)

    def __len__(self) -> int:
        return len(self.attempts) + len(self.confirms) + len(self.withdrawn) + len(self.released) + len(self.gone)

    def split(self) -> list[_Group]:
        """One group per write (an attempt goes with the call that asked for it)."""
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
        linger: float = DEFAULT_LINGER,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        on_unconfirmed: Callable[[], None] | None = None,
    ) -> None:
        self._uow = uow
        self._token = token
        self._now = now
        self._patience = patience
        self._linger = linger
        self._timer: asyncio.TimerHandle | None = None
        self._sleep = sleep
        self._queued = _Group()
        self._wake = asyncio.Event()
        self._closing = False
        self._task: asyncio.Task[None] | None = None
        self._down = False  # the database stayed unreachable for `patience`
        self._on_unconfirmed = on_unconfirmed

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

    async def attempt(self, attempts: Sequence[Attempt]) -> list[bool | BaseException]:
        """Store attempts before their sends, in one commit; for each, True (send it), False (another
        dispatcher has it: do not send) or the error that kept it from being stored:
        :class:`Unavailable` when the database stayed unreachable for ``patience``, or the row's
        own (a runner deleted meanwhile). Queued confirmations are committed first or with them.
        """
        if not attempts:
            return []
        asked = _Asked(attempts, asyncio.get_running_loop().create_future())
        self._queued.attempts.extend((asked, index) for index in range(len(attempts)))
        self._wake.set()
        return list(await asked.future)

    def confirm(self, record: DeliveryRecord, move: Advance) -> None:
        """Telegram took the message: store its id and move the row on. A confirmation that cannot
        be stored because the database stayed unreachable calls ``on_unconfirmed``."""
        self._queued.confirms.append((record, move))
        self._soon()

    def withdraw(self, key: Key, row: tuple[int, DueKind]) -> None:
        """The send was refused, so never made: undo the attempt and retry the row next sweep."""
        self._queued.withdrawn.append(key)
        self._queued.released.append(row)
        self._soon()

    def unsure(self, row: tuple[int, DueKind]) -> None:
        """The send may have gone out: the attempt stays, the next sweep re-sends it once."""
        self._queued.released.append(row)
        self._soon()

    def gone(self, runner_id: int, key: Key) -> None:
        """The runner blocked the bot (nothing was sent): stop them, undo the attempt."""
        self._queued.gone.add(runner_id)
        self._queued.withdrawn.append(key)
        self._soon()

    def _soon(self) -> None:
        """Commit within ``linger`` (or with the next attempts, whichever comes first)."""
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self._linger, self._wake.set)

    # --- the writer -----------------------------------------------------------------------------

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            group, self._queued = self._queued, _Group()
            if len(group) == 0:
                if self._closing:
                    return
                continue
            await self._write_or_split(group)
            if self._closing and len(self._queued) == 0:
                return
            if self._queued.attempts or self._closing:  # the rest waits for its timer (linger)
                self._wake.set()

    async def _write_or_split(self, group: _Group) -> None:
        try:
            await self._write_patiently(group)
        except Unavailable as exc:
            self._down = True  # what is still queued fails at once, not after patience again
            self._fail(group, exc)
        except Exception as exc:
            if len(group) == 1:
                self._fail(group, exc)
                return
            log.warning("dispatch.record_one_by_one", writes=len(group), error=type(exc).__name__)
            for part in group.split():
                await self._write_or_split(part)

    async def _write_patiently(self, group: _Group) -> None:
        deadline = time.monotonic() + (0 if self._down else self._patience)
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
        log.error(
            "dispatch.record_failed",
            writes=len(group),
            runner_ids=sorted(
                {asked.attempts[i].runner_id for asked, i in group.attempts} | {r.runner_id for r, _ in group.confirms}
            ),
            error=type(exc).__name__,
            detail=str(exc)[:200],
        )
        for asked, index in group.attempts:
            asked.settle(index, exc)
        if group.confirms and isinstance(exc, Unavailable) and self._on_unconfirmed is not None:
            self._on_unconfirmed()

    async def _write(self, group: _Group) -> None:
        async with self._uow() as work:
            await work.due.begin_write(with_next=True)
            stored = await self._apply(work, group)
            await work.commit()
        for asked, index in group.attempts:
            asked.settle(index, asked.attempts[index].key in stored)

    async def _apply(self, work: UnitOfWork, group: _Group) -> set[Key]:
        await work.deliveries.confirm([record for record, _ in group.confirms])
        await work.due.advance(self._token, [move for _, move in group.confirms])
        await work.deliveries.withdraw(group.withdrawn)
        await work.due.release(self._token, group.released, self._now)
        await work.due.stop_runners(group.gone, self._now)
        return await work.deliveries.attempt([asked.attempts[index] for asked, index in group.attempts])


@contextlib.asynccontextmanager
async def keep_alive(uow: UnitOfWorkFactory, token: str, lease: dt.timedelta) -> AsyncIterator[None]:
    """While sending takes long (rate limits), renew the claim so no other worker takes it over;
    a renewal the database does not take (it is unreachable) is tried again at the next one."""

    async def renew() -> None:
        while True:
            await asyncio.sleep(lease.total_seconds() / 3)
            try:
                async with uow() as work:
                    await work.due.begin_write(with_next=True)
                    await work.due.extend(token, lease)
                    await work.commit()
            except Unavailable as exc:
                log.warning("dispatch.lease_not_renewed", error=str(exc)[:200])

    task = asyncio.create_task(renew())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
