"""Plan use cases: the runner's week and day, in the runner's own timezone.

A runner's week runs Monday to Sunday. The stored plan is the record of what was prescribed:
every read goes through :func:`stored_week`, which plans and stores a week the first time it
is needed and afterwards returns it as stored. Re-planning (a moved run, a pause, a review)
writes the days from today on and never a day already past.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from bot.coach.adjust import replan_rest_of_week
from bot.coach.library import Library
from bot.coach.model import Profile, ReasonKey, TrainingState, WeekPlan
from bot.coach.planner import WeekContext, context_after, lead_of, plan_week, plan_weeks
from bot.services.accounts import OnboardedRunner
from bot.services.ports import UnitOfWork
from bot.services.schedule import DueKind
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


def pause_end(account: OnboardedRunner) -> dt.date | None:
    """The last paused day the planner should respect: the end date, or open-ended."""
    if account.paused_until is not None:
        return account.paused_until
    return dt.date.max if account.paused_from is not None else None


async def planned_week(work: UnitOfWork, account: OnboardedRunner, monday: dt.date, library: Library) -> WeekPlan:
    """The week starting ``monday`` as stored, or as it would be planned now if it never was;
    nothing is written (a read shows the plan, :func:`stored_week` keeps it)."""
    stored = await work.plans.week(account.telegram_id, monday)
    if stored is not None:
        return stored
    return await _first_plan(work, account, monday, library)


async def _first_plan(work: UnitOfWork, account: OnboardedRunner, monday: dt.date, library: Library) -> WeekPlan:
    before = await work.plans.week(account.telegram_id, monday - dt.timedelta(days=7))
    if before is None:
        before = plan_week(
            account.profile, monday - dt.timedelta(days=7), library, account.state, WeekContext(pause_end(account))
        )
    context = context_after(before, library, pause_end(account))
    return plan_week(account.profile, monday, library, account.state, context)


async def stored_week(
    work: UnitOfWork, account: OnboardedRunner, monday: dt.date, library: Library, now: dt.datetime
) -> WeekPlan:
    """The week starting ``monday`` as stored; planned and stored first if it never was."""
    stored = await work.plans.week(account.telegram_id, monday)
    if stored is not None:
        return stored
    week = await _first_plan(work, account, monday, library)
    await work.plans.save_week(account.telegram_id, week, now)
    return week


@dataclass(frozen=True)
class Replanned:
    """What re-planning from ``today`` gives: this week as it stood (``stored`` False when it was
    never stored), this week re-planned from ``today`` on, and next week re-planned when it was stored."""

    current: WeekPlan
    stored: bool
    week: WeekPlan
    following: WeekPlan | None


async def replanned(work: UnitOfWork, account: OnboardedRunner, today: dt.date, library: Library) -> Replanned:
    """This week re-planned from ``today`` on (and a stored next week afresh) around the runner's
    current calendar and state, computed without writing anything."""
    monday = monday_of(today)
    found = await work.plans.week(account.telegram_id, monday)
    current = found if found is not None else await _first_plan(work, account, monday, library)
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
    following = monday + dt.timedelta(days=7)
    nxt = None
    if await work.plans.week(account.telegram_id, following) is not None:
        context = context_after(week, library, pause_end(account))
        nxt = plan_week(account.profile, following, library, account.state, context)
    return Replanned(current=current, stored=found is not None, week=week, following=nxt)


async def replan_from(
    work: UnitOfWork, account: OnboardedRunner, today: dt.date, library: Library, now: dt.datetime
) -> WeekPlan:
    """Re-plan this week from ``today`` on around the runner's current calendar and state, and store it.

    Days already past keep what was prescribed; a stored next week is planned afresh too.
    """
    plan = await replanned(work, account, today, library)
    if not plan.stored:
        await work.plans.save_week(account.telegram_id, plan.current, now)
    await work.plans.save_week(account.telegram_id, plan.week, now, from_date=today)
    if plan.following is not None:
        await work.plans.save_week(account.telegram_id, plan.following, now)
    return plan.week


async def save_profile(
    work: UnitOfWork, account: OnboardedRunner, profile: Profile, now: dt.datetime
) -> OnboardedRunner:
    """Store a changed profile for an onboarded runner; their delivery settings and training
    state stay as they are."""
    await work.runners.save_profile(
        account.telegram_id, profile, timezone=account.timezone, reminder_time=account.reminder_time, now=now
    )
    return replace(account, profile=profile)


async def replan_open_days(
    work: UnitOfWork, account: OnboardedRunner, now: dt.datetime, library: Library
) -> tuple[dt.date, WeekPlan]:
    """Re-plan this week (and a stored next week) from the first day not yet sent or logged, around
    the runner's profile and state as they are now; the first re-planned day and the week."""
    start = await first_open_day(work, account.telegram_id, local_today(now, account.timezone))
    return start, await replan_from(work, account, start, library, now)


async def first_open_day(work: UnitOfWork, telegram_id: int, today: dt.date) -> dt.date:
    """Today, unless today's session was already sent or logged: then it stays on record as it
    was prescribed, and changes start tomorrow."""
    if await work.checkins.get(telegram_id, today) is not None:
        return today + dt.timedelta(days=1)
    if await work.deliveries.get(telegram_id, today, DueKind.PROMPT) is not None:
        return today + dt.timedelta(days=1)
    return today
