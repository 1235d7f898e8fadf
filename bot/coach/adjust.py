"""Adjusting today: a lift the runner cannot do today moves later in the week, or is dropped."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from enum import StrEnum

from bot.coach.library import Library
from bot.coach.model import DayPlan, Profile, ReasonKey, SessionKind, TrainingState, WeekPlan
from bot.coach.phases import near_tune_up
from bot.coach.placement import DaySlot, eligible, place
from bot.coach.planner import plan_week
from bot.coach.week_context import Pins, WeekContext
from bot.coach.week_days import key_in_two_days, weekday_of


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
    lifted_after: bool = False,
    paused_until: dt.date | None = None,
) -> WeekPlan:
    """Today's lift becomes mobility; the lift moves to the next day of this week that keeps
    P1 to P3, P7 and P9 (the 2 days before a tune-up, its distance's recovery days after) with the
    other lifting days (and, for the last day, with a lift on the day after
    the week, ``lifted_after``), or is dropped: never stacked onto a lifting day.

    The rest of the week is planned again around the new lifting days, so every reason stays
    true. A lift that moves into another phase is prescribed as that day's phase prescribes,
    not kept as it was. A day that is not a lifting day is returned unchanged.
    """
    state = state or TrainingState()
    current = week.day(today)
    if current is None or not current.session.kind.is_lifting:
        return week
    lifting = {d.date: d.session.kind for d in week.days if d.session.kind.is_lifting and d.date != today}
    last = week.days[-1].date
    target_day: DayPlan | None = None
    for later in (d for d in week.days if d.date > today):
        slot = DaySlot(
            run=later.run,
            next_run=profile.run_on(later.date + dt.timedelta(days=1)),
            allowed=later.phase.allows_lifting
            and not (paused_until is not None and later.date <= paused_until)
            and not near_tune_up(profile, later.date),
        )
        neighbours = {later.date - dt.timedelta(days=1), later.date + dt.timedelta(days=1)}
        if later.date in lifting or neighbours & lifting.keys() or not eligible(slot):
            continue
        if later.date == last and lifted_after:
            continue
        target_day = later
        break

    # the other lifts stay exactly as prescribed, and the moved one is the same session
    kept = {d.date: d.session for d in week.days if d.date in lifting}
    if target_day is not None:
        lifting[target_day.date] = current.session.kind
        if target_day.phase is current.phase:
            kept[target_day.date] = current.session  # the same session, only on another day
        # a day in another phase (a build lift moved onto the first peak day) gets that phase's dose
        quiet = (ReasonKey.MOBILITY_MOVED_TODAY, weekday_of(target_day.date))
    else:
        quiet = (ReasonKey.MOBILITY_NO_FIT, "")
    pins = Pins(
        lifts=lifting,
        kept=kept,
        moved_from={target_day.date: today} if target_day is not None else {},
        quiet={today: quiet},
    )
    context = WeekContext(paused_until=paused_until, lifted_before=lifted_before)
    return plan_week(profile, week.start, library, state, context, pins)


def replan_rest_of_week(
    stored: WeekPlan,
    today: dt.date,
    profile: Profile,
    library: Library,
    state: TrainingState | None = None,
    *,
    lifted_before: bool = False,
    paused_until: dt.date | None = None,
) -> WeekPlan:
    """The week re-planned from ``today`` on after the calendar changed (a moved run, a pause).

    Days before ``today`` keep what was prescribed: their lifts count toward the week's target
    and stay exactly as they were; the remaining lifts are placed on the days from ``today`` on
    by the usual rules (P1 to P3 against the kept lifts too). The result holds the stored days
    before ``today`` unchanged and the new days from ``today`` on.
    """
    state = state or TrainingState()
    context = WeekContext(paused_until=paused_until, lifted_before=lifted_before)
    fresh = plan_week(profile, stored.start, library, state, context)
    past_lifts = {d.date: d.session for d in stored.days if d.date < today and d.session.kind.is_lifting}
    if today <= stored.start:
        return fresh
    remaining = max(0, fresh.lifting_target - len(past_lifts))
    days = list(fresh.days)
    slots = []
    for i, day in enumerate(days):
        after = profile.run_on(day.date + dt.timedelta(days=1))
        touches_past = any(abs((day.date - lift).days) <= 1 for lift in past_lifts)
        slots.append(
            DaySlot(
                run=day.run,
                next_run=after,
                allowed=day.date >= today
                and day.phase.allows_lifting
                and not (paused_until is not None and day.date <= paused_until)
                and not near_tune_up(profile, day.date)
                and not touches_past,
                preferred=fresh.days[i].session.kind.is_lifting,
                key_in_two_days=key_in_two_days(profile, day.date),
            )
        )
    chosen = place(slots, remaining, hard_days_hard=profile.hard_days_hard, lifted_before=lifted_before)
    lifting = {date: session.kind for date, session in past_lifts.items()}
    for i in chosen:
        fresh_kind = fresh.days[i].session.kind
        lifting[days[i].date] = fresh_kind if fresh_kind.is_lifting else SessionKind.STRENGTH
    replanned = plan_week(profile, stored.start, library, state, context, Pins(lifts=lifting, kept=past_lifts))
    days_kept = tuple(old if old.date < today else new for old, new in zip(stored.days, replanned.days, strict=True))
    return replace(replanned, days=days_kept)
