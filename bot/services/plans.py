"""Plan use cases: the runner's week and day, in the runner's own timezone.

A runner's week runs Monday to Sunday. The stored plan is the record of what was prescribed:
every read goes through :func:`stored_week`, which plans and stores a week the first time it
is needed and afterwards returns it as stored. Re-planning (a moved run, a pause, a review)
writes the days from today on and never a day already past.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.coach.adjust import replan_rest_of_week
from bot.coach.library import Library
from bot.coach.model import DayPlan, Profile, ReasonKey, TrainingState, WeekPlan
from bot.coach.planner import WeekContext, context_after, lead_of, plan_week, plan_weeks
from bot.services.accounts import RunnerAccount
from bot.services.ports import UnitOfWork, UnitOfWorkFactory
from bot.services.timezones import zone

SHORT_WEEK_DAYS = 3  # with this few days left in the week, the next week is shown too


def local_today(now: dt.datetime, timezone: str) -> dt.date:
    return now.astimezone(zone(timezone)).date()


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _before_joining(monday: dt.date, joined: dt.date | None) -> dict[dt.date, tuple[ReasonKey, str]]:
    """The days from ``monday`` before the runner joined: no lifting was ever planned for them."""
    if joined is None or joined <= monday:
        return {}
    days = (monday + dt.timedelta(days=i) for i in range((joined - monday).days))
    return {day: (ReasonKey.MOBILITY_BEFORE_JOINING, "") for day in days}


def weeks_around(
    profile: Profile,
    state: TrainingState,
    monday: dt.date,
    count: int,
    library: Library,
    paused_until: dt.date | None,
    joined: dt.date | None = None,
) -> list[WeekPlan]:
    """Consecutive Monday-to-Sunday weeks, each aware of a lift at the end of the week before.

    A runner who ``joined`` mid-week has that week's lifting placed on the days from then on.
    """
    previous = plan_week(profile, monday - dt.timedelta(days=7), library, state, WeekContext(paused_until=paused_until))
    lifted_before = previous.days[-1].session.kind.is_lifting and (joined is None or joined < monday)
    lead = lead_of(previous, library) if joined is None or joined < monday else None
    context = WeekContext(
        paused_until=paused_until, lifted_before=lifted_before, quiet=_before_joining(monday, joined), lead_before=lead
    )
    # planned as the coach stores weeks it has not reviewed yet: every one from the same state
    return plan_weeks(profile, monday, count, library, state, context, reviewed=False)


def current_weeks(
    profile: Profile,
    state: TrainingState,
    today: dt.date,
    library: Library,
    paused_until: dt.date | None = None,
    joined: dt.date | None = None,
) -> list[WeekPlan]:
    """This week, plus next week when only a few days of this one are left."""
    monday = monday_of(today)
    days_left = 7 - today.weekday()
    count = 2 if days_left <= SHORT_WEEK_DAYS else 1
    return weeks_around(profile, state, monday, count, library, paused_until, joined)


def pause_end(account: RunnerAccount) -> dt.date | None:
    """The last paused day the planner should respect: the end date, or open-ended."""
    if account.paused_until is not None:
        return account.paused_until
    return dt.date.max if account.paused_from is not None else None


async def stored_week(
    work: UnitOfWork, account: RunnerAccount, monday: dt.date, library: Library, now: dt.datetime
) -> WeekPlan:
    """The week starting ``monday`` as stored; planned and stored first if it never was."""
    assert account.profile is not None
    stored = await work.plans.week(account.telegram_id, monday)
    if stored is not None:
        return stored
    before = await work.plans.week(account.telegram_id, monday - dt.timedelta(days=7))
    if before is None:
        before = plan_week(
            account.profile, monday - dt.timedelta(days=7), library, account.state, WeekContext(pause_end(account))
        )
    context = context_after(before, library, pause_end(account))
    week = plan_week(account.profile, monday, library, account.state, context)
    await work.plans.save_week(account.telegram_id, week, now)
    return week


async def replan_from(
    work: UnitOfWork, account: RunnerAccount, today: dt.date, library: Library, now: dt.datetime
) -> WeekPlan:
    """Re-plan this week from ``today`` on around the runner's current calendar and state.

    Days already past keep what was prescribed; a stored next week is planned afresh too.
    """
    assert account.profile is not None
    monday = monday_of(today)
    current = await stored_week(work, account, monday, library, now)
    before = await work.plans.week(account.telegram_id, monday - dt.timedelta(days=7))
    lifted_before = before is not None and before.days[-1].session.kind.is_lifting
    week = replan_rest_of_week(
        current,
        today,
        account.profile,
        library,
        account.state,
        lifted_before=lifted_before,
        paused_until=pause_end(account),
    )
    await work.plans.save_week(account.telegram_id, week, now, from_date=today)
    following = monday + dt.timedelta(days=7)
    if await work.plans.week(account.telegram_id, following) is not None:
        context = context_after(week, library, pause_end(account))
        nxt = plan_week(account.profile, following, library, account.state, context)
        await work.plans.save_week(account.telegram_id, nxt, now)
    return week


@dataclass(frozen=True)
class DayView:
    account: RunnerAccount
    day: DayPlan
    week: WeekPlan


async def runner(uow: UnitOfWorkFactory, telegram_id: int) -> RunnerAccount | None:
    async with uow() as work:
        return await work.runners.get(telegram_id)


async def day_for(
    uow: UnitOfWorkFactory, account: RunnerAccount, now: dt.datetime, offset_days: int, library: Library
) -> DayView:
    """The stored plan of today (offset 0), tomorrow (1), ... in the runner's timezone."""
    assert account.profile is not None and account.timezone is not None
    date = local_today(now, account.timezone) + dt.timedelta(days=offset_days)
    async with uow() as work:
        week = await stored_week(work, account, monday_of(date), library, now)
        await work.commit()
    day = week.day(date)
    assert day is not None
    return DayView(account=account, day=day, week=week)


async def week_for(
    uow: UnitOfWorkFactory, account: RunnerAccount, now: dt.datetime, library: Library
) -> list[WeekPlan]:
    """This week as stored, plus next week when only a few days of this one are left."""
    assert account.profile is not None and account.timezone is not None
    today = local_today(now, account.timezone)
    monday = monday_of(today)
    count = 2 if 7 - today.weekday() <= SHORT_WEEK_DAYS else 1
    async with uow() as work:
        weeks = [
            await stored_week(work, account, monday + dt.timedelta(days=7 * n), library, now) for n in range(count)
        ]
        await work.commit()
    return weeks
