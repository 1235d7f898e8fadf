"""/race's use cases as the Telegram edge calls them: each runs the steps of
:mod:`bot.services.race_flow` in one transaction of :class:`bot.services.usecases.Coach` (its unit
of work, library and clock), committed when it is done."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services import race_flow
from bot.services.race_flow import Outcome, RaceAction, RaceStep
from bot.services.races import Standing
from bot.services.usecases import Coach


@dataclass(frozen=True)
class RaceCoach:
    """The /race use cases, on the coach's unit-of-work factory, library and clock."""

    coach: Coach

    async def menu(self, telegram_id: int) -> Standing | None:
        """The runner's races now (any /race question left open is closed)."""
        now = self.coach.clock.now()
        return await self.coach._change(lambda work: race_flow.menu(work, telegram_id, now))

    async def act(self, telegram_id: int, action: RaceAction, value: str) -> Outcome:
        now, library = self.coach.clock.now(), self.coach.library
        return await self.coach._change(lambda work: race_flow.act(work, telegram_id, action, value, now, library))

    async def answer(self, telegram_id: int, step: RaceStep, said: str, *, typed: bool) -> Outcome:
        now, library = self.coach.clock.now(), self.coach.library
        return await self.coach._change(
            lambda work: race_flow.answer(work, telegram_id, step, said, typed, now, library)
        )

    async def close(self, telegram_id: int) -> bool:
        return await self.coach._change(lambda work: race_flow.close(work, telegram_id))


def race_coach(coach: Coach) -> RaceCoach:
    """The /race use cases over the same unit of work, library and clock as ``coach``."""
    return RaceCoach(coach)
