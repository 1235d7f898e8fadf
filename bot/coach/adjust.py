"""Adjusting today: a lift the runner cannot do today moves later in the week, or is dropped."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from bot.coach.model import DayPlan, Profile, TrainingState, WeekPlan
from bot.coach.placement import DaySlot, eligible
from bot.coach.planner import Texts, plan_week
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
    lifted_after: bool = False,
    paused_until: dt.date | None = None,
) -> WeekPlan:
    """Today's lift becomes mobility; the lift moves to the next day of this week that keeps
    P1 to P3 with the other lifting days (and, for the last day, with a lift on the day after
    the week, ``lifted_after``), or is dropped: never stacked onto a lifting day.

    The rest of the week is planned again around the new lifting days, so every reason stays
    true. A day that is not a lifting day is returned unchanged.
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
            allowed=later.phase.allows_lifting and not (paused_until is not None and later.date <= paused_until),
        )
        neighbours = {later.date - dt.timedelta(days=1), later.date + dt.timedelta(days=1)}
        if later.date in lifting or neighbours & lifting.keys() or not eligible(slot):
            continue
        if later.date == last and lifted_after:
            continue
        target_day = later
        break

    texts = Texts(library, profile)
    # the other lifts stay exactly as prescribed, and the moved one is the same session
    kept = {d.date: d.session for d in week.days if d.date in lifting}
    if target_day is not None:
        lifting[target_day.date] = current.session.kind
        kept[target_day.date] = current.session
        quiet = ("mobility_moved_today", texts.weekday(target_day.date))
    else:
        quiet = ("mobility_no_fit", "")
    return plan_week(
        profile,
        week.start,
        library,
        state,
        paused_until=paused_until,
        lifted_before=lifted_before,
        forced_quiet={today: quiet},
        fixed_lifts=lifting,
        moved_from={target_day.date: today} if target_day is not None else None,
        kept=kept,
    )
