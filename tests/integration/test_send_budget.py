"""Issue 21, point 3: the bot's broadcast budget is shared by every process through the database.
The store never grants more than the rate in a second, on SQLite and PostgreSQL; dispatchers in
separate processes send each prompt once and, together, never more than the rate in any second."""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import math
import sys
import time
from pathlib import Path

import pytest
from dispatching import EchoComposer, add_many
from sqlalchemy import select, text

from bot.db.budget_repo import KEEP, DatabaseGrants
from bot.db.engine import create_engine, session_factory
from bot.db.models import SendSlot
from bot.db.uow import UnitOfWorkFactory, unit_of_work_factory
from bot.services.dispatch import dispatch_due
from bot.services.ports import Outgoing
from bot.services.recording import RecordingSender
from bot.services.send_budget import MemoryGrants, SharedBudget

NOW = dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.UTC)  # 07:00 in Berlin
WORKER = Path(__file__).with_name("budget_worker.py")
ROOT = str(WORKER.resolve().parents[2])


async def slots(url: str) -> dict[int, int]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(select(SendSlot.second, SendSlot.used))
            return {int(second): int(used) for second, used in rows}
    finally:
        await engine.dispose()


async def test_two_processes_racing_for_one_second_get_the_rate_between_them(migrated_url: str) -> None:
    """Two stores on their own engines (as two processes) ask 40 times for 7 sends at a rate of 50:
    every second holds at most 50, the busiest exactly 50, and what was granted is what is counted."""
    engines = [create_engine(migrated_url), create_engine(migrated_url)]
    try:
        stores = [DatabaseGrants(engine) for engine in engines]
        grants = await asyncio.gather(*(stores[n % 2].grant(7, 50) for n in range(40)))
    finally:
        for engine in engines:
            await engine.dispose()
    counted = await slots(migrated_url)
    assert max(counted.values()) == 50 and all(used <= 50 for used in counted.values())
    assert sum(grant.count for grant in grants) == sum(counted.values())
    assert all(0 <= grant.left <= 1 for grant in grants)


async def test_seconds_a_minute_old_are_pruned(migrated_url: str) -> None:
    """A grant deletes the counts of seconds more than a minute old, and keeps the recent ones."""
    now = math.floor(time.time())
    engine = create_engine(migrated_url)
    try:
        async with engine.begin() as connection:
            for second in (now - 3600, now - KEEP - 5, now - 10):
                await connection.execute(
                    text("INSERT INTO send_budget (second, used, granted) VALUES (:s, 1, 1)"), {"s": second}
                )
        await DatabaseGrants(engine).grant(1, 25)
    finally:
        await engine.dispose()
    assert now - 10 in (kept := await slots(migrated_url))
    assert min(kept) == now - 10


class FakeTime:
    """The budget's clock: it moves only while the budget waits."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


class TimedSender(RecordingSender):
    """Records each send and the budget's clock when it left."""

    def __init__(self, time: FakeTime) -> None:
        super().__init__()
        self.time = time
        self.seconds = collections.Counter[int]()

    async def send(self, chat_id: int, message: Outgoing) -> int:
        self.seconds[math.floor(self.time())] += 1
        return await super().send(chat_id, message)


async def test_the_dispatcher_takes_each_send_from_the_budget(uow_factory: UnitOfWorkFactory) -> None:
    """A sweep over 12 due runners with a budget of 5 a second sends 5, 5 and 2 in three seconds."""
    time = FakeTime()
    await add_many(uow_factory, 12, now=NOW - dt.timedelta(hours=1), kinds=["prompt"])
    sender = TimedSender(time)
    budget = SharedBudget(MemoryGrants(time), 5, timer=time, sleep=time.sleep)
    report = await dispatch_due(
        uow=uow_factory, sender=sender, composer=EchoComposer(), now=NOW, worker_id="t", budget=budget
    )
    assert report.sent == 12 and sorted(sender.seconds.values()) == [2, 5, 5]


class Unreachable:
    """A budget whose database is out of reach."""

    async def acquire(self) -> None:
        raise ConnectionRefusedError("the budget's database is out of reach")


async def test_a_send_the_budget_cannot_grant_is_not_made_and_goes_next_sweep(uow_factory: UnitOfWorkFactory) -> None:
    """With the budget out of reach nothing is sent and nothing is lost: the next sweep sends all 3."""
    ids = await add_many(uow_factory, 3, now=NOW - dt.timedelta(hours=1), kinds=["prompt"])
    sender = RecordingSender()
    first = await dispatch_due(
        uow=uow_factory, sender=sender, composer=EchoComposer(), now=NOW, worker_id="t", budget=Unreachable()
    )
    assert (first.sent, first.failed, sender.sent) == (0, 3, [])
    later = NOW + dt.timedelta(minutes=1)
    again = await dispatch_due(uow=uow_factory, sender=sender, composer=EchoComposer(), now=later, worker_id="t")
    assert again.sent == 3 and sorted(s.chat_id for s in sender.sent) == ids


def per_second(log: Path) -> tuple[list[int], collections.Counter[int]]:
    """The chats that got a message, and how many messages left in each calendar second."""
    chats, seconds = [], collections.Counter[int]()
    for line in log.read_text(encoding="utf-8").splitlines():
        chat, at = line.split()
        chats.append(int(chat))
        seconds[math.floor(float(at))] += 1
    return chats, seconds


async def due_runners(url: str, count: int) -> list[int]:
    """``count`` runners whose prompt is due at ``NOW``; their chats."""
    engine = create_engine(url)
    try:
        seeded = NOW - dt.timedelta(hours=1)
        return await add_many(unit_of_work_factory(session_factory(engine)), count, now=seeded, kinds=["prompt"])
    finally:
        await engine.dispose()


async def workers_send(url: str, count: int, rate: int, log: Path) -> list[int]:
    """Start ``count`` dispatcher processes at once over the due prompts; what each reports sent."""
    children = [
        await asyncio.create_subprocess_exec(
            *(sys.executable, str(WORKER), url, NOW.isoformat(), str(log), str(rate), f"worker-{n}"),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env={"PYTHONPATH": ROOT, "PATH": "/usr/bin:/bin"},
        )
        for n in range(count)
    ]
    outputs = [await child.communicate() for child in children]
    assert all(child.returncode == 0 for child in children), [err.decode()[-2000:] for _, err in outputs]
    return [int(out.decode().split()[-1]) for out, _ in outputs]


@pytest.mark.slow
@pytest.mark.timeout(180)
async def test_three_workers_on_postgres_send_10000_prompts_once_never_over_the_rate(
    postgres_migrated_url: str, tmp_path: Path
) -> None:
    """Three dispatcher processes on one PostgreSQL over 10,000 due runners, sharing a budget of
    1,000 a second: every runner gets the prompt exactly once, each worker sends some, and no
    calendar second holds more than 1,000 of their sends together."""
    ids = await due_runners(postgres_migrated_url, 10_000)
    log = tmp_path / "phones.log"
    log.touch()
    sent = await workers_send(postgres_migrated_url, 3, 1000, log)
    chats, seconds = per_second(log)
    assert sorted(chats) == ids, "each prompt exactly once"
    assert sum(sent) == 10_000 and all(n > 0 for n in sent), sent
    assert max(seconds.values()) <= 1000, sorted(seconds.items())
    assert len(seconds) >= 10  # 10,000 at 1,000 a second cannot take less than ten seconds


@pytest.mark.slow
@pytest.mark.timeout(120)
async def test_two_dispatchers_on_one_sqlite_file_share_the_budget_and_send_once(
    sqlite_migrated_url: str, tmp_path: Path
) -> None:
    """SQLite is safe for a second dispatcher (a cron `coach dispatch` beside `coach run`): two
    processes over 1,200 due runners at 500 a second send each prompt once, never over the rate."""
    ids = await due_runners(sqlite_migrated_url, 1200)
    log = tmp_path / "phones.log"
    log.touch()
    sent = await workers_send(sqlite_migrated_url, 2, 500, log)
    chats, seconds = per_second(log)
    assert sorted(chats) == ids and sum(sent) == 1200
    assert max(seconds.values()) <= 500, sorted(seconds.items())
