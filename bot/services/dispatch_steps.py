"""The steps of one dispatcher batch (see :mod:`bot.services.dispatch` for the sweep that runs
them): claim due rows, apply the schedule's policy, compose in one committed transaction, send a
bounded number at a time while the claim is kept alive, each send recorded as it happens
(:mod:`bot.services.dispatch_record`), and settle what the policy decided. Also the values they
trade: a ``Due`` as the composer sees it, the ``Composer`` port, the ``DispatchReport``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Protocol

import structlog

from bot.services.accounts import RunnerBrief
from bot.services.dispatch_record import Recorder
from bot.services.ports import (
    SENDING_DUE,
    Contention,
    Outgoing,
    RecipientGone,
    Sender,
    UnitOfWork,
    UnitOfWorkFactory,
)
from bot.services.records import (
    Advance,
    Attempt,
    Delivered,
    DeliveryRecord,
    DeliveryState,
    DueRecord,
    SendUnsure,
    SweepLag,
    Unavailable,
)
from bot.services.schedule import REPEATING_KINDS, Decision, DueKind, Verdict, decide, next_due
from bot.services.send_budget import SendBudget

log = structlog.get_logger("bot.services.dispatch")  # the dispatcher's log lines keep one name

# A fan-out asks the same questions thousands of times (everyone at 07:00 in Berlin): the policy
# is pure, so each distinct question is answered once (asked by position: a cache's key of keywords
# costs more than the answer's lookup).


@functools.lru_cache(maxsize=16_384)
def _decide(
    kind: DueKind,
    local_date: dt.date,
    due: dt.datetime,
    now: dt.datetime,
    timezone: str,
    paused_from: dt.date | None,
    paused_until: dt.date | None,
) -> Decision:
    return decide(
        kind,
        local_date=local_date,
        due=due,
        now=now,
        timezone=timezone,
        paused_from=paused_from,
        paused_until=paused_until,
    )


@functools.lru_cache(maxsize=16_384)
def _next_due(
    kind: DueKind,
    after: dt.date,
    timezone: str,
    reminder: dt.time,
    now: dt.datetime,
    paused_from: dt.date | None,
    paused_until: dt.date | None,
) -> tuple[dt.date, dt.datetime] | None:
    return next_due(
        kind,
        after,
        timezone=timezone,
        reminder=reminder,
        now=now,
        paused_from=paused_from,
        paused_until=paused_until,
    )


MAX_SENDS = 2  # sends of one message that may reach the runner: the first and one re-send if unconfirmed
KEEP_LAGS = dt.timedelta(days=1)  # how long each batch's lag is kept for /admin


@dataclass(frozen=True, slots=True)
class Due:
    """A message due to a runner, as the composer sees it."""

    runner_id: int
    telegram_id: int
    chat_id: int
    kind: DueKind
    local_date: dt.date  # the runner's day the message is for
    due_at: dt.datetime
    detail: str | None
    timezone: str
    # the runner as read with the claim, in its transaction (the composer need not read it again)
    brief: RunnerBrief | None = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> tuple[int, DueKind]:
        return (self.runner_id, self.kind)


class Composer(Protocol):
    async def compose(
        self, work: UnitOfWork, dues: Sequence[Due], now: dt.datetime
    ) -> Mapping[tuple[int, DueKind], Outgoing | None]:
        """The message for each due, keyed by ``(runner_id, kind)``; None: nothing to say today.

        Runs inside a transaction that is committed after it returns; load what the batch needs
        in a few queries, not one per runner.
        """
        ...


@dataclass
class DispatchReport:
    """What a sweep did: messages sent, dropped (too late, paused, already sent), deferred past
    quiet hours, silent (the composer had nothing to say), failed (retried on the next sweep),
    blocked (runners who blocked the bot, now inactive), unsure (sent twice, confirmed neither
    time: given up, as they may have arrived), and the batches it took."""

    sent: int = 0
    dropped: int = 0
    deferred: int = 0
    silent: int = 0
    failed: int = 0
    blocked: int = 0
    unsure: int = 0
    batches: int = 0
    # the message id of each (runner id, kind, local date) sent; the kind as its value (``str``), which a
    # ``DueKind`` equals and hashes as: a key of an int, a str and a date is one the garbage collector
    # stops tracking, and a fan-out keeps 100,000 of them (an enum member in each kept every key
    # tracked, and each full collection of the sweep went through all of them)
    message_ids: dict[tuple[int, str, dt.date], int] = field(default_factory=dict, repr=False)
    lags: list[float] = field(default_factory=list, repr=False)  # seconds from due time to send, per message sent

    def add(self, other: DispatchReport) -> None:
        for f in fields(self):
            if f.name == "message_ids":
                self.message_ids.update(other.message_ids)
            elif f.name == "lags":
                self.lags.extend(other.lags)
            else:
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def handled(self) -> int:
        return self.sent + self.dropped + self.deferred + self.silent + self.blocked + self.unsure


@dataclass
class Batch:
    """One claimed batch: its rows and what each step decided for them."""

    token: str
    rows: list[DueRecord]
    settings: dict[int, RunnerBrief]  # the claimed runners, read with the claim
    delivered: dict[tuple[int, dt.date, DueKind], Delivered]
    moves: list[Advance] = field(default_factory=list)
    postponed: list[tuple[int, DueKind, dt.datetime]] = field(default_factory=list)
    compose: list[Due] = field(default_factory=list)
    given_up: list[Advance] = field(default_factory=list)
    failed: list[tuple[int, DueKind]] = field(default_factory=list)
    stopped: bool = False  # the database stayed unreachable: no more sends in this batch

    def stop(self) -> None:
        """No more sends in this batch (the database stayed unreachable)."""
        self.stopped = True

    def before(self, due: Due) -> int:
        """How many earlier sends of this message may have reached the runner (0 or 1)."""
        found = self.delivered.get((due.runner_id, due.local_date, due.kind))
        return found.attempts if found is not None else 0


async def claim(uow: UnitOfWorkFactory, now: dt.datetime, token: str, lease: dt.timedelta, limit: int) -> Batch | None:
    async with uow() as work:
        if not await work.due.any_due(now):  # the idle tick: one indexed read, no lock
            return None
        await work.due.begin_write(with_next=True)
        rows = sorted(await work.due.claim(now, token, lease, limit), key=lambda row: row.due_at)  # earliest due first
        if not rows:
            return None
        # the runners' settings, for the policy, and the rest of their briefs, for the composer:
        # read once, in the claim's transaction
        settings = await work.runners.briefs(sorted({row.runner_id for row in rows}))
        delivered = await work.deliveries.states((row.runner_id, row.local_date, row.kind) for row in rows)
        await work.commit()
    return Batch(token=token, rows=rows, settings=settings, delivered=delivered)


def _advance(row: DueRecord, settings: RunnerBrief | None, now: dt.datetime) -> Advance:
    """The row moved on past its local date (a one-off, or a runner without a schedule: deleted)."""
    following = None
    if settings is not None and settings.schedulable and row.kind in REPEATING_KINDS:
        assert settings.timezone is not None and settings.reminder_time is not None
        following = _next_due(
            row.kind,
            row.local_date,
            settings.timezone,
            settings.reminder_time,
            now,
            settings.paused_from,
            settings.paused_until,
        )
    if following is None:
        return Advance(row.runner_id, row.kind, row.local_date, row.due_at, None, None)
    return Advance(row.runner_id, row.kind, row.local_date, row.due_at, *following)


async def apply_policy(batch: Batch, now: dt.datetime, report: DispatchReport) -> None:
    for row in batch.rows:
        settings = batch.settings.get(row.runner_id)
        if settings is None or not settings.schedulable:
            batch.moves.append(_advance(row, None, now))
            report.dropped += 1
            continue
        assert settings.timezone is not None
        found = batch.delivered.get((row.runner_id, row.local_date, row.kind))
        if found is not None and (found.state is not DeliveryState.SENDING or found.attempts >= MAX_SENDS):
            if found.state is DeliveryState.SENDING:  # re-sent once already, confirmed neither time
                log.warning("dispatch.given_up", runner_id=row.runner_id, kind=row.kind, date=str(row.local_date))
                batch.given_up.append(_advance(row, settings, now))
                report.unsure += 1
            else:  # already sent for that day: never twice
                batch.moves.append(_advance(row, settings, now))
                report.dropped += 1
            continue
        try:
            decision = _decide(
                row.kind,
                row.local_date,
                row.due_at,
                now,
                settings.timezone,
                settings.paused_from,
                settings.paused_until,
            )
        except ValueError:
            log.error("dispatch.unknown_kind", kind=row.kind, runner_id=row.runner_id)
            batch.moves.append(_advance(row, None, now))
            report.dropped += 1
            continue
        if decision.verdict is Verdict.DROP:
            batch.moves.append(_advance(row, settings, now))
            report.dropped += 1
        elif decision.verdict is Verdict.DEFER:
            assert decision.until is not None
            batch.postponed.append((row.runner_id, row.kind, decision.until))
            report.deferred += 1
        else:
            batch.compose.append(
                Due(  # by position (a batch makes hundreds): the fields in their order
                    row.runner_id,
                    settings.telegram_id,
                    settings.chat_id,
                    row.kind,
                    row.local_date,
                    row.due_at,
                    row.detail,
                    settings.timezone,
                    settings,
                )
            )


async def _compose_in(
    uow: UnitOfWorkFactory, composer: Composer, dues: Sequence[Due], now: dt.datetime, *, writer: bool = False
) -> Mapping[tuple[int, DueKind], Outgoing | None]:
    """Compose in one committed transaction.

    Most batches only read, so on SQLite they run as ordinary (deferred) transactions and several
    dispatchers compose at once. A composer that writes (a weekly review) can then meet another
    writer's commit ("database is locked"): it is rolled back and run again as the writer.
    """
    try:
        async with uow() as work:
            if writer:
                await work.due.begin_write()
            messages = await composer.compose(work, dues, now)
            await work.commit()
        return messages
    except Contention:
        if writer:
            raise
        return await _compose_in(uow, composer, dues, now, writer=True)


async def compose(
    uow: UnitOfWorkFactory, composer: Composer, batch: Batch, now: dt.datetime, report: DispatchReport
) -> list[tuple[Due, Outgoing]]:
    if not batch.compose:
        return []
    try:
        messages = dict(await _compose_in(uow, composer, batch.compose, now))
    except Exception:
        # one bad runner must not hold back the whole batch: compose them one by one
        log.exception("dispatch.compose_failed", count=len(batch.compose))
        messages = {}
        for due in batch.compose:
            try:
                messages.update(await _compose_in(uow, composer, [due], now))
            except Exception:
                log.exception("dispatch.compose_failed_one", runner_id=due.runner_id, kind=due.kind)
    outbox = []
    rows = {(row.runner_id, row.kind): row for row in batch.rows}
    for due in batch.compose:
        if due.key not in messages:
            batch.failed.append(due.key)  # retried by the next sweep, until too late
            report.failed += 1
            continue
        message = messages[due.key]
        if message is None:
            batch.moves.append(_advance(rows[due.key], batch.settings[due.runner_id], now))
            report.silent += 1
        else:
            outbox.append((due, message))
    return outbox


async def send(
    sender: Sender,
    recorder: Recorder,
    outbox: list[tuple[Due, Outgoing]],
    batch: Batch,
    now: dt.datetime,
    report: DispatchReport,
    *,
    concurrency: int,
    window: int,
    clock: Callable[[], dt.datetime] | None = None,
    budget: SendBudget | None = None,
) -> None:
    """Send ``concurrency`` at a time, each stored as an attempt first and confirmed after, and
    each taken from the bot's ``budget`` (shared by every process) just before it goes out.

    Attempts are stored ahead, up to ``window`` whose send has not ended, refilled at half of it
    together with the confirmations queued meanwhile (so one commit carries many, and a crash
    leaves at most ``window`` sent but unconfirmed). A send refused by
    Telegram was not made: its attempt is withdrawn and the row retried by the next sweep. One that
    timed out (:class:`SendUnsure`, ``TimeoutError``) may have arrived: its attempt stays and the
    next sweep sends it once more. An attempt that cannot be stored is not sent; an unreachable
    database stops the batch (the claims run out, a later sweep resumes).
    """
    rows = {(row.runner_id, row.kind): row for row in batch.rows}
    sent_at = clock if clock is not None else (lambda: now)  # when a message went out, for its lag
    workers = min(concurrency, len(outbox))
    queue: asyncio.Queue[tuple[Due, Outgoing] | None] = asyncio.Queue()
    room = asyncio.Event()
    # attempts stored whose send has not ended; the confirmations of those that ended are
    # committed with the next attempts at the latest, so at most `window` are ever sent but unconfirmed
    open_ = 0

    def settled() -> None:
        nonlocal open_
        open_ -= 1
        room.set()

    def not_sent(due: Due) -> None:
        batch.failed.append(due.key)
        report.failed += 1

    async def feed() -> None:
        nonlocal open_
        position = 0
        while position < len(outbox) and not batch.stopped:
            while open_ > window // 2:
                room.clear()
                await room.wait()
            take = outbox[position : position + window - open_]
            position += len(take)
            attempts = [Attempt(due.runner_id, due.local_date, due.kind, now, batch.before(due)) for due, _ in take]
            for (due, message), stored in zip(take, await recorder.attempt(attempts), strict=True):
                if stored is True:
                    open_ += 1
                    queue.put_nowait((due, message))
                elif stored is False:  # another dispatcher has it: the next sweep reads what it stored
                    log.info("dispatch.attempted_elsewhere", runner_id=due.runner_id, kind=due.kind)
                    recorder.unsure(due.key)
                elif isinstance(stored, Unavailable):
                    batch.stopped = True
                    not_sent(due)
                else:  # this row's own trouble (a runner deleted meanwhile): skip it, not again this sweep
                    log.warning("dispatch.attempt_failed", runner_id=due.runner_id, error=type(stored).__name__)
                    not_sent(due)
        for due, _ in outbox[position:]:
            not_sent(due)
        for _ in range(workers):
            queue.put_nowait(None)

    async def worker() -> None:
        while (item := await queue.get()) is not None:
            due, message = item
            if batch.stopped:  # stored but not sent: the next sweep sends it
                not_sent(due)
                settled()
                continue
            key = (due.runner_id, due.local_date, due.kind)
            SENDING_DUE.set(due.due_at)  # a pacing sender serves the earliest due first
            try:
                if budget is not None:  # a budget out of reach: not sent, as a refused send
                    await budget.acquire()
                message_id = await sender.send(due.chat_id, message)
            except RecipientGone:
                recorder.gone(due.runner_id, key)
                report.blocked += 1
            except (SendUnsure, TimeoutError) as exc:
                log.warning("dispatch.send_unsure", runner_id=due.runner_id, kind=due.kind, error=type(exc).__name__)
                recorder.unsure(due.key)
                report.failed += 1
            except Exception as exc:
                log.warning("dispatch.send_failed", runner_id=due.runner_id, kind=due.kind, error=type(exc).__name__)
                recorder.withdraw(key, due.key)
                report.failed += 1
            else:
                move = _advance(rows[due.key], batch.settings[due.runner_id], now)
                record = DeliveryRecord(due.runner_id, due.local_date, due.kind, now, message_id)
                recorder.confirm(record, move)
                report.sent += 1
                report.lags.append((sent_at() - due.due_at).total_seconds())
                report.message_ids[(due.runner_id, str(due.kind), due.local_date)] = message_id
            settled()

    await asyncio.gather(feed(), *(worker() for _ in range(workers)))


async def settle(
    uow: UnitOfWorkFactory,
    batch: Batch,
    now: dt.datetime,
    lag: SweepLag | None = None,
    keep_lags: dt.timedelta = KEEP_LAGS,
) -> None:
    """Store what the policy decided (rows moved on, postponed, given up, to retry), free the rest,
    and store how late the batch went out (``lag``; those older than ``keep_lags`` are forgotten),
    in one commit.

    None of it sends anything: if it is lost, the next sweep decides the same again. A lag that
    cannot be stored is only logged (the messages went out all the same): the settle is written
    again without it.
    """
    try:
        await _settle_in(uow, batch, now, lag, keep_lags)
    except Unavailable:
        raise
    except Exception as exc:
        if lag is None:
            raise
        log.warning("dispatch.lag_not_stored", error=type(exc).__name__)
        await _settle_in(uow, batch, now, None, keep_lags)


async def _settle_in(
    uow: UnitOfWorkFactory, batch: Batch, now: dt.datetime, lag: SweepLag | None, keep_lags: dt.timedelta
) -> None:
    async with uow() as work:
        await work.due.begin_write(with_next=True)
        await work.deliveries.give_up([(m.runner_id, m.claimed_date, m.kind) for m in batch.given_up])
        await work.due.advance(batch.token, batch.moves + batch.given_up)
        await work.due.postpone(batch.token, batch.postponed)
        await work.due.release(batch.token, batch.failed, now)
        await work.due.release_all(batch.token, (row.runner_id for row in batch.rows))
        if lag is not None:
            await work.deliveries.record_lag(lag, lag.at - keep_lags)
        await work.commit()
