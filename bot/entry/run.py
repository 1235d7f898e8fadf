"""`coach run`: the real bot, polling by default, webhook mode when WEBHOOK_URL is set; HTTP (``/healthz``,
``/readyz`` and the calendar feeds) in webhook mode, and in polling mode when PORT is set."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

import structlog
from telegram.error import InvalidToken, NetworkError

from bot.app import add_database_watch, build_application, prepare_database
from bot.clock import SystemClock
from bot.config import Settings
from bot.db.storage import FileWatch, new_database_line
from bot.entry.polling import AnotherPoller, serve_polling
from bot.entry.start_up import release_collector
from bot.failures import CommandFailed
from bot.telegram.context import CoachApplication

log = structlog.get_logger(__name__)


def _no_traceback(record: logging.LogRecord) -> bool:
    """Keep PTB's start-up retry lines, without the traceback it attaches (LOG_TRACEBACKS=1 shows it)."""
    if record.getMessage().startswith("Network Retry Loop"):
        record.exc_info, record.exc_text = None, None
    return True


def prepare_store(settings: Settings) -> FileWatch | None:
    """The database ready to serve: a new SQLite file said out loud, SQLite migrated, PostgreSQL checked
    to be migrated already; the watch on the SQLite file (None for PostgreSQL)."""
    if new := new_database_line(settings.database_url):
        log.warning("database.new", note=new)
    sqlite = settings.database_url.startswith("sqlite")
    if not asyncio.run(prepare_database(settings.database_url, migrate=sqlite)):
        raise CommandFailed(
            "DATABASE_URL: the PostgreSQL database is not at the newest migration: run `coach migrate` first"
        )
    return FileWatch.of(settings.database_url)


def run_bot(settings: Settings) -> int:
    """Serve until interrupted; returns the process exit status."""
    watch = prepare_store(settings)
    tracebacks = settings.log_level == "DEBUG" or settings.log_tracebacks
    if not tracebacks:
        # a rejected token or an unreachable Bot API is told in one line below, not as a traceback
        logging.getLogger("telegram.ext").addFilter(_no_traceback)
    application = build_application(settings, clock=SystemClock())
    if watch is not None:
        add_database_watch(application, watch)
    release_collector()  # built: what start-up made lives as long as the process
    try:
        if settings.webhook_url:
            from bot.entry.webhook import serve_webhook  # the HTTP server (Tornado) only when it serves

            asyncio.run(serve_webhook(application, settings))
        else:
            asyncio.run(_polling(application, settings))
    except AnotherPoller:
        log.error("bot.another_poller")
        raise CommandFailed(
            "TELEGRAM_BOT_TOKEN: another bot is already polling with this token (Telegram answered 409 "
            "Conflict); stop the other one first: one bot per token",
            status=1,
        ) from None
    except InvalidToken as exc:
        log.error("bot.invalid_token", exc_info=exc if tracebacks else None)
        raise CommandFailed("TELEGRAM_BOT_TOKEN was rejected by the Bot API: check it with @BotFather") from None
    except NetworkError as exc:
        log.error(
            "bot.unreachable", api=settings.telegram_api_base_url, error=str(exc), exc_info=exc if tracebacks else None
        )
        raise CommandFailed(
            f"TELEGRAM_API_BASE_URL: cannot reach the Bot API at {settings.telegram_api_base_url}: "
            "check the network, or the URL",
            status=1,
        ) from None
    if watch is not None and watch.problem is not None:
        raise CommandFailed(watch.problem, status=1)
    return 0


async def _polling(application: CoachApplication, settings: Settings) -> None:
    """Poll until SIGINT or SIGTERM (the update being handled is finished first); with PORT set,
    serve ``/healthz``, ``/readyz`` and the calendar feeds on it meanwhile."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    try:
        if settings.serves_http:
            from bot.entry.feed_http import serving_site  # the HTTP server (Tornado) only when it serves

            site: contextlib.AbstractAsyncContextManager[None] = serving_site(application, settings)
        else:
            site = contextlib.nullcontext()
        async with site:
            await serve_polling(application, stopping)
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
