"""The calendar-import use cases as the edges call them: :class:`Imports`, bound once in
``bot.app.build_application`` with the unit of work, the library, the clock and the feed fetcher
(the real resolver and HTTP transport there, fakes in tests). A feed is fetched outside any
transaction: the network never holds the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from bot.clock import Clock
from bot.coach.calendar_import import IcsProblem
from bot.coach.library import Library
from bot.services import calendar_imports
from bot.services.calendar_imports import Preview, RaceChoice, RaceSet, Stored
from bot.services.feed_fetch import FetchProblem
from bot.services.pauses import onboarded_runner
from bot.services.ports import UnitOfWork, UnitOfWorkFactory
from bot.services.problems import Problem

T = TypeVar("T")
Fetch = Callable[[str], Awaitable[bytes | FetchProblem]]  # ``fetch_feed`` with its resolver and transport bound


@dataclass(frozen=True)
class Imports:
    uow: UnitOfWorkFactory
    library: Library
    clock: Clock
    fetch: Fetch

    async def _change(self, step: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        async with self.uow() as work:
            result = await step(work)
            await work.commit()
        return result

    async def preview(self, telegram_id: int, data: bytes, *, url: str | None = None) -> Preview | IcsProblem | Problem:
        """Read a calendar file (or a feed's contents) and keep it as the runner's pending import."""
        now = self.clock.now()
        return await self._change(
            lambda work: calendar_imports.preview(work, telegram_id, data, now, self.library, url=url)
        )

    async def preview_feed(self, telegram_id: int, url: str) -> Preview | IcsProblem | FetchProblem | Problem:
        """Fetch a feed link (a runner not onboarded is told so first, nothing fetched) and keep
        what it gives as the pending import, the link with it."""
        async with self.uow() as work:
            if await onboarded_runner(work, telegram_id) is None:
                return Problem.NOT_ONBOARDED
        fetched = await self.fetch(url)
        if isinstance(fetched, FetchProblem):
            return fetched
        return await self.preview(telegram_id, fetched, url=url)

    async def confirm(self, telegram_id: int) -> Stored | Problem:
        now = self.clock.now()
        return await self._change(lambda work: calendar_imports.confirm(work, telegram_id, now, self.library))

    async def cancel(self, telegram_id: int) -> bool:
        return await self._change(lambda work: calendar_imports.cancel(work, telegram_id))

    async def choose_race(self, telegram_id: int, date: dt.date, choice: RaceChoice) -> RaceSet | Problem:
        now = self.clock.now()
        return await self._change(
            lambda work: calendar_imports.choose_race(work, telegram_id, date, choice, now, self.library)
        )
