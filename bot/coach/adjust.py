"""Adjusting today: a lift the runner cannot do today moves later in the week, or is dropped."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from enum import StrEnum

from bot.coach.dose import dose_for
from bot.coach.model import DayPlan, Profile, TrainingState, WeekPlan
from bot.coach.placement import DaySlot, eligible
from bot.coach.planner import SessionBuilder, Texts, _context, plan_week
from bot.content.loader import Library


class SwapReason(StrEnum):
    SORE = "sore"
    TIRED = "tired"
    NO_TIME = "no_time"
    SWAP = "swap"


def adjust_today(
    week: WeekPlan,
    today: dt.date,
    profile: Profile,
    library: Library,
    state: TrainingState | None = None,
    *,
    lifted_before: bool = False,
) -> WeekPlan:
    """Today's lift becomes mobility; the lift moves to the next day of this week that keeps
    P1 to P3 with the other lifting days, or is dropped: never stacked onto a lifting day.

    A day that is not a lifting day is returned unchanged.
    """
    state = state or TrainingState()
    current = week.day(today)
    if current is None or not current.session.kind.is_lifting:
        return week
    lifting = {d.date for d in week.days if d.session.kind.is_lifting and d.date != today}
    index = {d.date: i for i, d in enumerate(week.days)}
    target_day: DayPlan | None = None
    for later in week.days[index[today] + 1 :]:
        slot = DaySlot(
            run=later.run,
            next_run=profile.run_on(later.date + dt.timedelta(days=1)),
            allowed=later.phase.allows_lifting,
        )
        neighbours = {later.date - dt.timedelta(days=1), later.date + dt.timedelta(days=1)}
        if later.date in lifting or neighbours & lifting or not eligible(slot):
            continue
        target_day = later
        break

    texts = Texts(library, profile)
    quiet_key = "mobility_moved_today" if target_day else "mobility_no_fit"
    moved_to = texts.weekday(target_day.date) if target_day else ""
    replanned = plan_week(
        profile,
        week.start,
        library,
        state,
        lifted_before=lifted_before,
        forced_quiet={today: (quiet_key, moved_to)},
    )
    days = list(week.days)
    i_today = index[today]
    quiet = replanned.days[i_today].session
    days[i_today] = replace(days[i_today], session=quiet)
    if target_day is not None:
        days[index[target_day.date]] = _moved_lift(week, target_day, current, today, profile, library, state, texts)
    return replace(week, days=tuple(days))


def _moved_lift(
    week: WeekPlan,
    target: DayPlan,
    original: DayPlan,
    today: dt.date,
    profile: Profile,
    library: Library,
    state: TrainingState,
    texts: Texts,
) -> DayPlan:
    """The lifting session on its new day, with a reason naming the day it came from."""
    dose = dose_for(profile.strength_level, target.phase, state, deload=week.deload)
    assert dose is not None  # the target day's phase allows lifting
    avoid = profile.injuries | state.rested_areas(week.start)
    builder = SessionBuilder(profile, library, state, avoid)
    days = [d.date for d in week.days]
    runs = [d.run for d in week.days] + [profile.run_on(days[-1] + dt.timedelta(days=1))]
    phases = [d.phase for d in week.days]
    i = days.index(target.date)
    ctx = _context(days, runs, phases, [False] * len(days), profile, i, ())
    reason = texts.reason("lift_moved_here", ctx, week.lifting_target, len(week.lifting_days), texts.weekday(today))
    session = builder.lifting(original.session.kind, target.phase, dose, 0, reason)
    return replace(target, session=session or original.session)
