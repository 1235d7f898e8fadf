"""What a week decides for its lifting sessions beyond the dose (``LiftingInputs``), and the
week-level progression decisions behind it: which weeks are reduced (A3's back-off, A5's deload,
the eased week after a race or tune-up), which are jump-free and at what J1 stage jumps stand (J2,
J3), and the eccentric-heavy week (D4).

Everything is decided from the runner's profile, their ``TrainingState`` counters and the week's
dates, so a re-plan of the same week decides the same; ``record_week`` moves the counters on once a
week is over (the weekly review and the ``coach plan`` projection).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from bot.coach import niggles
from bot.coach.model import (
    BodyArea,
    Distance,
    ExerciseType,
    Level,
    LiftingInputs,
    Phase,
    Profile,
    Reduction,
    RunKind,
    TrainingState,
    WeekPlan,
)
from bot.coach.phases import is_tune_up, phases_from

JUMP_FREE_WEEKS = 2  # J2: no jumps in the first two lifting weeks (with the coach, after a restart)
STAGE_WEEKS = 2  # J1: up one stage after 2 lifting weeks at the stage below
JUMP_GAP_DAYS = 14  # J2: 14 days or more without jumps restart them at stage 1
ECCENTRIC_FREE_WEEKS = 4  # D4: no eccentric-heavy exercise in the first four lifting weeks
TUNE_UP_UNKNOWN_RECOVERY = 4  # P9: recovery days after a tune-up of unknown distance
MAX_REDUCED_IN_ROW = 2  # A5 never makes a third reduced week in a row
LONG_RACES = frozenset({Distance.MARATHON, Distance.ULTRA})  # the eased week is followed by a step lower
JUMP_FREE_TUNE_UPS = frozenset({Distance.HALF, Distance.MARATHON, Distance.ULTRA})  # J3: no jumps after
WEEK_DAYS = 7
QUIET_PHASES = (Phase.TAPER, Phase.RECOVERY)  # no lifting; J2 and A5 restart after them
_JUMP_PHASES = frozenset({Phase.BASE, Phase.BUILD, Phase.PEAK})


@dataclass(frozen=True, slots=True)
class RaceBehind:
    """A race whose recovery is over and after which the runner has not lifted yet: the next lifting
    week is eased (COACHING.md "Phases", P9). ``distance`` is None for a tune-up of unknown distance."""

    date: dt.date
    distance: Distance | None
    goal: bool

    @property
    def jump_free(self) -> bool:
        """J3: the eased week after a tune-up of a half or longer, or of unknown distance, has no
        jumps (after the goal race, J2's restart already keeps the week jump-free)."""
        return not self.goal and (self.distance is None or self.distance in JUMP_FREE_TUNE_UPS)


@dataclass(frozen=True, slots=True)
class WeekKind:
    """How a week reduces its work: a deload (A5, or a recovery week the runner marked), the eased
    week after a race (a step lower, about 40 % fewer sets), a back-off (the week after A3), or the
    week after a marathon or ultra's eased week (a step lower at full sets)."""

    deload: bool = False
    eased: RaceBehind | None = None
    back_off: bool = False
    step_lower: bool = False

    @property
    def reduced(self) -> bool:
        """A reduced week (COACHING.md "Vocabulary"): deload, back-off or eased."""
        return self.deload or self.eased is not None or self.back_off

    @property
    def reduction(self) -> Reduction:
        if self.deload or self.eased is not None:
            return Reduction.DELOAD
        return Reduction.BACK_OFF if self.back_off else Reduction.NONE

    @property
    def dose_step_down(self) -> int:
        """Steps below the runner's rung this week's dose sits (eased: one; after a marathon or
        ultra's eased week: one, at full sets)."""
        return 1 if self.eased is not None or self.step_lower else 0


def races_behind(profile: Profile, state: TrainingState, start: dt.date) -> RaceBehind | None:
    """The race (goal race first, then the latest tune-up) whose recovery ended by the end of this
    week with no lifting since it: this week, if it lifts, is the first lifting week after it,
    whichever calendar week that is (the ultra finding: a recovery that ended on a long-run weekend
    must not lose its eased week)."""
    # compared as ordinals: date + timedelta costs several times more, and this runs every week
    first = start.toordinal()
    end = first + WEEK_DAYS - 1
    joined = first - WEEK_DAYS * state.weeks_coached
    found: list[RaceBehind] = []
    race = profile.race
    if race is not None:
        found.append(RaceBehind(race.date, race.distance, goal=True))
    for day in sorted((day for day, kind in profile.overrides.items() if kind is RunKind.RACE), reverse=True):
        if is_tune_up(profile, day):
            found.append(RaceBehind(day, profile.tune_up_distances.get(day), goal=False))
    for behind in found:
        days = behind.distance.recovery_days if behind.distance is not None else TUNE_UP_UNKNOWN_RECOVERY
        raced = behind.date.toordinal()
        back = raced + days + 1
        if back > end or raced > end:
            continue
        if state.last_lift is not None:
            if state.last_lift < behind.date:
                return behind
        elif back >= max(joined, first - WEEK_DAYS):
            # no lifting day on record: the week the recovery ends in, or the one after it
            return behind
    return None


def week_kind(profile: Profile, state: TrainingState, start: dt.date, phase: Phase, *, lifting: bool) -> WeekKind:
    """This week's reduction, decided before its sessions are placed (``lifting``: the week's phase
    and calendar ask for lifting). An eased week wins over a deload, which waits (the count restarts
    after any reduced week, so A5 never makes a third reduced week in a row)."""
    if not lifting:
        return WeekKind()
    eased = races_behind(profile, state, start)
    back_off = state.backoff_weeks > 0 and eased is None
    deload = (
        eased is None
        and state.deload_due
        and (phase in (Phase.BASE, Phase.BUILD) or state.recovery_week)
        and state.reduced_in_row + (1 if back_off else 0) < MAX_REDUCED_IN_ROW
    )
    if deload:
        back_off = False
    return WeekKind(deload=deload, eased=eased, back_off=back_off, step_lower=state.step_lower and eased is None)


def jump_stage(
    profile: Profile, state: TrainingState, phase: Phase, start: dt.date, kind: WeekKind
) -> tuple[int, bool]:
    """J1 and J2: the stage jumps may reach this week (0: none) and whether it restarts them at
    stage 1. No jumps in the first 2 lifting weeks with the coach, nor the first 2 after a taper and
    recovery, a pause or a gap; none in peak but for `regular`; none in the eased week after a
    half-or-longer (or unknown) tune-up. Up one stage after 2 lifting weeks at the stage below,
    never in a reduced week or in peak; stage 3 only for `regular`; 14 days or more without jumps
    restart at stage 1."""
    level = Level.NEW if state.needs_clearance else profile.strength_level
    if phase not in _JUMP_PHASES or (phase is Phase.PEAK and level is not Level.REGULAR):
        return 0, False
    if state.weeks_since_restart < JUMP_FREE_WEEKS:
        return 0, False
    if any(phase in QUIET_PHASES for phase in phases_from(profile.race, start, WEEK_DAYS)):
        return 0, False  # lifting again in the week a taper and recovery end: the restart's first week
    if kind.eased is not None and kind.eased.jump_free:
        return 0, False
    gap = state.last_jumps is None or (start - state.last_jumps).days > JUMP_GAP_DAYS
    if state.jump_stage == 0 or gap:
        return 1, True
    stage = state.jump_stage
    if state.stage_weeks >= STAGE_WEEKS and not kind.reduced and phase is not Phase.PEAK:
        stage += 1
    return min(stage, 3 if level is Level.REGULAR else 2), False


def eccentric_week(state: TrainingState) -> int:
    """D4: 0 (no eccentric-heavy exercise) in the first 4 lifting weeks and the week after a
    "very sore" in a week that held one; else the exercise's nth lifting week (after a swap it
    returns a step lower)."""
    if state.lifted_weeks < ECCENTRIC_FREE_WEEKS or state.eccentric_out:
        return 0
    return state.eccentric_weeks + 1


def lifting_inputs(
    profile: Profile,
    state: TrainingState,
    phase: Phase,
    start: dt.date,
    *,
    deload: bool,
    eased: bool,
    kind: WeekKind | None = None,
) -> LiftingInputs:
    """The week's jump stage, reduction, niggle rungs and eccentric week. ``kind`` is the week's
    reduction as ``week_kind`` decided it; without it, ``deload`` and ``eased`` say it."""
    if kind is None:
        kind = WeekKind(deload=deload, back_off=state.backoff_weeks > 0 and not (deload or eased))
        if eased:
            kind = replace(kind, eased=races_behind(profile, state, start) or RaceBehind(start, None, goal=False))
    stage, _ = jump_stage(profile, state, phase, start, kind)
    if not (profile.injuries or state.niggles or state.pain):  # most weeks: nothing flagged or resting
        return LiftingInputs(jump_stage=stage, reduction=kind.reduction, eccentric_week=eccentric_week(state))
    rungs = niggles.area_rungs(state, profile.injuries, start)
    no_jumps: frozenset[BodyArea] = niggles.no_jump_areas(state, profile.injuries, start)
    return LiftingInputs(
        jump_stage=stage,
        reduction=kind.reduction,
        rungs=rungs,
        no_jump_areas=no_jumps,
        eccentric_week=eccentric_week(state),
        strength_test=niggles.test_due(state, profile.injuries, start),
    )


def record_week(
    profile: Profile,
    state: TrainingState,
    week: WeekPlan,
    *,
    eccentric_ids: frozenset[str] = frozenset(),
    very_sore: int = 0,
    into: TrainingState | None = None,
) -> TrainingState:
    """The progression counters once ``week`` (planned from ``state``) is over: lifting weeks, J2's
    restarts, the J1 stage reached, the last days with jumps and lifting, D4's eccentric weeks,
    A5's count and the reduced weeks in a row. The A1 to A4 review comes on top of this.

    ``eccentric_ids`` are the library's eccentric-heavy exercises; ``very_sore`` the week's "very
    sore" check-ins; ``into`` the state the counters are written into (the weekly review's outcome,
    whose rung, A3/A4 fields and A1 flags are kept), by default ``state``.
    """
    lifting = [d for d in week.days if d.session.kind.is_lifting]
    quiet_phases = [d.date for d in week.days if d.phase in QUIET_PHASES]
    # the counts are kept from here on, lifting or not (None counted them as coached weeks)
    new = replace(
        into if into is not None else state,
        lifting_weeks=state.lifted_weeks,
        restart_weeks=state.weeks_since_restart,
    )
    kind = week_kind(profile, state, week.start, week.phase, lifting=bool(lifting))
    if lifting:
        new = replace(
            new,
            lifting_weeks=state.lifted_weeks + 1,
            restart_weeks=state.weeks_since_restart + 1,
            last_lift=lifting[-1].date,
        )
    if quiet_phases:
        # J2 and A5 restart after a taper and recovery: only lifting after its last day counts
        after = sum(1 for d in lifting if d.date > quiet_phases[-1])
        new = replace(new, restart_weeks=1 if after else 0, weeks_trained=0, jump_stage=0, stage_weeks=0)
    jumped = [d.date for d in lifting if any(p.type is ExerciseType.PLYOMETRIC for p in d.session.exercises)]
    if jumped:
        stage, restart = jump_stage(profile, state, week.phase, week.start, kind)
        stage = max(1, stage)
        if restart or stage != state.jump_stage:
            new = replace(new, jump_stage=stage, stage_weeks=0 if kind.reduced else 1)
        elif not kind.reduced:
            new = replace(new, stage_weeks=state.stage_weeks + 1)
        new = replace(new, last_jumps=jumped[-1])
    held = any(p.id in eccentric_ids for d in lifting for p in d.session.exercises)
    if held:
        done = state.eccentric_weeks + 1
        if very_sore:
            new = replace(new, eccentric_weeks=max(0, done - 2), eccentric_out=True)
        else:
            new = replace(new, eccentric_weeks=done)
    elif state.eccentric_out and not very_sore:
        new = replace(new, eccentric_out=False)
    if lifting and not quiet_phases:
        if kind.reduced:
            new = replace(new, reduced_in_row=state.reduced_in_row + 1, weeks_trained=0)
        else:
            counts = week.phase in (Phase.BASE, Phase.BUILD)
            new = replace(new, reduced_in_row=0, weeks_trained=state.weeks_trained + (1 if counts else 0))
    elif lifting:
        new = replace(new, reduced_in_row=state.reduced_in_row + 1 if kind.reduced else 0)
    elif not quiet_phases:
        # a week without lifting neither counts nor breaks a run of reduced weeks
        new = replace(new, weeks_trained=state.weeks_trained, reduced_in_row=state.reduced_in_row)
    else:
        new = replace(new, reduced_in_row=0)
    if lifting:
        long_race = kind.eased is not None and kind.eased.goal and kind.eased.distance in LONG_RACES
        new = replace(new, step_lower=long_race)
    return new


def phase_of_week(profile: Profile, start: dt.date, may_lift: list[bool] | None = None) -> Phase:
    """The phase a week counts as: that of its first day that may hold lifting (else its first day's)."""
    phases = phases_from(profile.race, start, WEEK_DAYS)
    if may_lift is None:
        may_lift = [p.allows_lifting for p in phases]
    return next((p for p, ok in zip(phases, may_lift, strict=True) if ok), phases[0])
