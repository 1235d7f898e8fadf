"""How fast does the coach answer a runner? `python bench/update_bench.py [--runners N] [--updates N]`.

Onboards N runners into a fresh SQLite database through the real ``Application`` on the offline
Bot API (untimed), sends each today's prompt, then times a mix of what runners do all day: ask
for today, tomorrow, the week and "why?", in commands and in words, and tap their check-in
(Done, then effort). In the same run a bare python-telegram-bot echo ``Application`` on the same
transport answers the same number of text updates: the ratio of the two rates shows what the
coach costs beyond python-telegram-bot itself. Prints updates per second, p50 and p99 for each,
and the coach/echo ratio (aim: at least 0.25, with the coach's p99 under 10 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere without installing

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.app import OFFLINE_TOKEN, build_application, prepare_database, start, stop
from bot.clock import FakeClock
from bot.config import Settings
from bot.console.transport import OfflineBotApi
from bot.services.schedule import DueKind
from bot.telegram.context import CoachApplication

START = dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC)  # a Monday, 07:00 in Berlin
QUESTIONS = ("/today", "what should I lift today?", "/tomorrow", "/week", "why?", "show my week", "and tomorrow?")
AIM_RATIO = 0.25
AIM_P99_MS = 10.0


@dataclass
class Timings:
    seconds: list[float]

    @property
    def rate(self) -> float:
        return len(self.seconds) / sum(self.seconds)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]

    def line(self, name: str) -> str:
        return (
            f"{name:>5}: {len(self.seconds):,} updates, {self.rate:,.0f}/s, "
            f"p50 {self.percentile(0.5) * 1e3:.2f} ms, p99 {self.percentile(0.99) * 1e3:.2f} ms, "
            f"mean {statistics.fmean(self.seconds) * 1e3:.2f} ms"
        )


def onboarding_script(n: int) -> tuple[str, ...]:
    days = ("mon wed fri sun", "tue thu sat sun", "mon tue thu sat", "wed fri sat sun")[n % 4]
    long_day = days.split()[-1]
    return (
        "/start",
        "some",
        days,
        long_day,
        "none",
        "no race",
        "dumbbells",
        "30",
        "none",
        "Europe/Berlin",
        "07:00",
        "no",
    )


async def coach_run(runners: int, updates: int, seed: int) -> Timings:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/bench.db"
        await prepare_database(url)
        clock = FakeClock(START)
        api = OfflineBotApi(clock=clock)
        settings = Settings(_env_file=None, database_url=url, telegram_bot_token=None)
        app = build_application(settings, clock=clock, request=api)
        await start(app)
        try:
            ids = [10_000 + n for n in range(runners)]
            for n, user_id in enumerate(ids):
                for text in onboarding_script(n):
                    await api.deliver(app, api.text(user_id, text, "Runner"))
            await send_prompts(app, ids)
            rng = random.Random(seed)
            timings: list[float] = []
            for _ in range(updates):
                user_id = rng.choice(ids)
                update = next_update(api, user_id, rng)
                began = time.perf_counter()
                await api.deliver(app, update)
                timings.append(time.perf_counter() - began)
            return Timings(timings)
        finally:
            await stop(app)


async def send_prompts(app: CoachApplication, ids: list[int]) -> None:
    """Today's prompt for every runner with a session today, as the dispatcher would send it."""
    from bot.services.plans import local_today

    deps = app.bot_data.deps
    now = deps.clock.now()
    async with deps.coach.uow() as work:
        for user_id in ids:
            account = await work.runners.get(user_id)
            assert account is not None
            due = _Due(account.id, DueKind.PROMPT, local_today(now, "Europe/Berlin"), None)
            composed = (await deps.composer.compose(work, [due], now))[(account.id, DueKind.PROMPT)]
            if composed is not None:
                await deps.sender.send(account.chat_id, composed)
        await work.commit()


@dataclass(frozen=True)
class _Due:
    runner_id: int
    kind: DueKind
    local_date: dt.date
    detail: str | None


def next_update(api: OfflineBotApi, user_id: int, rng: random.Random) -> dict[str, Any]:
    """A question in words or a command, or a tap on the runner's latest check-in buttons."""
    message = api.last_with_buttons(user_id)
    if message is not None and rng.random() < 0.3:
        data = [b.callback_data for b in message.inline_buttons if b.callback_data]
        if data:
            return api.press(user_id, message.message_id, data[0], "Runner")
    return api.text(user_id, rng.choice(QUESTIONS), "Runner")


async def echo_run(updates: int) -> Timings:
    """A bare python-telegram-bot Application that echoes text, on the same offline transport."""
    clock = FakeClock(START)
    api = OfflineBotApi(clock=clock)

    async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(update.effective_message.text or "")

    async def answer(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer()

    app: Application[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder().token(OFFLINE_TOKEN).request(api).get_updates_request(api).build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.add_handler(CallbackQueryHandler(answer))
    await app.initialize()
    try:
        rng = random.Random(1)
        timings = []
        for _ in range(updates):
            update = api.text(20_000 + rng.randrange(50), rng.choice(QUESTIONS), "Runner")
            began = time.perf_counter()
            await api.deliver(app, update)
            timings.append(time.perf_counter() - began)
        return Timings(timings)
    finally:
        await app.shutdown()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runners", type=int, default=50)
    parser.add_argument("--updates", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=20261130)
    args = parser.parse_args()
    print(f"{args.runners} onboarded runners, {args.updates:,} timed updates each side (SQLite, offline Bot API)")
    coach = await coach_run(args.runners, args.updates, args.seed)
    echo = await echo_run(args.updates)
    print(coach.line("coach"))
    print(echo.line("echo"))
    ratio = coach.rate / echo.rate
    print(f"coach/echo rate ratio: {ratio:.3f} (aim at least {AIM_RATIO}: {'met' if ratio >= AIM_RATIO else 'missed'})")
    p99 = coach.percentile(0.99) * 1e3
    print(f"coach p99: {p99:.2f} ms (aim under {AIM_P99_MS:.0f} ms: {'met' if p99 < AIM_P99_MS else 'missed'})")


if __name__ == "__main__":
    asyncio.run(main())
