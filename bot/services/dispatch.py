"""The dispatcher: claim what is due, decide, compose, send, record. One service, three callers
(the bot's ``JobQueue`` job, ``coach dispatch``, ``coach chat``'s clock), any number of processes.

One sweep works in batches. For each batch:

(a) claim up to ``batch_size`` due rows whose lease is free or expired, in one short writer
    transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), and
    read the runners' settings and what was already delivered;
(b) apply the policy of ``bot.services.schedule``: a row too late or inside a pause is dropped
    (moved on to its next occurrence, a one-off deleted) without a message; one in quiet hours
    that is still useful afterwards waits until 06:00;
(c) compose the rest in one committed transaction (the composer may write, e.g. a review);
(d) send them, a bounded number at a time;
(e) record in ONE transaction: a delivery row per message sent, each row moved on to its next
    occurrence (from its own local date, so a missed day is never sent twice), the claims cleared.

A runner who blocked the bot (:class:`RecipientGone`) is marked inactive and loses every due
row. Any other send failure frees the claim unchanged: the next sweep retries, so a rate limit
never drops a message (the catch-up window alone decides when a message is too late). A message
can be sent twice only if the process dies between Telegram accepting it and the commit of (e);
a claim held by a dead process is taken over once its lease expires.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket
import time

import structlog

from bot.services.dispatch_steps import (
    Composer,
    DispatchReport,
    Due,
    apply_policy,
    claim,
    compose,
    keep_alive,
    record,
    send,
)
from bot.services.ports import Sender, UnitOfWorkFactory

__all__ = [
    "DEFAULT_BATCH",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_LEASE",
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
) -> DispatchReport:
    """One sweep as if at ``now``: batch after batch until nothing is due (see the module docstring)."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    if batch_size < 1 or concurrency < 1:
        raise ValueError("batch_size and concurrency must be at least 1")
    now = now.astimezone(dt.UTC)
    started = time.monotonic()

    def lease_until() -> dt.datetime:
        # `now` may be a fake instant: the lease runs in real time from it
        return now + lease + dt.timedelta(seconds=time.monotonic() - started)

    report = DispatchReport()
    while True:
        token = f"{worker_id[:50]}:{secrets.token_hex(6)}"
        batch = await claim(uow, now, token, lease_until(), batch_size)
        if batch is None:
            break
        report.batches += 1
        await apply_policy(batch, now, report)
        outbox = await compose(uow, composer, batch, now, report)
        async with keep_alive(uow, token, lease, lease_until):
            await send(sender, outbox, batch, now, report, concurrency)
        await record(uow, batch, now)
        log.info(
            "dispatch.batch",
            claimed=len(batch.rows),
            sent=len(batch.records),
            failed=len(batch.failed),
            blocked=len(batch.gone),
        )
    return report


async def dispatch_through(
    *,
    uow: UnitOfWorkFactory,
    sender: Sender,
    composer: Composer,
    since: dt.datetime,
    until: dt.datetime,
    worker_id: str,
    batch_size: int = DEFAULT_BATCH,
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
                uow=uow, sender=sender, composer=composer, now=at, worker_id=worker_id, batch_size=batch_size
            )
        )
    report.add(
        await dispatch_due(
            uow=uow, sender=sender, composer=composer, now=until, worker_id=worker_id, batch_size=batch_size
        )
    )
    return report
