"""What each due message says: the dispatcher's composer for prompts, nudges, "later" re-sends,
weekly reviews and pain follow-ups.

A batch is composed from a few queries (runners, stored weeks, check-ins), whatever its size.
``None`` means there is nothing to say today (a rest day, a session already logged, a pause).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Protocol

from bot.coach.model import BodyArea, DayPlan, SessionKind, WeekPlan
from bot.content.loader import Library
from bot.db.uow import UnitOfWork
from bot.services import loop
from bot.services.accounts import CheckinRecord, RunnerAccount
from bot.services.plans import local_today, monday_of, stored_week
from bot.services.ports import Outgoing
from bot.telegram.loop_render import LoopRenderer


class DueLike(Protocol):
    """The fields of a due message the composer reads (the dispatcher's ``Due``)."""

    @property
    def runner_id(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def local_date(self) -> dt.date: ...
    @property
    def detail(self) -> str | None: ...


def week_number(day: dt.date) -> int:
    """Weeks since the calendar's start: consecutive weeks get consecutive numbers."""
    return day.toordinal() // 7


class LoopComposer:
    def __init__(self, library: Library, render: LoopRenderer) -> None:
        self.library = library
        self.render = render

    async def compose(
        self, work: UnitOfWork, dues: Sequence[DueLike], now: dt.datetime
    ) -> Mapping[tuple[int, str], Outgoing | None]:
        accounts = await work.runners.by_ids([d.runner_id for d in dues])
        weeks = await work.plans.weeks_for(sorted({(d.runner_id, monday_of(d.local_date)) for d in dues}))
        dates = [d.local_date for d in dues]
        checkins = await work.checkins.for_runners(list(accounts), min(dates), max(dates)) if dues else {}
        out: dict[tuple[int, str], Outgoing | None] = {}
        for due in dues:
            account = accounts.get(due.runner_id)
            if account is None or not account.onboarded or not account.active or account.profile is None:
                out[(due.runner_id, due.kind)] = None
                continue
            account = await loop.settle_pause(work, account, now, self.library)
            if _paused_on(account, due.local_date):
                out[(due.runner_id, due.kind)] = None
                continue
            week = weeks.get((due.runner_id, monday_of(due.local_date)))
            if week is None or account.paused_from is not None:
                week = await stored_week(work, account, monday_of(due.local_date), self.library, now)
            out[(due.runner_id, due.kind)] = await self._one(
                work, due, account, week, checkins.get((due.runner_id, due.local_date)), now
            )
        return out

    async def _one(
        self,
        work: UnitOfWork,
        due: DueLike,
        account: RunnerAccount,
        week: WeekPlan,
        checkin: CheckinRecord | None,
        now: dt.datetime,
    ) -> Outgoing | None:
        day = week.day(due.local_date)
        if day is None:
            return None
        if due.kind == "prompt":
            if checkin is not None or day.session.kind is SessionKind.REST:
                return None
            return self.render.prompt(day)
        if due.kind == "nudge":
            return self.render.nudge(day) if _lift_unanswered(day, checkin) else None
        if due.kind == "later":
            return self.render.prompt(day, self.render.text.later_again) if _lift_unanswered(day, checkin) else None
        if due.kind == "review":
            if _joined_during(account, week):
                return None  # a first, partial week has nothing to review yet
            reviewed = await loop.weekly_review(work, account, due.local_date, now, self.library)
            return self.render.review(reviewed.payload, reviewed.next_week, week_number(due.local_date))
        if due.kind == "pain_check" and due.detail is not None and due.detail in BodyArea.__members__.values():
            return self.render.pain_check(BodyArea(due.detail), due.local_date)
        return None


def _lift_unanswered(day: DayPlan, checkin: CheckinRecord | None) -> bool:
    return day.session.kind.is_lifting and checkin is None


def _joined_during(account: RunnerAccount, week: WeekPlan) -> bool:
    if account.onboarded_at is None or account.timezone is None:
        return False
    return local_today(account.onboarded_at, account.timezone) > week.start


def _paused_on(account: RunnerAccount, day: dt.date) -> bool:
    if account.paused_from is None or day < account.paused_from:
        return False
    return account.paused_until is None or day <= account.paused_until
