"""A dispatcher in its own process for the crash test: `python crash_worker.py URL NOW LOG BATCH LEASE`
(LEASE in seconds).

Every send is appended to LOG (one line per message, flushed before the send returns), so what
the runner received survives a SIGKILL of this process.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the shared helpers
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from dispatching import EchoComposer

from bot.db.engine import create_engine, session_factory
from bot.db.uow import unit_of_work_factory
from bot.services.dispatch import dispatch_due
from bot.services.ports import Outgoing

SEND_SECONDS = 0.002  # a little time per message, as the Bot API takes


class FileSender:
    """Appends ``chat_id text`` per message to a file, flushed: the runner's phone, as it were."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("a", encoding="utf-8")
        self._next = 0

    async def send(self, chat_id: int, message: Outgoing) -> int:
        await asyncio.sleep(SEND_SECONDS)
        self._file.write(f"{chat_id} {message.text}\n")
        self._file.flush()
        self._next += 1
        return self._next

    async def edit(self, chat_id: int, message_id: int, message: Outgoing) -> None:
        raise NotImplementedError


async def run(url: str, now: dt.datetime, log: Path, batch: int, worker: str, lease: float = 120.0) -> int:
    engine = create_engine(url)
    try:
        report = await dispatch_due(
            uow=unit_of_work_factory(session_factory(engine)),
            sender=FileSender(log),
            composer=EchoComposer(),
            now=now,
            worker_id=worker,
            batch_size=batch,
            lease=dt.timedelta(seconds=lease),
        )
    finally:
        await engine.dispose()
    return report.sent


if __name__ == "__main__":
    url, now, log, batch = sys.argv[1], dt.datetime.fromisoformat(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
    print(asyncio.run(run(url, now, log, batch, "crash-worker", float(sys.argv[5]))))
