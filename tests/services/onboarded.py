"""A runner onboarded through the real onboarding service, on the fakes: what most service tests start from."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fakes import FakeDatabase

from bot.coach.library import Library
from bot.services import onboarding

# Monday 23 November 2026, 06:00 in Berlin
START = dt.datetime(2026, 11, 23, 5, 0, tzinfo=dt.UTC)
ADA = 4242
ANSWERS: dict[str, Any] = {
    "level": "some",
    "run_days": ["mon", "wed", "fri", "sun"],
    "long_day": "sun",
    "quality_days": ["wed"],
    "race": None,
    "equipment": "dumbbells",
    "minutes": 30,
    "niggles": [],
    "timezone": "Europe/Berlin",
    "reminder": "07:00",
    "health": False,
}


async def onboard(
    uow: FakeDatabase, library: Library, telegram_id: int = ADA, now: dt.datetime = START, **answers: Any
) -> onboarding.Onboarded:
    """A runner who answered every question (Berlin, 07:00, lifting twice a week) and finished onboarding."""
    await onboarding.save_answer(uow, telegram_id, {**ANSWERS, **answers}, now=now)
    return await onboarding.finish(
        uow, telegram_id=telegram_id, chat_id=telegram_id, first_name="Ada", now=now, library=library
    )
