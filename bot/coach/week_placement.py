"""Where a week's lifting goes, and each lift's kind: the week's days handed to the placement
search (``bot.coach.placement``) with the next week's, so this week leaves that one its room (P5
across the week boundary); a re-plan's pinned days instead of the search."""

from __future__ import annotations

import datetime as dt

from bot.coach.model import WEEKDAYS, Level, Phase, Profile, SessionKind, TrainingState
from bot.coach.phases import days_from, lifting_target, phases_from, tune_up_windows
from bot.coach.placement import KEY_RUNS, NO_LIFT_DAYS, DaySlot, NextWeek, eligible, place
from bot.coach.vocabulary import LIFTING_PHASES
from bot.coach.week_context import Pins, WeekContext
from bot.coach.week_days import WEEK_DAYS
from bot.coach.week_frame import POWER_PHASES, WeekFrame


def place_lifts(
    profile: Profile, frame: WeekFrame, context: WeekContext, pins: Pins | None
) -> tuple[tuple[int, ...], dict[int, SessionKind]]:
    """The indices of the days that lift, in order, and the kind of session on each."""
    if pins is None:
        slots = [
            DaySlot(
                run=d.run,
                next_run=d.next_run,
                allowed=ok and not d.near_race,
                preferred=d.preferred,
                key_in_two_days=d.key_in_two_days,
            )
            for d, ok in zip(frame.days, frame.may_lift, strict=True)
        ]
        # next week counts only through a lift on this week's last day (P3 across the boundary)
        last_open = frame.target > 0 and eligible(slots[-1])
        chosen = place(
            slots,
            frame.target,
            hard_days_hard=profile.hard_days_hard,
            lifted_before=context.lifted_before,
            following=_next_week(profile, frame.start, frame.state, context) if last_open else None,
        )
        kinds = dict(zip(chosen, _lifting_kinds(frame.level, frame.phase, len(chosen)), strict=True))
    else:
        days = frame.dates
        chosen = tuple(i for i, day in enumerate(days) if day in pins.lifts)
        kinds = {i: pins.lifts[days[i]] for i in chosen}
    if not frame.inputs.jump_stage:
        # J2: a jump-free week's power session is a strength session
        kinds = {i: SessionKind.STRENGTH for i in kinds}
    return chosen, kinds


def _lifting_kinds(level: Level, phase: Phase, count: int) -> list[SessionKind]:
    """Power work only for regular lifters in base and build: the 2nd of 2, or the 3rd of 3."""
    kinds = [SessionKind.STRENGTH] * count
    if level is Level.REGULAR and phase in POWER_PHASES and count >= 2:
        kinds[-1] = SessionKind.POWER
    return kinds


def _next_week(profile: Profile, start: dt.date, state: TrainingState, context: WeekContext) -> NextWeek:
    """The week after this one as placement sees it (P5 across the week boundary): only its target,
    the days open to lifting and whether its first is a preferred day are read."""
    first = start + dt.timedelta(days=WEEK_DAYS)
    days = days_from(first, WEEK_DAYS)
    phases = phases_from(profile.race, first, WEEK_DAYS)
    may = [phases[i] in LIFTING_PHASES and not context.paused(days[i]) for i in range(WEEK_DAYS)]
    phase = next((p for p, ok in zip(phases, may, strict=True) if ok), phases[0])
    target = lifting_target(phase, profile.strength_level, profile.sessions_per_week)
    if not target:
        return NextWeek((), False, 0, WEEK_DAYS)  # nothing to leave room for
    target = max(1, target - state.fewer_sessions)
    runs = profile.runs_from(first, WEEK_DAYS + 1)
    near = tune_up_windows(profile, days)  # P9
    open_days = tuple(
        i
        for i in range(WEEK_DAYS)
        if may[i] and near[i] is None and runs[i] not in NO_LIFT_DAYS and runs[i + 1] not in KEY_RUNS
    )
    first_preferred = WEEKDAYS[first.weekday()] in profile.preferred_days
    return NextWeek(open_days, first_preferred, target, WEEK_DAYS)
