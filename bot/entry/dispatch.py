"""`coach dispatch`: one scheduler sweep against the real Bot API, then exit."""

from __future__ import annotations

import asyncio
import datetime as dt

import structlog

from bot.app import build_application, prepare_database
from bot.clock import FakeClock, SystemClock
from bot.config import Settings
from bot.db.engine import create_engine
from bot.db.storage import new_database_line
from bot.services.dispatch import Composer, DispatchReport, dispatch_due, worker_name

log = structlog.get_logger(__name__)


async def sweep(
    settings: Settings, at: dt.datetime | None = None, *, composer: Composer | None = None
) -> DispatchReport:
    """Send everything due at ``at`` (default now) through the Bot API, rate-limited as the bot is.

    ``composer`` defaults to the one the application wires in; the database is brought to the
    newest migration first when it is SQLite (as ``coach run`` does).
    """
    settings.require_token()
    if new := new_database_line(settings.database_url):
        log.warning("database.new", note=new)
    if settings.database_url.startswith("sqlite"):
        await prepare_database(settings.database_url)
    clock = FakeClock(at) if at is not None else SystemClock()
    engine = create_engine(settings.database_url)
    try:
        application = build_application(settings, clock=clock, engine=engine)
        deps = application.bot_data.deps
        async with application.bot:
            return await dispatch_due(
                uow=deps.coach.uow,
                sender=deps.broadcast,
                composer=composer or deps.composer,
                now=clock.now(),
                worker_id=worker_name("cli"),
                clock=clock.now,
            )
    finally:
        await engine.dispose()


def sweep_once(settings: Settings, at: dt.datetime | None) -> int:
    """The command: one sweep, one line of figures; the exit status."""
    report = asyncio.run(sweep(settings, at))
    print(
        f"sent {report.sent}, dropped {report.dropped}, deferred {report.deferred}, "
        f"nothing to say {report.silent}, failed {report.failed}, blocked {report.blocked}"
    )
    return 0 if report.failed == 0 else 1
