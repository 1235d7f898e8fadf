"""A dispatcher killed with SIGKILL in the middle of a sweep loses nothing, and sends twice only
what it had sent but not yet confirmed: at most the attempt window (64 messages), each at most twice."""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import os
import signal
import sys
import time
from pathlib import Path

import pytest
from crash_worker import run
from dispatching import add_many
from sqlalchemy import select

from bot.db.models import DeliveryRow, Runner
from bot.db.uow import UnitOfWorkFactory
from bot.services.dispatch import DEFAULT_WINDOW

NOW = dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.UTC)  # 07:00 in Berlin
RUNNERS = 3000
BATCH = 200
KILL_AFTER = 1100  # messages sent before the kill: inside the sixth batch
LEASE = 2.0  # seconds: the dead worker's claims run out on the database's clock
WORKER = Path(__file__).with_name("crash_worker.py")
ROOT = str(WORKER.resolve().parents[2])


def received(log: Path) -> list[int]:
    return [int(line.split()[0]) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]


async def delivered(uow: UnitOfWorkFactory, state: str = "sent") -> set[int]:
    """The chats whose delivery is stored in this state ('sent': confirmed)."""
    async with uow() as work:
        rows = await work._require().execute(
            select(Runner.telegram_id)
            .join(DeliveryRow, DeliveryRow.runner_id == Runner.id)
            .where(DeliveryRow.state == state)
        )
        return set(rows.scalars())


@pytest.mark.slow
@pytest.mark.timeout(240)
async def test_sigkill_mid_dispatch_loses_nothing_and_repeats_at_most_64(
    migrated_url: str, uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    """Kill -9 during a sweep over 3,000 due prompts, sweep again after the lease: all 3,000 arrive,
    0 lost; only messages sent but not yet confirmed when the process died arrive twice: at most
    the attempt window (64, not the batch of 200) and none more than twice."""
    ids = await add_many(uow_factory, RUNNERS, now=NOW - dt.timedelta(hours=1), kinds=["prompt"])
    log = tmp_path / "phone.log"
    log.touch()
    child = await asyncio.create_subprocess_exec(
        *(sys.executable, str(WORKER), migrated_url, NOW.isoformat(), str(log), str(BATCH), str(LEASE)),
        stdout=asyncio.subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": ROOT},
    )
    try:
        deadline = time.monotonic() + 120
        while len(received(log)) < KILL_AFTER:
            assert child.returncode is None, "the worker ended before it could be killed"
            assert time.monotonic() < deadline, "the worker sent too little in two minutes"
            await asyncio.sleep(0.005)
        child.send_signal(signal.SIGKILL)
        await asyncio.wait_for(child.wait(), 30)
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()
    assert child.returncode == -signal.SIGKILL
    before = received(log)
    assert KILL_AFTER <= len(before) < RUNNERS, "the kill must land in the middle of the sweep"
    recorded = await delivered(uow_factory)
    in_window = set(before) - recorded  # sent, but the commit that confirms them never happened
    assert recorded <= set(before), "a delivery was confirmed for a message never sent"
    assert in_window <= await delivered(uow_factory, "sending"), "a message went out with no attempt stored first"
    assert len(in_window) <= DEFAULT_WINDOW

    # a restart sweeps again once the dead process's lease has run out (its `now` is the same instant)
    await asyncio.sleep(LEASE + 0.5)
    await run(migrated_url, NOW, log, BATCH, "restarted")

    counts = collections.Counter(received(log))
    assert set(counts) == set(ids), "a due prompt was lost"
    twice = {chat for chat, n in counts.items() if n > 1}
    assert twice <= in_window, "a message recorded as sent was sent again"
    assert max(counts.values()) <= 2
    assert len(twice) <= DEFAULT_WINDOW, f"{len(twice)} duplicates"
    assert await delivered(uow_factory) == set(ids)
