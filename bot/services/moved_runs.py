"""Calendar changes for this week only: a run moved to another day, a tune-up race's distance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.coach.library import Library
from bot.coach.model import Distance, Profile, RunKind, Weekday, WeekPlan
from bot.services.pauses import settled_account
from bot.services.plans import local_today, monday_of, replan_from, save_profile
from bot.services.ports import UnitOfWork
from bot.services.problems import Problem


@dataclass(frozen=True, slots=True)
class Moved:
    run: RunKind
    day: dt.date
    week: WeekPlan
    today: dt.date
    # the run that was on ``day`` and swapped into the day the moved run left, if any; or the one
    # that was there and found no day to go to
    displaced: tuple[RunKind, dt.date] | None = None
    dropped: RunKind | None = None


async def move_run(
    work: UnitOfWork, telegram_id: int, run: RunKind, weekday: Weekday, now: dt.datetime, library: Library
) -> Moved | Problem:
    """ "My long run moved to Saturday": this week's calendar changes by one-off dates (the weekly
    template stays), and the rest of the week is re-planned at once."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    today = local_today(now, account.timezone)
    monday = monday_of(today)
    target = monday + dt.timedelta(days=list(Weekday).index(weekday))
    if target < today:
        return Problem.PAST_DATE
    before = account.profile
    account = await save_profile(work, account, moved_calendar(before, run, target, today), now)
    week = await replan_from(work, account, today, library, now)
    swapped = displaced(before, account.profile, target)
    there = before.run_on(target)
    dropped = there if swapped is None and there not in (RunKind.REST, run) else None
    return Moved(run=run, day=target, week=week, today=today, displaced=swapped, dropped=dropped)


def moved_calendar(profile: Profile, run: RunKind, target: dt.date, today: dt.date) -> Profile:
    """The profile with ``run`` moved to ``target`` for its week only: one-off dates, the weekly
    template as it was. The run that was on ``target`` swaps into the day ``run`` left (the first,
    if it held ``run`` more than once); any other day of that week from ``today`` on that held
    ``run`` rests. A race on ``target`` is not swapped into another day."""
    monday = monday_of(target)
    overrides = dict(profile.overrides)
    distances = dict(profile.tune_up_distances)
    there = profile.run_on(target)
    swap = there if there not in (RunKind.REST, RunKind.RACE, run) else None
    for offset in range(7):
        day = monday + dt.timedelta(days=offset)
        if day >= today and day != target and profile.run_on(day) is run:
            # the run leaves its usual day this week: the displaced run takes it, or it rests
            overrides[day] = swap or RunKind.REST
            swap = None
            if run is RunKind.RACE and day in distances:
                distances[target] = distances[day]  # the race moved, and its distance with it
            distances.pop(day, None)
    overrides[target] = run
    if run is not RunKind.RACE:
        distances.pop(target, None)  # no longer a race day: no tune-up distance
    return profile.model_copy(update={"overrides": overrides, "tune_up_distances": distances})


def displaced(before: Profile, after: Profile, target: dt.date) -> tuple[RunKind, dt.date] | None:
    """The run that was on ``target`` and now sits on another day of that week, and that day."""
    there = before.run_on(target)
    if there in (RunKind.REST, after.run_on(target)):
        return None
    monday = monday_of(target)
    for day in (monday + dt.timedelta(days=offset) for offset in range(7)):
        if day != target and after.run_on(day) is there and before.run_on(day) is not there:
            return there, day
    return None


async def set_tune_up_distance(
    work: UnitOfWork, telegram_id: int, day: dt.date, distance: Distance | None, now: dt.datetime, library: Library
) -> Moved | Problem:
    """The answer to "how far is the race?" after a race day was added (P9): the tune-up's distance
    is stored on its override (None, "not sure", stores none: the rules take it as unknown) and the
    week is re-planned around it at once."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    today = local_today(now, account.timezone)
    profile = account.profile
    if day < today:
        return Problem.PAST_DATE
    if profile.overrides.get(day) is not RunKind.RACE:
        return Problem.NEED_STATUS  # the day is no longer a race: a stale tap
    distances = dict(profile.tune_up_distances)
    if distance is None:
        distances.pop(day, None)
    else:
        distances[day] = distance
    account = await save_profile(work, account, profile.model_copy(update={"tune_up_distances": distances}), now)
    week = await replan_from(work, account, today, library, now)
    return Moved(run=RunKind.RACE, day=day, week=week, today=today)
