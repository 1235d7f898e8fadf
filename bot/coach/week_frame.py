"""A week's frame, the first step of planning it: its days, the phase it counts as, the level and
number of lifting sessions it aims for, its reduction (A3's back-off, A5's deload, the eased week
after a race) and the dose its sessions take, all decided before any lifting is placed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from typing import NamedTuple

from bot.coach.dose import Dose, dose_at
from bot.coach.inputs import WeekKind, lifting_inputs, week_kind
from bot.coach.model import BodyArea, Level, LiftingInputs, Phase, Profile, ReasonKey, TrainingState
from bot.coach.phases import lifting_target
from bot.coach.vocabulary import LIFTING_PHASES
from bot.coach.week_context import Pins, WeekContext
from bot.coach.week_days import WEEK_DAYS, DayContext, day_contexts

BASE_DOSE_WEEKS = 2  # a runner's first two weeks use the base dose whatever the phase
NEW_LIFTER_RACE_DAYS = 21  # no first-ever lifting session this close to the goal race
POWER_PHASES = frozenset({Phase.BASE, Phase.BUILD})


class WeekFrame(NamedTuple):
    """What a week is before its lifting is placed.

    ``phase`` is the phase of the week's first day that may hold lifting (a week that starts in the
    race's recovery and ends in base lifts like a base week, on its base days only); ``may_lift``
    says, day by day, whether its phase, a pause and the quiet days leave it open to lifting;
    ``avoid`` the areas rested after pain (not loaded at all); ``level`` the runner's, or `new`
    while the health screen awaits clearance; ``target`` the lifting sessions the week aims for
    (none for a new lifter ``too_close`` to the goal race); ``shape`` the week's reduction and
    ``inputs`` what it decides for its lifting beyond the dose, taken at ``dose_state``.

    The planner's own records built once a week (this one, ``WeekFacts``, ``Lifts``, ``Dosing``)
    are named tuples rather than frozen dataclasses: as immutable, and cheaper to build (a frozen
    dataclass sets each field through a call to ``object.__setattr__``) and to hash (issue 22).
    """

    start: dt.date
    days: tuple[DayContext, ...]
    dates: tuple[dt.date, ...]
    quiet: Mapping[dt.date, tuple[ReasonKey, str]]
    may_lift: tuple[bool, ...]
    phase: Phase
    state: TrainingState
    avoid: frozenset[BodyArea]
    level: Level
    target: int
    too_close: bool
    shape: WeekKind
    inputs: LiftingInputs
    dose_state: TrainingState

    def dose(self, phase: Phase) -> Dose | None:
        """The dose of the week's sessions on a day of ``phase`` (see ``week_dose``)."""
        return week_dose(self.level, dose_phase(phase, self.state), self.dose_state, self.shape, self.inputs.jump_stage)

    def full_dose(self, phase: Phase) -> Dose | None:
        """The same day's dose at full sets (no deload, no back-off cut): a session keeps its exercises at it."""
        return dose_at(self.level, dose_phase(phase, self.state), self.dose_state.step, 0)


def frame_week(
    profile: Profile,
    start: dt.date,
    state: TrainingState,
    context: WeekContext,
    pins: Pins | None,
    as_kind: WeekKind | None,
) -> WeekFrame:
    """The frame of the seven days from ``start``; ``as_kind`` forces the week's reduction."""
    quiet = {**context.quiet, **pins.quiet} if pins is not None else context.quiet
    week = day_contexts(profile, start, context)
    may_lift = tuple(d.phase in LIFTING_PHASES and not d.paused and d.date not in quiet for d in week)
    week_phase = next((d.phase for d, ok in zip(week, may_lift, strict=True) if ok), week[0].phase)
    avoid = state.rested_areas(start)  # rested after pain: not loaded at all
    # the health screen asked for clearance: the `new` base dose until the runner confirms it
    level = Level.NEW if state.needs_clearance else profile.strength_level

    target = lifting_target(week_phase, profile.strength_level, profile.sessions_per_week)
    if target:
        target = max(1, target - state.fewer_sessions)
    # a runner who has never lifted starts no lifting within 3 weeks of the goal race
    race = profile.race
    coached_from = start - dt.timedelta(days=WEEK_DAYS * state.weeks_coached)
    too_close = (
        week_phase is Phase.PEAK
        and level is Level.NEW
        and race is not None
        and 0 <= (race.date - coached_from).days <= NEW_LIFTER_RACE_DAYS
    )
    if too_close:
        target = 0
    # the week's reduction (A3's back-off, A5's deload, the eased week after a race or tune-up)
    shape = as_kind if as_kind is not None else week_kind(profile, state, start, week_phase, lifting=target > 0)
    first_back = shape.eased is not None  # the eased week (after the goal race or a tune-up)
    inputs = lifting_inputs(profile, state, week_phase, start, deload=shape.deload, eased=first_back, kind=shape)
    return WeekFrame(
        start=start,
        days=week,
        dates=tuple(d.date for d in week),
        quiet=quiet,
        may_lift=may_lift,
        phase=week_phase,
        state=state,
        avoid=avoid,
        level=level,
        target=target,
        too_close=too_close,
        shape=shape,
        inputs=inputs,
        # an eased week, and the week after a marathon or ultra's, sit one step lower
        dose_state=replace(state, step=max(0, state.step - shape.dose_step_down)) if shape.dose_step_down else state,
    )


def dose_phase(phase: Phase, state: TrainingState) -> Phase:
    """A runner's first two lifting weeks (again after a gap of 28 days or more), and a runner
    awaiting clearance, lift at the base dose."""
    if phase in LIFTING_PHASES and (state.lifted_weeks < BASE_DOSE_WEEKS or state.needs_clearance):
        return Phase.BASE
    return phase


def week_dose(level: Level, phase: Phase, state: TrainingState, kind: WeekKind, stage: int) -> Dose | None:
    """The dose of the week's sessions: the table at the week's step, its sets cut about 40 % in a
    deload or eased week, and no jump sets in a jump-free week (J2, J3)."""
    return _week_dose(level, phase, state.step, state.set_cut, kind.deload or kind.eased is not None, bool(stage))


@lru_cache(maxsize=1024)
def _week_dose(level: Level, phase: Phase, step: int, set_cut: int, deload: bool, jumps: bool) -> Dose | None:
    dose = dose_at(level, phase, step, set_cut, deload=deload)
    if dose is not None and not jumps:
        dose = replace(dose, jump_sets=0)
    return dose
