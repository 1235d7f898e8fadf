"""A dispatcher in its own process, sending through the bot's shared budget:
`python budget_worker.py URL NOW LOG RATE NAME`.

Every send appends ``chat_id unix_time`` to LOG (the wall clock when the message left), flushed,
so the test can count what went out in each calendar second across all the workers.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the shared helpers
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from dispatching import EchoComposer

from bot.db.budget_repo import DatabaseGrants
from bot.db.engine import create_engine, session_factory
from bot.db.uow import unit_of_work_factory
from bot.services.dispatch import dispatch_due
from bot.services.ports import Outgoing
from bot.services.send_budget import SharedBudget


class TimedSender:
    """Writes ``chat_id time`` for each message as it leaves: the phones, with a clock."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("a", encoding="utf-8")
        self._next = 0

    async def send(self, chat_id: int, message: Outgoing) -> int:
        self._file.write(f"{chat_id} {time.time():.6f}\n")
        self._file.flush()
        self._next += 1
        return self._next

    async def edit(self, chat_id: int, message_id: int, message: Outgoing) -> None:
        raise NotImplementedError


async def run(url: str, now: dt.datetime, log: Path, rate: int, worker: str) -> int:
    engine = create_engine(url)
    try:
        report = await dispatch_due(
            uow=unit_of_work_factory(session_factory(engine)),
            sender=TimedSender(log),
            composer=EchoComposer(),
            now=now,
            worker_id=worker,
            budget=SharedBudget(DatabaseGrants(engine), rate),
        )
    finally:
        await engine.dispose()
    return report.sent


if __name__ == "__main__":
    url, now, log = sys.argv[1], dt.datetime.fromisoformat(sys.argv[2]), Path(sys.argv[3])
    print(asyncio.run(run(url, now, log, int(sys.argv[4]), sys.argv[5])))
