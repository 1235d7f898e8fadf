"""`coach chat`: the real application on a local SQLite file, talking through the offline transport."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from bot.app import build_application, prepare_database, start, stop
from bot.clock import FakeClock, SystemClock
from bot.config import Settings
from bot.console.chat import INTRO, run_console, stdin_reader, stdout_writer
from bot.console.transport import OfflineBotApi
from bot.services import plans
from bot.services.timezones import zone


async def chat(settings: Settings, *, database: Path, user_id: int, name: str) -> int:
    """Run one terminal conversation; the database file keeps the runner between runs."""
    url = f"sqlite+aiosqlite:///{database}"
    settings = settings.model_copy(update={"database_url": url, "telegram_bot_token": None})
    await prepare_database(url)
    clock = FakeClock(SystemClock().now())
    api = OfflineBotApi(clock=clock)
    application = build_application(settings, clock=clock, request=api)
    deps = application.bot_data.deps

    async def runner_zone() -> dt.tzinfo | None:
        account = await plans.runner(deps.uow, user_id)
        return zone(account.timezone) if account and account.timezone else None

    async def clock_moved() -> None:
        """Scheduled prompts are derived from the database on each sweep; none are wired yet."""

    interactive = sys.stdin.isatty()
    await start(application)
    try:
        await run_console(
            application,
            api,
            user_id=user_id,
            first_name=name,
            clock=clock,
            read_line=stdin_reader(),
            write=stdout_writer(),
            on_clock_moved=clock_moved,
            tz=runner_zone,
            echo=not interactive,
            intro=INTRO if interactive else None,
        )
    finally:
        await stop(application)
    return 0
