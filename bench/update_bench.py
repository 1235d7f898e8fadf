"""How fast does the coach answer a runner? `python bench/update_bench.py [--runners N] [--updates N]`.

Onboards N runners into a fresh SQLite database through the real ``Application`` on the offline
Bot API (untimed) and sends each today's prompt; then times a mix of what runners do all day:
today, tomorrow, the week and "why?" in commands and in words, taps on their latest buttons
(check-in: Done, then effort...), free text, and now and then a settings change (/settings, the
reminder button, a new time typed). A bare python-telegram-bot echo ``Application`` on the same
transport answers text updates in rounds interleaved with the coach's (so a change in the machine's
load hits both alike), and so does a third side, the "floor": the same echo bot claiming each
update and reading its sender's row through SQLAlchemy on aiosqlite before it answers (the least
database work any of the coach's updates does, and nothing else). Nothing is logged per update
(the log level is WARNING), and nothing listens on the coach's engine while it is timed. Prints,
for each, updates per second, p50 and p99, wall and CPU time per update (CPU: the whole process,
the database driver's thread included), the coach's SQL statements and commits per update (counted
after the timed rounds, over as many updates again of the same mix, untimed), the coach/echo rate
ratio (aims: at least 0.25, with the coach's p99 under 10 ms) and the floor/echo one.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import os
import random
import statistics
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere without installing

from sqlalchemy import event
from sqlalchemy import text as sql
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.app import OFFLINE_TOKEN, build_application, prepare_database, start, stop
from bot.clock import FakeClock
from bot.config import Settings
from bot.console.transport import OfflineBotApi
from bot.db.engine import create_engine
from bot.db.sqlite_trips import COMMIT_AFTER
from bot.entry.start_up import hold_collector, release_collector
from bot.logs import configure_logging
from bot.services.schedule import DueKind
from bot.telegram.context import CoachApplication

START = dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC)  # a Monday, 07:00 in Berlin
TODAY = ("/today", "what should I lift today?")
WEEK = ("/week", "show my week")
TOMORROW = ("/tomorrow", "and tomorrow?")
WHY = ("why?",)
FREE = ("felt strong today, thanks", "can I do it in the evening?", "my legs are a bit heavy", "ok!")
# (weight, what): a tap on the latest buttons, a question, free text, or a settings change
MIX: tuple[tuple[float, str], ...] = (
    (0.25, "tap"),
    (0.18, "today"),
    (0.14, "week"),
    (0.12, "tomorrow"),
    (0.14, "why"),
    (0.14, "free"),
    (0.03, "settings"),
)
ROUND = 50  # updates a side before the other side's round
AIM_RATIO = 0.25
AIM_P99_MS = 10.0


@dataclass
class Timings:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return len(self.wall) / sum(self.wall)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.wall)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]

    def line(self, name: str) -> str:
        return (
            f"{name:>5}: {len(self.wall):,} updates, {self.rate:,.0f}/s, "
            f"p50 {self.percentile(0.5) * 1e3:.2f} ms, p99 {self.percentile(0.99) * 1e3:.2f} ms, "
            f"mean {statistics.fmean(self.wall) * 1e3:.2f} ms wall, {statistics.fmean(self.cpu) * 1e3:.2f} ms CPU"
        )


async def timed(timings: Timings, deliver: Callable[[], Any]) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    await deliver()
    timings.cpu.append(time.process_time() - cpu)
    timings.wall.append(time.perf_counter() - wall)


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


@dataclass
class Counter:
    """The statements and commits the coach's engine sends while it is watched (``watch`` ... ``unwatch``)."""

    statements: int = 0
    commits: int = 0

    def statement(self, *_args: Any) -> None:
        self.statements += 1

    def commit(self, *_args: Any) -> None:
        self.commits += 1

    def watch(self, engine: Any) -> None:
        event.listen(engine.sync_engine, "before_cursor_execute", self.statement)
        event.listen(engine.sync_engine, "commit", self.commit)

    def unwatch(self, engine: Any) -> None:
        event.remove(engine.sync_engine, "before_cursor_execute", self.statement)
        event.remove(engine.sync_engine, "commit", self.commit)


class CoachSide:
    """The coach with N onboarded runners, each sent today's prompt; ``step`` times one update,
    ``count`` counts the statements and commits of further updates of the same mix, untimed.

    Nothing listens on the coach's engine while updates are timed: a listener on its statements is
    work a deployed coach does not do (and the claim, with one, hands it a ``Connection``:
    ``bot.db.pooled_driver``), which the echo bot would not pay either."""

    def __init__(self, folder: str, runners: int, seed: int) -> None:
        self.url = f"sqlite+aiosqlite:///{folder}/bench.db"
        self.clock = FakeClock(START)
        self.api = OfflineBotApi(clock=self.clock)
        self.ids = [10_000 + n for n in range(runners)]
        self.rng = random.Random(seed)
        self.queued: dict[int, deque[str]] = {user_id: deque() for user_id in self.ids}
        self.counter = Counter()
        self.timings = Timings()
        self.kinds: dict[str, list[float]] = {}  # kind: the CPU of each timed one
        self.counts: dict[str, list[tuple[int, int]]] = {}  # kind: (statements, commits) of each counted one
        self.kind_of: list[str] = []  # each timed update's kind, in order (the slowest ones' kinds)

    async def open(self) -> None:
        await prepare_database(self.url)
        settings = Settings(_env_file=None, database_url=self.url, telegram_bot_token=None)
        self.engine = engine = create_engine(self.url)
        self.app = build_application(settings, clock=self.clock, request=self.api, engine=engine)
        release_collector()  # built: start-up's objects frozen, as `coach run` does
        await start(self.app)
        for n, user_id in enumerate(self.ids):
            for text in onboarding_script(n):
                await self.api.deliver(self.app, self.api.text(user_id, text, "Runner"))
        await send_prompts(self.app, self.ids)

    async def close(self) -> None:
        await stop(self.app)

    async def step(self) -> None:
        kind, update = self.next_update(self.rng.choice(self.ids))
        await timed(self.timings, lambda: self.api.deliver(self.app, update))
        self.kinds.setdefault(kind, []).append(self.timings.cpu[-1])
        self.kind_of.append(kind)
        self.clock.advance(dt.timedelta(seconds=3))

    async def count(self, updates: int) -> None:
        """``updates`` more of the mix, untimed, their statements and commits counted."""
        self.counter.watch(self.engine)
        try:
            for _ in range(updates):
                kind, update = self.next_update(self.rng.choice(self.ids))
                statements, commits = self.counter.statements, self.counter.commits
                await self.api.deliver(self.app, update)
                cost = (self.counter.statements - statements, self.counter.commits - commits)
                self.counts.setdefault(kind, []).append(cost)
                self.clock.advance(dt.timedelta(seconds=3))
        finally:
            self.counter.unwatch(self.engine)

    def next_update(self, user_id: int) -> tuple[str, dict[str, Any]]:
        queued = self.queued[user_id]
        if queued:
            return "settings", self.scripted(user_id, queued.popleft())
        kind = self.rng.choices([k for _, k in MIX], [w for w, _ in MIX])[0]
        if kind == "settings":
            queued.extend(("tap:reminder", "text:06:45" if self.rng.random() < 0.5 else "text:07:00"))
            kind, update = "settings", self.api.text(user_id, "/settings", "Runner")
        elif kind == "tap":
            update = self.tap(user_id, None) or self.api.text(user_id, "/today", "Runner")
        else:
            choices = {"today": TODAY, "week": WEEK, "tomorrow": TOMORROW, "why": WHY, "free": FREE}[kind]
            update = self.api.text(user_id, self.rng.choice(choices), "Runner")
        return kind, update

    def scripted(self, user_id: int, step: str) -> dict[str, Any]:
        what, _, value = step.partition(":")
        if what == "tap":
            label = self.app.bot_data.deps.ui.settings.btn_reminder
            return self.tap(user_id, label) or self.api.text(user_id, "/today", "Runner")
        return self.api.text(user_id, value, "Runner")

    def tap(self, user_id: int, label: str | None) -> dict[str, Any] | None:
        message = self.api.last_with_buttons(user_id)
        if message is None:
            return None
        buttons = [b for b in message.inline_buttons if b.callback_data and (label is None or b.text == label)]
        if not buttons:
            return None
        return self.api.press(user_id, message.message_id, buttons[0].callback_data or "", "Runner")


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


class EchoSide:
    """A bare python-telegram-bot Application that echoes text, on the same offline transport."""

    def __init__(self) -> None:
        self.api = OfflineBotApi(clock=FakeClock(START))
        self.rng = random.Random(1)
        self.timings = Timings()

    async def before_reply(self, update: Update) -> None:
        """Nothing: a bare echo bot answers at once."""

    async def open(self) -> None:
        async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
            assert update.effective_message is not None
            await self.before_reply(update)
            await update.effective_message.reply_text(update.effective_message.text or "")

        async def answer(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
            assert update.callback_query is not None
            await update.callback_query.answer()

        self.app: Application[Any, Any, Any, Any, Any, Any] = (
            ApplicationBuilder().token(OFFLINE_TOKEN).request(self.api).get_updates_request(self.api).build()
        )
        self.app.add_handler(MessageHandler(filters.TEXT, echo))
        self.app.add_handler(CallbackQueryHandler(answer))
        await self.app.initialize()

    async def close(self) -> None:
        await self.app.shutdown()

    async def step(self) -> None:
        update = self.api.text(20_000 + self.rng.randrange(50), self.rng.choice(TODAY + WEEK + WHY + FREE), "Runner")
        await timed(self.timings, lambda: self.api.deliver(self.app, update))


class FloorSide(EchoSide):
    """The echo bot doing the least any update of the coach's must do in the database: claim the
    update (an INSERT, committed) and read its sender's row, through SQLAlchemy's asyncio layer on
    aiosqlite with the coach's own engine (``create_engine``: one trip to the driver's thread a
    statement). No planning, no rendering, no intent: how close to the echo bot the fixed stack lets
    a database-backed bot come (the ``floor/echo`` line)."""

    def __init__(self, folder: str) -> None:
        super().__init__()
        self.url = f"sqlite+aiosqlite:///{folder}/floor.db"

    async def open(self) -> None:
        self.engine = create_engine(self.url)
        async with self.engine.begin() as connection:
            await connection.execute(sql("CREATE TABLE claims (update_id INTEGER PRIMARY KEY, user_id INTEGER)"))
            await connection.execute(sql("CREATE TABLE runners (telegram_id INTEGER PRIMARY KEY, name TEXT)"))
            await connection.execute(
                sql("INSERT INTO runners VALUES (:id, 'Runner')"), [{"id": 20_000 + n} for n in range(50)]
            )
        await super().open()

    async def close(self) -> None:
        await super().close()
        await self.engine.dispose()

    async def before_reply(self, update: Update) -> None:
        assert update.effective_user is not None
        user_id = update.effective_user.id
        async with self.engine.connect() as connection:
            # committed in the statement's own trip, as the coach's claim is (``bot.db.sqlite_trips``)
            claim = {"update_id": update.update_id, "user_id": user_id}
            await connection.execute(_FLOOR_CLAIM, claim, execution_options=COMMIT_AFTER)
            await connection.commit()
            (await connection.execute(_FLOOR_READ, {"telegram_id": user_id})).first()


_FLOOR_CLAIM = sql("INSERT INTO claims VALUES (:update_id, :user_id)")
_FLOOR_READ = sql("SELECT telegram_id, name FROM runners WHERE telegram_id = :telegram_id")


async def main() -> None:
    hold_collector()  # as `coach run`: no collections until the application is built
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runners", type=int, default=10)
    parser.add_argument("--updates", type=int, default=300, help="timed updates per runner, each side")
    parser.add_argument("--seed", type=int, default=20261130)
    args = parser.parse_args()
    configure_logging("WARNING", json=True, stream=io.StringIO())  # nothing per update; warnings kept unseen
    total = args.runners * args.updates
    print(f"{args.runners} onboarded runners x {args.updates} updates = {total:,} timed updates each side")
    print(f"(SQLite, offline Bot API, rounds of {ROUND} interleaved; load average {os.getloadavg()[0]:.2f})")
    with tempfile.TemporaryDirectory() as folder:
        coach, echo, floor = CoachSide(folder, args.runners, args.seed), EchoSide(), FloorSide(folder)
        await coach.open()
        await echo.open()
        await floor.open()
        try:
            done = 0
            while done < total:
                size = min(ROUND, total - done)
                for side in (coach, echo, floor):
                    for _ in range(size):
                        await side.step()
                done += size
            await coach.count(total)  # after the timed rounds: the statements of as many updates again
        finally:
            await coach.close()
            await echo.close()
            await floor.close()
    report(coach, echo, floor, total)


def report(coach: CoachSide, echo: EchoSide, floor: FloorSide, total: int) -> None:
    print("coach by kind: updates timed, mean CPU; SQL statements and commits per update (counted apart)")
    for kind, cpus in sorted(coach.kinds.items()):
        counts = coach.counts.get(kind, [(0, 0)])
        statements, commits = (statistics.fmean(c[i] for c in counts) for i in range(2))
        cpu = statistics.fmean(cpus)
        print(f"  {kind:>8} {len(cpus):>5,} {cpu * 1e3:6.2f} ms {statements:5.2f} {commits:5.2f}")
    print(coach.timings.line("coach"))
    print(echo.timings.line("echo"))
    print(floor.timings.line("floor"))
    counted_updates = sum(len(counts) for counts in coach.counts.values())
    statements, commits = coach.counter.statements / counted_updates, coach.counter.commits / counted_updates
    print(
        f"coach SQL: {statements:.2f} statements and {commits:.2f} commits per update "
        f"(counted over {counted_updates:,} more updates of the mix, untimed)"
    )
    ratio = coach.timings.rate / echo.timings.rate
    cpu_ratio = sum(echo.timings.cpu) / sum(coach.timings.cpu)
    print(f"coach/echo rate ratio: {ratio:.3f} wall, {cpu_ratio:.3f} CPU (aim at least {AIM_RATIO}: ", end="")
    print("met)" if ratio >= AIM_RATIO else "missed)")
    floor_ratio = floor.timings.rate / echo.timings.rate
    floor_cpu = sum(echo.timings.cpu) / sum(floor.timings.cpu)
    print(f"floor/echo rate ratio: {floor_ratio:.3f} wall, {floor_cpu:.3f} CPU (a claim and one read, nothing else)")
    p99 = coach.timings.percentile(0.99) * 1e3
    slowest = sorted(range(total), key=coach.timings.wall.__getitem__)[-max(1, total // 100) :]
    counted = {kind: sum(coach.kind_of[i] == kind for i in slowest) for kind in sorted(set(coach.kind_of))}
    print("coach's slowest 1 %: " + ", ".join(f"{kind} {n}" for kind, n in counted.items() if n))
    print(f"coach p99: {p99:.2f} ms (aim under {AIM_P99_MS:.0f} ms: {'met' if p99 < AIM_P99_MS else 'missed'})")
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
