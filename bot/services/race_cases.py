"""/race's use cases as the Telegram edge calls them: each opens its own unit of work, reads the
clock once, runs the steps of :mod:`bot.services.race_flow` and commits what it changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from bot.clock import Clock
from bot.coach.library import Library
from bot.services import race_flow
from bot.services.ports import UnitOfWork, UnitOfWorkFactory
from bot.services.race_flow import Outcome, RaceAction, RaceStep
from bot.services.races import Standing
from bot.services.usecases import Coach

T = TypeVar("T")


@dataclass(frozen=True)
class RaceCoach:
    """The /race use cases, bound to the unit-of-work factory, the library and the clock."""

    uow: UnitOfWorkFactory
    library: Library
    clock: Clock

    async def _change(self, step: Callable[[UnitOfWork, dt.datetime], Awaitable[T]]) -> T:
        async with self.uow() as work:
            result = await step(work, self.clock.now())
            await work.commit()
        return result

    async def menu(self, telegram_id: int) -> Standing | None:
        """The runner's races now (any /race question left open is closed)."""
        return await self._change(lambda work, now: race_flow.menu(work, telegram_id, now))

    async def act(self, telegram_id: int, action: RaceAction, value: str) -> Outcome:
        return await self._change(lambda work, now: race_flow.act(work, telegram_id, action, value, now, self.library))

    async def answer(self, telegram_id: int, step: RaceStep, said: str, *, typed: bool) -> Outcome:
        return await self._change(
            lambda work, now: race_flow.answer(work, telegram_id, step, said, typed, now, self.library)
        )

    async def close(self, telegram_id: int) -> bool:
        return await self._change(lambda work, _now: race_flow.close(work, telegram_id))


def race_coach(coach: Coach) -> RaceCoach:
    """The /race use cases over the same unit-of-work factory, library and clock as ``coach``."""
    return RaceCoach(coach.uow, coach.library, coach.clock)
