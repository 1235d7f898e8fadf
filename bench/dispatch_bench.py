"""How fast does the dispatcher fan out a busy minute? `python bench/dispatch_bench.py [--runners N]`.

Puts N onboarded runners into a fresh SQLite database (and a fresh PostgreSQL one when
``COACH_TEST_POSTGRES_URL`` is set), each with a stored plan for today (and its prompt stored ready
beside it, as planning stores it; ``--no-ready`` for none) and their prompt, nudge and review rows,
every prompt due at the same minute (07:00 in Berlin). This part is not timed. Then times one sweep
at that minute with a recording sender (claim, decide, compose each prompt with the bot's own
composer from the stored day, hand it over, record the deliveries and move each row on) by 1, 2
and 4 dispatcher processes in turn (``--workers``; the prompts made due again between them), and
the sweep of a minute when nothing is due. Prints wall and CPU time of each and, at the end, the
matrix with the speed-ups N workers / 1. Aims: 100,000 prompts in under 10 s of CPU on one
worker; on PostgreSQL 2 workers at least 1.7 times one; the empty tick under 5 ms.

The composer is pluggable: ``--composer module:factory``, where ``factory(renderer)`` returns a
``bot.services.dispatch.Composer`` (the default is the bot's own, ``bot.telegram.compose.LoopComposer``).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import importlib
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere without installing
sys.path.insert(0, str(Path(__file__).resolve().parent))

from plan_bench import random_case
from sqlalchemy import delete, insert, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from bot.coach.model import SessionKind
from bot.coach.planner import plan_week
from bot.content.loader import default_library
from bot.content.ui import default_ui
from bot.db.codec import day_to_json
from bot.db.engine import async_url, create_engine, session_factory
from bot.db.migrate import upgrade
from bot.db.models import DeliveryRow, DueMessageRow, PlanDayRow, Runner
from bot.db.uow import UnitOfWorkFactory, unit_of_work_factory
from bot.logs import configure_logging
from bot.services.dispatch import Composer, dispatch_due
from bot.services.ports import Outgoing
from bot.services.ready_prompts import ready_json
from bot.services.schedule import due_at
from bot.telegram.compose import LoopComposer
from bot.telegram.loop_render import LoopRenderer
from bot.telegram.render import Renderer

ZONE = "Europe/Berlin"
TODAY = dt.date(2026, 11, 23)  # a Monday
REMINDER = dt.time(7, 0)
BUSY = dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.UTC)  # 07:00 in Berlin
BUSY_AIM_SECONDS = 10.0  # for 100,000 prompts
EMPTY_AIM_SECONDS = 5e-3
DISTINCT_PLANS = 400  # runners share these day plans (planning 100,000 weeks would take minutes)
CHUNK = 5000
EMPTY_TICKS = 200


# --- the composer: the bot's own -------------------------------------------------------------


class CountingSender:
    """Hands each message over and keeps only what the check needs (chat ids, characters, buttons):
    storing 100,000 message objects would make the garbage collector, not the dispatcher, the cost."""

    def __init__(self) -> None:
        self.chats: list[int] = []
        self.characters = 0
        self.buttons = 0

    async def send(self, chat_id: int, message: Outgoing) -> int:
        self.chats.append(chat_id)
        self.characters += len(message.text)
        self.buttons += sum(len(row) for row in message.buttons)
        return len(self.chats)

    async def edit(self, chat_id: int, message_id: int, message: Outgoing) -> None:
        raise NotImplementedError


def loop_composer(renderer: Renderer) -> Composer:
    """The bot's own composer: the stored day of each prompt, rendered with its check-in buttons."""
    return LoopComposer(default_library(), LoopRenderer(renderer))


def load_factory(spec: str) -> Callable[[Renderer], Composer]:
    module, _, name = spec.partition(":")
    if module == Path(__file__).stem and module not in sys.modules:
        module = __name__  # this script, run as __main__ (or as __mp_main__ in a worker)
    factory: Callable[[Renderer], Composer] = getattr(importlib.import_module(module), name)
    return factory


# --- the database ---------------------------------------------------------------------------


def day_payloads(rng: random.Random) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Today's plan for DISTINCT_PLANS random runners, as stored (lifting and mobility days only):
    the day, and its prompt as the bot stores it ready beside the day when planning."""
    library = default_library()
    drawer = LoopRenderer(Renderer(default_ui(), library))
    payloads: list[tuple[dict[str, Any], dict[str, Any]]] = []
    while len(payloads) < DISTINCT_PLANS:
        case = random_case(rng)
        week = plan_week(case.profile, TODAY, library)
        day = week.day(TODAY)
        if day is not None and day.session.kind is not SessionKind.REST:
            payloads.append((day_to_json(day), ready_json(drawer, day)))
    return payloads


async def fill(engine: AsyncEngine, runners: int, seed: int, *, ready: bool = True) -> None:
    rng = random.Random(seed)
    payloads = day_payloads(rng)
    now = BUSY - dt.timedelta(days=1)
    due = {kind: due_at(kind, date, ZONE, REMINDER) for kind, date in (("prompt", TODAY), ("nudge", TODAY))}
    review_date = dt.date(2026, 11, 29)
    review = due_at("review", review_date, ZONE, REMINDER)
    async with engine.begin() as connection:
        for start in range(0, runners, CHUNK):
            ids = range(start + 1, min(runners, start + CHUNK) + 1)
            await connection.execute(
                insert(Runner),
                [
                    {
                        "id": i,
                        "telegram_id": 1_000_000 + i,
                        "chat_id": 1_000_000 + i,
                        "first_name": f"Runner {i}",
                        "strength_level": "some",
                        "equipment": "dumbbells",
                        "session_minutes": 30,
                        "injuries": [],
                        "preferred_days": [],
                        "mobility_off_days": [],
                        "hard_days_hard": False,
                        "timezone": ZONE,
                        "reminder_time": REMINDER,
                        "onboarded_at": now,
                        "active": True,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in ids
                ],
            )
            await connection.execute(
                insert(PlanDayRow),
                [
                    {
                        "runner_id": i,
                        "date": TODAY,
                        "week_start": TODAY,
                        "phase": payloads[i % len(payloads)][0]["phase"],
                        "session_kind": payloads[i % len(payloads)][0]["session"]["kind"],
                        "payload": payloads[i % len(payloads)][0],
                        "planned_at": now,
                        "prompt": payloads[i % len(payloads)][1] if ready else None,
                    }
                    for i in ids
                ],
            )
            await connection.execute(
                insert(DueMessageRow),
                [{"runner_id": i, "kind": "prompt", "due_at": due["prompt"], "local_date": TODAY} for i in ids]
                + [{"runner_id": i, "kind": "nudge", "due_at": due["nudge"], "local_date": TODAY} for i in ids]
                + [{"runner_id": i, "kind": "review", "due_at": review, "local_date": review_date} for i in ids],
            )
        if connection.dialect.name == "postgresql":
            await connection.execute(text("ANALYZE"))


# --- timing ---------------------------------------------------------------------------------


@dataclass
class Tick:
    """What one worker's sweep at the busy minute did."""

    sent: int
    chats: list[int]
    characters: int
    batches: int
    cpu: float  # process CPU seconds (the database driver's thread included)
    ended: float  # time.monotonic() at the end (system-wide on Linux, so comparable across processes)


async def busy_tick(uow: UnitOfWorkFactory, composer: Composer, batch: int, worker: str) -> Tick:
    sender = CountingSender()
    cpu = time.process_time()
    report = await dispatch_due(uow=uow, sender=sender, composer=composer, now=BUSY, worker_id=worker, batch_size=batch)
    cpu = time.process_time() - cpu
    return Tick(report.sent, sender.chats, sender.characters, report.batches, cpu, time.monotonic())


def _worker(url: str, batch: int, spec: str, index: int, ready: Any, go: Any, results: Any) -> None:
    """One dispatcher process: set up, wait for the start signal, sweep the busy minute, report."""
    configure_logging("WARNING")

    async def run() -> None:
        engine = create_engine(url)
        try:
            composer = load_factory(spec)(Renderer(default_ui(), default_library()))
            uow = unit_of_work_factory(session_factory(engine))
            async with uow() as work:  # connect before the clock starts
                await work.due.any_due(BUSY - dt.timedelta(days=1))
            gc.collect()
            gc.freeze()  # as a worker does once built (`coach dispatch`: bot.entry.start_up)
            ready.wait()
            go.wait()
            results.put(await busy_tick(uow, composer, batch, f"bench-{index}"))
        finally:
            await engine.dispose()

    asyncio.run(run())


def busy_in_processes(url: str, batch: int, spec: str, workers: int) -> tuple[list[Tick], float]:
    context = multiprocessing.get_context("spawn")
    ready, go, results = context.Barrier(workers + 1), context.Event(), context.Queue()
    processes = [
        context.Process(target=_worker, args=(url, batch, spec, i, ready, go, results)) for i in range(workers)
    ]
    for process in processes:
        process.start()
    ready.wait(timeout=300)
    began = time.monotonic()
    go.set()
    ticks = [results.get(timeout=3600) for _ in processes]
    for process in processes:
        process.join()
    return ticks, max(tick.ended for tick in ticks) - began


async def empty_ticks(uow: UnitOfWorkFactory, composer: Composer, start: dt.datetime) -> tuple[float, float]:
    """p50 and p99 seconds of sweeps that find nothing due, one a second from ``start``."""
    sender = CountingSender()
    times = []
    for n in range(EMPTY_TICKS):
        began = time.perf_counter()
        idle = await dispatch_due(
            uow=uow, sender=sender, composer=composer, now=start + dt.timedelta(seconds=n), worker_id="bench"
        )
        times.append(time.perf_counter() - began)
        if idle.handled:
            raise SystemExit(f"the empty tick found work: {idle}")
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1]


@dataclass
class Busy:
    """One busy sweep of the matrix: a backend, a number of workers, what it took."""

    backend: str
    workers: int
    sent: int
    wall: float
    cpu: float  # all workers' process CPU together
    characters: float


async def reset(engine: AsyncEngine) -> None:
    """Every prompt due at the busy minute again and nothing delivered (between the matrix's sweeps)."""
    due = due_at("prompt", TODAY, ZONE, REMINDER)
    async with engine.begin() as connection:
        await connection.execute(delete(DeliveryRow))
        await connection.execute(
            update(DueMessageRow)
            .where(DueMessageRow.kind == "prompt")
            .values(due_at=due, local_date=TODAY, claimed_by=None, lease_until=None, failed_at=None)
        )
    if engine.dialect.name == "postgresql":  # the sweep before left dead rows: clean them as autovacuum would
        async with engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.exec_driver_sql("VACUUM ANALYZE")


async def measure(url: str, args: argparse.Namespace) -> list[Busy]:
    runners, batch = args.runners, args.batch
    await upgrade(url)
    engine = create_engine(url)
    backend = async_url(url).get_backend_name()
    results: list[Busy] = []
    try:
        began = time.perf_counter()
        await fill(engine, runners, args.seed, ready=not args.no_ready)
        filled = time.perf_counter() - began
        uow = unit_of_work_factory(session_factory(engine))
        composer = load_factory(args.composer)(Renderer(default_ui(), default_library()))
        before = await empty_ticks(uow, composer, BUSY - dt.timedelta(minutes=10))
        print(f"backend             {backend}")
        print(f"runners             {runners:,} (3 due rows each; filled in {filled:.1f} s, untimed)")
        for n, workers in enumerate(args.workers):
            if n:
                await reset(engine)
            if workers == 1:
                gc.collect()
                gc.freeze()  # as a worker does once built (`coach dispatch`: bot.entry.start_up)
                began = time.monotonic()
                ticks = [await busy_tick(uow, composer, batch, "bench")]
                busy = ticks[0].ended - began
            else:
                ticks, busy = busy_in_processes(url, batch, args.composer, workers)
            sent = sum(tick.sent for tick in ticks)
            chats = sorted(chat for tick in ticks for chat in tick.chats)
            if sent != runners or chats != list(range(1_000_001, 1_000_001 + runners)):
                raise SystemExit(f"expected each of {runners} runners to get one prompt once; {sent} sent")
            cpu = sum(t.cpu for t in ticks)
            done = Busy(backend, workers, sent, busy, cpu, sum(t.characters for t in ticks) / sent)
            results.append(done)
            print(
                f"busy tick           {busy:.2f} s wall, {cpu:.2f} s CPU for {sent:,} prompts, {workers} worker(s), "
                f"{sum(t.batches for t in ticks)} batches of {batch}; per prompt {busy / sent * 1e6:.0f} us wall, "
                f"{done.cpu / sent * 1e6:.0f} us CPU; {done.characters:.0f} characters"
            )
        after = await empty_ticks(uow, composer, BUSY + dt.timedelta(minutes=1))
    finally:
        await engine.dispose()
    print(f"empty tick          p50 {before[0] * 1e3:.2f} ms, p99 {before[1] * 1e3:.2f} ms over {EMPTY_TICKS} ticks")
    print(f"empty aim ratio     {before[0] / EMPTY_AIM_SECONDS:.2f} of the 5 ms aim (p50)")
    print(
        f"empty, just after   p50 {after[0] * 1e3:.2f} ms, p99 {after[1] * 1e3:.2f} ms "
        "(the minute after the last fan-out, before any vacuum)"
    )
    return results


def summary(results: Sequence[Busy]) -> None:
    """The matrix side by side: wall and CPU, scaled to 100,000 prompts, and the speed-ups N/1."""
    print()
    print("backend     workers  wall s   CPU s  us CPU/prompt  CPU s per 100k  ratio to 10 s aim  speed-up N/1 (wall)")
    for r in results:
        one = next((o for o in results if o.backend == r.backend and o.workers == 1), None)
        speedup = f"{one.wall / r.wall:.2f}" if one is not None and r.workers != 1 else "-"
        cpu_100k = r.cpu * 100_000 / r.sent
        print(
            f"{r.backend:<11} {r.workers:>7}  {r.wall:>6.2f}  {r.cpu:>6.2f}  {r.cpu / r.sent * 1e6:>13.0f}  "
            f"{cpu_100k:>14.2f}  {cpu_100k / BUSY_AIM_SECONDS:>17.2f}  {speedup:>19}"
        )


async def postgres_database(admin: str) -> tuple[str, Callable[[], Any]]:
    name = f"coach_bench_{uuid.uuid4().hex[:10]}"
    engine = create_async_engine(async_url(admin), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    async with engine.connect() as connection:
        await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')

    async def drop() -> None:
        async with engine.connect() as connection:
            await connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await engine.dispose()

    return async_url(admin).set(database=name).render_as_string(hide_password=False), drop


async def main_async(args: argparse.Namespace) -> None:
    print(f"python              {sys.version.split()[0]}")
    results: list[Busy] = []
    if "sqlite" in args.backends:
        with tempfile.TemporaryDirectory() as folder:
            results += await measure(f"sqlite+aiosqlite:///{folder}/bench.db", args)
    admin = os.environ.get("COACH_TEST_POSTGRES_URL")
    if "postgresql" in args.backends and not admin:
        print("\npostgresql          skipped: set COACH_TEST_POSTGRES_URL")
    elif "postgresql" in args.backends and admin:
        url, drop = await postgres_database(admin)
        try:
            print()
            results += await measure(url, args)
        finally:
            await drop()
    summary(results)


def _counts(text: str) -> list[int]:
    return [int(n) for n in text.split(",")]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runners", type=int, default=100_000, help="runners due at the busy minute (100000)")
    parser.add_argument("--batch", type=int, default=500, help="dispatcher batch size (500)")
    parser.add_argument("--seed", type=int, default=20261123, help="random seed of the plans (20261123)")
    parser.add_argument(
        "--composer",
        default=f"{Path(__file__).stem}:loop_composer",
        metavar="MODULE:FACTORY",
        help="factory(renderer) -> Composer to time (default: the stored day through Renderer.day)",
    )
    parser.add_argument(
        "--workers",
        type=_counts,
        default=[1, 2, 4],
        help="dispatcher processes sweeping together, each in turn (1,2,4)",
    )
    parser.add_argument(
        "--backends",
        type=lambda text: text.split(","),
        default=["sqlite", "postgresql"],
        help="sqlite,postgresql (PostgreSQL needs COACH_TEST_POSTGRES_URL)",
    )
    parser.add_argument("--sqlite-only", action="store_true", help="the same as --backends sqlite")
    parser.add_argument("--no-ready", action="store_true", help="store no prompts ready with the days (the old way)")
    args = parser.parse_args(argv)
    if args.sqlite_only:
        args.backends = ["sqlite"]
    configure_logging("WARNING")  # a line per batch would be timed too
    asyncio.run(main_async(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
