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
from bot.entry.start_up import release_collector
from bot.services.dispatch import dispatch_due, worker_name
from bot.services.send_budget import local_budget
from bot.services.timezones import zone
from bot.telegram.context import Deps


class DispatchScheduler:
    """``:clock`` runs the bot's own dispatcher, exactly as the every-minute job does."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.budget = local_budget(deps.settings.broadcast_rate)  # one process: paced in memory

    async def next_due(self, after: dt.datetime) -> dt.datetime | None:
        async with self.deps.coach.uow() as work:
            return await work.due.earliest_after(after)

    async def run(self, now: dt.datetime) -> int:
        deps = self.deps
        report = await dispatch_due(
            uow=deps.coach.uow,
            sender=deps.sender,
            composer=deps.composer,
            now=now,
            worker_id=worker_name("chat"),
            budget=self.budget,
        )
        return report.sent


async def chat(settings: Settings, *, database: Path, user_id: int, name: str) -> int:
    """Run one terminal conversation; the database file keeps the runner between runs."""
    url = f"sqlite+aiosqlite:///{database}"
    settings = settings.model_copy(update={"database_url": url, "telegram_bot_token": None})
    await prepare_database(url)
    clock = FakeClock(settings.chat_start or SystemClock().now())
    api = OfflineBotApi(clock=clock)
    application = build_application(settings, clock=clock, request=api)
    release_collector()  # built: what start-up made lives as long as the conversation
    deps = application.bot_data.deps

    async def runner_zone() -> dt.tzinfo | None:
        async with deps.coach.uow() as work:
            brief = await work.runners.brief(user_id)
        return zone(brief.timezone) if brief and brief.timezone else None

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
            scheduler=DispatchScheduler(deps),
            tz=runner_zone,
            echo=not interactive,
            intro=INTRO if interactive else None,
        )
    finally:
        await stop(application)
    return 0
