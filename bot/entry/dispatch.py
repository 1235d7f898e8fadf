"""`coach dispatch`: one scheduler sweep against the real Bot API, then exit."""

from __future__ import annotations

import asyncio
import datetime as dt

import structlog
from telegram import Bot
from telegram.error import InvalidToken, NetworkError

from bot.app import build_application, prepare_database, shared_budget
from bot.clock import FakeClock, SystemClock
from bot.config import Settings
from bot.db.engine import create_engine
from bot.db.storage import new_database_line
from bot.entry.start_up import release_collector
from bot.failures import CommandFailed
from bot.services.dispatch import Composer, DispatchReport, dispatch_due, worker_name

log = structlog.get_logger(__name__)


async def sweep(
    settings: Settings, at: dt.datetime | None = None, *, composer: Composer | None = None
) -> DispatchReport:
    """Send everything due at ``at`` (default now) through the Bot API, rate-limited as the bot is.

    ``composer`` defaults to the one the application wires in; the database is brought to the
    newest migration first when it is SQLite (as ``coach run`` does). Each send is taken from the
    bot's broadcast budget, shared through the database with every other process. A Bot API that
    cannot be reached, or that rejects the token, fails as one line naming that setting.
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
        release_collector()  # built: what start-up made lives as long as the process (see bot.entry.start_up)
        deps = application.bot_data.deps
        await _reach(application.bot, settings)
        try:
            return await dispatch_due(
                uow=deps.coach.uow,
                sender=deps.broadcast,
                composer=composer or deps.composer,
                now=clock.now(),
                worker_id=worker_name("cli"),
                clock=clock.now,
                budget=shared_budget(settings, engine),
            )
        finally:
            await application.bot.shutdown()
    finally:
        await engine.dispose()


async def _reach(bot: Bot, settings: Settings) -> None:
    """Start the Bot API client (it asks Telegram who the bot is); an unreachable API or a rejected
    token is said as such, not left to look like a database failure."""
    try:
        await bot.initialize()
    except InvalidToken:
        raise CommandFailed("TELEGRAM_BOT_TOKEN was rejected by the Bot API: check it with @BotFather") from None
    except NetworkError as exc:
        log.error("bot.unreachable", api=settings.telegram_api_base_url, error=str(exc))
        raise CommandFailed(
            f"TELEGRAM_API_BASE_URL: cannot reach the Bot API at {settings.telegram_api_base_url}: "
            "check the network, or the URL",
            status=1,
        ) from None


def sweep_once(settings: Settings, at: dt.datetime | None) -> int:
    """The command: one sweep, one line of figures; the exit status."""
    report = asyncio.run(sweep(settings, at))
    print(
        f"sent {report.sent}, dropped {report.dropped}, deferred {report.deferred}, "
        f"nothing to say {report.silent}, failed {report.failed}, blocked {report.blocked}"
    )
    return 0 if report.failed == 0 else 1
