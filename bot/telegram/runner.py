"""`coach run`: the real bot, polling by default, webhook mode when WEBHOOK_URL is set."""

from __future__ import annotations

import asyncio
import threading

import structlog
from telegram import Update
from telegram.error import InvalidToken, NetworkError

from bot.app import build_application, prepare_database
from bot.clock import SystemClock
from bot.config import Settings
from bot.services.timezones import warm_up
from bot.telegram.webhook import serve_webhook

log = structlog.get_logger(__name__)


def run_bot(settings: Settings) -> int:
    """Serve until interrupted; returns the process exit status."""
    if settings.database_url.startswith("sqlite"):
        asyncio.run(prepare_database(settings.database_url))
    application = build_application(settings, clock=SystemClock())
    # the offline timezone data takes a second or two to index: do it while polling starts
    threading.Thread(target=warm_up, name="timezone-warm-up", daemon=True).start()
    try:
        if settings.webhook_url:
            asyncio.run(serve_webhook(application, settings))
        else:
            log.info("bot.start", mode="polling", api=settings.telegram_api_base_url)
            application.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        log.error("bot.invalid_token")
        print("TELEGRAM_BOT_TOKEN was rejected by the Bot API: check it with @BotFather")
        return 2
    except NetworkError as exc:
        log.error("bot.unreachable", api=settings.telegram_api_base_url, error=str(exc))
        print(f"cannot reach the Bot API at {settings.telegram_api_base_url}")
        return 1
    return 0
