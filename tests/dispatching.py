"""Helpers for the dispatcher tests: runners put straight into the database, a test composer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import insert, select

from bot.db.models import DueMessageRow, Runner
from bot.db.uow import UnitOfWork, UnitOfWorkFactory
from bot.services.dispatch import Due
from bot.services.ports import Button, Outgoing
from bot.services.schedule import PERIODIC_KINDS, DueKind, first_due
from bot.services.scheduling import reschedule

FIRST_TELEGRAM_ID = 10_000


def runner_values(telegram_id: int, *, timezone: str, reminder: dt.time, now: dt.datetime) -> dict[str, Any]:
    return {
        "telegram_id": telegram_id,
        "chat_id": telegram_id,
        "first_name": f"R{telegram_id}",
        "strength_level": "some",
        "equipment": "none",
        "session_minutes": 20,
        "injuries": [],
        "preferred_days": [],
        "mobility_off_days": [],
        "hard_days_hard": False,
        "timezone": timezone,
        "reminder_time": reminder,
        "onboarded_at": now,
        "active": True,
        "created_at": now,
        "updated_at": now,
    }


async def add_runner(
    uow: UnitOfWorkFactory,
    telegram_id: int,
    *,
    timezone: str = "Europe/Berlin",
    reminder: dt.time = dt.time(7, 0),
    now: dt.datetime,
) -> int:
    """One onboarded runner, scheduled by the real ``reschedule``; their internal id."""
    async with uow() as work:
        session = work._require()
        await session.execute(
            insert(Runner).values(runner_values(telegram_id, timezone=timezone, reminder=reminder, now=now))
        )
        await reschedule(work, telegram_id, now)
        runner_id = await session.scalar(select(Runner.id).where(Runner.telegram_id == telegram_id))
        await work.commit()
    assert runner_id is not None
    return runner_id


async def add_many(
    uow: UnitOfWorkFactory,
    count: int,
    *,
    timezone: str = "Europe/Berlin",
    reminder: dt.time = dt.time(7, 0),
    now: dt.datetime,
    kinds: Iterable[str] = PERIODIC_KINDS,
) -> list[int]:
    """``count`` onboarded runners with their due rows, in a few bulk statements; their Telegram ids."""
    ids = list(range(FIRST_TELEGRAM_ID, FIRST_TELEGRAM_ID + count))
    async with uow() as work:
        session = work._require()
        await session.execute(
            insert(Runner), [runner_values(i, timezone=timezone, reminder=reminder, now=now) for i in ids]
        )
        rows = (await session.execute(select(Runner.id).where(Runner.telegram_id.in_(ids)))).scalars().all()
        due_rows = []
        for kind in kinds:
            upcoming = first_due(kind, timezone=timezone, reminder=reminder, now=now)
            assert upcoming is not None
            due_rows += [{"runner_id": r, "kind": kind, "local_date": upcoming[0], "due_at": upcoming[1]} for r in rows]
        await session.execute(insert(DueMessageRow), due_rows)
        await work.commit()
    return ids


class EchoComposer:
    """Says what is due and for which day, with one button; ``silent`` runners have nothing to say,
    ``broken`` ones make the composer raise (a bug in rendering one runner)."""

    def __init__(self) -> None:
        self.silent: set[int] = set()
        self.broken: set[int] = set()
        self.calls = 0

    async def compose(
        self, work: UnitOfWork, dues: Sequence[Due], now: dt.datetime
    ) -> Mapping[tuple[int, DueKind], Outgoing | None]:
        self.calls += 1
        if any(due.telegram_id in self.broken for due in dues):
            raise RuntimeError("cannot render this runner")
        return {
            due.key: None
            if due.telegram_id in self.silent
            else Outgoing(
                f"{due.kind} {due.local_date.isoformat()}",
                ((Button("Done", f"ck|{due.kind}|{due.local_date:%Y%m%d}"),),),
            )
            for due in dues
        }
