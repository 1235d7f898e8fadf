"""A week away asked for ahead ("I'm travelling next week"): the plan goes on until then, and pauses
for that week, Monday to Sunday, with its end date (``bot.services.pauses.plan_pause``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.services.pauses import PlannedPause, plan_pause
from bot.services.plans import local_today, monday_of
from bot.services.ports import UnitOfWork
from bot.services.problems import Problem

if TYPE_CHECKING:
    from bot.services.usecases import Coach


@dataclass(frozen=True)
class AwayCoach:
    """The week-away use case as the Telegram edge calls it, in one transaction of the coach."""

    coach: Coach

    async def next_week(self, telegram_id: int) -> PlannedPause | Problem:
        now, library = self.coach.clock.now(), self.coach.library

        async def step(work: UnitOfWork) -> PlannedPause | Problem:
            brief = await work.runners.brief(telegram_id)
            if brief is None or brief.timezone is None:
                return Problem.NOT_ONBOARDED
            monday = monday_of(local_today(now, brief.timezone)) + dt.timedelta(days=7)
            return await plan_pause(work, telegram_id, monday, monday + dt.timedelta(days=6), now, library)

        return await self.coach._change(step)
