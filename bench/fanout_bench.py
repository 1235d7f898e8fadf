"""Do replies hold up during a 100,000-runner fan-out? `python bench/fanout_bench.py [--runners N] [--scale K]`.

Fills a fresh SQLite file (``--postgres``: a throwaway PostgreSQL database next to
``COACH_TEST_POSTGRES_URL``) with N runners whose prompt is due at 07:00, plus a few thousand
"chatty" runners with no prompt due (so every message to them is a reply). Then, through the real
``Application`` (inbox, gates, handlers, ``BotSender``, the rate limiter) and a fake Telegram (a
``BaseRequest``) that answers 429 ``RetryAfter`` whenever more than the limit of messages arrived in
the last second:

- the dispatcher sweeps as the bot's job does (a sweep every minute, up to ``DISPATCH_SWEEPS`` at
  once) until every prompt went out;
- meanwhile chatty runners send updates (``/today`` and "what should I lift today?") at 10 a
  second, each stored in the inbox and queued as the webhook does; a runner's reply latency is
  from the update's arrival to Telegram receiving the answer;
- after the fan-out, the updates go on for a few seconds ("after").

Time is compressed by ``--scale K``: Telegram's limit (30 a second), the update rate (10 a second)
and the sweep interval (60 s) are all scaled by K, so the ratios hold and 100,000 prompts take
3,333 s / K. Latencies and lags are printed in real milliseconds and scaled back (x K: what they
would be at real rates; the handler's own CPU time is scaled too, so this errs on the slow side).

It runs twice in one process, the same way: "after" with the bot's own limiter (``LaneLimiter``:
replies first) and its default update handling, then "before" with python-telegram-bot's
``AIORateLimiter`` (one first-come queue, 30 a second, no retries) and updates one at a time, for
``--before-runners`` prompts (0 skips it).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere without installing
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dispatch_bench import BUSY, fill, postgres_database
from sqlalchemy import text
from telegram import Update
from telegram.ext import AIORateLimiter, BaseRateLimiter
from telegram.request import BaseRequest, RequestData

from bot.app import DISPATCH_SWEEPS, build_application
from bot.config import Settings
from bot.db.engine import create_engine
from bot.db.migrate import upgrade
from bot.logs import configure_logging
from bot.services.dispatch import DispatchReport, dispatch_due
from bot.telegram.context import CoachApplication
from bot.telegram.rate_limit import LaneLimiter
from bot.telegram.sender import BotSender

TELEGRAM_RATE = 30  # messages a second per bot
UPDATE_RATE = 10  # runners' updates a second
SWEEP_SECONDS = 60
CHATTY = 3000
CHAT_BASE = 1_000_000  # dispatch_bench's runner i has chat 1_000_000 + i
WEBHOOK_CONNECTIONS = 40  # Telegram's default max_connections for a webhook
QUESTIONS = ("/today", "what should I lift today?")


class ScaledClock:
    """The bot's clock, running K times faster than the wall clock from 07:00 on."""

    def __init__(self, scale: float) -> None:
        self.scale = scale
        self.began = time.monotonic()

    def now(self) -> dt.datetime:
        return BUSY + dt.timedelta(seconds=(time.monotonic() - self.began) * self.scale)


@dataclass
class FakeTelegram(BaseRequest):
    """A Bot API that takes at most ``limit`` messages in any second (429 beyond it), answers at
    once, and notes what it got: prompts per chat, the moment each reply to a chatty runner arrived."""

    limit: int
    chatty_from: int
    window: deque[float] = field(default_factory=deque)
    prompts: dict[int, int] = field(default_factory=dict)
    replied: dict[int, float] = field(default_factory=dict)  # chat -> when the latest reply arrived
    waiting: dict[int, asyncio.Event] = field(default_factory=dict)
    refused: int = 0
    ids: int = 0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data is not None else {}
        if endpoint == "getMe":
            return 200, _ok({"id": 123456789, "is_bot": True, "first_name": "Coach", "username": "coach_bot"})
        if endpoint not in ("sendMessage", "sendPhoto", "editMessageText"):
            return 200, _ok(True)
        now = time.monotonic()
        while self.window and self.window[0] <= now - 1.0:
            self.window.popleft()
        if len(self.window) >= self.limit:
            self.refused += 1
            body = {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1"}
            return 429, json.dumps({**body, "parameters": {"retry_after": 1}}).encode()
        self.window.append(now)
        chat = int(str(params.get("chat_id")))
        if chat >= self.chatty_from:
            self.replied[chat] = now
            if (event := self.waiting.pop(chat, None)) is not None:
                event.set()
        else:
            self.prompts[chat] = self.prompts.get(chat, 0) + 1
        self.ids += 1
        message = {"message_id": self.ids, "date": int(time.time()), "chat": {"id": chat, "type": "private"}}
        return 200, _ok({**message, "text": str(params.get("text", ""))})


def _ok(result: object) -> bytes:
    return json.dumps({"ok": True, "result": result}).encode()


@dataclass
class Run:
    name: str
    runners: int
    wall: float = 0.0
    cpu: float = 0.0
    fan_out: float = 0.0  # wall seconds until the last prompt went out
    during: list[float] = field(default_factory=list)  # reply latencies (real seconds)
    after: list[float] = field(default_factory=list)
    unanswered: int = 0
    report: DispatchReport = field(default_factory=DispatchReport)
    telegram: FakeTelegram | None = None


def pct(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else float("nan")


def update_json(update_id: int, chat: int, said: str) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": update_id,
        "date": int(time.time()),
        "chat": {"id": chat, "type": "private", "first_name": "Runner"},
        "from": {"id": chat, "is_bot": False, "first_name": "Runner"},
        "text": said,
    }
    if said.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(said.split()[0])}]
    return {"update_id": update_id, "message": message}


async def chatter(
    app: CoachApplication, telegram: FakeTelegram, run: Run, rate: float, chatty: list[int], stop: asyncio.Event
) -> None:
    """Runners send ``rate`` updates a second until ``stop``; each reply's latency goes to
    ``run.during`` while the fan-out runs, to ``run.after`` once it is over."""
    pending: set[asyncio.Task[None]] = set()
    free = deque(chatty)
    update_id = 0
    webhook = asyncio.Semaphore(WEBHOOK_CONNECTIONS)

    async def one(chat: int, said: str) -> None:
        nonlocal update_id
        update_id += 1
        payload = update_json(update_id, chat, said)
        update = Update.de_json(payload, app.bot)
        arrived = time.monotonic()
        during = run.fan_out == 0.0
        answered = telegram.waiting[chat] = asyncio.Event()
        async with webhook:  # Telegram keeps at most this many webhook requests open
            await app.receive([(update, payload)])  # stored first, as the webhook does
        handled = asyncio.create_task(app.update_processor.process_update(update, app.process_update(update)))
        try:
            await asyncio.wait_for(answered.wait(), 60)
            (run.during if during else run.after).append(telegram.replied[chat] - arrived)
        except TimeoutError:
            run.unanswered += 1
        await handled
        free.append(chat)

    began = time.monotonic()
    sent = 0
    while not stop.is_set():
        due = began + sent / rate
        if (wait := due - time.monotonic()) > 0:
            await asyncio.sleep(wait)
        if free:
            task = asyncio.create_task(one(free.popleft(), QUESTIONS[sent % len(QUESTIONS)]))
            pending.add(task)
            task.add_done_callback(pending.discard)
        sent += 1
    await asyncio.gather(*pending)


async def sweeps(app: CoachApplication, clock: ScaledClock, scale: float, run: Run) -> None:
    """The bot's dispatch job, scaled: a sweep every minute (scaled), up to DISPATCH_SWEEPS at once,
    until a sweep finds nothing due; each sweep's report is added to ``run.report``."""
    deps = app.bot_data.deps
    running: set[asyncio.Task[DispatchReport]] = set()

    async def sweep() -> DispatchReport:
        report = await dispatch_due(
            uow=deps.coach.uow,
            sender=deps.broadcast,
            composer=deps.composer,
            now=clock.now(),
            worker_id="bench",
            clock=clock.now,
        )
        run.report.add(report)
        return report

    while True:
        if len(running) < DISPATCH_SWEEPS:
            task = asyncio.create_task(sweep())
            running.add(task)
            task.add_done_callback(running.discard)
        done, _ = await asyncio.wait(running, timeout=SWEEP_SECONDS / scale)
        if any(task.result().handled == 0 and task.result().failed == 0 for task in done):
            break
    await asyncio.gather(*running)


async def one_run(
    url: str, name: str, runners: int, args: argparse.Namespace, limiter: BaseRateLimiter[Any], concurrent: int | None
) -> Run:
    scale = args.scale
    await upgrade(url)
    engine = create_engine(url)
    await fill(engine, runners + CHATTY, args.seed)
    async with engine.begin() as connection:  # the chatty runners have no prompt due: what they get are replies
        await connection.execute(text("DELETE FROM due_messages WHERE runner_id > :n"), {"n": runners})
    telegram = FakeTelegram(limit=TELEGRAM_RATE * scale, chatty_from=CHAT_BASE + runners + 1)
    clock = ScaledClock(scale)
    settings = Settings(_env_file=None, database_url=url, telegram_bot_token=None)
    app = build_application(
        settings, clock=clock, request=telegram, engine=engine, limiter=limiter, concurrent_updates=concurrent
    )
    if isinstance(limiter, AIORateLimiter):  # python-telegram-bot's limiter takes no lane
        app.bot_data.deps = _replace_broadcast(app)
    run = Run(name, runners, telegram=telegram)
    chatty = list(range(CHAT_BASE + runners + 1, CHAT_BASE + runners + CHATTY + 1))
    await app.initialize()
    try:
        stop = asyncio.Event()
        clock.began = time.monotonic()
        cpu, began = time.process_time(), time.monotonic()
        talk = asyncio.create_task(chatter(app, telegram, run, UPDATE_RATE * scale, chatty, stop))
        await sweeps(app, clock, scale, run)
        run.fan_out = time.monotonic() - began
        await asyncio.sleep(args.after)
        stop.set()
        await talk
        run.wall, run.cpu = time.monotonic() - began, time.process_time() - cpu
    finally:
        await app.shutdown()
        await engine.dispose()
    return run


def _replace_broadcast(app: CoachApplication) -> Any:
    import dataclasses

    deps = app.bot_data.deps
    return dataclasses.replace(deps, broadcast=BotSender(app.bot, signer=deps.signer))


def print_run(run: Run, scale: float) -> None:
    telegram = run.telegram
    assert telegram is not None
    report = run.report
    got = telegram.prompts
    duplicates = sum(count - 1 for count in got.values() if count > 1)
    lost = run.runners - len(got)

    def ms(values: Sequence[float], p: float) -> str:
        real = pct(values, p)
        return f"{real * 1e3:7.1f} ms ({real * scale:6.2f} s scaled)"

    print(f"--- {run.name}", flush=True)
    print(
        f"prompts             {report.sent:,} sent of {run.runners:,} in {run.fan_out:.1f} s wall "
        f"({run.fan_out * scale / 60:.1f} min scaled); {report.failed} failed sends retried"
    )
    print(f"duplicates, lost    {duplicates}, {lost}", flush=True)
    print(f"429s from Telegram  {telegram.refused}", flush=True)
    print(
        f"replies during      {len(run.during):,}: p50 {ms(run.during, 0.5)}, p99 {ms(run.during, 0.99)}, "
        f"max {ms(run.during, 1.0)}"
    )
    print(f"replies after       {len(run.after):,}: p50 {ms(run.after, 0.5)}, p99 {ms(run.after, 0.99)}", flush=True)
    print(f"unanswered (60 s)   {run.unanswered}", flush=True)
    lags = report.lags
    if lags:
        print(f"prompt lag (scaled) p50 {pct(lags, 0.5):.0f} s, p99 {pct(lags, 0.99):.0f} s, max {max(lags):.0f} s")
    print(f"wall, CPU           {run.wall:.1f} s, {run.cpu:.1f} s (CPU/wall {run.cpu / run.wall:.2f})", flush=True)


async def main_async(args: argparse.Namespace) -> int:
    scale = args.scale
    print(
        f"python {sys.version.split()[0]}, scale x{scale}: Telegram {TELEGRAM_RATE * scale}/s, "
        f"updates {UPDATE_RATE * scale}/s, a sweep every {SWEEP_SECONDS / scale:g} s"
    )
    runs: list[Run] = []
    plans: list[tuple[str, int, Callable[[], BaseRateLimiter[Any]], int | None]] = [
        (
            "after: LaneLimiter, default update handling",
            args.runners,
            lambda: LaneLimiter(rate=TELEGRAM_RATE * scale),
            args.concurrent,
        ),
    ]
    if args.before_runners:
        plans.append(
            (
                "before: AIORateLimiter, updates one at a time",
                args.before_runners,
                lambda: AIORateLimiter(overall_max_rate=TELEGRAM_RATE * scale, max_retries=0),
                1,
            )
        )
    for name, runners, limiter, concurrent in plans:
        with tempfile.TemporaryDirectory() as folder:
            if args.postgres:
                admin = os.environ["COACH_TEST_POSTGRES_URL"]
                url, drop = await postgres_database(admin)
            else:
                url, drop = f"sqlite+aiosqlite:///{folder}/bench.db", None
            try:
                runs.append(await one_run(url, name, runners, args, limiter(), concurrent))
            finally:
                if drop is not None:
                    await drop()
        print_run(runs[-1], scale)
    target = pct(runs[0].during, 0.99) * scale
    print(
        f"aim: reply p99 during the fan-out under 1 s scaled: {target:.2f} s, {'met' if target < 1 else 'MISSED'}",
        flush=True,
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runners", type=int, default=100_000, help="prompts due at 07:00 (100000)")
    parser.add_argument(
        "--before-runners", type=int, default=20_000, help="prompts in the 'before' run (20000; 0: skip)"
    )
    parser.add_argument("--scale", type=int, default=10, help="time compression K: rates x K (10)")
    parser.add_argument("--after", type=float, default=5.0, help="seconds of updates after the fan-out (5)")
    parser.add_argument("--concurrent", type=int, default=None, help="updates at once (default: the bot's)")
    parser.add_argument("--postgres", action="store_true", help="on PostgreSQL (COACH_TEST_POSTGRES_URL)")
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args(argv)
    configure_logging(os.environ.get("BENCH_LOG", "ERROR"))
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
