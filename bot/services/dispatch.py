"""The dispatcher: claim what is due, decide, compose, send, record. One service, three callers
(the bot's ``JobQueue`` job, ``coach dispatch``, ``coach chat``'s clock), any number of processes.

One sweep works in batches. For each batch:

(a) claim up to ``batch_size`` due rows whose lease is free or over, in one short writer
    transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), and
    read the runners' settings and what was already delivered or attempted. What is *due* is
    decided by ``now`` (the app's clock, a fake one in tests and ``coach chat``); the *lease* runs
    on the database's clock, so dispatchers whose clocks disagree never take over each other's
    live claims;
(b) apply the policy of ``bot.services.schedule``: a row too late or inside a pause is dropped
    (moved on to its next occurrence, a one-off deleted) without a message; one in quiet hours
    that is still useful afterwards waits until 06:00; one already sent is moved on;
(c) compose the rest in one committed transaction (the composer may write, e.g. a review);
(d) send them, ``concurrency`` at a time, each taken from the bot's sending budget (its broadcast
    rate, shared by every process: :mod:`bot.services.send_budget`), each delivery recorded as it happens
    (:mod:`bot.services.dispatch_record`): an attempt is committed before the send, its
    confirmation (message id, the row moved on from its own local date) after it. Attempts are
    stored ahead of the sends, up to ``window`` at a time, in group commits that also carry the
    confirmations queued meanwhile, so a fan-out of 1,000 takes a few dozen commits, not 2,000;
(e) measure how late the batch went out (seconds from each message's due time to its send, by
    ``clock``) and log it (``dispatch.lag``: median and most);
(f) settle what the policy decided, clear the claims and store the lag for /admin (which shows
    the latest whichever process sent it), in one commit.

Rows are claimed and sent earliest due first, and a sweep claims only what is due and free, so
sweeps may overlap (the bot's job lets a few run at once): one sending a long fan-out never
stops the next from taking what fell due meanwhile.

Failures stay with their row. A runner who blocked the bot (:class:`RecipientGone`) is marked
inactive and loses every due row. A send Telegram refused was not made: the attempt is withdrawn
and the next sweep retries (a rate limit never drops a message; the catch-up window alone decides
when one is too late). A row whose attempt cannot be stored (a runner deleted meanwhile, a bad
row) is logged and skipped; the others go on. A database that cannot be reached is waited for
(up to ``patience``) with nothing sent meanwhile, then the batch stops and its claims run out.

The bound on duplicates. The Bot API cannot be asked whether a message arrived, so a send that
timed out, or whose confirmation was never stored (the process killed, the database gone for
longer than ``patience``), is *unsure*. The next sweep sends an unsure message once more, then
gives up on it (``dispatch.given_up``, state 'unsure'): a runner gets each message at most twice,
and twice only after a timeout or a crash. A crash or an outage longer than ``patience`` leaves
at most ``window`` messages (64 by default) sent but unconfirmed, so at most that many
duplicates in all; an outage shorter than ``patience`` (60 s) leaves none. Nothing due is lost,
unless both the send and its one re-send fail before Telegram took either while looking like a
timeout (then it is given up, as unsure); a refusal (4xx) is retried as long as it is useful.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket
from collections.abc import Callable, Sequence

import structlog

from bot.services.dispatch_record import DEFAULT_PATIENCE, Recorder, keep_alive
from bot.services.dispatch_steps import (
    KEEP_LAGS,
    MAX_SENDS,
    Composer,
    DispatchReport,
    Due,
    apply_policy,
    claim,
    compose,
    send,
    settle,
)
from bot.services.ports import Sender, UnitOfWorkFactory
from bot.services.records import SweepLag, Unavailable
from bot.services.send_budget import SendBudget

__all__ = [
    "DEFAULT_BATCH",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_LEASE",
    "DEFAULT_PATIENCE",
    "DEFAULT_WINDOW",
    "MAX_SENDS",
    "Composer",
    "DispatchReport",
    "Due",
    "dispatch_due",
    "dispatch_through",
    "worker_name",
]

log = structlog.get_logger(__name__)

DEFAULT_LEASE = dt.timedelta(minutes=2)
DEFAULT_BATCH = 500
DEFAULT_CONCURRENCY = 16
DEFAULT_WINDOW = 64  # attempts stored ahead of their sends: one commit for many; the crash bound


def worker_name(role: str) -> str:
    """A name for this process's claims: role, host and process id (each claim adds a random tag)."""
    return f"{role}@{socket.gethostname()[:24]}:{os.getpid()}"


async def dispatch_due(
    *,
    uow: UnitOfWorkFactory,
    sender: Sender,
    composer: Composer,
    now: dt.datetime,
    worker_id: str,
    batch_size: int = DEFAULT_BATCH,
    lease: dt.timedelta = DEFAULT_LEASE,
    concurrency: int = DEFAULT_CONCURRENCY,
    patience: float = DEFAULT_PATIENCE,
    window: int = DEFAULT_WINDOW,
    clock: Callable[[], dt.datetime] | None = None,
    budget: SendBudget | None = None,
) -> DispatchReport:
    """One sweep as if at ``now``: batch after batch until nothing is due (see the module docstring).
    ``clock`` tells when each message went out, for its lag (default: ``now``).

    Each send is taken from ``budget`` first (the bot's broadcast rate, shared by every process;
    None: unpaced, for tests and benchmarks that measure the dispatcher alone).

    Raises :class:`~bot.services.records.Unavailable` when the database stays unreachable longer
    than ``patience`` seconds (keep it well under ``lease``); a later sweep resumes.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    if batch_size < 1 or concurrency < 1 or window < 2:
        raise ValueError("batch_size and concurrency must be at least 1, window at least 2")
    now = now.astimezone(dt.UTC)
    report = DispatchReport()
    while True:
        token = f"{worker_id[:50]}:{secrets.token_hex(6)}"
        batch = await claim(uow, now, token, lease, batch_size)
        if batch is None:
            break
        report.batches += 1
        sent, failed = report.sent, report.failed
        await apply_policy(batch, now, report)
        outbox = await compose(uow, composer, batch, now, report)
        lags = len(report.lags)
        async with (
            keep_alive(uow, token, lease),
            Recorder(uow, token, now, patience=patience, on_unconfirmed=batch.stop) as recorder,
        ):
            await send(
                sender,
                recorder,
                outbox,
                batch,
                now,
                report,
                concurrency=concurrency,
                window=window,
                clock=clock,
                budget=budget,
            )
        # how late the batch went out, stored with its settle (one commit for both)
        lag = (
            measure_lag(report.lags[lags:], clock() if clock is not None else now) if len(report.lags) > lags else None
        )
        await settle(uow, batch, now, lag, KEEP_LAGS)
        log.info("dispatch.batch", claimed=len(batch.rows), sent=report.sent - sent, failed=report.failed - failed)
        if batch.stopped:
            raise Unavailable("the database stayed unreachable; the batch stopped, a later sweep resumes")
    return report


def measure_lag(lags: Sequence[float], at: dt.datetime) -> SweepLag:
    """How late a batch went out (``lags``: seconds, one per message sent), logged; the settle stores it."""
    ordered = sorted(lags)
    lag = SweepLag(at, len(ordered), ordered[(len(ordered) - 1) // 2], ordered[-1])
    log.info("dispatch.lag", sent=lag.sent, p50_s=round(lag.p50_s, 3), max_s=round(lag.max_s, 3))
    return lag


async def dispatch_through(
    *,
    uow: UnitOfWorkFactory,
    sender: Sender,
    composer: Composer,
    since: dt.datetime,
    until: dt.datetime,
    worker_id: str,
    batch_size: int = DEFAULT_BATCH,
    budget: SendBudget | None = None,
) -> DispatchReport:
    """Sweep at every due time from ``since`` to ``until`` in order, then at ``until``.

    For a clock that jumps (``coach chat``'s ``:clock``, a simulation): each message goes out
    at the instant it fell due, as it would have with the bot running all along.
    """
    report = DispatchReport()
    at = since
    while True:
        async with uow() as work:
            following = await work.due.earliest_after(at)
        if following is None or following >= until:
            break
        at = following
        report.add(
            await dispatch_due(
                uow=uow,
                sender=sender,
                composer=composer,
                now=at,
                worker_id=worker_id,
                batch_size=batch_size,
                budget=budget,
            )
        )
    report.add(
        await dispatch_due(
            uow=uow,
            sender=sender,
            composer=composer,
            now=until,
            worker_id=worker_id,
            batch_size=batch_size,
            budget=budget,
        )
    )
    return report
