"""Due messages of one runner: (re)computed when their settings change, and one-offs.

TEMPORARY facade for the loop services while the dispatcher lands; replaced by the
dispatcher's scheduling service at merge.
"""

from __future__ import annotations

import datetime as dt

from bot.db.uow import UnitOfWork
from bot.services.timezones import zone


def local_instant(day: dt.date, wall: dt.time, timezone: str) -> dt.datetime:
    return dt.datetime.combine(day, wall, tzinfo=zone(timezone)).astimezone(dt.UTC)


async def reschedule(work: UnitOfWork, telegram_id: int, now: dt.datetime) -> None:
    return None


async def set_one_off(
    work: UnitOfWork, telegram_id: int, kind: str, due_at: dt.datetime, local_date: dt.date, detail: str | None = None
) -> None:
    return None


async def cancel(work: UnitOfWork, telegram_id: int, kind: str) -> None:
    return None
