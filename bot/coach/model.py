"""The runner's profile going in, the training state carried from week to week, and the plan
coming out; the vocabulary they are written in (:mod:`bot.coach.vocabulary`) is re-exported here.

Everything here is plain data. The profile is a pydantic model because it is also the
validated input of ``coach plan`` and of onboarding; plans are frozen dataclasses because
the planner builds many of them and they never need validating.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.coach.vocabulary import (
    BODYWEIGHT,
    WEEKDAYS,
    BodyArea,
    Distance,
    Equipment,
    ExerciseType,
    Kit,
    Level,
    NoteKey,
    Pattern,
    Phase,
    ReasonKey,
    Reduction,
    Role,
    RunKind,
    SessionKind,
    Weekday,
    kit_of,
    kit_offers,
    kit_values,
)

__all__ = [
    "BODYWEIGHT",
    "NIGGLE_RUNGS",
    "OLD_RUNG_OF",
    "SESSION_MINUTES",
    "WEEKDAYS",
    "BodyArea",
    "DayPlan",
    "Distance",
    "Equipment",
    "ExerciseType",
    "Kit",
    "Level",
    "LiftingInputs",
    "NiggleState",
    "NoteKey",
    "NotePart",
    "Pattern",
    "Phase",
    "Prescription",
    "Profile",
    "Race",
    "Reason",
    "ReasonKey",
    "Reduction",
    "Role",
    "RunKind",
    "Session",
    "SessionKind",
    "TrainingState",
    "WeekNote",
    "WeekPlan",
    "Weekday",
    "kit_of",
    "kit_offers",
    "kit_values",
]


@dataclass(frozen=True, slots=True)
class LiftingInputs:
    """What the week decides for its lifting sessions beyond the dose (the rulebook's third revision).

    ``jump_stage``: the J1 stage jumps may reach this week (0 none: J2's jump-free weeks, a tune-up's
    eased week, peak for a non-regular lifter); ``reduction``: J3's cut; ``rungs``: each flagged
    area's N3 rung, 1 to 4 (4: the normal exercise); ``no_jump_areas``: flagged areas not yet
    cleared for jumps (N5); ``eccentric_week``: 0 no eccentric-heavy exercise (D4: the first 4
    lifting weeks, or the week after a "very sore"), n its nth lifting week; ``strength_test``: the
    area whose N5 strength test replaces a calf or unilateral exercise this week.
    """

    jump_stage: int = 0
    reduction: Reduction = Reduction.NONE
    rungs: tuple[tuple[BodyArea, int], ...] = ()
    no_jump_areas: frozenset[BodyArea] = frozenset()
    eccentric_week: int = 0
    strength_test: BodyArea | None = None


SESSION_MINUTES = (10, 15, 20, 30, 45, 60)


class Race(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    distance: Distance
    date: dt.date


class Profile(BaseModel):
    """What the coach knows about a runner: the `coach plan` profile, also built by onboarding."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    strength_level: Level
    week: dict[Weekday, RunKind]
    race: Race | None = None
    equipment: Kit
    # strict: JSON's `true` is not a number of minutes
    session_minutes: Annotated[int, Field(ge=10, le=90, strict=True)]
    sessions_per_week: Annotated[int, Field(ge=1, le=3, strict=True)] | None = None
    injuries: frozenset[BodyArea] = frozenset()
    overrides: dict[dt.date, RunKind] = Field(default_factory=dict)
    # the distance of a tune-up race given in ``overrides`` (P9), when the runner said it
    tune_up_distances: dict[dt.date, Distance] = Field(default_factory=dict)
    hard_days_hard: bool = False
    preferred_days: frozenset[Weekday] = frozenset()
    mobility_off_days: frozenset[Weekday] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _tune_up_distances(cls, data: object) -> object:
        """An override ``race:half`` is a tune-up race of that distance (P9); plain ``race`` has
        no known distance."""
        if not isinstance(data, dict) or not isinstance(data.get("overrides"), dict):
            return data
        overrides, distances = {}, dict(data.get("tune_up_distances") or {})
        for day, kind in data["overrides"].items():
            if isinstance(kind, str) and kind.startswith(f"{RunKind.RACE.value}:"):
                distances[day] = kind.split(":", 1)[1]
                kind = RunKind.RACE.value
            overrides[day] = kind
        return {**data, "overrides": overrides, "tune_up_distances": distances}

    @field_validator("equipment", mode="before")
    @classmethod
    def _kit(cls, value: object) -> Kit:
        return kit_of(value)

    @field_validator("week")
    @classmethod
    def _every_weekday(cls, week: dict[Weekday, RunKind]) -> dict[Weekday, RunKind]:
        missing = [day.value for day in WEEKDAYS if day not in week]
        if missing:
            raise ValueError(f"missing day(s): {', '.join(missing)}")
        return week

    def run_on(self, day: dt.date) -> RunKind:
        """The run-day kind of a date: a one-off override wins over the weekly template, and the goal
        race's date is a race. Nothing else rewrites a run (P10): the day after the goal race keeps
        the calendar's run (its reason may advise rest)."""
        override = self.overrides.get(day)
        if override is not None:
            return override
        if self.race is not None and self.race.date == day:
            return RunKind.RACE
        return self.week[Weekday.of(day)]

    def runs_from(self, first: dt.date, count: int) -> list[RunKind]:
        """``run_on`` for ``count`` days from ``first`` (the template read once, then the goal race
        and the overrides that fall in the days laid over it)."""
        week = self.week
        weekday = first.weekday()
        runs = [week[day] for day in (WEEKDAYS * ((weekday + count) // 7 + 1))[weekday : weekday + count]]
        race = self.race
        if race is not None and 0 <= (race.date - first).days < count:
            runs[(race.date - first).days] = RunKind.RACE
        for day, kind in self.overrides.items():
            index = (day - first).days
            if 0 <= index < count:
                runs[index] = kind
        return runs


NIGGLE_RUNGS = (1, 2, 3, 4)  # N3: holds; slow and light; slow, loaded or single-leg; the normal exercise
OLD_RUNG_OF = {1: 0, 2: 0, 3: 1, 4: 2}  # N3's rungs on the old three steps


@dataclass(frozen=True, slots=True)
class NiggleState:
    """One area on the niggle ladder (COACHING.md N3 to N5, A4).

    ``rung`` 1 to 4 (N3); ``since`` the lifting weeks since it last started at rung 1 or moved
    down, ``at_top`` the lifting weeks at rung 4 and ``tested`` whether its strength test passed
    (N5's jump gate); ``failed`` the days a check failed (a second within 2 weeks is pain, A4);
    ``pending`` the last day of a week whose session checks all passed and which loaded the area,
    waiting for the weekly "vs last week" answer before the area moves up; ``asked`` the last day of
    the week that answer is open for (cleared once given); ``returning`` an area
    back from pain (A4) or a red flag that the runner had not declared: it stays on the ladder until
    it is back to normal and cleared for jumps.
    """

    rung: int = 1
    since: int = 0
    at_top: int = 0
    tested: bool = False
    failed: tuple[dt.date, ...] = ()
    pending: dt.date | None = None
    returning: bool = False
    asked: dt.date | None = None


@dataclass(frozen=True, slots=True)
class TrainingState:
    """Where the runner stands on the progression ladder; changed only by the weekly review.

    ``step`` is the rung (0 is the dose table as written), ``set_cut`` the sets taken off by a
    back-off, ``weeks_trained`` the lifting weeks in base or build since the start or the last
    reduced week, taper, recovery, pause or gap (the 4th is a deload, A5),
    ``backoff_weeks`` how many back-off weeks came in a row, ``fewer_sessions`` how many weekly
    sessions the runner accepted to drop, ``pain`` the areas rested after a pain report with
    the date until which they are rested (a red flag rests them until a professional clears
    them: the review sets a far date).
    """

    step: int = 0
    set_cut: int = 0
    weeks_trained: int = 0
    backoff_weeks: int = 0
    fewer_sessions: int = 0
    minutes_cut: int = 0
    recovery_week: bool = False
    # progression counters (stored in ``training_states.progress``; COACHING.md J1-J3, D4, A1, A5,
    # eased weeks): lifting weeks with the coach (None: counted as ``weeks_coached``, a state from
    # before they were counted) and since the start, a taper and recovery, a pause or a gap (J2);
    # the J1 stage of the last week with jumps and the lifting weeks with jumps at it; the last day
    # with jumps and the last lifting day; the lifting weeks that held eccentric-heavy work and
    # whether next week swaps it out (D4); reduced weeks in a row; an A1 step waiting for the week
    # after a reduced one; whether this week shows a step up; whether the next lifting week is one
    # step lower at full sets (after a marathon or ultra's eased week)
    lifting_weeks: int | None = None
    restart_weeks: int | None = None
    jump_stage: int = 0
    stage_weeks: int = 0
    last_jumps: dt.date | None = None
    last_lift: dt.date | None = None
    eccentric_weeks: int = 0
    eccentric_out: bool = False
    reduced_in_row: int = 0
    step_pending: bool = False
    stepped: bool = False
    step_lower: bool = False
    # the day the runner came back from a break that changed the dose, and the break's length in
    # days: the week that day falls in says which "Return after a gap" applied
    back_on: dt.date | None = None
    back_gap: int = 0
    pain: Mapping[BodyArea, dt.date] = field(default_factory=dict)
    # weeks the coach has planned for this runner (every review adds one); the first two *lifting*
    # weeks (``lifted_weeks``) use the base dose whatever the phase and hold no jumps (J2)
    weeks_coached: int = 0
    # the onboarding health screen said "yes": the plan stays at the `new` base dose until cleared
    needs_clearance: bool = False
    # the last reviewed weeks, oldest first: "1" adherence 0.8+ at a mean RPE of at most T, else "0"
    good_weeks: str = ""
    # each niggle area's place on the N3 ladder and its N5 jump clock (``bot.coach.niggles``)
    niggles: Mapping[BodyArea, NiggleState] = field(default_factory=dict)

    @property
    def niggle_rungs(self) -> Mapping[BodyArea, int]:
        """The ladder on the old three steps (0 gentle form, 1 easier step, 2 usual exercise), for
        code that has not moved to ``LiftingInputs.rungs`` yet."""
        return {area: OLD_RUNG_OF[n.rung] for area, n in self.niggles.items()}

    def rested_areas(self, on: dt.date) -> frozenset[BodyArea]:
        if not self.pain:
            return frozenset()  # the usual case, asked several times a week
        return frozenset(area for area, until in self.pain.items() if on <= until)

    @property
    def deload_due(self) -> bool:
        """A5: the 4th lifting week in base or build since the start or the last reduced week,
        taper, recovery, pause or gap (``weeks_trained`` counts the ones before it), or a recovery
        week the runner marked."""
        return self.recovery_week or self.weeks_trained >= 3

    @property
    def lifted_weeks(self) -> int:
        """Lifting weeks with the coach so far."""
        return self.weeks_coached if self.lifting_weeks is None else self.lifting_weeks

    @property
    def weeks_since_restart(self) -> int:
        """Lifting weeks since the start, a taper and recovery, a pause or a gap (J2)."""
        return self.lifted_weeks if self.restart_weeks is None else self.restart_weeks


@dataclass(frozen=True, slots=True)
class Prescription:
    """One exercise of a session; ``reps`` reads in the unit of its ``type`` ("8-12", "30 s",
    "20 steps", "15 contacts"), ``rest_s`` is the rest between sets, ``work_s`` the estimated
    length of one set, and ``paired_with`` names the lift in whose rests it is done (if any)."""

    id: str
    name: str
    sets: int
    reps: str
    rpe: int | None
    cue: str
    loads: tuple[BodyArea, ...]
    type: ExerciseType = ExerciseType.STRENGTH
    equipment: Equipment = Equipment.NONE
    rest_s: int = 0
    work_s: int = 0
    paired_with: str = ""
    gentle: bool = False
    # D5 and J1: ramp-up sets before it (a heavy lift), its load cue ("a weight you could lift N more
    # times"), its total foot contacts (a jump) and its role (D1)
    ramp: bool = False
    load_cue: str = ""
    contacts: int = 0
    role: Role | None = None


# Reason, Session and DayPlan are not frozen: a week builds seven of each, and a frozen dataclass sets
# every field through a call to ``object.__setattr__``: 6 % of the instructions of a planned week (issue 22).
# They hold a reason's dict, so they never were hashable; no code changes one once built
# (``dataclasses.replace`` makes a new one).
@dataclass(slots=True)
class Reason:
    """Why a day holds its session (rule P8), as data: the rule that decided it and the values it
    cites (run kinds, phases, distances and weekdays by their value; numbers and dates as text).
    ``bot.coach.wording`` puts it into the runner's words.

    ``text`` is a reason stored in words by an earlier version, before reasons were data: it has
    no key and is shown as it is.
    """

    key: ReasonKey | None
    values: Mapping[str, str] = field(default_factory=dict)
    text: str = ""


@dataclass(frozen=True, slots=True)
class NotePart:
    """One sentence of a week's note: what it says and the values it cites (as in ``Reason``)."""

    key: NoteKey
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class WeekNote:
    """The note at the top of a week: its phase, then what is different about the week, in order.

    ``text`` is a note stored in words by an earlier version (then ``parts`` is empty).
    """

    parts: tuple[NotePart, ...] = ()
    text: str = ""


@dataclass(slots=True)  # not frozen: see the note above Reason
class Session:
    kind: SessionKind
    title: str
    minutes: int
    reason: Reason
    exercises: tuple[Prescription, ...] = ()
    warmup: str = ""


@dataclass(slots=True)  # not frozen: see the note above Reason
class DayPlan:
    date: dt.date
    run: RunKind
    phase: Phase
    session: Session


@dataclass(frozen=True, slots=True)
class WeekPlan:
    start: dt.date
    phase: Phase
    note: WeekNote
    days: tuple[DayPlan, ...]
    lifting_target: int = 0
    deload: bool = False

    def day(self, date: dt.date) -> DayPlan | None:
        for day in self.days:
            if day.date == date:
                return day
        return None

    @property
    def lifting_days(self) -> tuple[dt.date, ...]:
        return tuple(d.date for d in self.days if d.session.kind.is_lifting)
