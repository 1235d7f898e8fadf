"""/calendar's use cases as the edge calls them: :class:`CalendarCoach`, bound like ``Coach``.

/calendar shows this week and next and, for ``WAIT_FOR`` after, reads the runner's next text as a
calendar change (the answers table holds that, under :data:`WAIT`, with the date tapped last when a
kind is to be picked for it). Each change goes through
:func:`bot.services.calendar_edit.change_calendar`; an Undo tap through ``undo_calendar``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.coach.calendar_said import CalendarSaid, NoSuchDate, OneOff, PastDate, read_calendar
from bot.coach.details import read_run
from bot.coach.model import Profile, RunKind, Weekday, WeekPlan
from bot.services.accounts import OnboardedRunner
from bot.services.briefs import UpdateBrief
from bot.services.calendar_changes import with_said, with_weekday
from bot.services.calendar_edit import SHOWN_DAYS, CalendarChanged, UndoRefused, change_calendar, undo_calendar
from bot.services.pauses import settled_account
from bot.services.plans import local_today, monday_of, planned_week
from bot.services.ports import UnitOfWork
from bot.services.problems import Problem
from bot.services.usecases import Coach

WAIT = "draft:calendar_wait"  # /calendar reads the next text: {"at": ISO time, "day": ISO date or None}
WAIT_FOR = dt.timedelta(minutes=30)


class Unread(StrEnum):
    """Text /calendar waited for but could not read; each has a text in ui.yaml's ``calendar`` group."""

    NOT_UNDERSTOOD = "not_understood"  # no change read in it
    TAP_EXPECTED = "tap_expected"  # a date was tapped: its run is picked by a button (or a kind typed)


@dataclass(frozen=True, slots=True)
class CalendarView:
    """This week and next as planned, the runner's today and their profile (its usual week)."""

    weeks: tuple[WeekPlan, ...]
    today: dt.date
    profile: Profile

    @property
    def open_days(self) -> tuple[dt.date, ...]:
        """The days a tap may change: today to the end of next week."""
        last = monday_of(self.today) + dt.timedelta(days=SHOWN_DAYS - 1)
        return tuple(self.today + dt.timedelta(days=i) for i in range((last - self.today).days + 1))


@dataclass(frozen=True, slots=True)
class DayAsked:
    """A date tapped: its run now, for the kind buttons."""

    day: dt.date
    run: RunKind


Said = CalendarChanged | Problem | NoSuchDate | PastDate | Unread


@dataclass(frozen=True)
class CalendarCoach(Coach):
    """/calendar's use cases, bound like every other one (``Coach``'s unit of work, library and clock)."""

    async def _account(self, work: UnitOfWork, telegram_id: int, now: dt.datetime) -> OnboardedRunner | None:
        return await settled_account(work, telegram_id, now, self.library)

    async def _wait(self, work: UnitOfWork, telegram_id: int, now: dt.datetime, day: dt.date | None = None) -> None:
        await work.answers.put(telegram_id, WAIT, {"at": now.isoformat(), "day": day and day.isoformat()}, now)

    async def show(self, telegram_id: int) -> CalendarView | Problem:
        """This week and next, and the runner's next text read as a calendar change."""
        now = self.clock.now()

        async def step(work: UnitOfWork) -> CalendarView | Problem:
            account = await self._account(work, telegram_id, now)
            if account is None:
                return Problem.NOT_ONBOARDED
            today = local_today(now, account.timezone)
            monday = monday_of(today)
            weeks = [await planned_week(work, account, monday + dt.timedelta(days=d), self.library) for d in (0, 7)]
            await self._wait(work, telegram_id, now)
            return CalendarView(tuple(weeks), today, account.profile)

        return await self._change(step)

    async def ask_day(self, telegram_id: int, day: dt.date) -> DayAsked | Problem | PastDate:
        """A date tapped: its run now (a past date is refused); a typed kind then answers it."""
        now = self.clock.now()

        async def step(work: UnitOfWork) -> DayAsked | Problem | PastDate:
            account = await self._account(work, telegram_id, now)
            if account is None:
                return Problem.NOT_ONBOARDED
            if day < local_today(now, account.timezone):
                return PastDate(day)
            await self._wait(work, telegram_id, now, day)
            return DayAsked(day, account.profile.run_on(day))

        return await self._change(step)

    async def set_day(self, telegram_id: int, day: dt.date, run: RunKind) -> CalendarChanged | Problem | PastDate:
        """Just ``day``'s run, by a tap."""
        result = await self._edit(telegram_id, lambda profile, today: OneOff(day, run))
        assert not isinstance(result, NoSuchDate)
        return result

    async def set_weekday(self, telegram_id: int, weekday: Weekday, run: RunKind) -> CalendarChanged | Problem:
        """Every ``weekday``'s run in the usual week, by a tap."""
        result = await self._edit(telegram_id, lambda profile, today: with_weekday(profile, weekday, run))
        assert not isinstance(result, PastDate | NoSuchDate)
        return result

    async def _edit(
        self, telegram_id: int, make: Callable[[Profile, dt.date], CalendarSaid | Profile]
    ) -> CalendarChanged | Problem | PastDate | NoSuchDate:
        now = self.clock.now()

        async def step(work: UnitOfWork) -> CalendarChanged | Problem | PastDate | NoSuchDate:
            account = await self._account(work, telegram_id, now)
            if account is None:
                return Problem.NOT_ONBOARDED
            return await self._apply(work, account, make(account.profile, local_today(now, account.timezone)), now)

        return await self._change(step)

    async def _apply(
        self, work: UnitOfWork, account: OnboardedRunner, said: CalendarSaid | Profile, now: dt.datetime
    ) -> CalendarChanged | Problem | PastDate | NoSuchDate:
        today = local_today(now, account.timezone)
        if isinstance(said, NoSuchDate | PastDate):
            return said
        if isinstance(said, OneOff) and said.day < today:
            return PastDate(said.day)
        profile = said if isinstance(said, Profile) else with_said(account.profile, said, today)
        changed = await change_calendar(work, account.telegram_id, profile, now, self.library)
        if isinstance(changed, CalendarChanged):
            await self._wait(work, account.telegram_id, now)
        return changed

    async def close(self, telegram_id: int) -> bool:
        """/cancel: /calendar stops reading the next text; False when it was not."""
        now = self.clock.now()

        async def step(work: UnitOfWork) -> bool:
            if _waiting(await work.answers.get_all(telegram_id), now) is None:
                return False
            await work.answers.discard(telegram_id, [WAIT])
            return True

        return await self._change(step)

    async def undo(self, telegram_id: int, token: str) -> CalendarChanged | Problem | UndoRefused:
        now = self.clock.now()
        return await self._change(lambda work: undo_calendar(work, telegram_id, token, now, self.library))

    async def said(self, telegram_id: int, text: str, brief: UpdateBrief | None = None) -> Said | None:
        """A typed calendar change: while /calendar waits, anything; else only what reads as nothing
        but a calendar change (:func:`read_calendar`'s ``anywhere``). None: not the calendar's.
        With the update's ``brief``, text that cannot be the calendar's is told apart without a query."""
        now = self.clock.now()
        if brief is not None and not _may_be_said(brief, text, now):
            return None

        async def step(work: UnitOfWork) -> Said | None:
            wait = _waiting(await work.answers.get_all(telegram_id), now)
            runner = await work.runners.brief(telegram_id)  # one cheap read: most text is not the calendar's
            if runner is None or not runner.onboarded or runner.timezone is None:
                return None
            said = read_calendar(text, local_today(now, runner.timezone), anywhere=wait is None)
            if said is None and wait is not None and wait.get("day"):
                said = _kind_for(text, dt.date.fromisoformat(wait["day"]))
            account = None if said is None else await self._account(work, telegram_id, now)
            if said is not None and account is not None:
                return await self._apply(work, account, said, now)
            if wait is None:
                return None
            return Unread.TAP_EXPECTED if wait.get("day") else Unread.NOT_UNDERSTOOD

        return await self._change(step)


def _may_be_said(brief: UpdateBrief, text: str, now: dt.datetime) -> bool:
    """Whether the text can be the calendar's: /calendar waits, or it reads as a calendar change."""
    runner = brief.runner
    if runner is None or not runner.onboarded or runner.timezone is None:
        return False
    if _waiting(brief.answers, now) is not None:
        return True
    return read_calendar(text, local_today(now, runner.timezone), anywhere=True) is not None


def _waiting(answers: dict[str, Any], now: dt.datetime) -> dict[str, Any] | None:
    """What /calendar waits for, if it still does."""
    wait = answers.get(WAIT)
    if not isinstance(wait, dict):
        return None
    try:
        opened = dt.datetime.fromisoformat(str(wait.get("at")))
    except ValueError:
        return None
    return wait if now - opened < WAIT_FOR else None


def _kind_for(text: str, day: dt.date) -> OneOff | None:
    """A run kind typed after a date was tapped ("rest", "long", "easy one")."""
    lowered = text.lower()
    run = RunKind.REST if lowered.strip(" .!") in ("rest", "off", "none", "no run") else read_run(lowered)
    return None if run is None else OneOff(day, run)
