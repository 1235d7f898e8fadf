"""Polling without losing an update: fetch, store, handle, and only then confirm.

python-telegram-bot's ``Updater`` confirms a batch (asks for the next ``offset``) as soon as it has
put the batch on its queue, before any handler ran: a process killed then loses the batch, since
Telegram forgets confirmed updates. Here ``getUpdates`` is called with the offset after the last
update that is *stored in the inbox* (``CoachApplication.receive``), so every update Telegram
forgets is in the database first; then each is handled in order (``process_update`` claims it,
so one already handled, by this process or one before it, is a no-op). When the database cannot
be reached the offset stays where it was and the same updates are asked for again, with backoff.

Telegram answers ``getUpdates`` with 409 Conflict when another process polls with the same token
("terminated by other getUpdates request"): each new request cuts the waiting one short, so both
pollers see it. A poller that began less than ``NEWCOMER_SECONDS`` ago is the newcomer and stops
with :class:`AnotherPoller`; one that has been polling longer asks again at once (which cuts the
newcomer's request short, so the newcomer is told) and stops only if the conflicts go on
(``CONFLICTS_TO_STOP`` in a row): a second `coach run` on a token leaves the first one serving.
"""

from __future__ import annotations

import asyncio
import contextlib

import structlog
from telegram import Update
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TimedOut

from bot.app import start, stop
from bot.services.inbox import InboxUnavailable
from bot.telegram.context import CoachApplication
from bot.telegram.sender import retry_after_seconds, waiting_out_floods

log = structlog.get_logger(__name__)

POLL_SECONDS = 10  # long-poll timeout; Telegram answers at once when updates wait
BACKOFF_SECONDS = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
CONFLICTS_TO_STOP = 3
NEWCOMER_SECONDS = 10.0


class AnotherPoller(Exception):
    """Telegram says another process is polling with this token."""


async def serve_polling(application: CoachApplication, stopping: asyncio.Event) -> None:
    """Start the application, handle what a dead process left, poll until ``stopping`` is set, stop."""
    await start(application)
    try:
        # getUpdates is refused while a webhook is set
        await waiting_out_floods(application.bot.delete_webhook, "polling.delete_webhook.retry_after")
        await application.start()  # the job queue: prompts, and the inbox sweep
        try:
            # said before any database work starts: a line written while aiosqlite's thread logs
            # (LOG_LEVEL=DEBUG) can run into its lines
            log.info("bot.start", mode="polling")
            log.info("inbox.recovered", updates=await application.handle_pending())
            await poll(application, stopping)
        finally:
            await application.stop()
    finally:
        await stop(application)


async def poll(application: CoachApplication, stopping: asyncio.Event) -> None:
    """Fetch, store, handle and confirm updates until ``stopping`` is set."""
    offset: int | None = None
    conflicts, failures = 0, 0
    loop = asyncio.get_running_loop()
    began = loop.time()
    while not stopping.is_set():
        try:
            batch = await _fetch(application, offset, stopping)
        except Conflict:
            conflicts += 1
            if loop.time() - began < NEWCOMER_SECONDS or conflicts >= CONFLICTS_TO_STOP:
                raise AnotherPoller from None
            log.warning("polling.conflict", conflicts=conflicts)
            continue
        except InvalidToken:
            raise
        except RetryAfter as flood:  # Telegram asks for a pause: a warning with the wait, then ask again
            seconds = retry_after_seconds(flood)
            log.warning("polling.retry_after", seconds=seconds)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), seconds)
            continue
        except (TimedOut, NetworkError) as error:
            failures += 1
            log.warning("polling.network_error", error=str(error), failures=failures)
            await _pause(stopping, failures)
            continue
        if batch is None:  # stopping
            return
        conflicts = 0
        if not batch:
            continue
        if not await _store(application, batch):
            failures += 1
            await _pause(stopping, failures)  # not confirmed: asked for again, told once per runner
            continue
        offset = batch[-1].update_id + 1  # stored: Telegram may forget them once it sees this offset
        failures = await _handle(application, batch, stopping)
        if failures:
            await _pause(stopping, failures)


async def _fetch(application: CoachApplication, offset: int | None, stopping: asyncio.Event) -> list[Update] | None:
    """One getUpdates (confirming everything before ``offset``); None if stopping came first."""
    request = asyncio.ensure_future(
        application.bot.get_updates(offset=offset, timeout=POLL_SECONDS, allowed_updates=Update.ALL_TYPES)
    )
    stop = asyncio.ensure_future(stopping.wait())
    try:
        await asyncio.wait({request, stop}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stop.cancel()
    if not request.done():
        request.cancel()
        return None
    return list(request.result())


async def _handle(application: CoachApplication, batch: list[Update], stopping: asyncio.Event) -> int:
    """Handle the stored batch in order; 1 if the database went away (the rest is left in the
    inbox, handled by the next sweep or the next start), else 0.

    With concurrent updates (PostgreSQL) the batch goes to python-telegram-bot's queue, handled
    side by side but never two of one runner at once (``bot.telegram.runner_order``), and the next
    ``getUpdates`` waits until it is all handled; a failure there is logged by the error handler
    and the update, stored, is handled again by the inbox sweep."""
    if application.update_processor.max_concurrent_updates > 1:
        for update in batch:
            await application.update_queue.put(update)
        await application.update_queue.join()
        return 0
    for update in batch:
        if stopping.is_set():
            return 0  # stored: handled after the restart
        try:
            await application.process_update(update)
        except InboxUnavailable as error:
            log.warning("polling.database_unavailable", error=str(error))
            return 1
        except Exception:  # stored: the inbox sweep tries it again; polling goes on
            log.error("polling.update_failed", update_id=update.update_id, exc_info=True)
            return 1
    return 0


async def _store(application: CoachApplication, batch: list[Update]) -> bool:
    """Store the batch; False if it could not be (the offset then stays where it was)."""
    try:
        return await application.receive([(update, update.to_dict()) for update in batch])
    except Exception:  # not an outage (those are told to the runners in receive): logged, asked again
        log.error("polling.store_failed", exc_info=True)
        return False


async def _pause(stopping: asyncio.Event, failures: int) -> None:
    delay = BACKOFF_SECONDS[min(failures, len(BACKOFF_SECONDS)) - 1]
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stopping.wait(), delay)
