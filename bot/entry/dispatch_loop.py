"""`coach dispatch --loop`: a dispatch worker. It sweeps what is due every ``DISPATCH_INTERVAL`` seconds
until SIGINT or SIGTERM, then stops cleanly: the sweep under way is finished first (each prompt
in it is claimed, sent and recorded; one not reached stays due for the next worker), nothing is
cut off mid-send.

It is what the bot's own every-minute job does (``bot.app.add_dispatch_job``), in a process of its
own: where workers run, the webhook processes are started with ``DISPATCH_IN_BOT=false``. Several
workers may run on one PostgreSQL database; claims keep each prompt to one of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal

import structlog

from bot.app import build_application, prepare_database, shared_budget
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.db.engine import create_engine
from bot.db.storage import new_database_line
from bot.entry.start_up import release_collector
from bot.services.dispatch import Composer, dispatch_due, worker_name

log = structlog.get_logger(__name__)


async def sweep_until(
    settings: Settings,
    stopping: asyncio.Event,
    *,
    clock: Clock | None = None,
    composer: Composer | None = None,
    interval: float | None = None,
) -> int:
    """Sweep every ``interval`` seconds (``settings.dispatch_interval`` by default) from start until
    ``stopping`` is set, one log line of figures each; the number of sweeps made. A sweep that fails
    is logged and the next one comes at its time."""
    settings.require_token()
    if new := new_database_line(settings.database_url):
        log.warning("database.new", note=new)
    if settings.database_url.startswith("sqlite"):
        await prepare_database(settings.database_url)
    clock = clock or SystemClock()
    every = float(settings.dispatch_interval if interval is None else interval)
    worker = worker_name("worker")
    engine = create_engine(settings.database_url)
    sweeps = 0
    try:
        application = build_application(settings, clock=clock, engine=engine)
        release_collector()  # built: what start-up made lives as long as the process (see bot.entry.start_up)
        deps = application.bot_data.deps
        budget = shared_budget(settings, engine)
        loop = asyncio.get_running_loop()
        async with application.bot:
            log.info("dispatch.loop.start", interval=every)
            while not stopping.is_set():
                began = loop.time()
                try:
                    report = await dispatch_due(
                        uow=deps.coach.uow,
                        sender=deps.broadcast,
                        composer=composer or deps.composer,
                        now=clock.now(),
                        worker_id=worker,
                        clock=clock.now,
                        budget=budget,
                    )
                except Exception:  # the next sweep tries again; the worker goes on
                    log.error("dispatch.loop.sweep_failed", exc_info=True)
                else:
                    log.info(
                        "dispatch.loop.sweep",
                        sent=report.sent,
                        dropped=report.dropped,
                        deferred=report.deferred,
                        silent=report.silent,
                        failed=report.failed,
                        blocked=report.blocked,
                    )
                sweeps += 1
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stopping.wait(), max(0.0, every - (loop.time() - began)))
        log.info("dispatch.loop.stopped", sweeps=sweeps)
    finally:
        await engine.dispose()
    return sweeps


def sweep_loop(settings: Settings) -> int:
    """The command: sweep until SIGINT or SIGTERM; exit status 0 on a clean stop."""

    async def main() -> None:
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stopping.set)
        try:
            await sweep_until(settings, stopping)
        finally:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)

    asyncio.run(main())
    return 0
