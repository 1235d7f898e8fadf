"""Turn a runner's profile and calendar into a week of sessions, each with its reason.

``plan_week`` is the one entry point; it never reads the clock and touches no I/O. Reasons and
the week's note come out as data (a key and the values it cites); ``bot.coach.wording`` words them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from bot.coach.dose import Dose, dose_for, rung_of, variation_of
from bot.coach.inputs import RaceBehind, WeekKind, lifting_inputs, phase_of_week, record_week, week_kind
from bot.coach.library import Exercise, Library
from bot.coach.model import (
    BodyArea,
    DayPlan,
    ExerciseType,
    Level,
    LiftingInputs,
    NoteKey,
    NotePart,
    Pattern,
    Phase,
    Prescription,
    Profile,
    Reason,
    ReasonKey,
    Role,
    RunKind,
    Session,
    SessionKind,
    TrainingState,
    Weekday,
    WeekNote,
    WeekPlan,
)
from bot.coach.phases import (
    is_tune_up,
    lifting_target,
    phase_on,
    tune_up_recovery_days,
    tune_up_windows,
)
from bot.coach.placement import KEY_RUNS, NO_LIFT_DAYS, DaySlot, place, room
from bot.coach.selection import choose_routine, rotation_period
from bot.coach.session import DEADLIFT_SLOT, Options, build_session, warmup_text

WEEK_DAYS = 7
JUMPS_FROM_WEEK = 2  # low-level jumps from the runner's third week; big ones after two weeks of them
BASE_DOSE_WEEKS = 2  # a runner's first two weeks use the base dose whatever the phase
BLOCK_WEEKS = 4  # the main lifts stay the same for a block, then rotate
NEW_LIFTER_RACE_DAYS = 21  # no first-ever lifting session this close to the goal race
MIN_MINUTES = 10
ROTATION_PERIOD = 12  # a multiple of every slot's number of variants (1 to 4, 6)


@dataclass(frozen=True, slots=True)
class DayContext:
    """Everything a reason sentence may cite about one day."""

    date: dt.date
    run: RunKind
    next_run: RunKind
    phase: Phase
    paused: bool
    switched_off: bool
    lifted_yesterday: bool
    lifting_tomorrow: bool
    preferred: bool
    near_race: bool = False  # P9: within a tune-up race's no-lifting window (``tune_up`` is that race)
    too_close: bool = False  # a new lifter this close to the goal race starts no lifting
    tune_up: dt.date | None = None  # P9: the tune-up whose window (2 days before, its recovery after) holds the day
    tune_up_days: int = 0  # P9: the days without lifting after that tune-up (its distance's recovery, or 4)
    day_after_race: bool = False  # P10: the day after the goal race (its run stays; the reason advises rest)
    key_in_two_days: bool = False  # P5b: the next key run after this day is 2 days on


class Cites:
    """The values a runner's reasons and week notes cite, as data: run kinds, phases, distances
    and weekdays by their value, numbers and dates as text."""

    def __init__(self, profile: Profile) -> None:
        race = self.race = profile.race
        self.race_values = {
            "distance": race.distance.value if race else "",
            "race_date": race.date.isoformat() if race else "",
            "recovery_days": str(race.distance.recovery_days) if race else "",
        }

    def reason(self, key: ReasonKey, ctx: DayContext, target: int, placed: int, weekday: str = "") -> Reason:
        """Why a day holds its session; ``weekday`` is the value of another day it cites."""
        race = self.race
        if not weekday and ctx.tune_up is not None and key in TUNE_UP_REASONS:
            weekday = weekday_of(ctx.tune_up)  # P9: the race the day keeps clear of
        values = {
            "target": str(target),
            "placed": str(placed),
            "weekday": weekday,
            **self.race_values,
            "run": ctx.run.value,
            "next_run": ctx.next_run.value,
            "phase": ctx.phase.value,
            "days_to_race": str((race.date - ctx.date).days) if race else "",
            "tune_up_days": str(ctx.tune_up_days) if ctx.tune_up is not None else "",
        }
        return Reason(key, values)

    def note(
        self, key: NoteKey, phase: Phase, start: dt.date, target: int, placed: int, extra: Mapping[str, str]
    ) -> NotePart:
        race = self.race
        values = {
            "target": str(target),
            "placed": str(placed),
            **self.race_values,
            "weekday": "",
            "run": "",
            "next_run": "",
            "tune_up_days": "",
            **extra,
            "phase": phase.value,
            "weeks_to_race": str(max(0, math.ceil((race.date - start).days / 7))) if race else "",
        }
        return NotePart(key, values)


TUNE_UP_REASONS = frozenset({ReasonKey.MOBILITY_BEFORE_TUNE_UP, ReasonKey.MOBILITY_AFTER_TUNE_UP})


def weekday_of(day: dt.date) -> str:
    """How a reason cites a day: its weekday's value."""
    return Weekday.of(day).value


def lifting_reason_key(ctx: DayContext, kind: SessionKind) -> ReasonKey:
    if ctx.preferred:
        return ReasonKey.LIFT_PREFERRED_DAY
    if kind is SessionKind.POWER:
        return ReasonKey.POWER_DAY
    return {RunKind.REST: ReasonKey.LIFT_REST_DAY, RunKind.QUALITY: ReasonKey.LIFT_QUALITY_DAY}.get(
        ctx.run, ReasonKey.LIFT_EASY_DAY
    )


def quiet_day(ctx: DayContext, *, placed: int = 1, no_safe_lifts: bool = False) -> tuple[SessionKind, ReasonKey]:
    """The kind and reason key of a day without lifting, most telling cause first.

    ``placed`` is how many lifting sessions the week holds and ``no_safe_lifts`` whether the
    runner's niggles emptied one: a day is only said to leave the lifting to other days when
    there is lifting on other days.
    """
    if ctx.paused:
        return SessionKind.REST, ReasonKey.REST_PAUSED
    if ctx.run is RunKind.RACE:
        return SessionKind.REST, ReasonKey.REST_RACE_DAY
    if ctx.switched_off:
        return SessionKind.REST, ReasonKey.REST_SWITCHED_OFF
    if ctx.day_after_race and ctx.run is not RunKind.REST:
        return SessionKind.MOBILITY, ReasonKey.MOBILITY_DAY_AFTER_RACE  # P10: the run stays, rest advised
    if ctx.phase is Phase.RECOVERY:
        return SessionKind.MOBILITY, ReasonKey.MOBILITY_RECOVERY
    if ctx.phase is Phase.TAPER:
        return SessionKind.MOBILITY, ReasonKey.MOBILITY_TAPER
    if ctx.run is RunKind.LONG:
        return SessionKind.MOBILITY, ReasonKey.MOBILITY_LONG_TODAY
    if ctx.next_run in KEY_RUNS:
        return SessionKind.MOBILITY, ReasonKey.MOBILITY_BEFORE_KEY_RUN
    if ctx.tune_up is not None:
        before = ctx.tune_up > ctx.date
        return SessionKind.MOBILITY, ReasonKey.MOBILITY_BEFORE_TUNE_UP if before else ReasonKey.MOBILITY_AFTER_TUNE_UP
    if ctx.too_close and ctx.phase.allows_lifting:
        return SessionKind.MOBILITY, ReasonKey.MOBILITY_TOO_CLOSE_TO_START
    if ctx.lifted_yesterday:
        return SessionKind.MOBILITY, ReasonKey.MOBILITY_AFTER_LIFT
    if ctx.run is RunKind.QUALITY:
        return SessionKind.MOBILITY, ReasonKey.MOBILITY_QUALITY_TODAY
    if placed:
        return SessionKind.MOBILITY, ReasonKey.MOBILITY_WEEK_FULL
    if no_safe_lifts:
        return SessionKind.MOBILITY, ReasonKey.MOBILITY_NO_SAFE_LIFTS
    return SessionKind.MOBILITY, ReasonKey.MOBILITY_LIGHT_DAY


def mobility_focus(ctx: DayContext) -> str:
    if ctx.phase is Phase.RECOVERY:
        return "recovery"
    if ctx.phase is Phase.TAPER:
        return "taper"
    if ctx.next_run in KEY_RUNS:
        return "before_key_run"
    if ctx.run in (RunKind.LONG, RunKind.QUALITY):
        return "after_key_run"
    return "general"


class SessionBuilder:
    """Builds the session for one day once its kind is decided, from the week's ``LiftingInputs``."""

    def __init__(
        self,
        profile: Profile,
        library: Library,
        state: TrainingState,
        avoid: frozenset[BodyArea],
        *,
        inputs: LiftingInputs | None = None,
        niggles: frozenset[BodyArea] = frozenset(),
        easier: frozenset[BodyArea] = frozenset(),
        block: int = 0,
        week_number: int = 0,
        level: Level | None = None,
    ):
        self.profile = profile
        self.library = library
        self.state = state
        self.avoid = avoid  # never loaded: areas rested after pain
        self.inputs = inputs or LiftingInputs()
        # mobility spares every flagged area; lifting loads them at their rung (N3)
        self.flagged = niggles | easier | frozenset(area for area, rung in self.inputs.rungs if rung < 4)
        self.block = block
        self.week_number = week_number
        self.sessions = 0  # lifting sessions placed this week
        self.deadlift_before: bool | None = None  # whether the session before this one deadlifted heavy
        self.last_lead: Pattern | None = None  # the pattern this week's last session led with
        self.level = level or profile.strength_level
        self.titles = library.sessions.titles
        self.climbed = False  # whether any exercise this week moved up its progression chain

    def _count(self, index: int) -> int:
        """The session's place in the runner's sequence (weeks of the same number of sessions)."""
        return self.week_number * max(1, self.sessions) + index

    def mobility(self, ctx: DayContext, reason: Reason) -> Session:
        day = ctx.date.toordinal() % rotation_period(self.library)
        # mobility spares every rested or flagged area, whatever its rung (COACHING.md N6 and issue 15)
        spare = self.avoid | self.flagged | self.profile.injuries
        title, minutes, items = _mobility_body(self.library, mobility_focus(ctx), spare, day)
        return Session(SessionKind.MOBILITY, title, minutes, reason, items)

    def rest(self, reason: Reason) -> Session:
        return Session(SessionKind.REST, self.titles.get(SessionKind.REST, "Rest"), 0, reason)

    def lifting(
        self,
        kind: SessionKind,
        phase: Phase,
        dose: Dose,
        index: int,
        cites: Cites,
        reason_key: ReasonKey,
        ctx: DayContext,
        target: int,
        weekday: str = "",
        full: Dose | None = None,
    ) -> Session | None:
        """A strength or power session; None when the flagged areas leave nothing safe to lift.

        Squat and hinge take turns as the main lift from session to session (D2); a power session's
        main lift is the pattern the strength session before it did not lead with, which the same
        turn gives. A power session without jumps is a strength session, and says so.
        """
        profile = self.profile
        state = self.state
        inputs = self.inputs
        count = self._count(index)
        # squat and hinge take turns: after this week's last session, the other pattern; else by count
        if self.last_lead is not None:
            lead = Pattern.HINGE if self.last_lead is Pattern.SQUAT else Pattern.SQUAT
        else:
            lead = Pattern.SQUAT if count % 2 == 0 else Pattern.HINGE
        # a heavy deadlift every other hinge-led session, never two sessions running
        heavy_deadlift = (count // 2) % 2 == 0 and not self.deadlift_before
        opts = Options(
            kind=kind,
            equipment=profile.equipment,
            level=self.level,
            avoid=self.avoid,
            rungs=inputs.rungs,
            no_jump_areas=inputs.no_jump_areas,
            jump_stage=inputs.jump_stage,
            reduction=inputs.reduction,
            eccentric_week=inputs.eccentric_week,
            strength_test=inputs.strength_test if index == 0 else None,  # N5: once a week at most
            main_pattern=lead,
            heavy_deadlift=heavy_deadlift,
            # only the turn matters (tiers of up to 4 variants): small numbers keep sessions cached
            rotation=self.block % ROTATION_PERIOD,
            session_index=count % ROTATION_PERIOD,
            variation=variation_of(state.step),
            minutes=max(MIN_MINUTES, profile.session_minutes - state.minutes_cut),
            after_run=ctx.run in (RunKind.EASY, RunKind.QUALITY),
            peak=phase is Phase.PEAK,
        )
        items, session_minutes, climbed, kind = build_session(self.library, opts, dose, full)
        self.climbed = self.climbed or climbed
        self.deadlift_before = any(self.library.exercises[p.id].slot == DEADLIFT_SLOT for p in items)
        self.last_lead = lead
        if not [p for p in items if p.type is not ExerciseType.PLYOMETRIC]:
            return None
        if kind is not SessionKind.POWER and reason_key is ReasonKey.POWER_DAY:
            reason_key = lifting_reason_key(replace(ctx, preferred=False), kind)
        title = self.titles.get(kind, kind.value)
        reason = cites.reason(reason_key, ctx, target, 0, weekday)
        warmup = warmup_text(self.library, items, after_run=opts.after_run)
        return Session(kind, title, session_minutes, reason, items, warmup)


@lru_cache(maxsize=4096)
def _mobility_body(
    library: Library, focus: str, avoid: frozenset[BodyArea], day: int
) -> tuple[str, int, tuple[Prescription, ...]]:
    """Title, minutes and items of the day's mobility routine (the same few combinations recur)."""
    routine, keep = choose_routine(library, focus, avoid, day)
    items = []
    for index in keep:
        item = routine.items[index]
        items.append(_prescribe(library.exercises[item.exercise], item.sets, item.reps, None))
    return routine.title, routine.minutes, tuple(items)


@lru_cache(maxsize=16384)
def _prescribe(ex: Exercise, sets: int, reps: str, rpe: int | None) -> Prescription:
    return Prescription(
        id=ex.id,
        name=ex.name,
        sets=sets,
        reps=reps,
        rpe=rpe,
        cue=ex.cues[0],
        loads=tuple(ex.loads),
        type=ex.type,
        equipment=ex.equipment,
    )


POWER_PHASES = frozenset({Phase.BASE, Phase.BUILD})


def _lifting_kinds(level: Level, phase: Phase, count: int) -> list[SessionKind]:
    """Power work only for regular lifters in base and build: the 2nd of 2, or the 3rd of 3."""
    kinds = [SessionKind.STRENGTH] * count
    if level is Level.REGULAR and phase in POWER_PHASES and count >= 2:
        kinds[-1] = SessionKind.POWER
    return kinds


@dataclass(frozen=True, slots=True)
class WeekContext:
    """What planning a week needs to know beyond the runner's profile and training state.

    ``paused_until`` is the last paused day; ``lifted_before`` says whether the day before the
    week had lifting (P3 across weeks) and ``deadlift_before`` whether the last lifting session
    before it had a heavy deadlift (they alternate with other hinges; None when not known);
    ``quiet`` holds days with no lifting to plan (the days before the runner joined), each with
    its reason key and the weekday value that reason cites; ``lead_before`` the pattern the last
    strength session before the week led with (D2: squat and hinge take turns; None when not known).
    """

    paused_until: dt.date | None = None
    lifted_before: bool = False
    deadlift_before: bool | None = None
    lead_before: Pattern | None = None
    quiet: Mapping[dt.date, tuple[ReasonKey, str]] = field(default_factory=dict)

    def paused(self, day: dt.date) -> bool:
        return self.paused_until is not None and day <= self.paused_until


NO_CONTEXT = WeekContext()


@dataclass(frozen=True, slots=True)
class Pins:
    """What re-planning a week keeps fixed ("Adjusting today", a re-plan from today on).

    ``lifts`` are the lifting days and their kinds, instead of the placement search; ``kept`` the
    sessions already prescribed on some of them, kept as they are; ``moved_from`` names, for a
    lift that was moved, the day it came from; ``quiet`` holds days pinned to mobility with a
    reason key and the weekday value it cites (the day a lift was swapped away from).

    Pins never bypass a day's own rules: a kept session of a kind the day's phase does not
    prescribe (power outside base and build) is prescribed afresh for that day.
    """

    lifts: Mapping[dt.date, SessionKind]
    kept: Mapping[dt.date, Session] = field(default_factory=dict)
    moved_from: Mapping[dt.date, dt.date] = field(default_factory=dict)
    quiet: Mapping[dt.date, tuple[ReasonKey, str]] = field(default_factory=dict)


def _days(profile: Profile, start: dt.date, context: WeekContext) -> tuple[DayContext, ...]:
    """The seven days from ``start`` as reasons see them, before any lifting is placed."""
    days = [start + dt.timedelta(days=i) for i in range(WEEK_DAYS + 2)]
    runs = [profile.run_on(d) for d in days]
    tune_ups = tune_up_windows(profile, days[:WEEK_DAYS])  # P9
    recovery = [tune_up_recovery_days(profile, race) if race is not None else 0 for race in tune_ups]
    after_race = profile.race.date + dt.timedelta(days=1) if profile.race is not None else None
    return tuple(
        DayContext(
            date=day,
            run=runs[i],
            next_run=runs[i + 1],
            phase=phase_on(profile.race, day),
            paused=context.paused(day),
            switched_off=Weekday.of(day) in profile.mobility_off_days,
            lifted_yesterday=False,
            lifting_tomorrow=False,
            preferred=Weekday.of(day) in profile.preferred_days,
            near_race=tune_ups[i] is not None,
            tune_up=tune_ups[i],
            tune_up_days=recovery[i],
            day_after_race=day == after_race,
            key_in_two_days=runs[i + 1] not in KEY_RUNS and runs[i + 2] in KEY_RUNS,
        )
        for i, day in enumerate(days[:WEEK_DAYS])
    )


def _around(day: DayContext, i: int, lifting: tuple[int, ...], lifted_before: bool, too_close: bool) -> DayContext:
    """A day with what the lifting placed around it says about it."""
    return DayContext(
        date=day.date,
        run=day.run,
        next_run=day.next_run,
        phase=day.phase,
        paused=day.paused,
        switched_off=day.switched_off,
        lifted_yesterday=(i - 1) in lifting or (i == 0 and lifted_before),
        lifting_tomorrow=(i + 1) in lifting,
        preferred=day.preferred,
        near_race=day.near_race,
        too_close=too_close,
        tune_up=day.tune_up,
        tune_up_days=day.tune_up_days,
        day_after_race=day.day_after_race,
        key_in_two_days=day.key_in_two_days,
    )


def _keeps(session: Session, phase: Phase) -> bool:
    """Whether a pinned session may stay on a day of this phase as prescribed."""
    return session.kind is not SessionKind.POWER or phase in POWER_PHASES


def plan_week(
    profile: Profile,
    start: dt.date,
    library: Library,
    state: TrainingState | None = None,
    context: WeekContext = NO_CONTEXT,
    pins: Pins | None = None,
    *,
    as_kind: WeekKind | None = None,
) -> WeekPlan:
    """Plan the seven days from ``start`` for a runner in ``state``, in the week ``context``
    describes; ``pins`` fix what a re-plan keeps (without them, lifting is placed afresh).
    ``as_kind`` plans the week as if reduced so (M2 compares a reduced week with its full form)."""
    state = state or TrainingState()
    quiet = {**context.quiet, **pins.quiet} if pins is not None else context.quiet
    moved_from = pins.moved_from if pins is not None else {}
    lifted_before = context.lifted_before
    week = _days(profile, start, context)
    days = [d.date for d in week]
    # the week counts as the phase of its first day that may hold lifting: a week that starts in
    # the race's recovery and ends in base lifts like a base week, on its base days only
    may_lift = [d.phase.allows_lifting and not d.paused and d.date not in quiet for d in week]
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
    if pins is None:
        slots = [
            DaySlot(
                run=d.run,
                next_run=d.next_run,
                allowed=ok and not d.near_race,
                preferred=d.preferred,
                key_in_two_days=d.key_in_two_days,
            )
            for d, ok in zip(week, may_lift, strict=True)
        ]
        following, following_target = _next_week(profile, start, state, context)
        chosen = place(
            slots,
            target,
            hard_days_hard=profile.hard_days_hard,
            lifted_before=lifted_before,
            following=following,
            following_target=following_target,
        )
        kinds = dict(zip(chosen, _lifting_kinds(level, week_phase, len(chosen)), strict=True))
    else:
        chosen = tuple(i for i, day in enumerate(days) if day in pins.lifts)
        kinds = {i: pins.lifts[days[i]] for i in chosen}
    # the week's reduction (A3's back-off, A5's deload, the eased week after a race or tune-up)
    shape = as_kind if as_kind is not None else week_kind(profile, state, start, week_phase, lifting=target > 0)
    deload = shape.deload
    eased = shape.eased
    first_back = eased is not None  # the eased week (after the goal race or a tune-up)
    inputs = lifting_inputs(profile, state, week_phase, start, deload=deload, eased=first_back, kind=shape)
    if not inputs.jump_stage:
        # J2: a jump-free week's power session is a strength session
        kinds = {i: SessionKind.STRENGTH for i in kinds}
    # an eased week, and the week after a marathon or ultra's, sit one step lower
    dose_state = replace(state, step=max(0, state.step - shape.dose_step_down))

    cites = Cites(profile)
    # the main lifts stay for a block of 4 weeks from the runner's start; which pattern leads a
    # session turns week by week
    week_number = (start.toordinal() - 1) // WEEK_DAYS
    builder = SessionBuilder(
        profile,
        library,
        state,
        avoid,
        inputs=inputs,
        block=state.weeks_coached // BLOCK_WEEKS,
        week_number=week_number,
        level=level,
    )
    sessions: dict[int, Session] = {}
    placed = 0
    no_safe = False
    kept = {day: session for day, session in (pins.kept.items() if pins is not None else ()) if day in days}
    builder.sessions = len(chosen)
    builder.deadlift_before = context.deadlift_before
    builder.last_lead = context.lead_before
    for order, i in enumerate(chosen):
        phase = week[i].phase
        ctx = _around(week[i], i, chosen, False, False)
        if days[i] in kept and _keeps(kept[days[i]], phase):
            sessions[i] = kept[days[i]]
            if days[i] in moved_from:
                weekday = weekday_of(moved_from[days[i]])
                reason = cites.reason(ReasonKey.LIFT_MOVED_HERE, ctx, target, len(chosen), weekday)
                sessions[i] = replace(sessions[i], reason=reason)
            placed += 1
            continue
        dose = _week_dose(level, _dose_phase(phase, state), dose_state, shape, inputs.jump_stage)
        kind = kinds[i] if phase in POWER_PHASES else SessionKind.STRENGTH
        if days[i] in moved_from:
            key, weekday = ReasonKey.LIFT_MOVED_HERE, weekday_of(moved_from[days[i]])
        else:
            key, weekday = lifting_reason_key(ctx, kind), ""
        full = dose_for(level, _dose_phase(phase, state), replace(dose_state, set_cut=0))
        lift = builder.lifting(kind, phase, dose, order, cites, key, ctx, target, weekday, full) if dose else None
        if lift is not None:
            sessions[i] = lift
            placed += 1
            continue
        no_safe = True  # the niggles left nothing safe to lift on a day that fits lifting
        if ctx.switched_off:
            sessions[i] = builder.rest(cites.reason(ReasonKey.REST_SWITCHED_OFF, ctx, target, len(chosen)))
        else:
            why = cites.reason(ReasonKey.MOBILITY_NO_SAFE_LIFTS, ctx, target, len(chosen))
            sessions[i] = builder.mobility(ctx, why)

    lifting_idx = tuple(i for i in chosen if sessions[i].kind.is_lifting)
    plan_days = []
    for i, day in enumerate(days):
        ctx = _around(week[i], i, lifting_idx, lifted_before, too_close)
        session = sessions.get(i)
        if session is None:
            weekday = ""
            if day in quiet:
                kind, (key, weekday) = SessionKind.MOBILITY, quiet[day]
            else:
                kind, key = quiet_day(ctx, placed=placed, no_safe_lifts=no_safe)
            reason = cites.reason(key, ctx, target, placed, weekday)
            session = builder.rest(reason) if kind is SessionKind.REST else builder.mobility(ctx, reason)
        plan_days.append(DayPlan(date=day, run=week[i].run, phase=week[i].phase, session=session))

    week_dose = _week_dose(level, _dose_phase(week_phase, state), dose_state, shape, inputs.jump_stage)
    add_load = week_dose is not None and (
        week_dose.add_load
        # past the first harder variation, a rung that found no harder exercise adds load instead
        or (rung_of(dose_state.step) == 0 and variation_of(dose_state.step) > 0 and not builder.climbed)
    )
    items = [p for d in plan_days if d.session.kind.is_lifting for p in d.session.exercises]
    loaded = [p for p in items if p.type is ExerciseType.STRENGTH]
    tune_ups = [d for d in days if is_tune_up(profile, d)]
    heavy = level is not Level.NEW and any(_reps_high(p.reps) <= HEAVY_REPS for p in loaded)
    cut = peak_cut = 0
    if as_kind is None and placed and (deload or eased is not None):
        # M2: the cut the runner reads is counted from the sets prescribed, against the full week
        full_week = plan_week(profile, start, library, state, context, pins, as_kind=WeekKind())
        cut = _cut(_working_sets(plan_days), _working_sets(full_week.days))
    if as_kind is None and placed and week_phase is Phase.PEAK:
        # peak's own cut, against build, is the week's sets as prescribed (a reduced peak week's too)
        peak_cut = _peak_cut(profile, start, library, state, _working_sets(plan_days))
    facts = WeekFacts(
        deload=deload,
        paused=any(d.paused for d in week),
        add_load=add_load,
        no_safe_lifts=no_safe,
        first_back=eased is not None and eased.goal,
        heavy=heavy,
        loaded=bool(loaded),
        slow=any(p.type is ExerciseType.BODYWEIGHT for p in items),
        peak_cut=peak_cut,
        tune_up=weekday_of(tune_ups[0]) if tune_ups else "",
        tune_up_days=tune_up_recovery_days(profile, tune_ups[0]) if tune_ups else 0,
        gentle=tuple(dict.fromkeys(p.name for p in items if p.gentle)),
        too_close=too_close,
        new_block=state.weeks_coached > 0 and state.weeks_coached % BLOCK_WEEKS == 0,
        cut=cut,
        eased=eased,
        step_lower=shape.step_lower,
        stepped=state.stepped and not shape.reduced and not shape.step_lower,
        heavier=heavy and _first_heavy_week(profile, start, state),
        base_dose=_dose_phase(week_phase, state) is not week_phase,
        resting=tuple(area.value for area in BodyArea if area in avoid),
    )
    told = NO_PLACEMENT_NOTE
    if not too_close:  # the too-close note says why the week has no lifting
        told = _placement_note(
            cites,
            profile,
            week,
            context,
            week_phase,
            target,
            placed,
            lifting_idx,
            note_fields(facts),
            pinned=pins is not None,
        )
    note = _week_note(cites, profile, week_phase, start, target, placed, facts, told)
    if week[0].phase is Phase.RECOVERY and week_phase is not Phase.RECOVERY:
        # the week opens with the last days of the race's recovery: say so before the base note
        recovery = cites.note(NoteKey.RECOVERY, Phase.RECOVERY, start, target, placed, note_fields(facts))
        note = WeekNote((recovery, *note.parts))
    return WeekPlan(
        start=start,
        phase=week_phase,
        note=note,
        days=tuple(plan_days),
        lifting_target=target,
        deload=(deload or eased is not None) and placed > 0,
    )


HEAVY_REPS = 6


def _reps_high(reps: str) -> int:
    head = reps.split(" ")[0].split(",")[0]
    return int(head.rsplit("-", 1)[-1]) if head.replace("-", "").isdigit() else 99


def _week_dose(level: Level, phase: Phase, state: TrainingState, kind: WeekKind, stage: int) -> Dose | None:
    """The dose of the week's sessions: the table at the week's step, its sets cut about 40 % in a
    deload or eased week, and no jump sets in a jump-free week (J2, J3)."""
    dose = dose_for(level, phase, state, deload=kind.deload or kind.eased is not None)
    if dose is not None and not stage:
        dose = replace(dose, jump_sets=0)
    return dose


def _working_sets(days: tuple[DayPlan, ...] | list[DayPlan]) -> int:
    """M2: the working sets a week prescribes (jump sets in; warm-up, ramp sets and mobility out)."""
    return sum(
        p.sets
        for d in days
        if d.session.kind.is_lifting
        for p in d.session.exercises
        if p.type is not ExerciseType.MOBILITY
    )


def _cut(sets: int, compared: int) -> int:
    """How many per cent fewer ``sets`` than ``compared``, to the nearest 5 (M2)."""
    if compared <= 0 or sets >= compared:
        return 0
    return 5 * round(20 * (1 - sets / compared))


PEAK_LOOK_BACK = 3  # build weeks tried for one that placed all its sessions


def _peak_cut(profile: Profile, start: dt.date, library: Library, state: TrainingState, sets: int) -> int:
    """M2: the real cut in weekly working sets from the last build week that was not reduced to
    this peak week, with doses held (the build week is planned at the runner's state, unreduced)."""
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
        build = plan_week(profile, monday, library, then, FRESH_START, as_kind=WeekKind())
        compared = _working_sets(build.days)
        if sum(1 for d in build.days if d.session.kind.is_lifting) >= build.lifting_target:
            break
    return _cut(sets, compared)


def _first_heavy_week(profile: Profile, start: dt.date, state: TrainingState) -> bool:
    """M1: whether this week's heavy sets are heavier than last week's (the first week at the
    build dose after base or the first base-dose weeks): "heavier" is said only then."""
    before = phase_of_week(profile, start - dt.timedelta(days=WEEK_DAYS))
    return before is Phase.BASE or state.lifted_weeks == BASE_DOSE_WEEKS


def _next_week(
    profile: Profile, start: dt.date, state: TrainingState, context: WeekContext
) -> tuple[list[DaySlot], int]:
    """The days of the week after this one, as placement sees them (P5 across the week boundary)."""
    first = start + dt.timedelta(days=WEEK_DAYS)
    days = [first + dt.timedelta(days=i) for i in range(WEEK_DAYS + 2)]
    runs = [profile.run_on(d) for d in days]
    near = tune_up_windows(profile, days[:WEEK_DAYS])  # P9
    phases = [phase_on(profile.race, d) for d in days[:WEEK_DAYS]]
    may = [phases[i].allows_lifting and not context.paused(days[i]) for i in range(WEEK_DAYS)]
    phase = next((p for p, ok in zip(phases, may, strict=True) if ok), phases[0])
    target = lifting_target(phase, profile.strength_level, profile.sessions_per_week)
    if target:
        target = max(1, target - state.fewer_sessions)
    slots = [
        DaySlot(
            run=runs[i],
            next_run=runs[i + 1],
            allowed=may[i] and near[i] is None,
            preferred=Weekday.of(days[i]) in profile.preferred_days,
            key_in_two_days=runs[i + 1] not in KEY_RUNS and runs[i + 2] in KEY_RUNS,
        )
        for i in range(WEEK_DAYS)
    ]
    return slots, target


def key_in_two_days(profile: Profile, day: dt.date) -> bool:
    """P5b: the next key run after ``day`` is 2 days on (the day between is not one)."""
    return (
        profile.run_on(day + dt.timedelta(days=1)) not in KEY_RUNS
        and profile.run_on(day + dt.timedelta(days=2)) in KEY_RUNS
    )


def _dose_phase(phase: Phase, state: TrainingState) -> Phase:
    """A runner's first two lifting weeks (again after a gap of 28 days or more), and a runner
    awaiting clearance, lift at the base dose."""
    if phase.allows_lifting and (state.lifted_weeks < BASE_DOSE_WEEKS or state.needs_clearance):
        return Phase.BASE
    return phase


@dataclass(frozen=True, slots=True)
class WeekFacts:
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


def note_fields(facts: WeekFacts) -> dict[str, str]:
    """The placeholders a week note may use beyond the day's: every note gets all of them."""
    eased = facts.eased
    return {
        "cut": str(facts.cut),
        "peak_cut": str(facts.peak_cut),
        "weekday": facts.tune_up,
        "gentle": ", ".join(facts.gentle),
        # the race an eased week follows: its date, and its distance (or "race" when not known)
        "race_day": eased.date.isoformat() if eased else "",
        "race_kind": eased.distance.value if eased and eased.distance else "race",
        "resting": ", ".join(facts.resting),
        "tune_up_days": str(facts.tune_up_days),
    }


@dataclass(frozen=True, slots=True)
class PlacementNote:
    """What placement tells the week's note: why it holds fewer sessions than its phase asks for
    (P5, its true cause), and which preferred lifting days a MUST rule rules out, and why (P4)."""

    fewer: NotePart | None = None
    preferred_out: tuple[NotePart, ...] = ()


NO_PLACEMENT_NOTE = PlacementNote()

# P5's causes, most telling first: the counterfactual that lifts one of them decides
_CAUSES = (
    NoteKey.FEWER_JOINED,
    NoteKey.FEWER_TAPER,
    NoteKey.FEWER_RECOVERY,
    NoteKey.FEWER_RACE,
    NoteKey.FEWER_KEY_RUNS,
)


def usual_room(profile: Profile, target: int) -> int:
    """P5: the lifting sessions the runner's usual calendar (the weekly template, week after week)
    has room for, up to ``target``: P1 and P2 from the template, P3 also from Sunday to Monday."""
    runs = [profile.week[day] for day in Weekday]
    fits = [runs[i] not in NO_LIFT_DAYS and runs[(i + 1) % WEEK_DAYS] not in KEY_RUNS for i in range(WEEK_DAYS)]
    return room(fits, target, repeating=True)


def _placement_note(
    cites: Cites,
    profile: Profile,
    week: tuple[DayContext, ...],
    context: WeekContext,
    phase: Phase,
    target: int,
    placed: int,
    lifting: tuple[int, ...],
    extra: Mapping[str, str],
    *,
    pinned: bool = False,
) -> PlacementNote:
    """P4 and P5 in the week's note, every claim true of this week's calendar."""
    if not target:
        return NO_PLACEMENT_NOTE
    start = week[0].date

    def part(key: NoteKey, **values: str) -> NotePart:
        return cites.note(key, phase, start, target, placed, {**extra, **values})

    fewer = None
    if placed < target and not any(d.paused for d in week):
        cause = _fewer_cause(profile, week, context, target, placed, pinned)
        race = next((d.tune_up for d in week if d.tune_up is not None), None)
        if cause is NoteKey.FEWER_RACE and race is not None and race < start:
            cause = NoteKey.FEWER_AFTER_RACE  # the race was last week: its recovery days reach into this one
        if cause is not None:
            days = str(tune_up_recovery_days(profile, race)) if race is not None else ""
            fewer = part(cause, weekday=weekday_of(race) if race is not None else "", tune_up_days=days)
    out = []
    for i, day in enumerate(week):
        if not day.preferred or i in lifting or day.paused or day.date in context.quiet:
            continue
        next_to_lift = (i - 1) in lifting or (i + 1) in lifting or (i == 0 and context.lifted_before)
        if not day.phase.allows_lifting:
            key = NoteKey.PREFERRED_OUT_RACE_PHASE
        elif day.run in NO_LIFT_DAYS:
            key = NoteKey.PREFERRED_OUT_RUN
        elif day.next_run in KEY_RUNS:
            key = NoteKey.PREFERRED_OUT_BEFORE_KEY
        elif day.near_race:
            key = NoteKey.PREFERRED_OUT_NEAR_RACE
        elif next_to_lift:
            key = NoteKey.PREFERRED_OUT_NEXT_TO_LIFT
        else:
            continue  # no MUST rule bars it: the week's lifting simply sits on other days
        out.append(part(key, weekday=weekday_of(day.date), run=day.run.value, next_run=day.next_run.value))
    return PlacementNote(fewer, tuple(out))


def _fewer_cause(
    profile: Profile, week: tuple[DayContext, ...], context: WeekContext, target: int, placed: int, pinned: bool
) -> NoteKey | None:
    """P5: why the week holds ``placed`` of ``target`` sessions. "Only N fit" (FEWER_FIT, NONE_FIT)
    only when the runner's usual calendar has no more room; else the cause of this week that,
    lifted, leaves room for more: joined mid-week, the taper, the recovery, a tune-up race, or
    this week's runs being other than the usual ones."""
    template = [profile.week[Weekday.of(d.date)] for d in week]
    template_next = [profile.week[Weekday.of(d.date + dt.timedelta(days=1))] for d in week]
    flags = {
        NoteKey.FEWER_JOINED: [d.date in context.quiet for d in week],
        NoteKey.FEWER_TAPER: [d.phase is Phase.TAPER for d in week],
        NoteKey.FEWER_RECOVERY: [d.phase is Phase.RECOVERY for d in week],
        NoteKey.FEWER_RACE: [d.near_race for d in week],
        NoteKey.FEWER_KEY_RUNS: [d.run in NO_LIFT_DAYS or d.next_run in KEY_RUNS for d in week],
    }
    usual_runs = [t not in NO_LIFT_DAYS and n not in KEY_RUNS for t, n in zip(template, template_next, strict=True)]

    def fits(skip: NoteKey | None) -> list[bool]:
        out = []
        for i in range(len(week)):
            barred = any(flags[key][i] for key in _CAUSES if key is not skip)
            if skip is NoteKey.FEWER_KEY_RUNS:
                barred = any(flags[key][i] for key in _CAUSES[:-1]) or not usual_runs[i]
            out.append(not barred)
        return out

    now = room(fits(None), target, lifted_before=context.lifted_before)
    if now > placed:
        # the calendar had room for more: a re-plan that dropped a lift says so on that day, and a
        # fresh plan took fewer only so that next week keeps room for all of its sessions
        return None if pinned else NoteKey.FEWER_NEXT_WEEK
    if placed >= usual_room(profile, target):
        return NoteKey.NONE_FIT if placed == 0 else NoteKey.FEWER_FIT
    for key in _CAUSES:
        if room(fits(key), target, lifted_before=context.lifted_before) > now:
            return key
    if context.lifted_before and room(fits(None), target) > now:
        return NoteKey.FEWER_AFTER_LAST_WEEK
    for key in _CAUSES[:-1]:
        if any(flags[key]):
            return key
    if any(d.run is not t or d.next_run is not n for d, t, n in zip(week, template, template_next, strict=True)):
        return NoteKey.FEWER_KEY_RUNS
    return NoteKey.NONE_FIT if placed == 0 else NoteKey.FEWER_FIT  # not reached: the usual week has no more room


def _week_note(
    cites: Cites,
    profile: Profile,
    phase: Phase,
    start: dt.date,
    target: int,
    placed: int,
    facts: WeekFacts,
    placement: PlacementNote = NO_PLACEMENT_NOTE,
) -> WeekNote:
    """The week's note: its phase, then what is different about this week; every claim true of the plan."""
    # M1: progress ("a little more each week") only when this week shows a step up; "heavier" only
    # in the week the heavy sets get heavier; peak's cut only when counted from real sets (M2)
    if phase is Phase.BASE and (profile.race is None or profile.race.date < start):
        key = NoteKey.BASE_NO_RACE_PROGRESS if facts.stepped else NoteKey.BASE_NO_RACE
    elif phase is Phase.BASE:
        key = NoteKey.BASE_PROGRESS if facts.stepped else NoteKey.BASE
    elif phase is Phase.BUILD and not facts.heavy:
        key = NoteKey.BUILD_LIGHT
    elif phase is Phase.BUILD:
        key = NoteKey.BUILD if facts.heavier else NoteKey.BUILD_HEAVY
    elif phase is Phase.PEAK and not facts.peak_cut:
        key = NoteKey.PEAK_START
    else:
        key = NoteKey(phase.value)
    extra = note_fields(facts)

    def note(name: NoteKey) -> NotePart:
        return cites.note(name, phase, start, target, placed, extra)

    # a new lifter this close to the race: the week is about that, not the peak's cut in sets
    parts = [note(NoteKey.TOO_CLOSE_TO_START if facts.too_close else key)]
    if facts.tune_up:
        parts.append(note(NoteKey.TUNE_UP))
    if facts.paused:
        parts.append(note(NoteKey.PAUSED))
    elif target and placed < target and facts.no_safe_lifts:
        parts.append(note(NoteKey.NIGGLES))
    elif placement.fewer is not None:
        parts.append(placement.fewer)  # P5: as many as fit, and the true cause
    parts.extend(placement.preferred_out)  # P4: a preferred day a MUST rule bars, and why
    if facts.new_block and placed:
        parts.append(note(NoteKey.NEW_BLOCK))
    if facts.gentle and placed:
        parts.append(note(NoteKey.GENTLE))
    if facts.resting:
        parts.append(note(NoteKey.RESTING))
    eased = facts.eased
    if eased is not None and eased.goal and placed:
        parts.append(note(NoteKey.FIRST_WEEK_BACK))
    elif eased is not None and placed:
        known = eased.distance is not None
        if eased.jump_free:
            parts.append(note(NoteKey.EASED_TUNE_UP_NO_JUMPS if known else NoteKey.EASED_RACE_NO_JUMPS))
        else:
            parts.append(note(NoteKey.EASED_TUNE_UP))
    elif facts.deload and placed and facts.cut:
        parts.append(note(NoteKey.DELOAD))
    elif facts.step_lower and placed:
        parts.append(note(NoteKey.STEP_LOWER))
    elif facts.stepped and facts.add_load and placed and facts.loaded:
        parts.append(note(NoteKey.ADD_LOAD))
    elif facts.stepped and facts.add_load and placed and facts.slow:
        parts.append(note(NoteKey.SLOW_PROGRESS))
    return WeekNote(tuple(parts))


FRESH_START = WeekContext(lifted_before=False, deadlift_before=False)


def plan_weeks(
    profile: Profile,
    start: dt.date,
    weeks: int,
    library: Library,
    state: TrainingState | None = None,
    context: WeekContext = FRESH_START,
    *,
    reviewed: bool = True,
) -> list[WeekPlan]:
    """Consecutive weeks from ``start``, the first in ``context`` (by default a runner's first
    week: nothing lifted before it); each week knows whether the one before ended on a lift.

    ``reviewed`` plans the weeks as if each were reviewed before the next with no check-ins (as
    `coach plan` projects them): phases, A5's deloads and eased weeks appear, doses hold, the weeks
    count towards the runner's first weeks and their jumps, and the heavy deadlifts carry on
    alternating. Without it the weeks are planned as the coach plans and stores a week it has not
    reviewed yet: the dose and the count of coached weeks stay, only the week-level counters (A5's
    count, an eased week taken, the jump stage) move on as the review will move them.
    """
    plans: list[WeekPlan] = []
    state = state or TrainingState()
    for n in range(weeks):
        week = plan_week(profile, start + dt.timedelta(days=WEEK_DAYS * n), library, state, context)
        plans.append(week)
        # the counters move on as the review will move them (lifting weeks, jumps, A5's count, eased
        # weeks); reviewed with no check-ins, the dose holds (A2) and the week counts as coached
        counted = replace(record_week(profile, state, week), stepped=False, recovery_week=False)
        state = replace(counted, weeks_coached=state.weeks_coached + 1) if reviewed else counted
        deadlift_before = context.deadlift_before
        lifts = [d.session for d in week.days if d.session.kind.is_lifting]
        if reviewed and lifts:
            deadlift_before = any(library.exercises[p.id].slot == DEADLIFT_SLOT for p in lifts[-1].exercises)
        context = replace(
            context,
            lifted_before=week.days[-1].session.kind.is_lifting,
            deadlift_before=deadlift_before,
            lead_before=lead_of(week, library) or context.lead_before,
        )
    return plans


_LEADS = frozenset({Pattern.SQUAT, Pattern.HINGE})


def lead_of(week: WeekPlan, library: Library) -> Pattern | None:
    """The pattern the week's last strength session led with (D2), None without one: its main lift,
    else the first squat or hinge it holds."""
    for day in reversed(week.days):
        if day.session.kind is not SessionKind.STRENGTH:
            continue
        patterns = [library.exercises[p.id].pattern for p in day.session.exercises if p.id in library.exercises]
        roles = [library.exercises[p.id].role for p in day.session.exercises if p.id in library.exercises]
        mains = [pat for pat, role in zip(patterns, roles, strict=True) if role is Role.MAIN and pat in _LEADS]
        leads = mains or [pat for pat in patterns if pat in _LEADS]
        if leads:
            return leads[0]
    return None


def context_after(week: WeekPlan, library: Library, paused_until: dt.date | None) -> WeekContext:
    """The context of the week after ``week``: whether it ended on a lift, and the lead to turn from."""
    return WeekContext(
        paused_until=paused_until,
        lifted_before=week.days[-1].session.kind.is_lifting,
        lead_before=lead_of(week, library),
    )


def week_reading(week: WeekPlan) -> tuple[object, ...]:
    """What the runner reads of a week's lifting (A1: a step must change it): each session's kind and
    exercises with their sets, reps, effort, tempo, load cue and contacts, and the note's claims."""
    sessions = tuple(
        (
            d.date,
            d.session.kind,
            tuple((p.id, p.sets, p.reps, p.rpe, p.load_cue, p.contacts, p.cue) for p in d.session.exercises),
        )
        for d in week.days
        if d.session.kind.is_lifting
    )
    return sessions, tuple(part.key for part in week.note.parts)
