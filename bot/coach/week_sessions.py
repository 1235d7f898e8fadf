"""A week's sessions, once its lifting days are placed: the lifts on those days, then every day's
session (the lift, else mobility or rest) with its reason."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from typing import NamedTuple

from bot.coach.dose import Dose, variation_of
from bot.coach.library import Exercise, Library
from bot.coach.model import (
    BodyArea,
    DayPlan,
    ExerciseType,
    Level,
    LiftingInputs,
    Pattern,
    Phase,
    Prescription,
    Profile,
    Reason,
    ReasonKey,
    Reduction,
    RunKind,
    Session,
    SessionKind,
    TrainingState,
)
from bot.coach.placement import KEY_RUNS
from bot.coach.selection import choose_routine, focus_turns
from bot.coach.session import build_session, warmup_text
from bot.coach.session_choice import DEADLIFT_SLOT, Options
from bot.coach.session_dose import reduced_contacts_cap
from bot.coach.vocabulary import LIFTING_KINDS
from bot.coach.week_context import Pins, WeekContext
from bot.coach.week_days import WEEK_DAYS, Cites, DayContext, around, lifting_reason_key, quiet_day, weekday_of
from bot.coach.week_frame import POWER_PHASES, WeekFrame

BLOCK_WEEKS = 4  # the main lifts stay the same for a block, then rotate
MIN_MINUTES = 10
ROTATION_PERIOD = 12  # a multiple of every slot's number of variants (1 to 4, 6)


class Lifts(NamedTuple):
    """The sessions on the days placed for lifting, by day index in placed order; ``lifting`` the
    days among them that lift, ``placed`` how many, and ``no_safe`` whether the niggles left nothing
    safe to lift on a day that fits lifting."""

    sessions: Mapping[int, Session]
    lifting: tuple[int, ...]
    placed: int
    no_safe: bool


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
        # mobility spares every rested or flagged area, whatever its rung (COACHING.md N6 and issue 15)
        self.spare = avoid | self.flagged | profile.injuries
        self.block = block
        self.week_number = week_number
        self.sessions = 0  # lifting sessions placed this week
        self.deadlift_before: bool | None = None  # whether the session before this one deadlifted heavy
        self.last_lead: Pattern | None = None  # the pattern this week's last session led with
        self.level = level or profile.strength_level
        self.titles = library.sessions.titles
        self.climbed = False  # whether any exercise this week moved up its progression chain
        self.jump_cap = 0  # J3: a deload or eased week's contacts a session at most (0: none)

    def _count(self, index: int) -> int:
        """The session's place in the runner's sequence (weeks of the same number of sessions)."""
        return self.week_number * max(1, self.sessions) + index

    def mobility(self, ctx: DayContext, reason: Reason) -> Session:
        focus = mobility_focus(ctx)
        day = ctx.date.toordinal() % focus_turns(self.library, focus)
        title, minutes, items = _mobility_body(self.library, focus, self.spare, day)
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
        items, session_minutes, climbed, kind = build_session(self.library, opts, dose, full, self.jump_cap)
        self.climbed = self.climbed or climbed
        self.deadlift_before = any(self.library.exercises[p.id].slot == DEADLIFT_SLOT for p in items)
        self.last_lead = lead
        if all(p.type is ExerciseType.PLYOMETRIC for p in items):
            return None
        if kind is not SessionKind.POWER and reason_key is ReasonKey.POWER_DAY:
            reason_key = lifting_reason_key(replace(ctx, preferred=False), kind)
        title = self.titles.get(kind)
        if title is None:  # (not as get's default: an enum's value is a Python-level property)
            title = kind.value
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


def session_builder(
    profile: Profile, library: Library, frame: WeekFrame, context: WeekContext, lifts: int
) -> SessionBuilder:
    """The builder of a week's ``lifts`` sessions, turning on from the lift before the week."""
    # the main lifts stay for a block of 4 weeks from the runner's start; which pattern leads a
    # session turns week by week
    builder = SessionBuilder(
        profile,
        library,
        frame.state,
        frame.avoid,
        inputs=frame.inputs,
        block=frame.state.weeks_coached // BLOCK_WEEKS,
        week_number=(frame.start.toordinal() - 1) // WEEK_DAYS,
        level=frame.level,
    )
    builder.sessions = lifts
    builder.deadlift_before = context.deadlift_before
    builder.last_lead = context.lead_before
    if frame.inputs.reduction is Reduction.DELOAD:  # J3: about 40 % fewer contacts than the full week before
        builder.jump_cap = reduced_contacts_cap(context.jumps_before)
    return builder


def _keeps(session: Session, phase: Phase) -> bool:
    """Whether a pinned session may stay on a day of this phase as prescribed."""
    return session.kind is not SessionKind.POWER or phase in POWER_PHASES


def lift_sessions(
    builder: SessionBuilder,
    frame: WeekFrame,
    chosen: tuple[int, ...],
    kinds: Mapping[int, SessionKind],
    pins: Pins | None,
    cites: Cites,
) -> Lifts:
    """The session on each day ``chosen`` for lifting, in order: a pinned session as it was kept,
    else a strength or power session at the day's dose; where the niggles leave nothing safe to
    lift, mobility (rest on a day switched off) and the reason why."""
    days = frame.dates
    target = frame.target
    moved_from = pins.moved_from if pins is not None else {}
    kept = {day: session for day, session in (pins.kept.items() if pins is not None else ()) if day in days}
    sessions: dict[int, Session] = {}
    placed = 0
    no_safe = False
    for order, i in enumerate(chosen):
        phase = frame.days[i].phase
        ctx = around(frame.days[i], i, chosen, False, False)
        if days[i] in kept and _keeps(kept[days[i]], phase):
            sessions[i] = kept[days[i]]
            if days[i] in moved_from:
                weekday = weekday_of(moved_from[days[i]])
                reason = cites.reason(ReasonKey.LIFT_MOVED_HERE, ctx, target, len(chosen), weekday)
                sessions[i] = replace(sessions[i], reason=reason)
            placed += 1
            continue
        dose = frame.dose(phase)
        kind = kinds[i] if phase in POWER_PHASES else SessionKind.STRENGTH
        if days[i] in moved_from:
            key, weekday = ReasonKey.LIFT_MOVED_HERE, weekday_of(moved_from[days[i]])
        else:
            key, weekday = lifting_reason_key(ctx, kind), ""
        full = frame.full_dose(phase)
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
    lifting = tuple(i for i in chosen if sessions[i].kind in LIFTING_KINDS)
    return Lifts(sessions, lifting, placed, no_safe)


def day_plans(
    builder: SessionBuilder, frame: WeekFrame, lifts: Lifts, cites: Cites, lifted_before: bool
) -> tuple[DayPlan, ...]:
    """Every day of the week with its session: its lift, else the quiet day's mobility or rest, each
    with the reason the lifting around it gives."""
    quiet, target, too_close = frame.quiet, frame.target, frame.too_close
    sessions, lifting, placed, no_safe = lifts
    plan_days = []
    for i, day in enumerate(frame.days):
        session = sessions.get(i)
        if session is None:
            ctx = around(day, i, lifting, lifted_before, too_close)
            weekday = ""
            if day.date in quiet:
                kind, (key, weekday) = SessionKind.MOBILITY, quiet[day.date]
            else:
                kind, key = quiet_day(ctx, placed=placed, no_safe_lifts=no_safe)
            reason = cites.reason(key, ctx, target, placed, weekday)
            session = builder.rest(reason) if kind is SessionKind.REST else builder.mobility(ctx, reason)
        plan_days.append(DayPlan(day.date, day.run, day.phase, session))
    return tuple(plan_days)
