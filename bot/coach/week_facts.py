"""What a planned week's note may say, read from the week as planned: its reduction, the load it
adds, the heavy sets, the gentle forms and rested areas, and the cuts it states counted from the
working sets prescribed (M1, M2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import NamedTuple

from bot.coach.dose import rung_of, variation_of
from bot.coach.gaps import return_rule
from bot.coach.inputs import RaceBehind, phase_of_week
from bot.coach.model import BodyArea, DayPlan, ExerciseType, Level, Phase, Profile, RunKind, TrainingState, WeekPlan
from bot.coach.phases import tune_up_recovery_days
from bot.coach.vocabulary import LIFTING_KINDS
from bot.coach.week_context import FRESH_START, Pins, WeekContext, working_sets
from bot.coach.week_days import WEEK_DAYS, weekday_of
from bot.coach.week_frame import BASE_DOSE_WEEKS, WeekFrame, dose_phase
from bot.coach.week_sessions import BLOCK_WEEKS, Lifts

HEAVY_REPS = 6
PEAK_LOOK_BACK = 3  # build weeks tried for one that placed all its sessions

# plans a week at full sets (M2 counts a cut against it): from its start, at a state, in a context, with pins
Unreduced = Callable[[dt.date, TrainingState, WeekContext, Pins | None], WeekPlan]


class WeekFacts(NamedTuple):
    """What a week's note may say, read from the week as planned."""

    deload: bool = False
    paused: bool = False
    add_load: bool = False
    no_safe_lifts: bool = False
    first_back: bool = False
    heavy: bool = False  # loaded sets of 6 reps or fewer for a lifter past their first weeks
    loaded: bool = False  # any loadable exercise this week
    slow: bool = False  # bodyweight work progresses with a slow lowering
    peak_cut: int = 0
    tune_up: str = ""  # the weekday of a tune-up race this week (its value)
    tune_up_days: int = 0  # P9: the days without lifting after that race
    gentle: tuple[str, ...] = ()  # the gentle forms prescribed for niggles
    too_close: bool = False
    new_block: bool = False  # the main lifts rotate this week
    cut: int = 0  # M2: per cent fewer working sets than the week compared (full week, or last build week)
    eased: RaceBehind | None = None  # the race after which this is the eased week
    step_lower: bool = False  # one step lower at full sets, after a marathon or ultra's eased week
    stepped: bool = False  # this week shows a step up over the last (A1)
    heavier: bool = False  # the heavy sets are heavier than last week's (M1)
    base_dose: bool = False  # the first lifting weeks: the base dose whatever the phase
    resting: tuple[str, ...] = ()  # M4: areas removed after pain (A4) or a red flag, by value
    back: str = ""  # the week the runner came back from a break: the return rule applied ("step"...)


def week_facts(
    profile: Profile,
    frame: WeekFrame,
    days: Sequence[DayPlan],
    lifts: Lifts,
    climbed: bool,
    context: WeekContext,
    pins: Pins | None,
    unreduced: Unreduced | None,
) -> WeekFacts:
    """The facts of the week ``frame`` planned as ``days``; ``climbed`` says whether any exercise
    moved up its progression chain. The cuts are counted with ``unreduced`` (None when this is itself
    a week planned to be compared with: it states no cut)."""
    state, dose_state, shape = frame.state, frame.dose_state, frame.shape
    start, week_phase, placed, eased = frame.start, frame.phase, lifts.placed, shape.eased
    week_dose = frame.dose(week_phase)
    add_load = week_dose is not None and (
        week_dose.add_load
        # past the first harder variation, a rung that found no harder exercise adds load instead
        or (rung_of(dose_state.step) == 0 and variation_of(dose_state.step) > 0 and not climbed)
    )
    items = [p for d in days if d.session.kind in LIFTING_KINDS for p in d.session.exercises]
    loaded = [p for p in items if p.type is ExerciseType.STRENGTH]
    # the frame's days carry their runs: a tune-up is a race on a day that is not the goal race's
    goal = profile.race.date if profile.race is not None else None
    tune_ups = [d.date for d in frame.days if d.run is RunKind.RACE and d.date != goal]
    heavy = frame.level is not Level.NEW and any(_reps_high(p.reps) <= HEAVY_REPS for p in loaded)
    cut = peak_cut = 0
    if unreduced is not None and placed and (shape.deload or eased is not None):
        # M2: the cut the runner reads is counted from the sets prescribed, against the full week
        full_week = unreduced(start, state, context, pins)
        cut = _cut(working_sets(days), working_sets(full_week.days))
    if unreduced is not None and placed and week_phase is Phase.PEAK:
        # peak's own cut, against build, is the week's sets as prescribed (a reduced peak week's too)
        peak_cut = _peak_cut(profile, start, state, working_sets(days), context, unreduced)
    return WeekFacts(
        deload=shape.deload,
        paused=any(d.paused for d in frame.days),
        add_load=add_load,
        no_safe_lifts=lifts.no_safe,
        first_back=eased is not None and eased.goal,
        heavy=heavy,
        loaded=bool(loaded),
        slow=any(p.type is ExerciseType.BODYWEIGHT for p in items),
        peak_cut=peak_cut,
        tune_up=weekday_of(tune_ups[0]) if tune_ups else "",
        tune_up_days=tune_up_recovery_days(profile, tune_ups[0]) if tune_ups else 0,
        gentle=tuple(dict.fromkeys(p.name for p in items if p.gentle)),
        too_close=frame.too_close,
        new_block=state.weeks_coached > 0 and state.weeks_coached % BLOCK_WEEKS == 0,
        cut=cut,
        eased=eased,
        step_lower=shape.step_lower,
        stepped=state.stepped and not shape.reduced and not shape.step_lower,
        heavier=heavy and _first_heavy_week(profile, start, state),
        base_dose=dose_phase(week_phase, state) is not week_phase,
        resting=tuple(area.value for area in BodyArea if area in frame.avoid) if frame.avoid else (),
        back=return_rule(state.back_gap).value if state.back_on in frame.dates else "",
    )


def _reps_high(reps: str) -> int:
    head = reps.split(" ")[0].split(",")[0]
    return int(head.rsplit("-", 1)[-1]) if head.replace("-", "").isdigit() else 99


def _cut(sets: int, compared: int) -> int:
    """How many per cent fewer ``sets`` than ``compared``, to the nearest 5 (M2)."""
    if compared <= 0 or sets >= compared:
        return 0
    return 5 * round(20 * (1 - sets / compared))


def _peak_cut(
    profile: Profile, start: dt.date, state: TrainingState, sets: int, context: WeekContext, unreduced: Unreduced
) -> int:
    """M2: the real cut in weekly working sets from the last build week that was not reduced to
    this peak week: the week before as it was planned when the context carries it, else that build
    week planned again at the runner's state then, unreduced, with doses held."""
    if context.build_sets:
        return _cut(sets, context.build_sets)
    first_peak = start
    while phase_of_week(profile, first_peak - dt.timedelta(days=WEEK_DAYS)) is Phase.PEAK:
        first_peak -= dt.timedelta(days=WEEK_DAYS)
    compared = 0
    for back in range(1, PEAK_LOOK_BACK + 1):
        monday = first_peak - dt.timedelta(days=WEEK_DAYS * back)
        if phase_of_week(profile, monday) is not Phase.BUILD:
            break
        weeks_back = (start - monday).days // WEEK_DAYS
        if state.weeks_coached < weeks_back:
            break  # the runner had not joined yet: no build week to compare with
        # that week as it was planned: its counters then (a runner's first two weeks take the base
        # dose, and J2's first two after a start or restart no jumps)
        then = replace(
            state,
            weeks_coached=state.weeks_coached - weeks_back,
            lifting_weeks=max(0, state.lifted_weeks - weeks_back),
            restart_weeks=None if state.restart_weeks is None else max(0, state.restart_weeks - weeks_back),
        )
        build = unreduced(monday, then, FRESH_START, None)
        compared = working_sets(build.days)
        if sum(1 for d in build.days if d.session.kind.is_lifting) >= build.lifting_target:
            break
    return _cut(sets, compared)


def _first_heavy_week(profile: Profile, start: dt.date, state: TrainingState) -> bool:
    """M1: whether this week's heavy sets are heavier than last week's (the first week at the
    build dose after base or the first base-dose weeks): "heavier" is said only then."""
    before = phase_of_week(profile, start - dt.timedelta(days=WEEK_DAYS))
    return before is Phase.BASE or state.lifted_weeks == BASE_DOSE_WEEKS
