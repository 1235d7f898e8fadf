"""Plan use cases: the runner's week and day, in the runner's own timezone.

A runner's week runs Monday to Sunday. Plans are derived from the stored profile and
training state each time (planning a week takes well under a millisecond), so a changed
calendar is reflected at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.coach.model import DayPlan, Profile, TrainingState, WeekPlan
from bot.coach.planner import plan_week
from bot.content.loader import Library
from bot.db.repositories import RunnerAccount
from bot.db.uow import UnitOfWorkFactory
from bot.services.timezones import zone

SHORT_WEEK_DAYS = 3  # with this few days left in the week, the next week is shown too


def local_today(now: dt.datetime, timezone: str) -> dt.date:
    return now.astimezone(zone(timezone)).date()


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weeks_around(
    profile: Profile, state: TrainingState, monday: dt.date, count: int, library: Library, paused_until: dt.date | None
) -> list[WeekPlan]:
    """Consecutive Monday-to-Sunday weeks, each aware of a lift at the end of the week before."""
    previous = plan_week(profile, monday - dt.timedelta(days=7), library, state, paused_until=paused_until)
    lifted_before = previous.days[-1].session.kind.is_lifting
    weeks = []
    for n in range(count):
        week = plan_week(
            profile,
            monday + dt.timedelta(days=7 * n),
            library,
            state,
            paused_until=paused_until,
            lifted_before=lifted_before,
        )
        weeks.append(week)
        lifted_before = week.days[-1].session.kind.is_lifting
    return weeks


def current_weeks(
    profile: Profile,
    state: TrainingState,
    today: dt.date,
    library: Library,
    paused_until: dt.date | None = None,
) -> list[WeekPlan]:
    """This week, plus next week when only a few days of this one are left."""
    monday = monday_of(today)
    days_left = 7 - today.weekday()
    return weeks_around(profile, state, monday, 2 if days_left <= SHORT_WEEK_DAYS else 1, library, paused_until)


@dataclass(frozen=True)
class DayView:
    account: RunnerAccount
    day: DayPlan
    week: WeekPlan


async def runner(uow: UnitOfWorkFactory, telegram_id: int) -> RunnerAccount | None:
    async with uow() as work:
        return await work.runners.get(telegram_id)


def day_for(account: RunnerAccount, now: dt.datetime, offset_days: int, library: Library) -> DayView:
    """The plan of today (offset 0), tomorrow (1), ... in the runner's timezone."""
    assert account.profile is not None and account.timezone is not None
    date = local_today(now, account.timezone) + dt.timedelta(days=offset_days)
    (week,) = weeks_around(account.profile, account.state, monday_of(date), 1, library, account.paused_until)
    day = week.day(date)
    assert day is not None
    return DayView(account=account, day=day, week=week)


def week_for(account: RunnerAccount, now: dt.datetime, library: Library) -> list[WeekPlan]:
    assert account.profile is not None and account.timezone is not None
    today = local_today(now, account.timezone)
    return current_weeks(account.profile, account.state, today, library, account.paused_until)
